"""The court reports section of a case's whole record."""

from __future__ import annotations

from typing import Any

from oms.cases.models import Offender
from oms.courts.queries import report_record, reports_for_case


def court_reports_record(offender: Offender, reader_is_victim_liaison: bool) -> list[dict[str, Any]]:
    return [report_record(report) for report in reports_for_case(offender)]
