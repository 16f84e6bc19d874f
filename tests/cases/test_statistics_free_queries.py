"""Reads that every page and command shares are written so that their speed does not depend on the
planner statistics PostgreSQL happens to hold: no `IN (SELECT DISTINCT ... JOIN ...)`, which a stale
plan re-ran once per row and so hung a test run for 15 minutes."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from oms.accounts.permissions import visible_cases
from oms.cases.queries import caseload_context
from tests.factories import World


def test_the_appendix_1_figures_are_one_query_without_distinct(world: World) -> None:
    with CaptureQueriesContext(connection) as queries:
        figures = caseload_context(visible_cases(world.user("spo")))
    assert figures["total_caseload"] >= 1
    assert len(queries.captured_queries) == 1
    assert "DISTINCT" not in queries.captured_queries[0]["sql"].upper()


def test_the_cases_a_senior_probation_officer_sees_need_no_distinct(world: World) -> None:
    # A second team under the same SPO: a join through the teams' managers would list cases twice.
    world.staff["spo"].manages_teams.add(world.other_team)
    cases = visible_cases(world.user("spo"))
    assert "DISTINCT" not in str(cases.query).upper()
    crns = list(cases.values_list("crn", flat=True))
    # Each case once, although the SPO may manage several teams.
    assert len(crns) == len(set(crns)) == cases.count()
    assert {world.cases["own"].crn, world.cases["team"].crn, world.cases["other_team"].crn} <= set(crns)
    assert world.cases["other_area"].crn not in crns
