"""In the browser: the offender manager's and the SPO's home pages list their work (issue 13): the
OM's appointments today and work rolled back; the SPO's countersigning queue and a recall to decide,
which the SPO returns for more information and the OM then sees on their home page."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

import pytest
from django.utils import timezone

from oms.cases.constants import EventKind
from oms.cases.models import ContactType
from oms.risk import countersigning
from oms.supervision import services as supervision
from oms.supervision.constants import RecallStatus, RecallType
from oms.supervision.models import Contact, RecallRecommendation
from tests.e2e.conftest import screenshot, sign_in
from tests.factories import PASSWORD, World, make_case, make_roh_screening

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_om_and_the_spo_see_their_work_on_their_home_pages(page: Any, world: World) -> None:
    own = world.cases["own"]
    start = timezone.make_aware(datetime.combine(timezone.localdate(), time(9, 30)))
    Contact.objects.create(
        offender=own,
        event=own.events.get(number=1),
        contact_type=ContactType.objects.get(code="office"),
        starts_at=start,
        ends_at=start + timedelta(minutes=45),
        staff=world.staff["om"],
    )
    screening = make_roh_screening(own, world.staff["om"])
    countersigning.roll_back(
        world.user("spo"), screening, reason="Say who is at risk", expected_version=screening.version
    )
    waiting = make_roh_screening(world.cases["team"], world.teammate)
    type(waiting).objects.filter(pk=waiting.pk).update(countersigning_required=True)
    waiting_case = make_case(world.area, None)
    licence = make_case(world.area, world.staff["om"], kind=EventKind.LICENCE)
    recall = supervision.recommend_recall(
        world.user("om"),
        licence.events.get(),
        recall_type=RecallType.STANDARD,
        emergency=False,
        reason="Missed appointments",
    )

    sign_in(page, "om", PASSWORD)
    appointments = page.locator("#queue-todays-appointments").inner_text()
    assert "09:30 to 10:15" in appointments and own.crn in appointments
    rolled_back = page.locator("#queue-rolled-back").inner_text()
    assert "Say who is at risk" in rolled_back and world.staff["spo"].full_name in rolled_back
    screenshot(page, "home-1-offender-manager")
    page.click("button:has-text('Sign out')")

    sign_in(page, "spo", PASSWORD)
    assert page.locator("#countersigning-queue").inner_text() == "1"
    assert page.locator("#recalls-to-sign-off").inner_text() == "1"
    assert page.locator("#cases-to-allocate").inner_text() == "1"
    screenshot(page, "home-2-senior-probation-officer")
    page.locator("#queue-recalls-to-sign-off a", has_text="Decide").click()
    page.check("#id_decision-return")
    page.fill("#id_reason", "Which licence condition was breached?")
    page.click("button:has-text('Record my decision')")
    assert "Returned to the offender manager" in page.locator(".govuk-notification-banner").inner_text()
    assert RecallRecommendation.objects.get(pk=recall.pk).status == RecallStatus.RETURNED
    # From the home page to the team's workload, and the Allocate action on the OM's row.
    page.goto("/")
    page.click("text=See each team's workload and allocate")
    row = page.locator("#team-workload tr", has_text=world.staff["om"].full_name)
    row.locator("text=Allocate").click()
    assert waiting_case.crn in page.locator("#main-content form").inner_text()
    assert "Capacity now" in page.locator("#officer-capacity").inner_text()
    screenshot(page, "home-3-allocate-from-team-workload")
    page.click("button:has-text('Sign out')")

    sign_in(page, "om", PASSWORD)
    sent_back = page.locator("#queue-recalls-sent-back").inner_text()
    assert "Which licence condition was breached?" in sent_back
    screenshot(page, "home-4-recall-returned")
