"""Demo history for interventions, approved premises and MAPPA, written in bulk (a few queries in all)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from oms.cases.models import Offender, Requirement
from oms.interventions.constants import (
    DrrReviewOutcome,
    DrugTestResult,
    EteOutcomeKind,
    NonCompletionReason,
    PremisesDecision,
    Programme,
    SkillsLevel,
    UnpaidWorkEntryKind,
)
from oms.interventions.models import (
    DrrReview,
    DrugTest,
    EteOutcome,
    MappaAction,
    MappaMeeting,
    PremisesPlacement,
    ProgrammeReferral,
    SkillsForLife,
    UnpaidWorkEntry,
)
from oms.organisation.models import Area

NOT_STARTED_AS_PLANNED_SHARE = 1 / 3  # report criterion 2.5: a third not started as planned
HISTORY_WEEKS = 26  # six months of unpaid work history at most
SKILLS_SCREENED_SHARE = 0.6
ETE_SHARE = 0.1
MAPPA_MEETING_WEEKS = {2: 8, 3: 4}  # level 3 (MAPPP) meets more often
MAPPA_ACTIONS = [
    ("Police to visit the home address", "Police public protection unit"),
    ("Check the exclusion zone with the victim liaison officer", "Victim liaison officer"),
    ("Refer to housing for move-on accommodation", "Housing"),
    ("Share the risk management plan with children's services", "Offender manager"),
]


def enrich_interventions(area: Area, as_of: date, rng: random.Random) -> None:
    requirements = list(
        Requirement.objects.filter(event__offender__area=area, event__is_active=True).values_list(
            "pk", "event__offender_id", "requirement_type_id", "hours", "event__sentence_date"
        )
    )
    referrals, entries, tests, reviews = [], [], [], []
    for pk, offender_id, code, hours, sentence in requirements:
        if code == "accredited_programme":
            referrals.append(_referral(rng, offender_id, pk, sentence, as_of))
        elif code == "unpaid_work" and hours:
            entries += _unpaid_work(rng, offender_id, pk, Decimal(hours), sentence, as_of)
        elif code == "drug_rehabilitation":
            day = sentence + timedelta(days=7)
            while day <= as_of and day <= sentence + timedelta(weeks=HISTORY_WEEKS):
                result = rng.choices(list(DrugTestResult), weights=[60, 30, 5, 5])[0]
                tests.append(
                    DrugTest(
                        offender_id=offender_id,
                        requirement_id=pk,
                        tested_on=day,
                        result=result,
                        substances="opiates" if result == DrugTestResult.POSITIVE else "",
                    )
                )
                day += timedelta(weeks=2)
            if as_of - sentence > timedelta(days=30):
                reviews.append(
                    DrrReview(
                        offender_id=offender_id,
                        requirement_id=pk,
                        review_on=sentence + timedelta(days=30),
                        court="Northampton Magistrates' Court",
                        progress="Tests show reducing use.",
                        outcome=DrrReviewOutcome.CONTINUE,
                    )
                )
    ProgrammeReferral.objects.bulk_create(referrals, batch_size=500)
    UnpaidWorkEntry.objects.bulk_create(entries, batch_size=1000)
    DrugTest.objects.bulk_create(tests, batch_size=1000)
    DrrReview.objects.bulk_create(reviews, batch_size=500)

    active = list(
        Offender.objects.filter(area=area, events__is_active=True).distinct().values_list("pk", flat=True)
    )
    skills, ete = [], []
    for offender_id in active:
        if rng.random() < SKILLS_SCREENED_SHARE:
            need = rng.random() < 0.4
            skills.append(
                SkillsForLife(
                    offender_id=offender_id,
                    screened_on=as_of - timedelta(days=rng.randint(20, 200)),
                    screening_shows_need=need,
                    assessed_on=as_of - timedelta(days=rng.randint(0, 19))
                    if need and rng.random() < 0.6
                    else None,
                    literacy_level=SkillsLevel.ENTRY_3 if need else "",
                    numeracy_level=SkillsLevel.LEVEL_1 if need else "",
                    learning_plan="Weekly literacy sessions at the learning centre." if need else "",
                )
            )
        if rng.random() < ETE_SHARE:
            started = as_of - timedelta(days=rng.randint(5, 150))
            ete.append(
                EteOutcome(
                    offender_id=offender_id,
                    kind=rng.choice(list(EteOutcomeKind)),
                    started_on=started,
                    provider=rng.choice(["Local builder", "Further education college", "Warehouse"]),
                    retained_four_weeks_confirmed_on=started + timedelta(days=28)
                    if (as_of - started).days >= 28 and rng.random() < 0.6
                    else None,
                )
            )
    SkillsForLife.objects.bulk_create(skills, batch_size=500)
    EteOutcome.objects.bulk_create(ete, batch_size=500)

    residents = Offender.objects.filter(area=area, approved_premises__isnull=False).values_list(
        "pk", "approved_premises_id"
    )
    PremisesPlacement.objects.bulk_create(
        PremisesPlacement(
            offender_id=offender_id,
            premises_id=premises_id,
            referred_on=as_of - timedelta(days=rng.randint(40, 120)),
            decision=PremisesDecision.ACCEPTED,
            decided_on=as_of - timedelta(days=rng.randint(30, 39)),
            arrived_on=as_of - timedelta(days=rng.randint(1, 29)),
        )
        for offender_id, premises_id in residents
    )
    _mappa_meetings(area, as_of, rng)


def _referral(
    rng: random.Random, offender_id: int, requirement_id: int, sentence: date, as_of: date
) -> ProgrammeReferral:
    referred = sentence + timedelta(days=rng.randint(1, 10))
    planned = referred + timedelta(weeks=rng.randint(3, 8))
    referral = ProgrammeReferral(
        offender_id=offender_id,
        requirement_id=requirement_id,
        programme=rng.choice(list(Programme)),
        referred_on=referred,
        planned_start_on=planned,
        sessions_total=rng.choice([20, 26, 27]),
    )
    if planned > as_of:
        return referral
    if rng.random() < NOT_STARTED_AS_PLANNED_SHARE:
        late = planned + timedelta(weeks=rng.randint(3, 20))
        if late <= as_of and rng.random() < 0.5:
            referral.started_on = late
    else:
        referral.started_on = planned
    if referral.started_on:
        referral.group_name = f"Group {rng.randint(1, 6)}"
        weeks = (as_of - referral.started_on).days // 7
        referral.sessions_attended = min(referral.sessions_total, weeks * 2)
        if referral.sessions_attended == referral.sessions_total:
            referral.ended_on = referral.started_on + timedelta(weeks=referral.sessions_total // 2)
            referral.completed = rng.random() < 0.75
            if not referral.completed:
                referral.non_completion_reason = rng.choice(list(NonCompletionReason))
    return referral


def _unpaid_work(
    rng: random.Random, offender_id: int, requirement_id: int, ordered: Decimal, sentence: date, as_of: date
) -> list[UnpaidWorkEntry]:
    rows: list[UnpaidWorkEntry] = []
    credited = Decimal(0)
    day = sentence + timedelta(days=7 - sentence.weekday() + 5)  # the first Saturday after a week
    end = min(as_of, sentence + timedelta(weeks=HISTORY_WEEKS + 26))
    while day <= end and credited < ordered:
        offered = Decimal(rng.choice([6, 7, 7, 7])) if rng.random() < 0.9 else Decimal(0)
        if offered:
            rows.append(
                UnpaidWorkEntry(
                    offender_id=offender_id,
                    requirement_id=requirement_id,
                    kind=UnpaidWorkEntryKind.OFFERED,
                    on=day,
                    hours=offered,
                )
            )
            outcome = rng.random()
            if outcome < 0.8:
                worked = min(offered, ordered - credited)
                credited += worked
                rows.append(
                    UnpaidWorkEntry(
                        offender_id=offender_id,
                        requirement_id=requirement_id,
                        kind=UnpaidWorkEntryKind.WORKED,
                        on=day,
                        hours=worked,
                    )
                )
            elif outcome < 0.88:
                rows.append(
                    UnpaidWorkEntry(
                        offender_id=offender_id,
                        requirement_id=requirement_id,
                        kind=UnpaidWorkEntryKind.STOOD_DOWN,
                        on=day,
                        hours=offered,
                    )
                )
        day += timedelta(weeks=1)
    return rows


def _mappa_meetings(area: Area, as_of: date, rng: random.Random) -> None:
    cases = list(Offender.objects.filter(area=area, mappa_level__in=[2, 3]).values_list("pk", "mappa_level"))
    meetings: list[MappaMeeting] = []
    for offender_id, mappa_level in cases:
        level = int(mappa_level or 2)
        day = as_of - timedelta(weeks=HISTORY_WEEKS) + timedelta(days=rng.randint(0, 20))
        while day <= as_of:
            meetings.append(
                MappaMeeting(
                    offender_id=offender_id,
                    held_on=day,
                    level=level,
                    chair="Detective inspector, PPU",
                    attendees="Probation, police, housing, children's services",
                    summary="Risk reviewed; the plan continues.",
                    next_review_on=day + timedelta(weeks=MAPPA_MEETING_WEEKS[level]),
                )
            )
            day += timedelta(weeks=MAPPA_MEETING_WEEKS[level])
    MappaMeeting.objects.bulk_create(meetings, batch_size=500)
    actions = []
    for meeting in meetings:
        for description, owner in rng.sample(MAPPA_ACTIONS, rng.randint(1, 3)):
            due = meeting.held_on + timedelta(days=rng.randint(7, 28))
            actions.append(
                MappaAction(
                    meeting=meeting,
                    description=description,
                    owner=owner,
                    due_on=due,
                    done_on=due - timedelta(days=rng.randint(0, 5))
                    if due < as_of and rng.random() < 0.8
                    else None,
                )
            )
    MappaAction.objects.bulk_create(actions, batch_size=1000)
