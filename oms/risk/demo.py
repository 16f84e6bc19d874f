"""Demo assessment histories shaped like the report's practice (criteria 1.2 and 1.3).

The report's figures are the shape: a RoH screening in about 85% of community orders and 77% of
licences, a quarter of them late; full analyses sometimes missing or late; countersigning rolled back
and sometimes two or three months late; risk management plans for most medium and higher cases.
Everything is written in bulk (a few INSERTs per kind), so the 2,338-case area enriches in seconds.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone

from oms.calculation_errors import CalculatorInputError
from oms.cases.constants import EventKind
from oms.cases.models import Event, Offender
from oms.demo.calibration import Quota, share
from oms.demo.changes import significant_changes
from oms.organisation.models import Area, Staff
from oms.risk.countersigning import (
    CountersignedDocument,
    CountersigningAction,
    CountersigningEvent,
    CountersigningStatus,
)
from oms.risk.countersigning_rules import DEFAULT_COUNTERSIGNING_CONFIG, countersigning_required
from oms.risk.levels import ALL_CELLS, REQUIRED_CELLS, RiskOfHarmLevel
from oms.risk.models import ReoffendingAssessment, RiskManagementPlan, RiskOfHarmAnalysis, RiskOfHarmScreening
from oms.risk.needs import CriminogenicNeed
from oms.risk.ogrs3 import Gender, Ogrs3Inputs, ogrs3
from oms.timescales.calendar import add_working_days

# report 1.2(a): "A RoH screening had been completed in 85% of the community orders. In 77% of
# licence cases a RoH screening was completed or reviewed on release"; "A quarter of the RoH
# screening documents were not completed promptly".
SCREENED_COMMUNITY = 0.85
SCREENED_LICENCE = 0.77
SCREENING_LATE = 0.25
# The screenings the report found missing were done late, after the sample was read (issue 10: late
# work is completed late, not never), 30 to 60 working days after the start.
UNSCREENED_DONE_AFTER_WORKING_DAYS = (30, 60)
# report 1.2(b): 7 of 74 owed full analyses not done when sampled (done later); timescales missed in some.
ANALYSIS_MISSING = 0.10
ANALYSIS_LATE = 0.25
# report 1.2(b), 1.2 summary: countersigning rolled back for improvement; some 2-3 months late (a
# few: each one late is on its SPO's overdue list for those months, and the area meets most targets).
ROLLED_BACK = 0.12
COUNTERSIGNED_MONTHS_LATE = 0.03
# report 1.2(d): plans for most medium/high/very high cases (79%-93% structured).
PLAN_FOR_MEDIUM_AND_ABOVE = 0.85
REOFFENDING_ASSESSED = 0.8
# Report 4.2: RoH assessments and plans for high RoH and PPO cases within five working days of start
# or release (99% and 97%): the area's priority cases get screening, analysis and plan at once, at
# the calibrated rates; the report's sample findings above are the shape of the rest of the work.
PRIORITY_DEADLINE_WORKING_DAYS = 5
PRIORITY_RISK_LEVELS = ("high", "very_high")
REASSESSED = 0.15
FEW_NEEDS_SCORES = [0, 0, 0, 1]
# Reviews (report 2.2(a): RoH reviewed every 16 weeks; 3.1(d): OASys re-scored with each sentence plan
# review). An area that meets most targets does each review in the fortnight before it is due; a few
# are done up to a month late, and the late ones not done yet are today's small overdue tail.
REVIEW_WEEKS = 16
REVIEW_EARLY_DAYS = (0, 14)
REVIEW_LATE = 0.08
REVIEW_LATE_DAYS = (3, 25)
CHANGE_REVIEW_WORKING_DAYS = (0, 3)  # after a significant change (the rule allows 5)
REVIEW_COUNTERSIGNED_MONTHS_LATE = 0.0  # reviews are countersigned within the week
# Fields a new version of a document does not copy: its own identity, dates and countersigning.
NOT_COPIED = frozenset(
    {
        "id",
        "sequence",
        "previous",
        "status",
        "created_at",
        "updated_at",
        "submitted_at",
        "first_submitted_at",
        "countersigning_required",
        "countersigned_by",
        "countersigned_at",
        "locked_at",
        "rollback_count",
        "last_rollback_reason",
        "version",
    }
)

ROLLBACK_REASONS = (
    "Risk to children not considered: the case has a child protection registration.",
    "The nature of the risk does not say who is at risk or when.",
    "Victim safety issues missing: the victim is a known adult.",
    "Contingency section is empty: say what happens if he breaches the exclusion zone.",
)
OFFENCE_PATTERN_NOTES = (
    "Violence when drinking; risk greatest at weekends in the town centre.",
    "Domestic abuse towards a former partner; risk rises at handovers of the children.",
    "Acquisitive offending to fund drug use; low risk of serious harm to others.",
    "Threats to staff in custody; calm in the community when housed.",
)


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


@dataclass
class _Batch:
    screenings: list[RiskOfHarmScreening] = field(default_factory=list)
    analyses: list[RiskOfHarmAnalysis] = field(default_factory=list)
    reoffending: list[ReoffendingAssessment] = field(default_factory=list)
    plans: list[RiskManagementPlan] = field(default_factory=list)
    reviews: list[Any] = field(default_factory=list)  # later versions of any of the above
    # (document, [(action, by_id, at, reason, waited)])
    events: list[tuple[CountersignedDocument, list[tuple[str, int | None, datetime, str, int | None]]]] = (
        field(default_factory=list)
    )


class _Enricher:
    def __init__(self, area: Area, as_of: date, rng: random.Random) -> None:
        self.area, self.as_of, self.rng = area, as_of, rng
        self.batch = _Batch()
        self.spo_by_team: dict[int, int] = {}
        for spo in Staff.objects.filter(area=area, grade__role="spo").prefetch_related("manages_teams"):
            for team in spo.manages_teams.all():
                self.spo_by_team.setdefault(team.pk, spo.pk)
        self.staff = {s.pk: s for s in Staff.objects.filter(area=area, grade__holds_caseload=True)}
        self.changes = significant_changes(area)

    def _working_days_later(self, start: date, low: int, high: int) -> date:
        return min(add_working_days(start, self.rng.randint(low, high)), self.as_of)

    def _sign_off(
        self,
        document: CountersignedDocument,
        submitted: date,
        level: str | None,
        *,
        may_roll_back: bool = True,
        months_late: float = COUNTERSIGNED_MONTHS_LATE,
    ) -> None:
        """Submit, then countersign (perhaps after rollbacks, perhaps months late), or leave waiting."""
        rng, author = self.rng, self.staff[document.author_id]
        log: list[tuple[str, int | None, datetime, str, int | None]] = []
        document.submitted_at = _at(submitted)
        # The countersigning clock runs from the first submission, whatever rolls back later.
        document.first_submitted_at = _at(submitted)
        document.countersigning_required = countersigning_required(
            author.grade_id, level, DEFAULT_COUNTERSIGNING_CONFIG
        )
        if not document.countersigning_required:
            log.append((CountersigningAction.COMPLETED, author.pk, _at(submitted), "", None))
            document.status, document.locked_at = CountersigningStatus.LOCKED, _at(submitted)
            self.batch.events.append((document, log))
            return
        manager = self.spo_by_team.get(author.team_id) if author.team_id else None
        log.append((CountersigningAction.SUBMITTED, author.pk, _at(submitted), "", None))
        day, quick = submitted, False
        if may_roll_back and rng.random() < ROLLED_BACK:
            # Rolled back and put right within days; the corrected document is signed at once.
            back, quick = self._working_days_later(day, 1, 3), True
            reason = rng.choice(ROLLBACK_REASONS)
            log.append((CountersigningAction.ROLLED_BACK, manager, _at(back, 15), reason, None))
            document.rollback_count, document.last_rollback_reason = 1, reason
            day = self._working_days_later(back, 1, 2)
            log.append((CountersigningAction.SUBMITTED, author.pk, _at(day, 11), "", None))
            document.submitted_at = _at(day, 11)
        late = rng.random() < months_late
        signed = (
            day + timedelta(days=rng.randint(40, 95))
            if late
            else self._working_days_later(day, 0, 1 if quick else 5)
        )
        if signed >= self.as_of or ((self.as_of - day).days < 8 and rng.random() < 0.5):
            # Still in the manager's queue today.
            document.status = CountersigningStatus.SUBMITTED
        else:
            document.status = CountersigningStatus.LOCKED
            document.countersigned_by_id = manager
            document.countersigned_at = document.locked_at = _at(signed, 16)
            log.append((CountersigningAction.COUNTERSIGNED, manager, _at(signed, 16), "", None))
        self.batch.events.append((document, log))

    def _levels_for(self, overall: str) -> dict[str, str]:
        """Cell levels whose highest is the case's overall level, with the public usually highest."""
        top = RiskOfHarmLevel(overall)
        levels = {}
        for cell in REQUIRED_CELLS:
            levels[cell.field_name] = (
                RiskOfHarmLevel.LOW.value
                if top is RiskOfHarmLevel.LOW
                else self.rng.choice([lv.value for lv in RiskOfHarmLevel if lv.rank <= top.rank])
            )
        levels["public_community"] = top.value
        return levels

    def _ogrs3(
        self, offender: dict[str, Any], event: dict[str, Any], *, first_offence: bool = False
    ) -> tuple[dict[str, Any], tuple[int, int, str] | None]:
        rng = self.rng
        age_now = max(18, (event["sentence_date"] - offender["date_of_birth"]).days // 365)
        sanctions = rng.choice([1, 1, 2, 3, 4, 6, 8, 12, 18, 25])
        first_at = rng.randint(12, max(12, min(age_now - 1, 40)))
        inputs = {
            "date_of_current_conviction": event["sentence_date"] - timedelta(days=rng.randint(0, 20)),
            "date_of_start_of_follow_up": event["start_date"],
            "total_sanctions": 1 if first_offence else sanctions,
            "age_at_first_sanction": max(12, age_now - 1) if first_offence else first_at,
            "offence_code": event["offence_id"],
        }
        try:
            result = ogrs3(
                Ogrs3Inputs(
                    gender=Gender.FEMALE if offender["gender"] == "female" else Gender.MALE,
                    date_of_birth=offender["date_of_birth"],
                    **inputs,
                )
            )
        except CalculatorInputError:
            return inputs, None
        return inputs, (result.one_year, result.two_year, result.band.value)

    def enrich(self) -> None:
        # Current allocated cases, and former cases (their work was done while they were current, by
        # an offender manager who has since handed them back: one of the area's POs here).
        former = Offender.objects.filter(area=self.area, offender_manager__isnull=True).exclude(
            events__is_active=True
        )
        probation_officers = sorted(pk for pk, s in self.staff.items() if s.grade_id == "PO")
        offenders: dict[int, dict[str, Any]] = {
            row["pk"]: dict(row)
            for row in Offender.objects.filter(
                Q(offender_manager__isnull=False) | Q(pk__in=former.values("pk")), area=self.area
            ).values(
                "pk",
                "risk_of_harm_level",
                "offender_manager_id",
                "gender",
                "date_of_birth",
                "mappa_level",
                "is_ppo",
            )
        }
        for row in offenders.values():
            if row["offender_manager_id"] is None and probation_officers:
                row["offender_manager_id"] = self.rng.choice(probation_officers)
        seen: set[int] = set()
        cases: list[tuple[dict[str, Any], dict[str, Any]]] = []
        for event in Event.objects.filter(offender__in=list(offenders)).order_by(
            "offender_id", "-is_active", "sentence_date"
        ):
            if event.offender_id in seen:
                continue
            seen.add(event.offender_id)
            offender = offenders[event.offender_id]
            row = {
                "pk": event.pk,
                "kind": event.kind,
                "sentence_date": event.sentence_date,
                "start_date": event.start_date,
                "offence_id": event.offence_id,
            }
            if event.kind == EventKind.CUSTODY:
                continue  # the prison does the custody OASys; the offender manager reviews it at release
            cases.append((offender, row))
        # The priority cases' timeliness, drawn in order of start so that any period meets the rate.
        high_on_time = Quota(share("roh_high_within_five_working_days"), self.rng)
        ppo_on_time = Quota(share("roh_ppo_within_five_working_days"), self.rng)
        on_time: dict[int, bool] = {}
        for offender, row in sorted(cases, key=lambda pair: (pair[1]["start_date"], pair[1]["pk"])):
            if offender["risk_of_harm_level"] in PRIORITY_RISK_LEVELS:
                on_time[row["pk"]] = high_on_time()
            elif offender["is_ppo"]:
                on_time[row["pk"]] = ppo_on_time()
        for offender, row in cases:
            self._case(offender, row, on_time.get(row["pk"]))
        self._write()

    def _case(self, offender: dict[str, Any], event: dict[str, Any], priority_on_time: bool | None) -> None:
        """One case's assessments; `priority_on_time` is None for an ordinary case, else whether this
        high RoH or PPO case had its assessment and plan within five working days."""
        rng = self.rng
        priority = priority_on_time is not None
        screened = SCREENED_COMMUNITY if event["kind"] != EventKind.LICENCE else SCREENED_LICENCE
        never_screened_in_time = not priority and rng.random() >= screened
        author = offender["offender_manager_id"]
        level = offender["risk_of_harm_level"] or "low"
        start = event["start_date"]
        deadline = add_working_days(start, PRIORITY_DEADLINE_WORKING_DAYS)
        if priority:
            screened_on = self._working_days_later(start, 0, 1)
        elif never_screened_in_time:
            screened_on = self._working_days_later(start, *UNSCREENED_DONE_AFTER_WORKING_DAYS)
        elif rng.random() < SCREENING_LATE:
            screened_on = self._working_days_later(start, 6, 30)
        else:
            screened_on = self._working_days_later(start, 0, 5)
        needs_analysis = priority or level != "low" or rng.random() < 0.2
        screening = RiskOfHarmScreening(
            offender_id=offender["pk"],
            event_id=event["pk"],
            author_id=author,
            created_at=_at(start),
            updated_at=_at(screened_on),
            indicator_levels={"public": level if needs_analysis else ""} if needs_analysis else {},
            previous_serious_harm=needs_analysis and rng.random() < 0.4,
            mappa_eligible=bool(offender["mappa_level"]),
        )
        screening.refresh_outcome()
        if needs_analysis and not screening.full_analysis_needed:
            screening.concerns_from_other_agencies = True
            screening.refresh_outcome()
        self._sign_off(screening, screened_on, level)
        self.batch.screenings.append(screening)
        analysis = None
        if screening.full_analysis_needed:
            if priority:
                done = self._working_days_later(screened_on, 0, 1)
            elif rng.random() < ANALYSIS_MISSING:
                done = self._working_days_later(screened_on, 30, 60)  # missing when sampled: done later
            elif rng.random() < ANALYSIS_LATE:
                done = self._working_days_later(screened_on, 6, 40)
            else:
                done = self._working_days_later(screened_on, 1, 5)
            analysis = RiskOfHarmAnalysis(
                offender_id=offender["pk"],
                event_id=event["pk"],
                author_id=author,
                created_at=_at(screened_on),
                updated_at=_at(done),
                levels=self._levels_for(level),
                overall_level=level,
                nature_of_risk=rng.choice(OFFENCE_PATTERN_NOTES),
                mappa_assessment_used=bool(offender["mappa_level"]),
                prison_assessment_used=event["kind"] == EventKind.LICENCE,
                victim_safety_issues="Known adult victim: contact through the victim liaison officer."
                if rng.random() < 0.5
                else "",
            )
            analysis._screening_document = screening  # type: ignore[attr-defined]
            self._sign_off(analysis, done, level)
            self.batch.analyses.append(analysis)
        # Every case is assessed. The fifth the report found unassessed were the cases put to the back
        # of the queue: first offences with few needs, assessed late (so they stay tier 1 on RoH).
        prompt = rng.random() < REOFFENDING_ASSESSED
        inputs, result = self._ogrs3(offender, event, first_offence=not prompt)
        assessed = (
            self._working_days_later(screened_on, 0, 10)
            if prompt
            else self._working_days_later(screened_on, 15, 40)
        )
        reoffending = ReoffendingAssessment(
            offender_id=offender["pk"],
            event_id=event["pk"],
            author_id=author,
            created_at=_at(screened_on),
            updated_at=_at(assessed),
            needs={
                need.value: {
                    "score": rng.choice([0, 0, 1, 2, 3, 4, 5, 6, 8] if prompt else FEW_NEEDS_SCORES),
                    "linked_to_offending": prompt and rng.random() < 0.4,
                }
                for need in CriminogenicNeed
            },
            positive_factors=rng.choice(["Supportive family", "In work", "Motivated to stay sober", ""]),
            **inputs,
        )
        if result is not None:
            reoffending.ogrs3_one_year, reoffending.ogrs3_two_year, reoffending.ogrs3_band = result
        self._sign_off(reoffending, assessed, level)
        self.batch.reoffending.append(reoffending)
        plan = None
        if analysis is not None and (priority or level != "low"):
            if priority_on_time:
                planned = min(deadline, self._working_days_later(done, 0, 1))
            elif priority:
                planned = self._working_days_later(start, PRIORITY_DEADLINE_WORKING_DAYS + 1, 20)
            else:
                planned = self._working_days_later(
                    analysis.submitted_at.date() if analysis.submitted_at else screened_on,
                    0,
                    4 if rng.random() < PLAN_FOR_MEDIUM_AND_ABOVE else 8,
                )
            groups = sorted(
                {
                    cell.group.value
                    for cell in ALL_CELLS
                    if analysis.levels.get(cell.field_name) not in (None, "low")
                }
            )
            plan = RiskManagementPlan(
                offender_id=offender["pk"],
                event_id=event["pk"],
                author_id=author,
                created_at=_at(planned),
                updated_at=_at(planned),
                further_considerations="Review at every change of address or relationship.",
                supervision="Weekly appointments for the first 16 weeks; home visit within 10 working days.",
                monitoring_and_control="Licence conditions: exclusion zone, non-contact with the victim.",
                interventions_and_treatment="Accredited programme referral after assessment.",
                victim_safety_planning="Liaison with the VLO; police marker on the victim's address."
                if rng.random() < 0.7
                else "",
                contingency="If the exclusion zone is breached: recall considered the same day.",
                groups_addressed=groups if rng.random() < 0.6 else groups[:1],
                actions=[
                    {
                        "action": "Home visit",
                        "who": "Offender manager",
                        "by": add_working_days(planned, 10).isoformat(),
                    }
                ],
            )
            plan._analysis_document = analysis  # type: ignore[attr-defined]
            # A plan rolled back is resubmitted later: the on-time priority plans went through first time.
            self._sign_off(plan, planned, level, may_roll_back=not priority_on_time)
            self.batch.plans.append(plan)
        self._reviews(start, screening, analysis, plan, reoffending)

    def _review_days(self, first: date, changes: Sequence[date] = ()) -> list[date]:
        """The days a 16-weekly review was done, each cycle counted from the last review done; a
        significant change brings the review forward to within a few working days of it."""
        rng, anchor = self.rng, first
        days: list[date] = []
        while True:
            due = anchor + timedelta(weeks=REVIEW_WEEKS)
            if rng.random() < REVIEW_LATE:
                done = due + timedelta(days=rng.randint(*REVIEW_LATE_DAYS))
            else:
                done = due - timedelta(days=rng.randint(*REVIEW_EARLY_DAYS))
            while done.weekday() >= 5:
                done -= timedelta(days=1)
            change = next((day for day in changes if anchor < day <= done), None)
            if change is not None:
                done = add_working_days(change, rng.randint(*CHANGE_REVIEW_WORKING_DAYS))
            if done >= self.as_of:
                return days
            days.append(max(done, anchor + timedelta(days=1)))
            anchor = days[-1]

    def _next_version(self, document: Any, on: date) -> Any:
        """The document reviewed on `on`: its content carried forward as the next version."""
        fields = {
            f.attname: getattr(document, f.attname)
            for f in type(document)._meta.concrete_fields
            if f.name not in NOT_COPIED
        }
        review = type(document)(
            **fields, sequence=document.sequence + 1, created_at=_at(on), updated_at=_at(on)
        )
        review._previous_document = document  # type: ignore[attr-defined]
        for link in ("_screening_document", "_analysis_document"):
            if hasattr(document, link):
                setattr(review, link, getattr(document, link))
        return review

    def _reviews(
        self,
        start: date,
        screening: RiskOfHarmScreening,
        analysis: RiskOfHarmAnalysis | None,
        plan: RiskManagementPlan | None,
        reoffending: ReoffendingAssessment | None,
    ) -> None:
        """RoH reviews every 16 weeks from the start (a re-screening, or where the RoH was analysed
        in full a new analysis with its plan), and OASys re-scored every 16 weeks from the last."""
        level = analysis.overall_level if analysis is not None else "low"
        latest: list[Any] = [analysis if analysis is not None else screening, plan]
        for number, day in enumerate(self._review_days(start, self.changes.get(screening.offender_id, []))):
            if any(d is not None and d.status != CountersigningStatus.LOCKED for d in latest):
                break  # the last version is still with its countersigner: the review waits for it
            settled = max(d.locked_at.date() for d in latest if d is not None and d.locked_at)
            # A change before the first documents were done is reviewed the day after them.
            day = max(day, settled + timedelta(days=1))
            if day >= self.as_of:
                break
            reviewed: list[Any] = []
            for document in latest:
                if document is None:
                    reviewed.append(None)
                    continue
                review = self._next_version(document, day)
                if isinstance(review, RiskManagementPlan) and isinstance(reviewed[0], RiskOfHarmAnalysis):
                    review._analysis_document = reviewed[0]  # type: ignore[attr-defined]
                if isinstance(review, RiskOfHarmAnalysis) and number == 0 and self.rng.random() < REASSESSED:
                    # The progress the case page shows: RoH one step lower on review.
                    lower = RiskOfHarmLevel(level)
                    if lower.rank > 0:
                        lower = next(lv for lv in RiskOfHarmLevel if lv.rank == lower.rank - 1)
                    review.levels = {**review.levels, "public_community": lower.value}
                    review.nature_of_risk += " Reviewed: settled accommodation, drinking reduced."
                    review.refresh_overall_level()
                    level = review.overall_level
                self._sign_off(
                    review, day, level, may_roll_back=False, months_late=REVIEW_COUNTERSIGNED_MONTHS_LATE
                )
                reviewed.append(review)
                self.batch.reviews.append(review)
            latest = reviewed
        if reoffending is None or not reoffending.submitted_at:
            return
        last: Any = reoffending
        for day in self._review_days(reoffending.submitted_at.date()):
            if last.status != CountersigningStatus.LOCKED:
                break
            rescore = self._next_version(last, day)
            self._sign_off(
                rescore, day, level, may_roll_back=False, months_late=REVIEW_COUNTERSIGNED_MONTHS_LATE
            )
            self.batch.reviews.append(rescore)
            last = rescore

    def _write(self) -> None:
        batch = self.batch
        RiskOfHarmScreening.objects.bulk_create(batch.screenings, batch_size=500)
        for analysis in batch.analyses:
            analysis.screening = getattr(analysis, "_screening_document", None)
        first_versions = [a for a in batch.analyses if a.sequence == 1]
        RiskOfHarmAnalysis.objects.bulk_create(first_versions, batch_size=500)
        second_versions = [a for a in batch.analyses if a.sequence == 2]
        for analysis in second_versions:
            analysis.previous = analysis._previous_document  # type: ignore[attr-defined]
        RiskOfHarmAnalysis.objects.bulk_create(second_versions, batch_size=500)
        ReoffendingAssessment.objects.bulk_create(batch.reoffending, batch_size=500)
        for plan in batch.plans:
            plan.analysis = plan._analysis_document  # type: ignore[attr-defined]
        RiskManagementPlan.objects.bulk_create(batch.plans, batch_size=500)
        # Each review points at the version it replaces, so versions are written oldest first.
        for sequence in sorted({r.sequence for r in batch.reviews}):
            for model in (RiskOfHarmScreening, RiskOfHarmAnalysis, ReoffendingAssessment, RiskManagementPlan):
                rows_now: list[Any] = [
                    r for r in batch.reviews if r.sequence == sequence and type(r) is model
                ]
                for review in rows_now:
                    review.previous = review._previous_document
                    if hasattr(review, "_screening_document"):
                        review.screening = review._screening_document
                    if hasattr(review, "_analysis_document"):
                        review.analysis = review._analysis_document
                model.objects.bulk_create(rows_now, batch_size=500)
        content_types: dict[type[CountersignedDocument], ContentType] = {
            model: ContentType.objects.get_for_model(model)
            for model in (RiskOfHarmScreening, RiskOfHarmAnalysis, ReoffendingAssessment, RiskManagementPlan)
        }
        rows = []
        for document, log in batch.events:
            words = document.title[:100]
            for action, by, at, reason, _ in log:
                rows.append(
                    CountersigningEvent(
                        content_type=content_types[type(document)],
                        object_id=document.pk,
                        offender_id=document.offender_id,
                        document=words,
                        action=action,
                        by_id=by,
                        at=at,
                        reason=reason,
                    )
                )
        CountersigningEvent.objects.bulk_create(rows, batch_size=1000)


def enrich_with_assessments(area: Area, as_of: date, rng: random.Random) -> None:
    _Enricher(area, as_of, rng).enrich()
