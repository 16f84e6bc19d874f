"""Enforcement asks before its serious steps and never offers what the law does not.

A licence is enforced by recall, never by a warning or breach action (CJA 2003 Sch 8 is for community
orders): the contact page offers no warning or breach for a failure on licence, and the page and the
service refuse them with a message pointing to recall. Recording an unacceptable failure that starts
breach action (a further failure within 12 months of a warning) shows a confirmation page first and
writes nothing until it is confirmed; the API asks for `confirm_breach` and names it otherwise.
"""

from __future__ import annotations

import html
import json
import re

import pytest

from oms.cases.constants import EventKind
from oms.cases.models import Offender
from oms.supervision import services
from oms.supervision.constants import ContactOutcome
from oms.supervision.models import Breach, Contact, EnforcementWarning
from tests.factories import World, make_case
from tests.supervision.test_supervision_journeys import judge, past_appointment, signed_in

pytestmark = pytest.mark.usefixtures("frozen_today")

RECALL_INSTEAD = "a failure on a licence is not met with a warning or breach action"


def _licence_case(world: World) -> Offender:
    return make_case(world.area, world.staff["om"], kind=EventKind.LICENCE)


def _warned(world: World) -> Offender:
    """A community order case given a warning for a failure 40 days ago."""
    case = world.cases["own"]
    assert judge(world, past_appointment(case, 40), ContactOutcome.UNACCEPTABLE_ABSENCE).warning
    return case


def _outcome_form(contact: Contact, outcome: str = ContactOutcome.UNACCEPTABLE_ABSENCE) -> dict[str, str]:
    return {"outcome": outcome, "enforceable": "on", "version": str(contact.version)}


def _page(response: object) -> str:
    return html.unescape(response.content.decode())  # type: ignore[attr-defined]


# ---------------------------------------------------------------- licence: recall, not warning or breach


def test_a_failure_on_licence_offers_recall_not_a_warning_or_breach(world: World) -> None:
    case = _licence_case(world)
    failure = past_appointment(case, 3)
    client = signed_in(world, "om")
    recorded = client.post(f"/supervision/contacts/{failure.pk}/", _outcome_form(failure))
    assert recorded.status_code == 302
    assert not EnforcementWarning.objects.filter(offender=case).exists()
    page = _page(client.get(f"/supervision/contacts/{failure.pk}/"))
    assert "Give a warning" not in page and "Start breach action" not in page
    assert RECALL_INSTEAD in page
    assert f'href="/supervision/cases/{case.crn}/recall/new/"' in page


def test_a_warning_or_breach_on_licence_is_refused_at_the_page_and_the_service_pointing_to_recall(
    world: World,
) -> None:
    case = _licence_case(world)
    failure = past_appointment(case, 3)
    failure.outcome = ContactOutcome.UNACCEPTABLE_ABSENCE
    failure.save()
    for action in ("warning", "breach"):
        response = signed_in(world, "om").post(
            f"/supervision/contacts/{failure.pk}/enforce/", {"action": action}
        )
        assert response.status_code == 400
        page = _page(response)
        assert "There is a problem" in page and RECALL_INSTEAD in page and "recommend recall" in page
    with pytest.raises(services.CaseRuleError, match="recommend recall"):
        services.give_warning(world.user("om"), failure)
    with pytest.raises(services.CaseRuleError, match="recommend recall"):
        services.initiate_breach(world.user("om"), failure)
    assert not EnforcementWarning.objects.filter(offender=case).exists()
    assert not Breach.objects.filter(offender=case).exists()


def test_the_api_records_a_failure_on_licence_with_no_warning_and_says_recall_applies(world: World) -> None:
    case = _licence_case(world)
    failure = past_appointment(case, 3)
    response = signed_in(world, "om").post(
        f"/api/v1/supervision/contacts/{failure.pk}/outcome",
        json.dumps({"outcome": "unacceptable_absence", "version": failure.version}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["action"] == "no_action" and body["warning_id"] is None and body["breach_id"] is None
    assert RECALL_INSTEAD in body["reason"]


# ---------------------------------------------------------------- breach action asks to be confirmed


def test_a_failure_that_starts_breach_asks_for_confirmation_and_writes_nothing_until_confirmed(
    world: World,
) -> None:
    case = _warned(world)
    failure = past_appointment(case, 5)
    client = signed_in(world, "om")
    url = f"/supervision/contacts/{failure.pk}/"
    asked = client.post(url, _outcome_form(failure))
    assert asked.status_code == 200
    page = _page(asked)
    assert '<h1 class="govuk-heading-l">This will start breach action</h1>' in page
    assert "A further unacceptable failure within 12 months of the warning" in page
    assert "Confirm and start breach action" in page
    assert f'<a class="govuk-link" href="{url}">Cancel</a>' in page
    failure.refresh_from_db()
    assert failure.outcome == "" and not Breach.objects.filter(offender=case).exists()
    # The confirmation posts back what was entered, with the confirmation.
    kept = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page))
    assert kept["outcome"] == "unacceptable_absence" and kept["confirm_breach"] == "True"
    kept.pop("csrfmiddlewaretoken", None)
    confirmed = client.post(url, kept)
    breach = Breach.objects.get(offender=case, failure=failure)
    assert confirmed.status_code == 302 and confirmed["Location"] == f"/supervision/breaches/{breach.pk}/"


def test_recording_a_contact_that_starts_breach_asks_for_confirmation_too(world: World) -> None:
    case = _warned(world)
    contacts_before = Contact.objects.filter(offender=case).count()
    form = {
        "contact_type": "office",
        "day_day": "25",
        "day_month": "11",
        "day_year": "2026",
        "start_time": "10:00",
        "duration_minutes": "60",
        "outcome": "unacceptable_absence",
        "enforceable": "on",
    }
    client = signed_in(world, "om")
    asked = client.post(f"/supervision/cases/{case.crn}/contacts/new/", form)
    assert asked.status_code == 200, asked.content
    assert "This will start breach action" in _page(asked)
    assert Contact.objects.filter(offender=case).count() == contacts_before
    confirmed = client.post(f"/supervision/cases/{case.crn}/contacts/new/", form | {"confirm_breach": "True"})
    assert confirmed.status_code == 302
    assert Breach.objects.filter(offender=case).count() == 1


def test_the_api_starts_breach_only_with_confirm_breach_and_names_it_otherwise(world: World) -> None:
    case = _warned(world)
    failure = past_appointment(case, 5)
    client = signed_in(world, "om")
    url = f"/api/v1/supervision/contacts/{failure.pk}/outcome"
    body = {"outcome": "unacceptable_absence", "version": failure.version}
    refused = client.post(url, json.dumps(body), content_type="application/json")
    assert refused.status_code == 422
    assert refused.json()["field"] == "confirm_breach"
    assert refused.json()["detail"].startswith("confirm_breach: This will start breach action.")
    failure.refresh_from_db()
    assert failure.outcome == "" and not Breach.objects.filter(offender=case).exists()
    confirmed = client.post(url, json.dumps(body | {"confirm_breach": True}), content_type="application/json")
    assert confirmed.status_code == 200, confirmed.content
    assert confirmed.json()["action"] == "breach"
    assert Breach.objects.get(offender=case).pk == confirmed.json()["breach_id"]


def test_a_first_failure_gives_its_warning_without_asking(world: World) -> None:
    case = world.cases["own"]
    failure = past_appointment(case, 5)
    response = signed_in(world, "om").post(f"/supervision/contacts/{failure.pk}/", _outcome_form(failure))
    assert response.status_code == 302
    assert EnforcementWarning.objects.filter(failure=failure).exists()
