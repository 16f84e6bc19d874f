"""Pre-filled inspection answers from programme referrals (framework 2.5.d)."""

from __future__ import annotations

from collections import defaultdict

from oms.inspection.framework import ANSWER_NO, ANSWER_YES
from oms.inspection.prefill import Decision, PrefillContext
from oms.interventions.models import ProgrammeReferral


def _day(value: object) -> str:
    return f"{value:%-d %B %Y}"


def programme_started_as_planned(context: PrefillContext) -> dict[str, Decision]:
    """2.5.d: every accredited programme referred by the date started on or before its planned start.

    A programme not started whose planned start has not passed is not decided yet. An explanation
    for a late start is the assessor's to weigh: the pre-fill names the dates.
    """
    referrals: dict[int, list[ProgrammeReferral]] = defaultdict(list)
    for referral in ProgrammeReferral.objects.filter(
        offender_id__in=context.pks, referred_on__lte=context.as_of
    ).order_by("offender_id", "referred_on", "pk"):
        referrals[referral.offender_id].append(referral)
    decided: dict[str, Decision] = {}
    for pk, found in referrals.items():
        parts: list[str] = []
        late = False
        for referral in found:
            name = f"{referral.get_programme_display()} planned to start {_day(referral.planned_start_on)}"
            started = (
                referral.started_on if referral.started_on and referral.started_on <= context.as_of else None
            )
            if started is not None:
                late = late or started > referral.planned_start_on
                parts.append(f"{name}, started {_day(started)}")
            elif referral.planned_start_on < context.as_of:
                late = True
                parts.append(f"{name}, not started by {_day(context.as_of)}")
        if parts:
            decided[context.by_pk[pk].crn] = (ANSWER_NO if late else ANSWER_YES, "; ".join(parts) + ".")
    return decided
