"""Issue 12: with a read replica configured (DATABASE_REPLICA_URL), the national reports read from it
and nothing else does; without one, every read stays on the one database."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from oms.cases.models import Offender
from oms.performance import national
from oms.read_replica import REPLICA, ReplicaRouter, national_reads
from tests.factories import World


@pytest.fixture
def with_replica(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(settings.DATABASES, REPLICA, dict(settings.DATABASES["default"]))


def test_only_reads_inside_the_national_reports_go_to_the_replica(with_replica: None) -> None:
    router = ReplicaRouter()
    assert router.db_for_read(Offender) is None, "a case page reads the primary"
    with national_reads():
        assert router.db_for_read(Offender) == REPLICA
        assert router.db_for_write(Offender) is None, "writes never go to the replica"
    assert router.db_for_read(Offender) is None
    assert (
        router.allow_migrate(REPLICA, "cases") is False and router.allow_migrate("default", "cases") is None
    )


def test_without_a_replica_the_national_reports_read_the_one_database() -> None:
    assert REPLICA not in settings.DATABASES
    with national_reads():
        assert ReplicaRouter().db_for_read(Offender) is None


@pytest.mark.django_db
def test_the_national_report_asks_for_the_replica_for_every_read(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str | None] = []
    original = ReplicaRouter.db_for_read

    def recording(self: ReplicaRouter, model: Any, **hints: Any) -> str | None:
        chosen = original(self, model, **hints)
        asked.append(chosen)
        return None  # the test database has no second connection: record the choice, read here

    monkeypatch.setitem(settings.DATABASES, REPLICA, dict(settings.DATABASES["default"]))
    monkeypatch.setattr(ReplicaRouter, "db_for_read", recording)
    with CaptureQueriesContext(connection) as captured:
        national.national_report(date(2026, 4, 1), date(2026, 9, 30))
    # The world's changed cases are brought up to date first (their stored actions read and written
    # on the primary); every read of the report itself asks for the replica.
    assert len(captured) > 0 and REPLICA in asked
    report_reads = asked[asked.index(REPLICA) :]
    assert set(report_reads) == {REPLICA}


def test_bringing_changed_cases_up_to_date_reads_the_primary_even_inside_the_national_reports(
    with_replica: None,
) -> None:
    from oms.read_replica import primary_reads

    with national_reads(), primary_reads():
        assert ReplicaRouter().db_for_read(Offender) is None
