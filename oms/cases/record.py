"""The whole record of one case, as `oms case CRN --json` and subject access exports print it.

The case app gives the person and their events; every other app adds its section (contacts,
enforcement, assessments, plans, interventions, court reports, victims) by registering here in its
AppConfig.ready(). A section is told whether the reader is a victim liaison officer: victims'
identities go to them alone. A section about other people than the subject (victims: their safety
considerations, the licence conditions they asked for) registers `in_subject_access=False` and is
left out of a subject access export altogether, which the offender receives.
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
    in_subject_access: bool = True


_SECTIONS: dict[str, RecordSection] = {}


def register_record_section(
    key: str, order: int, build: SectionBuilder, *, in_subject_access: bool = True
) -> None:
    _SECTIONS[key] = RecordSection(key, order, build, in_subject_access)


def full_case_record(
    offender: Offender, *, reader_is_victim_liaison: bool, for_subject_access: bool = False
) -> dict[str, Any]:
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
        if for_subject_access and not section.in_subject_access:
            continue
        record[section.key] = section.build(offender, reader_is_victim_liaison)
    return record
