"""A victim liaison officer's view beside an offender manager's view of the same case."""

from __future__ import annotations

from datetime import date

import pytest

from oms.cases.constants import EventKind
from oms.cases.models import Event
from oms.victims import services
from tests.e2e.conftest import screenshot, sign_in
from tests.factories import PASSWORD, World, make_case

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_vlo_sees_the_victim_and_the_offender_manager_sees_only_safety_and_conditions(
    page, world: World
) -> None:  # type: ignore[no-untyped-def]
    offender = make_case(
        world.area, world.staff["om"], kind=EventKind.CUSTODY, sentence_date=date(2026, 5, 1)
    )
    Event.objects.filter(offender=offender).update(offence_id="00101", length_months=24)
    vlo = world.user("vlo")
    victim = services.add_victim(
        vlo,
        offender,
        event=offender.events.get(),
        name="Margaret Fielding",
        address="14 Orchard Close, Kettering",
        postcode="NN15 6AB",
        telephone="",
        email="",
        contact_preference="letter",
        safety_considerations="Exclusion zone around Kettering requested",
    )
    services.record_offer(vlo, victim, offered_on=date(2026, 6, 10), method="written", accepted=True)
    services.record_representation(
        vlo,
        victim,
        received_on=date(2026, 7, 1),
        representation="Afraid of meeting him",
        requested_conditions="Not to enter Kettering",
    )

    sign_in(page, "vlo", PASSWORD)
    page.click("text=Victims")
    assert "Victim contact" in page.locator("h1").inner_text()
    page.goto(f"/cases/{offender.crn}/risk/")  # victims sit in the case's Risk section
    panel = page.locator("#victims-panel")
    assert "Margaret Fielding" in panel.inner_text() and "14 Orchard Close" in panel.inner_text()
    screenshot(page, "victims-case-as-vlo")

    page.context.clear_cookies()
    sign_in(page, "om", PASSWORD)
    page.goto(f"/cases/{offender.crn}/risk/")  # victims sit in the case's Risk section
    panel = page.locator("#victims-panel")
    text = panel.inner_text()
    assert "1 victim; statutory contact applies; offer made on 10 June 2026" in text
    assert "Exclusion zone around Kettering requested" in text and "Not to enter Kettering" in text
    assert "Margaret Fielding" not in page.content() and "Orchard Close" not in page.content()
    screenshot(page, "victims-case-as-offender-manager")
