"""Outcomes feed the inspection pre-fill for criterion 3.1: what the records say came of the work.

Each rule answers what a recorded outcome decides and leaves the rest to the assessor: a reconviction
recorded since the start answers "no" to "avoided reconviction" (none recorded answers "yes", for the
assessor to confirm against the PNC); the highest-priority factor's score at the first and latest
assessment decides progress; an ended piece of victim awareness work decides victim awareness; a
police check decides whether the offender manager knew about call-outs. Registered in apps.ready().
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Exists, OuterRef

from oms.cases.constants import RegistrationKind
from oms.cases.models import Offender, Registration
from oms.inspection.framework import ANSWER_NO as NO
from oms.inspection.framework import ANSWER_NOT_RELEVANT
from oms.inspection.framework import ANSWER_YES as YES
from oms.inspection.prefill import Decision, PrefillContext
from oms.interventions.constants import Programme
from oms.interventions.models import ProgrammeReferral
from oms.outcomes.constants import FurtherOffenceKind, SentenceCompliance, VictimAwarenessResult
from oms.outcomes.models import (
    DomesticViolenceCheck,
    EndOfSentenceCompliance,
    FurtherOffence,
    VictimAwarenessWork,
)
from oms.outcomes.queries import Period, needs_progress_of


def _day(value: object) -> str:
    return f"{value:%-d %B %Y}"


def not_reconvicted(context: PrefillContext) -> dict[str, Decision]:
    """3.1.c: had the offender avoided reconviction since the start of the order or licence?"""
    convictions: dict[int, list[FurtherOffence]] = defaultdict(list)
    for offence in FurtherOffence.objects.filter(
        offender_id__in=context.pks, kind=FurtherOffenceKind.CONVICTION, disposal_date__lte=context.as_of
    ).order_by("disposal_date"):
        convictions[offence.offender_id].append(offence)
    decided: dict[str, Decision] = {}
    for pk, offender in context.by_pk.items():
        start = context.starts.get(pk)
        if start is None:
            decided[offender.crn] = (ANSWER_NOT_RELEVANT, "No community order or licence has started.")
            continue
        since = [o for o in convictions.get(pk, []) if o.offence_date >= start.date]
        if since:
            first = since[0]
            decided[offender.crn] = (
                NO,
                f"Reconvicted on {_day(first.disposal_date)}: {first.offence} (offence {_day(first.offence_date)}, "
                f"source {first.get_source_display()}).",
            )
        else:
            decided[offender.crn] = (
                YES,
                f"No reconviction recorded since {_day(start.date)}: confirm on the PNC.",
            )
    return decided


def highest_priority_progress(context: PrefillContext) -> dict[str, Decision]:
    """3.1.h: progress on the highest-priority factor, from the first and latest assessment's scores."""
    progress = needs_progress_of(Offender.objects.filter(pk__in=context.pks), Period(None, context.as_of))
    decided: dict[str, Decision] = {}
    for pk, offender in context.by_pk.items():
        found = progress.get(pk)
        if found is None or found.priority_need is None:
            continue  # no assessment, or no factor linked to offending: the assessor judges
        if not found.rescored:
            continue
        change = next(c for c in found.changes if c.need == found.priority_need)
        decided[offender.crn] = (
            YES if found.priority_progress else NO,
            f"Highest-priority factor {found.priority_need.label.lower()}: scored {change.first} at the first "
            f"assessment, {change.latest} at the latest.",
        )
    return decided


def victim_awareness_demonstrated(context: PrefillContext) -> dict[str, Decision]:
    """3.1.i: increased victim awareness, where victim awareness work has ended."""
    decided: dict[str, Decision] = {}
    for work in VictimAwarenessWork.objects.filter(
        offender_id__in=context.pks, ended_on__isnull=False, ended_on__lte=context.as_of
    ).order_by("ended_on"):
        offender = context.by_pk[work.offender_id]
        decided[offender.crn] = (
            YES if work.result == VictimAwarenessResult.DEMONSTRATED else NO,
            f"Victim awareness work {_day(work.started_on)} to {_day(work.ended_on)}: {work.get_result_display().lower()}.",
        )
    return decided


def domestic_violence_callouts_known(context: PrefillContext) -> dict[str, Decision]:
    """3.1.l: for a domestic abuse perpetrator, did the offender manager know about police call-outs?"""
    perpetrators = set(
        Offender.objects.filter(pk__in=context.pks)
        .filter(
            Exists(
                Registration.objects.filter(offender_id=OuterRef("pk"), kind=RegistrationKind.DOMESTIC_ABUSE)
            )
            | Exists(
                ProgrammeReferral.objects.filter(
                    offender_id=OuterRef("pk"), programme=Programme.INTEGRATED_DOMESTIC_ABUSE
                )
            )
        )
        .values_list("pk", flat=True)
    )
    checks = {
        check.offender_id: check
        for check in DomesticViolenceCheck.objects.filter(
            offender_id__in=context.pks, checked_on__lte=context.as_of
        ).order_by("checked_on", "id")
    }
    decided: dict[str, Decision] = {}
    for pk, offender in context.by_pk.items():
        check = checks.get(pk)
        if check is not None:
            decided[offender.crn] = (
                YES,
                f"Checked with the police on {_day(check.checked_on)}: {check.get_result_display().lower()}.",
            )
        elif pk in perpetrators:
            decided[offender.crn] = (
                NO,
                "A domestic abuse perpetrator: no police call-out check is recorded.",
            )
        else:
            decided[offender.crn] = (ANSWER_NOT_RELEVANT, "Not a domestic abuse perpetrator on the record.")
    return decided


def complied_at_end(context: PrefillContext) -> dict[str, Decision]:
    """3.1.b: compliance with the requirements, where the sentence has ended and compliance was judged."""
    decided: dict[str, Decision] = {}
    for judged in EndOfSentenceCompliance.objects.filter(
        offender_id__in=context.pks, judged_on__lte=context.as_of
    ).order_by("judged_on"):
        offender = context.by_pk[judged.offender_id]
        decided[offender.crn] = (
            YES if judged.compliance == SentenceCompliance.COMPLIED else NO,
            f"Judged at the end of the sentence on {_day(judged.judged_on)}: {judged.get_compliance_display().lower()}.",
        )
    return decided


RULES = {
    "not_reconvicted": not_reconvicted,
    "highest_priority_progress": highest_priority_progress,
    "victim_awareness_demonstrated": victim_awareness_demonstrated,
    "domestic_violence_callouts_known": domestic_violence_callouts_known,
    "complied_at_end": complied_at_end,
}
