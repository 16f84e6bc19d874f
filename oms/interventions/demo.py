"""Demo history for interventions, approved premises and MAPPA, written in bulk (a few queries in all)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from oms.cases.constants import EventKind
from oms.cases.models import Event, Offender, Requirement
from oms.demo import shape
from oms.demo.calibration import Candidate, Quota, fill_slots, per_year, steady_days
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
    MappaReferralDecision,
    PremisesPlacement,
    ProgrammeReferral,
    SkillsForLife,
    UnpaidWorkEntry,
)
from oms.organisation.models import Area
from oms.timescales.calendar import add_working_days

NOT_STARTED_AS_PLANNED_SHARE = 1 / 3  # report criterion 2.5: a third not started as planned
HISTORY_WEEKS = 26  # six months of unpaid work history at most
MAPPA_ACTIONS_ON_TIME = 0.8
MAPPA_ACTION_LATE_DAYS = (3, 20)
MAPPA_NOT_REFERRED = (
    "Not referred: risk manageable by probation and police at level 1; reviewed at each RoH review."
)
DRR_REVIEW_DAYS = 28  # within the month the court allows
DRR_RUNS_DAYS = 365
SKILLS_SCREENED_SHARE = 0.6  # on time, with the initial plan; the rest late
SKILLS_ON_TIME_DAYS = (2, 14)
SKILLS_LATE_DAYS = (25, 45)
ETE_SHARE = 0.1
# Completions, starts and job starts come as steady flows at the calibrated rates over the last
# FLOW_DAYS (oms/demo/calibration.py), each given to a case whose dates allow it.
FLOW_DAYS = 480  # the report period and the published inspection's year, whatever the "today"
PROGRAMME_EARLIEST_DAYS = 120  # referral, waiting list and 10-14 weeks of sessions
UNPAID_WORK_MONTHS_DAYS = 365  # CJA s.200: the work is done within 12 months
UNPAID_WORK_SESSION_HOURS = 7
UNPAID_WORK_TWICE_WEEKLY_FROM_HOURS = 150
SKILLS_ASSESSED_AFTER_START_DAYS = 14
RETAINED_DAYS = 28
MAPPA_MEETING_WEEKS = {2: 8, 3: 4}  # level 3 (MAPPP) meets more often
# Each action and its owner: another agency by name, or (None) the case's offender manager.
MAPPA_ACTIONS = [
    ("Police to visit the home address", "Police public protection unit"),
    ("Check the exclusion zone with the victim liaison officer", "Victim liaison unit"),
    ("Refer to housing for move-on accommodation", "Housing"),
    ("Share the risk management plan with children's services", None),
]


def enrich_interventions(area: Area, as_of: date, rng: random.Random) -> None:
    requirements = list(
        Requirement.objects.filter(event__offender__area=area, event__is_active=True).values_list(
            "pk", "event__offender_id", "requirement_type_id", "hours", "event__sentence_date"
        )
    )
    current_cases = Offender.objects.filter(area=area, events__is_active=True).distinct().count()
    scale = current_cases / shape.REPORT_CASELOAD
    first_day, last_day = as_of - timedelta(days=FLOW_DAYS), as_of - timedelta(days=1)
    programme_completions = fill_slots(
        steady_days(rng, per_year("programme_completions") * scale, first_day, last_day),
        [
            Candidate(pk, sentence + timedelta(days=PROGRAMME_EARLIEST_DAYS), sentence + timedelta(days=365))
            for pk, _, code, _, sentence in requirements
            if code == "accredited_programme"
        ],
        rng,
    )
    unpaid_work_completions = fill_slots(
        steady_days(rng, per_year("unpaid_work_completions") * scale, first_day, last_day),
        [
            Candidate(
                pk,
                sentence + timedelta(days=7 + _unpaid_work_days(Decimal(hours))),
                sentence + timedelta(days=UNPAID_WORK_MONTHS_DAYS),
            )
            for pk, _, code, hours, sentence in requirements
            if code == "unpaid_work" and hours
        ],
        rng,
    )
    referrals, entries, tests, reviews = [], [], [], []
    for pk, offender_id, code, hours, sentence in requirements:
        if code == "accredited_programme":
            referrals.append(
                _referral(rng, offender_id, pk, sentence, as_of, completed_on=programme_completions.get(pk))
            )
        elif code == "unpaid_work" and hours:
            if pk in unpaid_work_completions:
                entries += _unpaid_work_completed(
                    rng, offender_id, pk, Decimal(hours), unpaid_work_completions[pk]
                )
            else:
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
            # Reviewed by the court every month while it runs (CJA 2003 s.210-211).
            review_on = sentence + timedelta(days=DRR_REVIEW_DAYS)
            while review_on < as_of and review_on <= sentence + timedelta(days=DRR_RUNS_DAYS):
                reviews.append(
                    DrrReview(
                        offender_id=offender_id,
                        requirement_id=pk,
                        review_on=review_on,
                        court="Northampton Magistrates' Court",
                        progress="Tests show reducing use.",
                        outcome=DrrReviewOutcome.CONTINUE,
                    )
                )
                review_on += timedelta(days=DRR_REVIEW_DAYS)
    ProgrammeReferral.objects.bulk_create(referrals, batch_size=500)
    UnpaidWorkEntry.objects.bulk_create(entries, batch_size=1000)
    DrugTest.objects.bulk_create(tests, batch_size=1000)
    DrrReview.objects.bulk_create(reviews, batch_size=500)

    started: dict[int, date] = {}
    for offender_id, kind, sentence, release in Event.objects.filter(
        offender__area=area, is_active=True
    ).values_list("offender_id", "kind", "sentence_date", "release_date"):
        if kind == EventKind.CUSTODY:
            continue
        began = release if kind == EventKind.LICENCE and release else sentence
        started[offender_id] = min(began, started.get(offender_id, began))
    active = sorted(started)
    # Skills for life starts (a full assessment with a learning plan) and jobs found: steady flows.
    assessed = fill_slots(
        steady_days(rng, per_year("skills_for_life_starts") * scale, first_day, last_day),
        [
            Candidate(o, started[o] + timedelta(days=SKILLS_ASSESSED_AFTER_START_DAYS), last_day)
            for o in active
        ],
        rng,
    )
    skills, ete = [], []
    for offender_id in active:
        if offender_id in assessed:
            day = assessed[offender_id]
            skills.append(
                SkillsForLife(
                    offender_id=offender_id,
                    screened_on=max(started[offender_id], day - timedelta(days=rng.randint(3, 30))),
                    screening_shows_need=True,
                    assessed_on=day,
                    literacy_level=SkillsLevel.ENTRY_3,
                    numeracy_level=SkillsLevel.LEVEL_1,
                    learning_plan="Weekly literacy sessions at the learning centre.",
                )
            )
        else:
            # Screened with the initial sentence plan (report 1.4(a)); the rest a few weeks late.
            need = rng.random() < 0.25
            late = rng.random() >= SKILLS_SCREENED_SHARE
            screened_on = started[offender_id] + timedelta(
                days=rng.randint(*SKILLS_LATE_DAYS) if late else rng.randint(*SKILLS_ON_TIME_DAYS)
            )
            if screened_on < as_of:
                skills.append(
                    SkillsForLife(
                        offender_id=offender_id,
                        screened_on=screened_on,
                        screening_shows_need=need,
                        literacy_level=SkillsLevel.ENTRY_3 if need else "",
                        numeracy_level=SkillsLevel.LEVEL_1 if need else "",
                    )
                )
        if rng.random() < ETE_SHARE:
            # Into training or education (jobs are the steady flow below).
            began = as_of - timedelta(days=rng.randint(5, 150))
            ete.append(
                EteOutcome(
                    offender_id=offender_id,
                    kind=rng.choice([EteOutcomeKind.INTO_TRAINING, EteOutcomeKind.INTO_EDUCATION]),
                    started_on=max(began, started[offender_id]),
                    provider="Further education college",
                )
            )
    jobs = fill_slots(
        steady_days(rng, per_year("into_employment") * scale, first_day, last_day),
        [Candidate(o, started[o] + timedelta(days=7), last_day) for o in active],
        rng,
    )
    retained = Quota(per_year("employment_retained_four_weeks") / per_year("into_employment"), rng)
    for offender_id, day in sorted(jobs.items(), key=lambda item: item[1]):
        kept = retained()
        ete.append(
            EteOutcome(
                offender_id=offender_id,
                kind=EteOutcomeKind.INTO_EMPLOYMENT,
                started_on=day,
                provider=rng.choice(["Local builder", "Warehouse", "Food factory", "Garage"]),
                retained_four_weeks_confirmed_on=day + timedelta(days=RETAINED_DAYS)
                if kept and day + timedelta(days=RETAINED_DAYS) <= as_of
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
    _mappa_referral_decisions(area, as_of, rng)


def _referral(
    rng: random.Random,
    offender_id: int,
    requirement_id: int,
    sentence: date,
    as_of: date,
    *,
    completed_on: date | None,
) -> ProgrammeReferral:
    """A referral; it completes on `completed_on` if given, otherwise it is waiting, running or ended
    without completing (completions are the calibrated flow)."""
    if completed_on is not None:
        sessions = rng.choice([20, 26, 27])
        began = completed_on - timedelta(weeks=sessions // 2)
        referred = max(sentence + timedelta(days=1), began - timedelta(weeks=rng.randint(3, 8)))
        return ProgrammeReferral(
            offender_id=offender_id,
            requirement_id=requirement_id,
            programme=rng.choice(list(Programme)),
            referred_on=referred,
            planned_start_on=began,
            started_on=began,
            group_name=f"Group {rng.randint(1, 6)}",
            sessions_total=sessions,
            sessions_attended=sessions,
            ended_on=completed_on,
            completed=True,
        )
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
        finished = referral.sessions_attended >= referral.sessions_total
        if finished or (referral.sessions_attended >= referral.sessions_total // 2 and rng.random() < 0.3):
            # Completions are the calibrated flow: this one dropped out part-way.
            referral.sessions_attended = rng.randint(
                referral.sessions_total // 4, referral.sessions_total - 2
            )
            referral.ended_on = referral.started_on + timedelta(weeks=referral.sessions_attended // 2 + 1)
            referral.completed = False
            referral.non_completion_reason = rng.choice(list(NonCompletionReason))
    return referral


def _unpaid_work_interval(ordered: Decimal) -> int:
    """Days between sessions: weekly, or twice a week for the long orders (done within 12 months)."""
    return 3 if ordered >= UNPAID_WORK_TWICE_WEEKLY_FROM_HOURS else 7


def _unpaid_work_sessions(ordered: Decimal) -> int:
    return int(-(-ordered // UNPAID_WORK_SESSION_HOURS))


def _unpaid_work_days(ordered: Decimal) -> int:
    """The fewest days in which the hours can be worked, allowing one week in six missed or stood down."""
    sessions = _unpaid_work_sessions(ordered)
    return (sessions + sessions // 6) * _unpaid_work_interval(ordered)


def _unpaid_work_completed(
    rng: random.Random, offender_id: int, requirement_id: int, ordered: Decimal, completed_on: date
) -> list[UnpaidWorkEntry]:
    """The ledger of a requirement whose last hours are worked on `completed_on`."""
    rows: list[UnpaidWorkEntry] = []
    sessions = _unpaid_work_sessions(ordered)
    remaining, day = ordered, completed_on
    interval = timedelta(days=_unpaid_work_interval(ordered))
    worked_sessions = 0
    while remaining > 0:
        missed = worked_sessions and worked_sessions % 6 == 0 and rng.random() < 0.5
        hours = Decimal(UNPAID_WORK_SESSION_HOURS)
        rows.append(
            UnpaidWorkEntry(
                offender_id=offender_id, requirement_id=requirement_id,
                kind=UnpaidWorkEntryKind.OFFERED, on=day, hours=hours,
            )
        )  # fmt: skip
        if missed:
            rows.append(
                UnpaidWorkEntry(
                    offender_id=offender_id, requirement_id=requirement_id,
                    kind=UnpaidWorkEntryKind.STOOD_DOWN, on=day, hours=hours,
                )
            )  # fmt: skip
        else:
            # The final session is the first one worked backwards: it takes the odd hours.
            worked = remaining - UNPAID_WORK_SESSION_HOURS * (sessions - worked_sessions - 1)
            worked = min(hours, max(Decimal(1), worked))
            rows.append(
                UnpaidWorkEntry(
                    offender_id=offender_id, requirement_id=requirement_id,
                    kind=UnpaidWorkEntryKind.WORKED, on=day, hours=worked,
                )
            )  # fmt: skip
            remaining -= worked
            worked_sessions += 1
        day -= interval
    return rows


def _unpaid_work(
    rng: random.Random, offender_id: int, requirement_id: int, ordered: Decimal, sentence: date, as_of: date
) -> list[UnpaidWorkEntry]:
    rows: list[UnpaidWorkEntry] = []
    credited = Decimal(0)
    day = sentence + timedelta(days=7 - sentence.weekday() + 5)  # the first Saturday after a week
    # Work is offered every week until the hours are done (CJA s.199: at least 6 hours a week).
    while day <= as_of and credited < ordered:
        offered = Decimal(rng.choice([6, 7, 7, 7]))
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
                # Completions are the calibrated flow: this order stops an hour short, offered
                # work every week but not attending (its breach is the enforcement history's).
                worked = min(offered, ordered - credited - 1)
                if worked <= 0:
                    day += timedelta(weeks=1)
                    continue
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


def _mappa_action_done(rng: random.Random, due: date, as_of: date) -> date | None:
    """Most actions done by the date the meeting set; a fifth done late (not never); none yet that
    fall due later."""
    done = (
        due - timedelta(days=rng.randint(0, 5))
        if rng.random() < MAPPA_ACTIONS_ON_TIME
        else due + timedelta(days=rng.randint(*MAPPA_ACTION_LATE_DAYS))
    )
    return done if done < as_of else None


def _mappa_referral_decisions(area: Area, as_of: date, rng: random.Random) -> None:
    """Each analysis finding high RoH on a case outside MAPPA gets its referral decision (report
    2.2(c)) within a few working days: not referred, managed by the ordinary agencies."""
    from oms.risk.models import RiskOfHarmAnalysis

    analyses = RiskOfHarmAnalysis.objects.filter(
        offender__area=area,
        offender__mappa_level__isnull=True,
        overall_level__in=["high", "very_high"],
        submitted_at__isnull=False,
    ).values_list("offender_id", "submitted_at", "author_id")
    decisions = []
    for offender_id, submitted_at, author_id in analyses:
        decided_on = add_working_days(timezone.localdate(submitted_at), rng.randint(0, 4))
        if decided_on < as_of:
            decisions.append(
                MappaReferralDecision(
                    offender_id=offender_id,
                    decided_on=decided_on,
                    referred=False,
                    reason=MAPPA_NOT_REFERRED,
                    decided_by_id=author_id,
                )
            )
    MappaReferralDecision.objects.bulk_create(decisions, batch_size=500)


def _mappa_meetings(area: Area, as_of: date, rng: random.Random) -> None:
    cases = list(
        Offender.objects.filter(area=area, mappa_level__in=[2, 3]).values_list(
            "pk", "mappa_level", "offender_manager_id"
        )
    )
    offenders_manager = {offender_id: manager_id for offender_id, _, manager_id in cases}
    meetings: list[MappaMeeting] = []
    for offender_id, mappa_level, _ in cases:
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
        manager = offenders_manager.get(meeting.offender_id)
        for description, agency in rng.sample(MAPPA_ACTIONS, rng.randint(1, 3)):
            owner_staff_id = manager if agency is None else None
            due = meeting.held_on + timedelta(days=rng.randint(7, 28))
            actions.append(
                MappaAction(
                    meeting=meeting,
                    description=description,
                    owner_staff_id=owner_staff_id,
                    owner_agency=agency or ("" if owner_staff_id else "Probation"),
                    due_on=due,
                    done_on=_mappa_action_done(rng, due, as_of),
                )
            )
    MappaAction.objects.bulk_create(actions, batch_size=1000)
