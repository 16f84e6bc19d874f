"""A synthetic probation area shaped like the report's Northamptonshire.

Reproducible: the same seed and size give the same area (names, dates and every choice come from one
seeded generator). Names and addresses are invented by Faker (en_GB). Writes in bulk, so the default
2,338-case area takes seconds on SQLite.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from math import ceil
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from faker import Faker

from oms.accounts.models import CaseAccessGrant
from oms.cases.constants import (
    EventKind,
    Gender,
    PpoType,
    RegistrationKind,
    TerminationReason,
    TransferDirection,
)
from oms.cases.models import (
    Address,
    Allocation,
    EthnicityCode,
    Event,
    OffenceCode,
    Offender,
    Registration,
    Requirement,
    RequirementType,
    Transfer,
)
from oms.cases.upkeep import deferred_case_upkeep
from oms.demo import shape
from oms.demo.calibration import Quota, per_year, steady_days
from oms.demo.enrichers import run_enrichers
from oms.organisation.models import ApprovedPremises, Area, Grade, Region, Staff, Team, Unit
from oms.planner_statistics import refresh_planner_statistics
from oms.risk.levels import RiskOfHarmLevel
from oms.standards.nightly import run_nightly_work
from oms.standards.stored import sweep_area
from oms.tiering.queries import tier_as_2005_number
from oms.tiering.recalculation import recalculate
from oms.tiering.rules import Tier2005Inputs, tier_2005
from oms.tiering.workload import StaffGrade, needs_manager_oversight, outside_grade_rules

UNITS = {
    "Northampton": ["Northampton North", "Northampton South"],
    "Wellingborough": ["Wellingborough", "Rushden and Daventry"],
    "Kettering and Corby": ["Kettering", "Corby"],
}
COURTS = [
    "Northampton Magistrates' Court",
    "Northampton Crown Court",
    "Corby Magistrates' Court",
    "Kettering Magistrates' Court",
    "Wellingborough Magistrates' Court",
]
PRISONS = ["HMP Wellingborough", "HMP Onley", "HMP Leicester", "HMP Bedford", "HMP Peterborough"]
OFFENCE_CATEGORY_WEIGHTS = {
    "Violence": 25,
    "Theft (non-motor)": 14,
    "Drug possession/supply": 10,
    "Drink driving and related": 8,
    "Burglary (domestic)": 6,
    "Other motoring": 6,
    "Fraud and forgery": 5,
    "Criminal damage": 5,
    "Public order": 5,
    "Other offence": 4,
    "Robbery": 3,
    "Taking and driving away and related": 3,
    "Burglary (other)": 2,
    "Handling stolen goods": 2,
    "Theft from vehicles": 2,
    "Sexual (not against child)": 2,
    "Sexual (against child)": 1,
    "Absconding or bail offences": 1,
}
DEMO_PASSWORD = "demo-only-password"
# The report's area and its approved premises (other areas' premises are named after the area).
DEMO_AREA_NAME = "Northamptonshire"
APPROVED_PREMISES_NAME = "Bridgewood"
# Grades within a team, in turn: a team of ten has five POs, four PSOs and a TPO (each team's turn
# starts at a different place, so even one-person teams mix grades across the area).
TEAM_GRADES = ["PO", "PSO", "PO", "TPO", "PSO", "PO", "PSO", "PO", "PSO", "PO"]
# The SPO's recorded decision where a PSO or TPO holds a case the grade rules would not give them
# (a PSO's tier 3 case, or a tier that rose on reassessment after allocation).
GRADE_DECISION = "SPO decision: stays with this officer under my oversight (fortnightly case review)"
# Drug rehabilitation requirements run 12 months (within a 12-month community order), so a steady
# flow of starts gives a steady flow of completions a year later (oms/demo/calibration.py).
DRR_MONTHS = 12
UNALLOCATED_WITHIN_DAYS = 4
DRR_HISTORY_DAYS = 850  # completions cover the last 16 months: the report period and the inspection's year


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    who: str


@dataclass
class SeedResult:
    area: Area
    cases: int
    former_cases: int
    staff: int
    logins: list[DemoLogin] = field(default_factory=list)


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _pnc(rng: random.Random, year: int) -> str:
    return f"{year % 100:02d}/{rng.randint(100000, 999999)}{rng.choice('ABCDEFGHJKLMNPQRTUVWXYZ')}"


class _AreaBuilder:
    def __init__(
        self, *, cases: int, seed: int, area_name: str, region_name: str, as_of: date, with_logins: bool
    ) -> None:
        self.cases = cases
        self.region_name = region_name
        self.rng = random.Random(seed)
        self.fake = Faker("en_GB")
        self.fake.seed_instance(seed)
        self.area_name = area_name
        self.as_of = as_of
        self.with_logins = with_logins
        self.grades = {g.code: g for g in Grade.objects.all()}
        self.password = make_password(DEMO_PASSWORD) if with_logins else ""
        # CRNs continue after the highest in use, so several areas can share one database.
        highest = (
            Offender.objects.filter(crn__startswith="X")
            .order_by("-crn")
            .values_list("crn", flat=True)
            .first()
        )
        self.first_crn_number = int(highest[1:]) + 1 if highest else 100001

    # ---------------------------------------------------------------- organisation
    def build_organisation(self) -> None:
        region, _ = Region.objects.get_or_create(name=self.region_name)
        code = "".join(w[0] for w in self.area_name.split()).upper()[:6] + str(Area.objects.count() + 1)
        self.area = Area.objects.create(region=region, name=self.area_name, code=code)
        self.premises = ApprovedPremises.objects.create(
            area=self.area,
            name=APPROVED_PREMISES_NAME
            if self.area_name == DEMO_AREA_NAME
            else f"{self.area_name} approved premises",
            beds=shape.APPROVED_PREMISES_BEDS,
        )
        self.teams: list[Team] = []
        for number, (unit_name, team_names) in enumerate(UNITS.items(), start=1):
            # The office's letterhead; Ofcom's numbers for drama, so no real office is rung.
            unit = Unit.objects.create(
                area=self.area,
                name=f"{unit_name} offender management unit",
                address=f"Probation Office\n{number} Market Street\n{unit_name}",
                telephone=f"01632 960{number:03d}",
            )
            for team_name in team_names:
                self.teams.append(Team.objects.create(unit=unit, name=f"{team_name} team"))
        self.offender_managers: list[Staff] = []
        managers_needed = max(len(self.teams), ceil(self.cases / shape.CASES_PER_OFFENDER_MANAGER))
        for index in range(managers_needed):
            team_index, place = index % len(self.teams), index // len(self.teams)
            grade = TEAM_GRADES[(place + team_index) % len(TEAM_GRADES)]
            self.offender_managers.append(
                self._staff(grade, team=self.teams[team_index], hours=37 if index % 7 else 22.5)
            )
        self._holders: dict[tuple[str, str], list[Staff]] = {}
        self.spos = []
        for team in self.teams:
            spo = self._staff("SPO", team=team)
            spo.manages_teams.add(team)
            self.spos.append(spo)
        self.case_administrators = [self._staff("CA") for _ in UNITS]
        self.senior_managers = [self._staff("ACO") for _ in UNITS] + [self._staff("CO")]
        self.vlo = self._staff("VLO")
        self.interventions = [self._staff("INT"), self._staff("INT")]
        self.partner = self._staff("PA", organisation=f"{self.area_name} Police", area=self.area)
        self.prison_supervisor = self._staff("POS", organisation="HMP Wellingborough", area=None)
        self.inspector = self._staff("INSP", organisation="HM Inspectorate of Probation", area=None)

    def _staff(
        self,
        grade: str,
        *,
        team: Team | None = None,
        hours: float = 37,
        organisation: str = "",
        area: Area | str | None = "own",
    ) -> Staff:
        first, last = self.fake.first_name(), self.fake.last_name()
        return Staff.objects.create(
            first_name=first,
            family_name=last,
            email=f"{first}.{last}@probation.example".lower().replace(" ", ""),
            grade=self.grades[grade],
            area=self.area if area == "own" else area,  # type: ignore[misc]
            team=team,
            organisation=organisation,
            contracted_hours=hours,
            workload_reduction_percent=20 if grade == "TPO" else 0,
        )

    # ---------------------------------------------------------------- cases
    def build_cases(self) -> int:
        rng, n = self.rng, self.cases
        ethnicities = {e.code: e for e in EthnicityCode.objects.all()}
        white_codes = ["W1"] * 90 + ["W2"] * 2 + ["W9"] * 8
        minority_codes = [c for c, e in ethnicities.items() if e.group == "minority_ethnic"]
        offences_by_category: dict[str, list[str]] = {}
        for code, category in OffenceCode.objects.filter(
            error_code="", ogrs3_coefficient__isnull=False
        ).values_list("code", "ogrs3_category"):
            offences_by_category.setdefault(category, []).append(code)
        weights = {k: v for k, v in OFFENCE_CATEGORY_WEIGHTS.items() if k in offences_by_category}
        requirement_types = {r.code: r for r in RequirementType.objects.all()}

        # Exact counts first, then shuffled over the cases, so the area's figures are as designed.
        males = shape.percent_of(shape.PERCENT_MALE, n)
        genders = [Gender.MALE] * males + [Gender.FEMALE] * (n - males)
        not_stated = shape.percent_of(shape.PERCENT_ETHNICITY_NOT_STATED, n)
        missing = shape.percent_of(shape.PERCENT_ETHNICITY_MISSING, n)
        known = n - not_stated - missing
        white = shape.percent_of(shape.PERCENT_WHITE_OF_KNOWN, known)
        ethnic: list[str | None] = (
            ["white"] * white + ["minority"] * (known - white) + ["Z1"] * not_stated + [None] * missing
        )
        mappa: list[int | None] = []
        for level, count in shape.MAPPA_LEVEL_COUNTS.items():
            mappa += [level] * shape.scaled(count, n)
        mappa += [None] * (n - len(mappa))
        ppo_count = shape.scaled(shape.PPO_CASES, n)
        residents = min(shape.APPROVED_PREMISES_RESIDENTS, max(0, n // 100))
        for values in (genders, ethnic, mappa):
            rng.shuffle(values)
        ppo_indexes = set(rng.sample([i for i in range(n) if mappa[i] is None or mappa[i] == 1], ppo_count))
        unallocated = set(rng.sample(range(n), shape.percent_of(shape.PERCENT_UNALLOCATED, n)))
        transferred_in = set(rng.sample(range(n), shape.percent_of(shape.PERCENT_TRANSFERRED_IN, n)))

        offenders: list[Offender] = []
        plans: list[dict[str, Any]] = []
        former = shape.percent_of(shape.PERCENT_FORMER_CASES, n)
        drr_current, drr_former = self._drr_flow(
            [i for i in range(n) if (mappa[i] is None or mappa[i] == 1) and i not in unallocated], n + former
        )
        for index in range(n + former + len(drr_former)):
            is_former = index >= n
            gender = (
                genders[index] if not is_former else rng.choice([Gender.MALE, Gender.MALE, Gender.FEMALE])
            )
            kind = _weighted(rng, shape.EVENT_MIX)
            mappa_level = mappa[index] if not is_former else None
            if mappa_level in (2, 3):
                risk = (
                    rng.choice(["high", "high", "very_high"])
                    if mappa_level == 3
                    else rng.choice(["medium", "high", "high"])
                )
                if kind in ("community_order", "suspended_sentence_order"):
                    kind = "licence"
            elif index in ppo_indexes:
                risk = _weighted(rng, shape.PPO_RISK_OF_HARM_MIX)
            else:
                risk = _weighted(rng, shape.RISK_OF_HARM_MIX)
            is_ppo = index in ppo_indexes
            age = rng.choices([18, 21, 25, 30, 35, 40, 50], weights=[12, 20, 22, 16, 12, 12, 6])[
                0
            ] + rng.randint(0, 4)
            sentence = self.as_of - timedelta(days=rng.randint(7, 700))
            drr: tuple[date, tuple[date, str] | None] | None = drr_current.get(index) or drr_former.get(index)
            if drr is not None:
                kind, sentence = EventKind.COMMUNITY_ORDER, drr[0]
            elif index in unallocated and kind != EventKind.CUSTODY:
                # Waiting in the allocation queue: sentenced (or released) in the last few days.
                sentence = self.as_of - timedelta(days=rng.randint(0, UNALLOCATED_WITHIN_DAYS))
            born = sentence - timedelta(days=age * 365 + rng.randint(0, 364))
            first = self.fake.first_name_male() if gender == Gender.MALE else self.fake.first_name_female()
            ethnic_choice = ethnic[index] if not is_former else "white"
            if ethnic_choice == "white":
                ethnicity_code: str | None = rng.choice(white_codes)
            elif ethnic_choice == "minority":
                ethnicity_code = rng.choice(minority_codes)
            else:
                ethnicity_code = ethnic_choice
            crn = f"X{self.first_crn_number + index:06d}"
            allocated = index not in unallocated
            tier = str(tier_2005(Tier2005Inputs(RiskOfHarmLevel(risk), mappa_level, ppo=is_ppo)).tier)
            holders = self._may_hold(tier, risk)
            manager = rng.choice(holders or self.offender_managers) if allocated and not is_former else None
            if manager is None and not is_former and allocated:
                manager = self.offender_managers[0]
            offenders.append(
                Offender(
                    crn=crn,
                    pnc_number=_pnc(rng, born.year + 18 + rng.randint(0, 5)),
                    first_name=first,
                    family_name=self.fake.last_name(),
                    date_of_birth=born,
                    gender=gender,
                    ethnicity=ethnicities.get(ethnicity_code) if ethnicity_code else None,
                    first_language="English"
                    if rng.random() < 0.96
                    else rng.choice(["Polish", "Punjabi", "Urdu", "Portuguese", "Lithuanian"]),
                    literacy_need=rng.random() < 0.2,
                    dyslexia=rng.random() < 0.06,
                    # Ofcom's numbers for drama, from the CRN: no draw from rng, so the area is unchanged.
                    telephone=f"07700 900{int(crn[1:]) % 1000:03d}",
                    area=self.area,
                    offender_manager=manager,
                    risk_of_harm_level=risk,
                    tier=tier,
                    is_ppo=is_ppo,
                    ppo_type=rng.choice([PpoType.PROLIFIC, PpoType.PRIORITY]) if is_ppo else "",
                    mappa_level=mappa_level,
                    mappa_category=(rng.choice([1, 2, 2, 3]) if mappa_level else None),
                )
            )
            offenders[-1].interpreter_required = (
                offenders[-1].first_language != "English" and rng.random() < 0.6
            )
            if offenders[-1].dyslexia:
                offenders[-1].paper_colour = rng.choice(["cream", "yellow", "blue"])
            plans.append(
                {
                    "kind": kind,
                    "sentence": sentence,
                    "former": is_former,
                    "transferred_in": index in transferred_in and not is_former,
                    "category": _mappa_offence_category(rng, offenders[-1].mappa_category, weights),
                    "drr": drr,
                    "recent": index in unallocated,
                }
            )
        Offender.objects.bulk_create(offenders, batch_size=500)
        # bulk_create set each primary key (SQLite and PostgreSQL both return them).

        events: list[Event] = []
        addresses: list[Address] = []
        registrations: list[Registration] = []
        allocations: list[Allocation] = []
        transfers: list[Transfer] = []
        requirement_plans: list[tuple[int, list[tuple[str, dict[str, int]]]]] = []
        for offender, plan in zip(offenders, plans, strict=True):
            kind, sentence = plan["kind"], plan["sentence"]
            offence = rng.choice(offences_by_category[plan["category"]])
            release = licence_end = None
            prison = ""
            length = rng.choice([6, 9, 12, 12, 18, 24, 24, 36]) if plan["drr"] is None else DRR_MONTHS
            if kind == EventKind.LICENCE:
                length = rng.choice([12, 18, 24, 36, 48, 72])
                release = sentence + timedelta(days=length * 15)
                if release > self.as_of or plan["recent"]:
                    days_ago = UNALLOCATED_WITHIN_DAYS if plan["recent"] else 300
                    release = self.as_of - timedelta(days=rng.randint(1, days_ago))
                    sentence = release - timedelta(days=length * 15)
                licence_end = release + timedelta(days=length * 15)
                prison = rng.choice(PRISONS)
            elif kind == EventKind.CUSTODY:
                length = rng.choice([12, 18, 24, 36, 48])
                prison = rng.choice(PRISONS)
                # Custody cases approaching release: a third within the next three months.
                release = self.as_of + timedelta(
                    days=rng.randint(5, 90) if rng.random() < 0.34 else rng.randint(91, 500)
                )
                licence_end = release + timedelta(days=length * 15)
            event = Event(
                offender=offender,
                number=1,
                kind=kind,
                court=rng.choice(COURTS),
                offence_id=offence,
                sentence_date=sentence,
                length_months=length,
                prison=prison,
                release_date=release,
                licence_end_date=licence_end,
            )
            if plan["drr"] is not None and plan["former"]:
                event.is_active = False
                event.terminated_on, event.termination_reason = plan["drr"][1]
            elif plan["former"]:
                event.is_active = False
                event.terminated_on = min(self.as_of, sentence + timedelta(days=length * 30))
                event.termination_reason = rng.choice(
                    [TerminationReason.TRANSFERRED, TerminationReason.COMPLETED, TerminationReason.COMPLETED]
                )
                if event.termination_reason == TerminationReason.TRANSFERRED:
                    transfers.append(
                        Transfer(
                            offender=offender,
                            direction=TransferDirection.OUT,
                            other_area=rng.choice(
                                ["Leicestershire and Rutland", "Bedfordshire", "Cambridgeshire"]
                            ),
                            transfer_date=event.terminated_on,
                        )
                    )
            events.append(event)
            if kind in (EventKind.COMMUNITY_ORDER, EventKind.SUSPENDED_SENTENCE_ORDER):
                planned = _requirements(rng, offender, sentence)
                if plan["drr"] is not None:
                    planned.append(("drug_rehabilitation", {"length_months": DRR_MONTHS}))
                requirement_plans.append((len(events) - 1, planned))
            if rng.random() < 0.25 and not plan["former"]:
                # An earlier, completed order: the person's history.
                earlier = sentence - timedelta(days=rng.randint(800, 2000))
                events.append(
                    Event(
                        offender=offender,
                        number=2,
                        kind=EventKind.COMMUNITY_ORDER,
                        court=rng.choice(COURTS),
                        offence_id=rng.choice(offences_by_category[plan["category"]]),
                        sentence_date=earlier,
                        length_months=12,
                        is_active=False,
                        terminated_on=earlier + timedelta(days=365),
                        termination_reason=TerminationReason.COMPLETED,
                    )
                )
            if rng.random() < 0.97:
                addresses.append(
                    Address(
                        offender=offender,
                        lines=self.fake.street_address(),
                        postcode=self.fake.postcode(),
                        from_date=sentence - timedelta(days=rng.randint(0, 900)),
                    )
                )
            if offender.mappa_level:
                registrations.append(
                    Registration(
                        offender=offender,
                        kind=RegistrationKind.MAPPA,
                        mappa_category=offender.mappa_category,
                        mappa_level=offender.mappa_level,
                        start_date=sentence,
                    )
                )
            if offender.is_ppo:
                registrations.append(
                    Registration(
                        offender=offender,
                        kind=RegistrationKind.PPO,
                        ppo_type=offender.ppo_type,
                        start_date=sentence - timedelta(days=rng.randint(0, 400)),
                    )
                )
            if rng.random() < 0.08:
                registrations.append(
                    Registration(offender=offender, kind=RegistrationKind.DOMESTIC_ABUSE, start_date=sentence)
                )
            if rng.random() < 0.04:
                registrations.append(
                    Registration(
                        offender=offender, kind=RegistrationKind.CHILD_PROTECTION, start_date=sentence
                    )
                )
            start = release if kind == EventKind.LICENCE and release else sentence
            if plan["transferred_in"]:
                transfers.append(
                    Transfer(
                        offender=offender,
                        direction=TransferDirection.IN,
                        other_area=rng.choice(["Leicestershire and Rutland", "Bedfordshire", "Warwickshire"]),
                        transfer_date=start + timedelta(days=rng.randint(20, 120)),
                        complete_oasys_received=rng.random() < 0.7,
                    )
                )
            if offender.offender_manager_id:
                allocations.extend(self._allocation_history(offender, start))
        Event.objects.bulk_create(events, batch_size=500)
        types = {r: requirement_types[r] for r in requirement_types}
        requirements = [
            Requirement(event=events[event_index], requirement_type=types[code], **figures)
            for event_index, planned in requirement_plans
            for code, figures in planned
        ]
        Requirement.objects.bulk_create(requirements, batch_size=500)
        Address.objects.bulk_create(addresses, batch_size=500)
        Registration.objects.bulk_create(registrations, batch_size=500)
        Allocation.objects.bulk_create(allocations, batch_size=500)
        Transfer.objects.bulk_create(transfers, batch_size=500)
        self._approved_premises(offenders[:n], residents)
        self._limited_access_and_grants(offenders[:n], plans[:n])
        return len(offenders)

    def _may_hold(self, tier: str, risk: str) -> list[Staff]:
        """The offender managers whose grade the allocation rules let hold a case of this tier and RoH
        (oms/tiering/workload.py: POs anything, PSOs up to tier 3 below high RoH, TPOs up to tier 2)."""
        key = (tier, risk)
        if key not in self._holders:
            self._holders[key] = [
                s
                for s in self.offender_managers
                if outside_grade_rules(StaffGrade(s.grade.code), int(tier), RiskOfHarmLevel(risk)) is None
            ]
        return self._holders[key]

    def _drr_flow(
        self, eligible: list[int], first_extra: int
    ) -> tuple[dict[int, tuple[date, None]], dict[int, tuple[date, tuple[date, str]]]]:
        """DRR orders at the calibrated rate of starts, a year long; of those now ended, the calibrated
        share completed (a year after sentence), the rest revoked on breach part-way through.

        Returns the current cases that carry one (index -> start) and the former cases to add for the
        ended ones (index -> start, (ended on, how)).
        """
        rng, scale = self.rng, self.cases / shape.REPORT_CASELOAD
        starts = steady_days(
            rng,
            per_year("drr_starts") * scale,
            self.as_of - timedelta(days=DRR_HISTORY_DAYS),
            self.as_of - timedelta(days=7),
        )
        completes = Quota(per_year("drr_completions") / per_year("drr_starts"), rng)
        ended = [day for day in starts if day + timedelta(days=365) <= self.as_of]
        running = [day for day in starts if day + timedelta(days=365) > self.as_of]
        current = dict(zip(rng.sample(eligible, min(len(running), len(eligible))), running, strict=False))
        former: dict[int, tuple[date, tuple[date, str]]] = {}
        for offset, day in enumerate(ended):
            if completes():
                outcome = (day + timedelta(days=365), TerminationReason.COMPLETED)
            else:
                outcome = (day + timedelta(days=rng.randint(60, 300)), TerminationReason.REVOKED_ON_BREACH)
            former[first_extra + offset] = (day, outcome)
        return {i: (day, None) for i, day in current.items()}, former

    def _allocation_history(self, offender: Offender, start: date) -> list[Allocation]:
        rng = self.rng
        history = []
        # Continuity: most cases keep one offender manager; about 1 in 70 has had three or more.
        previous = rng.choices([0, 1, 2, 3], weights=[78, 16, 4, 2])[0]
        when = start + timedelta(days=rng.randint(0, 4))
        spo = (
            self.spos[self.teams.index(offender.offender_manager.team)]
            if offender.offender_manager and offender.offender_manager.team in self.teams
            else None
        )
        for _ in range(previous):
            earlier = rng.choice(self.offender_managers)
            end = when + timedelta(days=rng.randint(30, 150))
            history.append(
                Allocation(
                    offender=offender,
                    offender_manager=earlier,
                    start_date=when,
                    end_date=end,
                    reason=rng.choice(
                        [
                            "Initial allocation",
                            "Offender manager left the team",
                            "Workload balancing",
                            "Tier changed",
                        ]
                    ),
                    tier_at_allocation=offender.tier,
                    decided_by=spo,
                )
            )
            when = end
        assert offender.offender_manager is not None
        history.append(
            Allocation(
                offender=offender,
                offender_manager=offender.offender_manager,
                start_date=when,
                reason="Initial allocation"
                if not previous
                else rng.choice(
                    [
                        "Offender manager left the team",
                        "Workload balancing",
                        "Case moved to a PO after RoH rose",
                    ]
                ),
                tier_at_allocation=offender.tier,
                decided_by=spo,
            )
        )
        return history

    def _approved_premises(self, offenders: Sequence[Offender], residents: int) -> None:
        candidates = [o for o in offenders if o.risk_of_harm_level in ("high", "very_high", "medium")]
        chosen = self.rng.sample(candidates, min(residents, len(candidates)))
        Offender.objects.filter(pk__in=[o.pk for o in chosen]).update(approved_premises=self.premises)

    def _limited_access_and_grants(
        self, offenders: Sequence[Offender], plans: Sequence[dict[str, Any]]
    ) -> None:
        rng = self.rng
        allocated = [o for o in offenders if o.offender_manager_id]
        if len(allocated) > 10:
            # A member of staff's relative: excluded-from that member of staff.
            excluded_case = allocated[3]
            excluded_case.limited_access = True
            excluded_case.save(update_fields=["limited_access"])
            excluded_case.excluded_from.add(self.case_administrators[0])
            # A high-profile case: restricted to its offender manager and their SPO.
            restricted_case = allocated[7]
            restricted_case.limited_access = True
            restricted_case.save(update_fields=["limited_access"])
            assert restricted_case.offender_manager is not None
            restricted_case.restricted_to.add(restricted_case.offender_manager, *self.spos)
        grants = []
        for offender in rng.sample(list(offenders), min(15, len(offenders))):
            grants.append(
                CaseAccessGrant(
                    offender=offender,
                    staff=self.partner,
                    reason="Drug intervention programme worker",
                    valid_from=self.as_of - timedelta(days=60),
                    valid_until=self.as_of + timedelta(days=180),
                )
            )
        custody = [o for o, p in zip(offenders, plans, strict=True) if p["kind"] == EventKind.CUSTODY]
        for offender in custody[:25]:
            grants.append(
                CaseAccessGrant(
                    offender=offender,
                    staff=self.prison_supervisor,
                    reason="Offender supervisor in custody",
                    valid_from=self.as_of - timedelta(days=200),
                )
            )
        CaseAccessGrant.objects.bulk_create(grants)

    # ---------------------------------------------------------------- logins
    def build_logins(self) -> list[DemoLogin]:
        if not self.with_logins:
            return []
        user_model = get_user_model()
        om = max(self.offender_managers[:12], key=lambda s: (s.grade.code == "PO", s.caseload.count()))
        # The demo PSO is in the om's team, so the demo SPO is the one who countersigns their work.
        psos = [s for s in self.offender_managers if s.grade.code == "PSO"]
        pso = next((s for s in psos if s.team_id == om.team_id), psos[0] if psos else om)
        spo = self.spos[self.teams.index(om.team)] if om.team in self.teams else self.spos[0]
        chosen = [
            ("om", om, "Offender manager (PO) with a caseload"),
            ("pso", pso, "Offender manager (PSO)"),
            ("spo", spo, "Senior probation officer of the om's team"),
            ("caseadmin", self.case_administrators[1], "Case administrator"),
            ("aco", self.senior_managers[0], "Assistant chief officer"),
            ("vlo", self.vlo, "Victim liaison officer"),
            ("interventions", self.interventions[0], "Interventions staff"),
            ("partner", self.partner, "Partner agency worker (police)"),
            ("prison", self.prison_supervisor, "Prison offender supervisor"),
            ("inspector", self.inspector, "Inspector (HMI Probation)"),
        ]
        logins = []
        for username, staff, who in chosen:
            if user_model.objects.filter(username=username).exists():
                continue
            user = user_model.objects.create(
                username=username,
                password=self.password,
                first_name=staff.first_name,
                last_name=staff.family_name,
                email=staff.email,
            )
            staff.user = user
            staff.save(update_fields=["user"])
            logins.append(DemoLogin(username, staff.grade.name, f"{who}: {staff.full_name}"))
        if not user_model.objects.filter(username="superuser").exists():
            user_model.objects.create(
                username="superuser", password=self.password, is_staff=True, is_superuser=True
            )
            logins.append(
                DemoLogin("superuser", "Administrator", "Reference data (Django admin); sees every case")
            )
        return logins


# MAPPA category 1 is registered sexual offenders; category 2 violent or sexual offenders with 12 months'
# custody or more (Criminal Justice Act 2003 s.325-327): their offences follow.
MAPPA_OFFENCE_CATEGORIES = {
    1: ("Sexual (not against child)", "Sexual (against child)"),
    2: ("Violence", "Violence", "Violence", "Robbery", "Sexual (not against child)"),
}


def _mappa_offence_category(rng: random.Random, mappa_category: int | None, weights: dict[str, int]) -> str:
    fitting = [c for c in MAPPA_OFFENCE_CATEGORIES.get(mappa_category or 0, ()) if c in weights]
    return rng.choice(fitting) if fitting else _weighted(rng, weights)


def _requirements(rng: random.Random, offender: Offender, sentence: date) -> list[tuple[str, dict[str, int]]]:
    chosen: list[tuple[str, dict[str, int]]] = []
    if rng.random() < 0.7:
        chosen.append(("supervision", {"length_months": rng.choice([6, 12, 18, 24])}))
    if rng.random() < 0.55:
        chosen.append(("unpaid_work", {"hours": rng.choice([40, 60, 80, 100, 120, 150, 180, 200, 240, 300])}))
    if rng.random() < 0.15:
        chosen.append(("accredited_programme", {}))
    if rng.random() < 0.05:
        chosen.append(("alcohol_treatment", {"length_months": rng.choice([6, 12])}))
    if rng.random() < 0.08:
        chosen.append(("curfew", {"hours_per_day": rng.randint(2, 12), "length_months": rng.randint(1, 6)}))
    if rng.random() < 0.03:
        chosen.append(("specified_activity", {"days": rng.choice([20, 30, 60])}))
    if rng.random() < 0.03:
        chosen.append(("exclusion", {"length_months": rng.choice([6, 12, 24])}))
    age = sentence.year - offender.date_of_birth.year
    if age < 24 and rng.random() < 0.05:
        chosen.append(("attendance_centre", {"hours": rng.choice([12, 24, 36])}))
    if not chosen:
        chosen.append(("supervision", {"length_months": 12}))
    return chosen


@transaction.atomic
def seed_area(
    *,
    cases: int,
    seed: int,
    area_name: str = "Northamptonshire",
    region_name: str = "East Midlands",
    as_of: date,
    with_logins: bool = True,
    with_history: bool = True,
    progress: Callable[[str], None] | None = None,
) -> SeedResult:
    say = progress or (lambda _message: None)
    if Area.objects.filter(name=area_name).exists():
        raise ValueError(f"An area called {area_name!r} already exists: choose another --area name")
    builder = _AreaBuilder(
        cases=cases,
        seed=seed,
        area_name=area_name,
        region_name=region_name,
        as_of=as_of,
        with_logins=with_logins,
    )
    # Every case's actions are evaluated once at the end, in bulk, rather than after each row.
    with deferred_case_upkeep():
        say("organisation: units, teams and staff")
        builder.build_organisation()
        say(f"caseload: {cases:,} current cases and former cases")
        total = builder.build_cases()
        logins = builder.build_logins()
        if with_history:
            run_enrichers(
                builder.area, as_of, seed, progress=say
            )  # the tiering enricher, last, recalculates every tier
        else:
            # Only the caseload: each tier is still the tier rules' answer for it, with its decision.
            recalculate(
                Offender.objects.filter(area=builder.area), trigger="demo area: first tiering", today=as_of
            )
            record_grade_decisions(builder.area, as_of, builder.rng)
    say("actions due: every case's National Standards actions stored")
    sweep_area(builder.area.pk)
    say("nightly work: the performance figures stored, as the sweep leaves them")
    run_nightly_work(builder.area.pk)
    say("planner statistics")
    refresh_planner_statistics()
    return SeedResult(
        area=builder.area,
        cases=cases,
        former_cases=total - cases,
        staff=Staff.objects.filter(area=builder.area).count(),
        logins=logins,
    )


def record_grade_decisions(area: Area, as_of: date, rng: random.Random) -> None:
    """Demo enricher, after the tiers are final: every current case a PSO or TPO holds outside the
    grade rules, and every PSO's tier 3 case, carries its SPO's recorded decision (3 queries)."""
    spo_by_team: dict[int, int] = {}
    for spo_id, team_id in Staff.objects.filter(area=area, grade__role="spo").values_list(
        "pk", "manages_teams"
    ):
        if team_id is not None:
            spo_by_team.setdefault(team_id, spo_id)
    current = Allocation.objects.filter(
        offender__area=area,
        end_date__isnull=True,
        offender_manager__grade_id__in=[
            StaffGrade.PROBATION_SERVICES_OFFICER.value,
            StaffGrade.TRAINEE_PROBATION_OFFICER.value,
        ],
    ).select_related("offender", "offender_manager")
    decided = []
    for allocation in current:
        offender, manager = allocation.offender, allocation.offender_manager
        grade, tier = StaffGrade(manager.grade_id), tier_as_2005_number(offender.tier)
        level = RiskOfHarmLevel(offender.risk_of_harm_level) if offender.risk_of_harm_level else None
        if outside_grade_rules(grade, tier, level) is None and not needs_manager_oversight(tier, grade):
            continue
        allocation.manager_decision = GRADE_DECISION
        allocation.decided_by_id = spo_by_team.get(manager.team_id) if manager.team_id else None
        decided.append(allocation)
    Allocation.objects.bulk_update(decided, ["manager_decision", "decided_by"], batch_size=500)
