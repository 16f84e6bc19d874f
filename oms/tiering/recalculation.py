"""Recalculating tiers from the case's data: the same code for one case and for the whole area.

Reads are batched — a fixed handful of queries whatever the number of cases — so `oms tier
--recalculate-all` on a national database costs the same number of round trips as on one case.
Each case gets a new `TierDecision` only when its inputs or its tier change, so the history reads as
a list of real changes, each with its reason.

The inputs come from the case as the services keep it: the RoH level (set when an analysis is
locked), MAPPA and PPO registrations in force, the latest locked likelihood-of-reoffending
assessment (OGRS3 and needs), and the current events and their requirements (mandate for change).
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import connection
from django.db.models import Q, QuerySet
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from oms.accounts.permissions import staff_of
from oms.cases.constants import EventKind, RegistrationKind
from oms.cases.models import Event, Offender, Registration, Requirement
from oms.cases.upkeep import case_write, note_cases_changed
from oms.organisation.constants import TieringFramework
from oms.risk.levels import RiskOfHarmLevel
from oms.risk.needs import CriminogenicNeed, NeedSeverity, severity
from oms.risk.ogrs3 import Gender, Ogrs3Inputs, offence_code_table, ogrs3
from oms.tiering.models import TierDecision
from oms.tiering.rules import (
    ComplexityFactor,
    NeedAssessed,
    Tier2005Inputs,
    Tier2021Assessment,
    Tier2021Inputs,
    tier_2005,
    tier_2021,
)

User = AbstractBaseUser | AnonymousUser

# spec, tier 2021: "Mandate for change: any current event that is custodial, or has a requirement
# that is neither restrictive nor unpaid work."
CUSTODIAL_EVENT_KINDS = frozenset({EventKind.CUSTODY.value, EventKind.LICENCE.value})
RESTRICTIVE_REQUIREMENTS = frozenset({"curfew", "exclusion", "prohibited_activity"})
UNPAID_WORK = "unpaid_work"
# Registrations that are tier 2021 complexity factors.
REGISTRATION_COMPLEXITY_FACTORS = {
    RegistrationKind.CHILD_PROTECTION.value: ComplexityFactor.CHILD_PROTECTION,
    RegistrationKind.SELF_HARM.value: ComplexityFactor.SELF_HARM,
}
BULK_BATCH = 500


@dataclass
class CaseTieringData:
    """Everything one case's tier is computed from, gathered in bulk."""

    offender_id: int
    crn: str
    framework: str
    gender: str
    current_tier: str
    risk_of_harm_level: str | None
    mappa_level: int | None
    is_ppo: bool
    ogrs3_two_year: int | None = None
    needs: dict[str, dict[str, Any]] | None = None
    self_harm_current: bool = False
    registrations: set[str] = field(default_factory=set)
    event_kinds: list[str] = field(default_factory=list)
    requirement_types: list[set[str]] = field(default_factory=list)

    @property
    def has_mandate_for_change(self) -> bool:
        if any(kind in CUSTODIAL_EVENT_KINDS for kind in self.event_kinds):
            return True
        return any(
            code not in RESTRICTIVE_REQUIREMENTS and code != UNPAID_WORK
            for requirements in self.requirement_types
            for code in requirements
        )

    @property
    def unsupervised(self) -> bool:
        """Current community events only, none with anything but restrictive or unpaid work
        requirements: nobody supervises the person (the 2021 "S" suffix)."""
        return bool(self.event_kinds) and not self.has_mandate_for_change

    def as_inputs_json(self) -> dict[str, Any]:
        return {
            "risk_of_harm_level": self.risk_of_harm_level,
            "mappa_level": self.mappa_level,
            "ppo": self.is_ppo,
            "ogrs3_two_year": self.ogrs3_two_year,
            "needs": self.needs,
            "registrations": sorted(self.registrations),
            "current_events": sorted(self.event_kinds),
            "has_mandate_for_change": self.has_mandate_for_change,
            "gender": self.gender,
        }


@dataclass(frozen=True)
class ComputedTier:
    tier: str
    points: dict[str, Any]
    reasons: list[str]


def _need_severities(
    needs: dict[str, dict[str, Any]] | None,
) -> dict[CriminogenicNeed, tuple[NeedSeverity, bool]]:
    result: dict[CriminogenicNeed, tuple[NeedSeverity, bool]] = {}
    for need in CriminogenicNeed:
        entry = (needs or {}).get(need.value) or {}
        score = entry.get("score")
        if isinstance(score, int) and score >= 0:
            result[need] = (severity(need, score), bool(entry.get("linked_to_offending")))
    return result


def compute_tier(data: CaseTieringData) -> ComputedTier:
    """The tier of one case under its area's framework, with the points and the reasons in words."""
    rosh = RiskOfHarmLevel(data.risk_of_harm_level) if data.risk_of_harm_level else None
    severities = _need_severities(data.needs)
    if data.framework == TieringFramework.HMPPS_2021:
        factors = {
            REGISTRATION_COMPLEXITY_FACTORS[r]
            for r in data.registrations
            if r in REGISTRATION_COMPLEXITY_FACTORS
        }
        if data.self_harm_current:
            factors.add(ComplexityFactor.SELF_HARM)
        result = tier_2021(
            Tier2021Inputs(
                gender=Gender.FEMALE if data.gender == "female" else Gender.MALE,
                has_mandate_for_change=data.has_mandate_for_change,
                ogrs=data.ogrs3_two_year,
                rosh=rosh,
                mappa_level=data.mappa_level,
                complexity_factors=frozenset(factors),
                iom_nominal=data.is_ppo,
                unsupervised=data.unsupervised,
                assessment=Tier2021Assessment(needs={n: s for n, (s, _) in severities.items()})
                if data.needs is not None
                else None,
            )
        )
        protect_words = [
            f"{name.replace('_', ' ')} {points:+d}"
            for name, points in result.protect_breakdown.items()
            if points
        ]
        reasons = [
            f"Protect level {result.protect_level.value} because of {result.protect_points} protect points"
            + (f" ({', '.join(protect_words)})" if protect_words else " (no risk factors recorded)"),
            f"Change level {result.change_level}: {result.change_reason}",
        ]
        json = result.as_json()
        return ComputedTier(
            json["tier"],
            {
                "protect_points": json["protect_points"],
                "change_points": json["change_points"],
                **json["breakdown"],
            },
            reasons,
        )
    result_2005 = tier_2005(
        Tier2005Inputs(
            rosh=rosh,
            mappa_level=data.mappa_level,
            ogrs3_two_year=data.ogrs3_two_year,
            ppo=data.is_ppo,
            needs={n: NeedAssessed(s, linked) for n, (s, linked) in severities.items()},
        )
    )
    return ComputedTier(
        str(result_2005.tier),
        {
            "ogrs3_band": result_2005.ogrs3_band.value if result_2005.ogrs3_band else None,
            "recommended_grade": result_2005.recommended_grade.value,
            "manager_oversight_needed": result_2005.manager_oversight_needed,
        },
        list(result_2005.reasons),
    )


def gather(cases: QuerySet[Offender], today: date | None = None) -> list[CaseTieringData]:
    """The tiering data of every case in `cases`: seven queries, whatever the number of cases."""
    from oms.risk.countersigning import CountersigningStatus
    from oms.risk.models import ReoffendingAssessment

    today = today or timezone.localdate()
    ids = cases.values("pk")
    by_id: dict[int, CaseTieringData] = {}
    for row in Offender.objects.filter(pk__in=ids).values(
        "pk",
        "crn",
        "gender",
        "tier",
        "risk_of_harm_level",
        "mappa_level",
        "is_ppo",
        "area__tiering_framework",
    ):
        by_id[row["pk"]] = CaseTieringData(
            offender_id=row["pk"],
            crn=row["crn"],
            framework=row["area__tiering_framework"],
            gender=row["gender"],
            current_tier=row["tier"],
            risk_of_harm_level=row["risk_of_harm_level"] or None,
            mappa_level=row["mappa_level"],
            is_ppo=row["is_ppo"],
        )
    in_force = Q(end_date__isnull=True) | Q(end_date__gte=today)
    mappa_from_registrations: dict[int, int] = {}
    for reg in Registration.objects.filter(in_force, offender__in=ids, start_date__lte=today).values(
        "offender_id", "kind", "mappa_level"
    ):
        data = by_id[reg["offender_id"]]
        data.registrations.add(reg["kind"])
        if reg["kind"] == RegistrationKind.PPO:
            data.is_ppo = True
        if reg["kind"] == RegistrationKind.MAPPA and reg["mappa_level"]:
            mappa_from_registrations[data.offender_id] = max(
                reg["mappa_level"], mappa_from_registrations.get(data.offender_id, 0)
            )
    for offender_id, level in mappa_from_registrations.items():
        by_id[offender_id].mappa_level = level
    for assessment in (
        ReoffendingAssessment.objects.filter(offender__in=ids, status=CountersigningStatus.LOCKED)
        .order_by("offender_id", "sequence")
        .values("offender_id", "ogrs3_two_year", "needs", "self_harm_risk")
    ):
        data = by_id[assessment["offender_id"]]  # the last (highest sequence) wins
        data.ogrs3_two_year = assessment["ogrs3_two_year"]
        data.needs = assessment["needs"] or {}
        data.self_harm_current = assessment["self_harm_risk"] == "current"
    events: dict[int, int] = {}
    for event in Event.objects.filter(offender__in=ids, is_active=True).values("pk", "offender_id", "kind"):
        data = by_id[event["offender_id"]]
        events[event["pk"]] = len(data.event_kinds)
        data.event_kinds.append(event["kind"])
        data.requirement_types.append(set())
    for requirement in Requirement.objects.filter(event__offender__in=ids, event__is_active=True).values(
        "event_id", "event__offender_id", "requirement_type_id"
    ):
        data = by_id[requirement["event__offender_id"]]
        data.requirement_types[events[requirement["event_id"]]].add(requirement["requirement_type_id"])
    return list(by_id.values())


@dataclass
class RecalculationResult:
    cases: int = 0
    decisions_recorded: int = 0
    tiers_changed: int = 0
    changed_crns: list[str] = field(default_factory=list)


@case_write
def recalculate(
    cases: QuerySet[Offender], *, trigger: str, user: User | None = None, today: date | None = None
) -> RecalculationResult:
    """Recalculate the tier of every case in `cases`, recording a decision where anything changed."""
    gathered = gather(cases, today)
    current = {
        decision.offender_id: decision
        for decision in TierDecision.objects.filter(offender__in=cases.values("pk"), is_current=True)
    }
    decided_by = staff_of(user) if user is not None else None
    result = RecalculationResult(cases=len(gathered))
    new_decisions: list[TierDecision] = []
    retired: list[int] = []
    tier_updates: dict[str, list[int]] = defaultdict(list)
    now = timezone.now()
    for data in gathered:
        computed = compute_tier(data)
        inputs = data.as_inputs_json()
        previous = current.get(data.offender_id)
        tier, override_reason, overridden_by, reasons = computed.tier, "", None, list(computed.reasons)
        if previous is not None:
            same_inputs = previous.inputs == inputs and previous.framework == data.framework
            if same_inputs and previous.computed_tier == computed.tier:
                if data.current_tier != previous.tier:
                    tier_updates[previous.tier].append(data.offender_id)
                continue
            if previous.is_override and previous.computed_tier == computed.tier:
                tier, override_reason, overridden_by = (
                    previous.tier,
                    previous.override_reason,
                    previous.overridden_by_id,
                )
            elif previous.is_override:
                reasons.append(
                    f"The manager's override to tier {previous.tier} lapsed because the computed tier changed"
                )
            retired.append(previous.pk)
        new_decisions.append(
            TierDecision(
                offender_id=data.offender_id,
                framework=data.framework,
                inputs=inputs,
                computed_tier=computed.tier,
                points=computed.points,
                reasons=reasons,
                tier=tier,
                trigger=trigger[:200],
                override_reason=override_reason,
                overridden_by_id=overridden_by,
                decided_at=now,
                decided_by=decided_by,
            )
        )
        if data.current_tier != tier:
            tier_updates[tier].append(data.offender_id)
    for start in range(0, len(retired), BULK_BATCH):
        TierDecision.objects.filter(pk__in=retired[start : start + BULK_BATCH]).update(is_current=False)
    if new_decisions:
        bulk_create_with_history(new_decisions, TierDecision, batch_size=BULK_BATCH, default_date=now)
    crn_by_id = {data.offender_id: data.crn for data in gathered}
    for tier, offender_ids in tier_updates.items():
        for start in range(0, len(offender_ids), BULK_BATCH):
            Offender.objects.filter(pk__in=offender_ids[start : start + BULK_BATCH]).update(tier=tier)
        note_cases_changed(offender_ids)
        result.changed_crns.extend(crn_by_id[i] for i in offender_ids)
    result.decisions_recorded = len(new_decisions)
    result.tiers_changed = len(result.changed_crns)
    return result


def recalculate_cases(
    offender_ids: Iterable[int], *, trigger: str, user: User | None = None
) -> RecalculationResult:
    return recalculate(Offender.objects.filter(pk__in=list(offender_ids)), trigger=trigger, user=user)


def recalculate_all(area_name: str | None = None, *, trigger: str = "recalculate all") -> RecalculationResult:
    cases = Offender.objects.all()
    if area_name:
        cases = cases.filter(area__name=area_name)
    return recalculate(cases, trigger=trigger)


# -------------------------------------------------------------------------------- for the bench
def measure_recalculate_all(area_name: str | None = None) -> dict[str, Any]:
    """Time and query count of recalculating every case (for `make bench`)."""
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = recalculate_all(area_name, trigger="benchmark")
        seconds = time.perf_counter() - started
    return {
        "cases": result.cases,
        "tiers_changed": result.tiers_changed,
        "decisions_recorded": result.decisions_recorded,
        "seconds": round(seconds, 3),
        "queries": len(queries),
    }


def generated_calculator_inputs(count: int, seed: int = 1) -> tuple[list[Ogrs3Inputs], list[Tier2021Inputs]]:
    """Reproducible, valid inputs for both calculators."""
    rng = random.Random(seed)
    offence_codes = sorted(
        code for code, mapping in offence_code_table().items() if mapping.category is not None
    )
    ogrs: list[Ogrs3Inputs] = []
    tiers: list[Tier2021Inputs] = []
    levels = [None, *RiskOfHarmLevel]
    factors = list(ComplexityFactor)
    for _ in range(count):
        born = date(1950, 1, 1) + timedelta(days=rng.randint(0, 365 * 40))
        conviction = born + timedelta(days=365 * rng.randint(18, 60) + rng.randint(0, 364))
        age = (conviction - born).days // 366
        ogrs.append(
            Ogrs3Inputs(
                gender=rng.choice([Gender.MALE, Gender.FEMALE]),
                date_of_birth=born,
                date_of_current_conviction=conviction,
                date_of_start_of_follow_up=conviction + timedelta(days=rng.randint(0, 400)),
                total_sanctions=rng.randint(1, 40),
                age_at_first_sanction=rng.randint(10, max(10, age)),
                offence_code=rng.choice(offence_codes),
            )
        )
        tiers.append(
            Tier2021Inputs(
                gender=rng.choice([Gender.MALE, Gender.FEMALE]),
                has_mandate_for_change=rng.random() < 0.9,
                ogrs=rng.randint(0, 99),
                rosh=rng.choice(levels),
                mappa_level=rng.choice([None, None, None, 1, 2, 3]),
                complexity_factors=frozenset(rng.sample(factors, rng.randint(0, 3))),
                iom_nominal=rng.random() < 0.1,
                assessment=Tier2021Assessment(
                    needs={need: rng.choice(list(NeedSeverity)) for need in CriminogenicNeed}
                )
                if rng.random() < 0.8
                else None,
            )
        )
    return ogrs, tiers


def measure_calculators(count: int = 100_000, seed: int = 1) -> dict[str, Any]:
    """Cases per second for OGRS3 and tier 2021 over `count` generated inputs (for `make bench`)."""
    ogrs_inputs, tier_inputs = generated_calculator_inputs(count, seed)
    started = time.perf_counter()
    for ogrs_input in ogrs_inputs:
        ogrs3(ogrs_input)
    ogrs_seconds = time.perf_counter() - started
    started = time.perf_counter()
    for tier_input in tier_inputs:
        tier_2021(tier_input)
    tier_seconds = time.perf_counter() - started
    return {
        "inputs": count,
        "ogrs3_cases_per_second": round(count / ogrs_seconds),
        "tier_2021_cases_per_second": round(count / tier_seconds),
    }


def enrich_with_tier_decisions(area: Any, as_of: date, rng: random.Random) -> None:
    """Demo: a tier decision for every case of the new area, computed from its data (batched)."""
    recalculate(Offender.objects.filter(area=area), trigger="demo area: first tiering", today=as_of)
