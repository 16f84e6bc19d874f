"""Every case page of every app, for every role and every relation to the case: never a leak, never a 5xx.

The pages come from the URL configuration itself, so a page added later is covered without anyone
remembering to add it here. The oracle is `visible_cases`: a page of a case the role may not read must
answer 403 or 404; a page of a case it may read may refuse for its own reasons, but never fail.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from oms.accounts.permissions import visible_cases
from tests.factories import RELATIONS, ROLES, World

# Path parameters other than the CRN that a case page may take, filled with a value every case has.
FILLABLE = {"<int:number>": "1", "<slug:section>": "risk"}


def _walk(patterns: list[URLPattern | URLResolver], prefix: str = "") -> Iterator[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern)


def case_page_routes() -> list[str]:
    routes = []
    for route in _walk(get_resolver().url_patterns):
        if "<str:crn>" not in route or route.startswith("api/"):
            continue
        rest = route
        for placeholder in ("<str:crn>", *FILLABLE):
            rest = rest.replace(placeholder, "")
        if "<" not in rest:  # pages that need an object id of their own are covered by their app's tests
            routes.append(route)
    return routes


def test_the_matrix_covers_the_case_pages_of_every_app() -> None:
    prefixes = {route.split("/")[0] for route in case_page_routes()}
    assert {
        "cases",
        "risk",
        "tiering",
        "planning",
        "supervision",
        "interventions",
        "courts",
        "victims",
    } <= prefixes


@pytest.mark.parametrize("role", ROLES)
def test_no_case_page_leaks_or_fails(world: World, role: str) -> None:
    client = Client(raise_request_exception=False)
    user = world.user(role)
    client.force_login(user)
    readable = set(visible_cases(user).values_list("crn", flat=True))
    for route in case_page_routes():
        for relation in RELATIONS:
            crn = world.cases[relation].crn
            url = "/" + route.replace("<str:crn>", crn)
            for placeholder, value in FILLABLE.items():
                url = url.replace(placeholder, value)
            status = client.get(url).status_code
            assert status < 500, (role, relation, url, status)
            if crn not in readable:
                # 405: a page that only takes a POST says nothing about the case either way.
                assert status in (403, 404, 405), (role, relation, url, status)
