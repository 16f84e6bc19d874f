"""`oms unpaid_work --json`: each current unpaid work ledger, with completion due."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from oms.cases.models import Requirement
from oms.interventions import services
from tests.factories import World


def test_the_command_prints_the_ledger(world: World) -> None:
    offender = world.cases["own"]
    requirement = Requirement.objects.select_related("event").get(event__offender=offender)
    services.record_unpaid_work(
        world.user("interventions"),
        offender,
        requirement,
        kind="worked",
        on=date(2026, 6, 6),
        hours=Decimal(6),
    )
    out = StringIO()
    call_command("unpaid-work", "--staff", "om", "--as-of", "2026-11-27", "--json", stdout=out)
    (row,) = json.loads(out.getvalue())["requirements"]
    assert row["crn"] == offender.crn
    assert (row["hours_ordered"], row["worked"], row["remaining"]) == (100, 6, 94)
    assert row["completion_due"] == "2027-06-01" and row["completion_status"] == "in progress"


def test_a_bad_date_is_named(world: World) -> None:
    with pytest.raises(CommandError, match="--as-of: '2026-02-30' is not a date"):
        call_command("unpaid-work", "--as-of", "2026-02-30", "--json")
