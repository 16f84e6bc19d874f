"""`oms court_reports --json`: the reports of an area with due dates and lateness."""

from __future__ import annotations

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from oms.courts import services
from oms.courts.constants import CourtType, ReportKind
from tests.factories import World


def test_the_command_prints_reports_with_due_dates(world: World) -> None:
    services.request_report(
        world.user("caseadmin"),
        world.cases["own"],
        services.ReportRequest(
            ReportKind.FAST_DELIVERY,
            "Northampton Magistrates' Court",
            CourtType.MAGISTRATES,
            date(2026, 9, 1),
        ),
    )
    out = StringIO()
    call_command("court-reports", "--area", world.area.name, "--json", stdout=out)
    printed = json.loads(out.getvalue())
    assert printed["reports"][0]["crn"] == world.cases["own"].crn
    assert printed["reports"][0]["due_on"] == "2026-09-08"
    assert printed["delivered"] == 0


def test_a_bad_area_is_named(world: World) -> None:
    with pytest.raises(CommandError, match="--area: no area called 'Atlantis'"):
        call_command("court-reports", "--area", "Atlantis", "--json")
