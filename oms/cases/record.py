"""The whole record of one case, as `oms case CRN --json` and subject access exports print it.

The case app gives the person and their events; every other app adds its section (contacts,
enforcement, assessments, plans, interventions, court reports, victims) by registering here in its
AppConfig.ready(). A section is told whether the reader is a victim liaison officer: victims'
identities go to them alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from oms.cases.models import Offender

SectionBuilder = Callable[[Offender, bool], Any]


@dataclass(frozen=True)
class RecordSection:
    key: str
    order: int
    build: SectionBuilder


_SECTIONS: dict[str, RecordSection] = {}


def register_record_section(key: str, order: int, build: SectionBuilder) -> None:
    _SECTIONS[key] = RecordSection(key, order, build)


def full_case_record(offender: Offender, *, reader_is_victim_liaison: bool) -> dict[str, Any]:
    from oms.api.cases import case_record

    record = case_record(offender)
    record["registrations"] = [
        {
            "kind": r.kind,
            "ppo_type": r.ppo_type,
            "mappa_category": r.mappa_category,
            "mappa_level": r.mappa_level,
            "start": r.start_date,
            "end": r.end_date,
        }
        for r in offender.registrations.all()
    ]
    record["allocations"] = [
        {
            "offender_manager": a.offender_manager.full_name,
            "start": a.start_date,
            "end": a.end_date,
            "reason": a.reason,
        }
        for a in offender.allocations.select_related("offender_manager")
    ]
    for section in sorted(_SECTIONS.values(), key=lambda s: s.order):
        record[section.key] = section.build(offender, reader_is_victim_liaison)
    return record
