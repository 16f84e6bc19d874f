"""The service navigation is decided by the permission functions, never by role strings of its own."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from oms.accounts import navigation
from oms.supervision.permissions import can_use_calendar
from tests.factories import ROLES, World


def test_every_link_is_registered_with_a_named_permission_function() -> None:
    lambdas = [item.label for item in navigation._ITEMS if item.shown_to.__name__ == "<lambda>"]
    assert not lambdas, f"links decided by an anonymous role check: {lambdas}"


@pytest.mark.parametrize("role", [*ROLES, "superuser"])
def test_a_role_sees_the_calendar_exactly_when_it_may_use_it_and_every_link_opens(
    world: World, role: str
) -> None:
    user = (
        get_user_model().objects.create_superuser("root", "root@probation.example", "x")
        if role == "superuser"
        else world.user(role)
    )
    client = Client()
    client.force_login(user)
    links = dict(navigation.navigation_for(user))
    assert ("Calendar" in links) == can_use_calendar(user)
    home = client.get("/").content.decode()
    for label, url in links.items():
        assert f'href="{url}"' in home, label
        assert client.get(url).status_code == 200, (role, label)


def test_a_case_administrator_is_shown_the_calendar(world: World) -> None:
    client = Client()
    client.force_login(world.user("caseadmin"))
    assert 'href="/supervision/calendar/' in client.get("/").content.decode()
