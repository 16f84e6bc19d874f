"""Who reads which case, judged against a table written from the rules, not against `visible_cases`.

The other matrices take `visible_cases` as their oracle, so a fault in it passes them unnoticed. This
one states the answer for each role and each relation to a case, with two areas, from the rules in
README "Demo sign-ins" and oms/accounts/permissions.py's docstring:

- an offender manager reads their own caseload; an SPO their teams' cases and their own area's
  current unallocated cases (never another area's, never a former case); area-wide roles their
  area's cases; partner agency, prison and inspection staff only what is granted to them;
- anyone may hold a dated grant, in force from its first day to its last day inclusive;
- a restricted-to list applies only to a case flagged limited access; on a flagged case it keeps out
  everyone not on it.

Each answer is checked at three doors: `visible_cases` itself, the case page and the API's case list.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from oms.accounts.models import CaseAccessGrant
from oms.accounts.permissions import visible_cases
from oms.cases.models import Offender
from tests.factories import ROLES, World, make_case

ALL_READ_OWN_AREA = {
    "own",
    "team",
    "other_team",
    "unallocated_here",
    "former_unallocated_here",
    "list_without_flag",
    "grant_last_day",
}
# role -> the relations it may read; everything else in RELATIONS it must not.
EXPECTED: dict[str, set[str]] = {
    "om": {"own", "grant_last_day"},
    "spo": {"own", "team", "unallocated_here", "list_without_flag", "grant_last_day"},
    "caseadmin": ALL_READ_OWN_AREA,
    "aco": ALL_READ_OWN_AREA,
    "vlo": ALL_READ_OWN_AREA,
    "interventions": ALL_READ_OWN_AREA,
    "partner": {"own", "grant_last_day"},  # the world grants each of these the "own" case
    "prison": {"own", "grant_last_day"},
    "inspector": {"own", "grant_last_day"},
}
RELATIONS = [
    "own",
    "team",
    "other_team",
    "other_area",
    "limited",
    "unallocated_here",
    "unallocated_other_area",
    "former_unallocated_here",
    "list_without_flag",
    "grant_last_day",
    "grant_lapsed",
    "grant_not_started",
]


def _cases(world: World) -> dict[str, Offender]:
    cases = dict(world.cases)
    cases["unallocated_here"] = make_case(world.area, None)
    cases["unallocated_other_area"] = make_case(world.other_area, None)
    former = make_case(world.area, None)
    former.events.update(is_active=False)
    cases["former_unallocated_here"] = former
    # A restricted-to list on a case not flagged limited access does not apply.
    unflagged = make_case(world.area, world.teammate)
    unflagged.restricted_to.add(world.teammate)
    cases["list_without_flag"] = unflagged
    far_om = world.cases["other_area"].offender_manager
    today = timezone.localdate()
    windows = {
        "grant_last_day": (date(2020, 1, 1), today),
        "grant_lapsed": (date(2020, 1, 1), today - timedelta(days=1)),
        "grant_not_started": (today + timedelta(days=1), None),
    }
    for relation, (valid_from, valid_until) in windows.items():
        case = make_case(world.other_area, far_om)
        CaseAccessGrant.objects.bulk_create(
            CaseAccessGrant(
                offender=case,
                staff=world.staff[role],
                reason="test grant",
                valid_from=valid_from,
                valid_until=valid_until,
            )
            for role in ROLES
        )
        cases[relation] = case
    return cases


def test_the_table_names_every_relation_it_expects() -> None:
    for role, readable in EXPECTED.items():
        assert readable <= set(RELATIONS), role
    assert set(EXPECTED) == set(ROLES)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reads_exactly_what_the_rules_say_at_every_door(world: World, role: str) -> None:
    cases = _cases(world)
    user = world.user(role)
    readable = set(visible_cases(user).values_list("crn", flat=True))
    client = Client()
    client.force_login(user)
    listed = {row["crn"] for row in client.get("/api/v1/cases/?limit=500").json()["items"]}
    wrong = []
    for relation in RELATIONS:
        crn = cases[relation].crn
        expected = relation in EXPECTED[role]
        page = client.get(f"/cases/{crn}/").status_code
        for door, answer in (
            ("visible_cases", crn in readable),
            ("case page", page == 200),
            ("case list API", crn in listed),
        ):
            if answer != expected:
                wrong.append(f"{door}: {relation} should be {'readable' if expected else 'refused'}")
    assert not wrong, f"{role}: {wrong}"
