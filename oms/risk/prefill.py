"""Pre-filled inspection answers from the likelihood of reoffending assessment (framework 1.3)."""

from __future__ import annotations

from django.utils import timezone

from oms.inspection.framework import ANSWER_NO, ANSWER_YES
from oms.inspection.prefill import Decision, PrefillContext
from oms.risk.countersigning import CountersigningStatus
from oms.risk.models import ReoffendingAssessment
from oms.risk.needs import CriminogenicNeed

COUNTED = (CountersigningStatus.SUBMITTED, CountersigningStatus.LOCKED)


def _day(value: object) -> str:
    return f"{value:%-d %B %Y}"


def needs_assessed(context: PrefillContext) -> dict[str, Decision]:
    """1.3: the latest assessment made by the date scored every one of the ten need sections.

    "Satisfactorily" stays the assessor's judgement: the pre-fill says only whether every section
    was assessed, naming any that were not. A case with no assessment by the date is "no".
    """
    latest: dict[int, ReoffendingAssessment] = {}
    for assessment in ReoffendingAssessment.objects.filter(
        offender_id__in=context.pks, status__in=COUNTED, submitted_at__isnull=False
    ).order_by("offender_id", "submitted_at", "pk"):
        assert assessment.submitted_at is not None
        if timezone.localdate(assessment.submitted_at) <= context.as_of:
            latest[assessment.offender_id] = assessment
    decided: dict[str, Decision] = {}
    for pk, offender in context.by_pk.items():
        assessment = latest.get(pk)
        if assessment is None:
            if pk in context.starts:
                decided[offender.crn] = (
                    ANSWER_NO,
                    f"No likelihood of reoffending assessment by {_day(context.as_of)}.",
                )
            continue
        assert assessment.submitted_at is not None
        needs = assessment.needs or {}
        missing = [
            need.label
            for need in CriminogenicNeed
            if not isinstance(needs.get(need.value), dict) or needs[need.value].get("score") is None
        ]
        made = f"{assessment.title} of {_day(timezone.localdate(assessment.submitted_at))}"
        if missing:
            decided[offender.crn] = (ANSWER_NO, f"{made}: not scored: {', '.join(missing)}.")
        else:
            linked = sum(1 for need in CriminogenicNeed if needs[need.value].get("linked_to_offending"))
            decided[offender.crn] = (
                ANSWER_YES,
                f"{made}: all {len(CriminogenicNeed)} need sections scored, {linked} linked to offending.",
            )
    return decided
