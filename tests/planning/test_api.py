"""The planning API: the same permissions as the pages, each objective marked shown or left out.

oms/api/router.py does not yet list "planning" among the app routers it mounts; until it does, the
router is exercised through django-ninja's test client (same handler, same permission checks)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import NoReverseMatch, reverse

from oms.api.planning import router
from oms.planning import services
from tests.factories import World
from tests.planning.test_plans import TWO_OBJECTIVES, write_plan


def _get(world: World, username: str, crn: str) -> tuple[int, Any]:
    user = get_user_model().objects.get(username=username)
    try:
        reverse("api:case_sentence_plans", args=[crn])
    except NoReverseMatch:
        from ninja.testing import TestClient

        response = TestClient(router).get(f"/cases/{crn}", user=user)
        return response.status_code, response.json()
    client = Client()
    client.force_login(user)
    response = client.get(f"/api/v1/planning/cases/{crn}")
    return response.status_code, response.json()


def test_the_api_gives_plans_with_objectives_and_refuses_partners(world: World) -> None:
    offender = world.cases["own"]  # tier 2, unpaid work only
    plan = write_plan(world.user("om"), offender, TWO_OBJECTIVES)
    services.submit_plan(world.user("om"), plan, expected_version=plan.version)
    status, body = _get(world, "om", offender.crn)
    assert status == 200
    assert body["review_due"] is not None
    [only] = body["plans"]
    assert only["status"] == "locked" and len(only["objectives"]) == 2
    assert all(o["shown_on_plan"] for o in only["objectives"])  # punish and help: tier 2 delivers both
    status, _ = _get(world, "partner", offender.crn)
    assert status == 403
