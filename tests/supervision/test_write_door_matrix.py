"""The same write, at every door, gets the same answer: judging the offender manager's appointment
(an outcome that may issue a warning), for every role, on the page and through the API.

The expected answers are written from the rules (oms/supervision/permissions.py's docstring), not
read from the code: those who manage the case judge any appointment; everyone else is refused, and
each refusal is logged exactly once.
"""

from __future__ import annotations

import pytest
from django.test import Client

from oms.accounts.models import AccessAction, AccessLogEntry
from oms.supervision.constants import ContactOutcome
from oms.supervision.models import Contact
from tests.factories import ROLES, World
from tests.supervision.test_outcome_doors import appointment

# The "own" case: the offender manager's, in the SPO's team, in the case administrator's area.
MAY_JUDGE = {"om", "spo", "caseadmin"}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_page_and_api_give_the_same_answer_and_log_each_refusal_once(world: World, role: str) -> None:
    client = Client()
    client.force_login(world.user(role))
    case = world.cases["own"]
    on_page = appointment(case, booked_by=world.staff["om"])
    by_api = appointment(case, booked_by=world.staff["om"])
    Contact.objects.filter(pk=by_api.pk).update(
        starts_at=on_page.starts_at.replace(hour=14), ends_at=on_page.ends_at.replace(hour=15)
    )
    body = {"outcome": ContactOutcome.ATTENDED_COMPLIED, "version": 1}
    page = client.post(f"/supervision/contacts/{on_page.pk}/", body).status_code
    api = client.post(
        f"/api/v1/supervision/contacts/{by_api.pk}/outcome", body, content_type="application/json"
    ).status_code
    allowed = role in MAY_JUDGE
    assert (page == 302, api == 200) == (allowed, allowed), (role, page, api)
    assert (page == 403, api == 403) == (not allowed, not allowed), (role, page, api)
    judged = set(Contact.objects.exclude(outcome="").values_list("pk", flat=True))
    assert judged == ({on_page.pk, by_api.pk} if allowed else set())
    refusals = AccessLogEntry.objects.filter(action=AccessAction.REFUSED, username=role, crn=case.crn)
    assert refusals.count() == (0 if allowed else 2)
