"""Demo history for performance, workforce and the registers: written in bulk (a few statements)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from oms.cases.constants import EthnicGroup
from oms.cases.models import Event, Offender
from oms.demo.calibration import AIM, DEMO_ANNUAL_COUNTS, Spread, steady_days
from oms.organisation.constants import Role
from oms.organisation.models import Area, Staff
from oms.performance.models import (
    Appraisal,
    AreaTarget,
    OrganisationalRisk,
    RiskAction,
    SeriousFurtherOffence,
    SicknessAbsence,
    StaffMonitoring,
    SupervisionSession,
    TrainingCompleted,
    TrainingNeed,
)

# Annual target numbers for the measures judged "against the area's target number": the calibration's.
# The report's race equality employment target for the East Midlands (criterion 4.2 table).
DEMO_MINORITY_ETHNIC_STAFF_TARGET = Decimal("7.2")
# Sickness spells (working days lost), drawn evenly from this list: short spells mostly, a few long.
SICKNESS_SPELLS = (1, 1, 1, 2, 2, 3, 3, 5, 5, 10, 15, 20)
SICKNESS_HISTORY_DAYS = 450
FULL_TIME_HOURS = 37
SESSIONS_A_QUARTER = 2

DEMO_RISKS = [
    ("Sickness absence above the national target", 4, 3),
    ("High RoH cases not reviewed every 16 weeks", 3, 5),
    ("Countersigning delays on high RoH assessments", 4, 4),
    ("Court report demand diverting SPO time from supervision", 3, 3),
    ("Loss of unpaid work placements", 2, 3),
    ("MAPPA resourcing shared with partner agencies", 3, 4),
    ("Case management system outage", 2, 4),
    ("Data protection breach by email", 2, 5),
    ("Budget overspend on translation services", 2, 2),
    ("Staff turnover in the offender management units", 3, 2),
    ("Premises: fire safety in the Northampton office", 1, 4),
]
SFO_OFFENCES = [
    ("00101", "Murder"),
    ("01901", "Rape"),
    ("00501", "Wounding with intent"),
    ("03401", "Robbery"),
]


def enrich_performance(area: Area, as_of: date, rng: random.Random) -> None:
    staff = list(Staff.objects.filter(area=area, is_active=True, organisation="").select_related("grade"))
    if not staff:
        return
    managers = [
        s for s in staff if s.grade.role in (Role.SENIOR_PROBATION_OFFICER, Role.SENIOR_MANAGER)
    ] or staff
    sessions, appraisals, absences, needs, trained, monitoring = [], [], [], [], [], []
    for person in staff:
        supervisor = rng.choice(managers)
        behind = rng.random() < 0.2  # about one in five behind, as the report's 80% achievement
        for month_back in range(12):
            if behind and month_back < 3 and rng.random() < 0.7:
                continue
            sessions.append(
                SupervisionSession(
                    staff=person,
                    supervisor=supervisor,
                    held_on=as_of - timedelta(days=30 * month_back + rng.randint(0, 20)),
                )
            )
        # A third not appraised in the last 12 months (report 4.4(d): 12 of 39).
        appraised_days_ago = rng.randint(380, 500) if rng.random() < 0.33 else rng.randint(10, 330)
        appraisals.append(
            Appraisal(staff=person, appraiser=supervisor, held_on=as_of - timedelta(days=appraised_days_ago))
        )
        if rng.random() < 0.4:
            needs.append(
                TrainingNeed(
                    staff=person,
                    description=rng.choice(["Child protection", "OASys refresher", "MAPPA", "Diversity"]),
                    identified_on=as_of - timedelta(days=rng.randint(30, 300)),
                )
            )
        for _ in range(rng.randint(0, 3)):
            trained.append(
                TrainingCompleted(
                    staff=person,
                    course=rng.choice(["Diversity", "OASys quality", "Risk of harm workshop", "Enforcement"]),
                    completed_on=as_of - timedelta(days=rng.randint(1, 360)),
                )
            )
    # Race equality employment: the calibrated share of staff from minority ethnic groups, exactly.
    minority = round(len(staff) * float(AIM["minority_ethnic_staff"]) / 100)
    for index, person in enumerate(rng.sample(staff, len(staff))):
        group = EthnicGroup.MINORITY_ETHNIC if index < minority else EthnicGroup.WHITE
        monitoring.append(StaffMonitoring(staff=person, ethnic_group=group))
    # Sickness: spells start as a steady flow, so any period loses the calibrated days per FTE a year.
    full_time = sum(Decimal(person.contracted_hours) for person in staff) / FULL_TIME_HOURS
    spells_a_year = (
        float(AIM["sickness_absence"]) * float(full_time) * len(SICKNESS_SPELLS) / sum(SICKNESS_SPELLS)
    )
    spread = Spread(rng)
    for first in steady_days(rng, spells_a_year, as_of - timedelta(days=SICKNESS_HISTORY_DAYS), as_of):
        days = SICKNESS_SPELLS[int(spread() * len(SICKNESS_SPELLS))]
        absences.append(
            SicknessAbsence(
                staff=rng.choice(staff),
                first_day=first,
                last_day=first + timedelta(days=days + days // 5 * 2),
                working_days_lost=Decimal(days),
            )
        )
    SupervisionSession.objects.bulk_create(sessions)
    Appraisal.objects.bulk_create(appraisals)
    SicknessAbsence.objects.bulk_create(absences)
    TrainingNeed.objects.bulk_create(needs)
    TrainingCompleted.objects.bulk_create(trained)
    StaffMonitoring.objects.bulk_create(monitoring, ignore_conflicts=True)

    AreaTarget.objects.bulk_create(
        [
            AreaTarget(area=area, measure_key=key, annual_count=count)
            for key, count in DEMO_ANNUAL_COUNTS.items()
        ]
        + [
            AreaTarget(
                area=area, measure_key="minority_ethnic_staff", target=DEMO_MINORITY_ETHNIC_STAFF_TARGET
            )
        ],
        ignore_conflicts=True,
    )

    cases = list(
        Offender.objects.filter(area=area, pk__in=Event.objects.filter(is_active=True).values("offender_id"))
        .order_by("crn")
        .values_list("pk", flat=True)[:400]
    )
    sfos = []
    from oms.cases.models import OffenceCode

    known = set(
        OffenceCode.objects.filter(code__in=[c for c, _ in SFO_OFFENCES]).values_list("code", flat=True)
    )
    offences = [(c, d) for c, d in SFO_OFFENCES if c in known] or [
        (code, "Serious further offence") for code in OffenceCode.objects.values_list("code", flat=True)[:1]
    ]
    for offender_id in rng.sample(cases, min(6, len(cases))) if offences else []:
        code, description = rng.choice(offences)
        offence_date = as_of - timedelta(days=rng.randint(20, 300))
        notified = offence_date + timedelta(days=rng.randint(2, 15))
        done = notified + timedelta(days=rng.randint(15, 40)) if rng.random() < 0.6 else None
        sfos.append(
            SeriousFurtherOffence(
                offender_id=offender_id,
                offence_id=code,
                offence_description=description,
                offence_date=offence_date,
                notified_on=notified,
                review_completed_on=done if done and done <= as_of else None,
                learning_points="Risk of harm review not done after a change of circumstances; home visit overdue."
                if done and done <= as_of
                else "",
            )
        )
    SeriousFurtherOffence.objects.bulk_create(sfos)

    owners = [s for s in staff if s.grade.role == Role.SENIOR_MANAGER] or managers
    risks = OrganisationalRisk.objects.bulk_create(
        [
            OrganisationalRisk(
                area=area,
                title=title,
                owner=rng.choice(owners),
                likelihood=likelihood,
                impact=impact,
                next_review_on=as_of + timedelta(days=rng.randint(-20, 90)),
                last_reviewed_on=as_of - timedelta(days=rng.randint(10, 90)),
            )
            for title, likelihood, impact in DEMO_RISKS
        ]
    )
    RiskAction.objects.bulk_create(
        RiskAction(
            risk=risk,
            description=f"Action plan: {risk.title.lower()}",
            owner=rng.choice(managers),
            due_on=as_of + timedelta(days=rng.randint(-10, 60)),
        )
        for risk in risks
        if risk.likelihood * risk.impact >= 8
    )
