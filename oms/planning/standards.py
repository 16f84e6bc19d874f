"""Sentence plan facts for the National Standards engine (oms/standards/sources.py).

- completion `initial_sentence_plan`: the day the case's first plan was submitted (see queries.py for
  why the submission, not the countersignature, is the day the plan was made);
- completion `sentence_plan_review`: the day each review was submitted;
- trigger `last_plan_or_review`: each of those days, so the 16-week clock restarts at each plan;
- attribute `planned_contact_level`: the latest plan's contact level, which the contact rules check.
Plans still in draft, or rolled back and not yet resubmitted, are not made yet and count for nothing.
One query whatever the number of cases.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from oms.cases.models import Offender
from oms.planning.constants import PlanKind
from oms.planning.models import SentencePlan
from oms.planning.queries import COUNTED_STATUSES
from oms.standards.rules import RecordKind, Trigger
from oms.standards.sources import FactsByCase

PRODUCES = frozenset({RecordKind.INITIAL_SENTENCE_PLAN, RecordKind.SENTENCE_PLAN_REVIEW})


def sentence_plan_source(cases: QuerySet[Offender], found: FactsByCase) -> None:
    rows = (
        SentencePlan.objects.filter(
            offender__in=cases, status__in=COUNTED_STATUSES, submitted_at__isnull=False
        )
        .order_by("offender_id", "submitted_at")
        .values_list("offender_id", "kind", "submitted_at", "planned_contact_level")
    )
    first_seen: set[int] = set()
    for offender_id, kind, submitted_at, planned_contact_level in rows:
        facts = found.get(offender_id)
        if facts is None:
            continue
        if planned_contact_level:
            # Rows come oldest first: the latest plan's level is the one the contact rules check.
            facts.attributes["planned_contact_level"] = planned_contact_level
        day = timezone.localdate(submitted_at)
        facts.triggers[Trigger.LAST_PLAN_OR_REVIEW].append(day)
        if kind == PlanKind.REVIEW:
            facts.completions[RecordKind.SENTENCE_PLAN_REVIEW].append(day)
        elif offender_id not in first_seen:
            facts.completions[RecordKind.INITIAL_SENTENCE_PLAN].append(day)
        first_seen.add(offender_id)
