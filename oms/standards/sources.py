"""Where the facts about a case come from: each app registers a source that reads its own records.

A source takes the cases being evaluated (a queryset, so it filters by subquery) and returns, per
offender id, the triggers and completions it found and any attributes it knows. It must run a
fixed number of queries whatever the number of cases: the engine runs over a whole area at once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import QuerySet

from oms.cases.models import Offender


@dataclass
class CaseRecordFacts:
    triggers: dict[str, list[date]] = field(default_factory=lambda: defaultdict(list))
    completions: dict[str, list[date]] = field(default_factory=lambda: defaultdict(list))
    attributes: dict[str, Any] = field(default_factory=dict)


FactsByCase = dict[int, CaseRecordFacts]
FactSource = Callable[[QuerySet[Offender], FactsByCase], None]

_SOURCES: dict[str, FactSource] = {}
_PRODUCED: dict[str, frozenset[str]] = {}


def register_fact_source(key: str, source: FactSource, produces: frozenset[str] = frozenset()) -> None:
    """`produces`: the record kinds (completed_by values) this source can find completions of."""
    _SOURCES[key] = source
    _PRODUCED[key] = produces


def produced_record_kinds() -> frozenset[str]:
    """Record kinds some app records. A rule completed by anything else cannot be judged yet: it is
    left out (and listed as such), never shown as overdue for want of a record OMS does not hold."""
    return frozenset().union(*_PRODUCED.values()) if _PRODUCED else frozenset()


def collect(cases: QuerySet[Offender], offender_ids: list[int]) -> FactsByCase:
    found: FactsByCase = {pk: CaseRecordFacts() for pk in offender_ids}
    for source in _SOURCES.values():
        source(cases, found)
    return found
