"""Pages that come too early say why (before fieldwork; a draft report with nothing assessed)."""

from __future__ import annotations

from django.test import Client

from oms.inspection import services
from tests.inspection.conftest import InspectionWorld
from tests.inspection.test_assessment import start_fieldwork


def _lead(iw: InspectionWorld) -> Client:
    client = Client()
    client.force_login(iw.lead.user)
    return client


def test_before_fieldwork_the_inspection_page_says_when_the_cases_open(
    inspection_world: InspectionWorld,
) -> None:
    page = _lead(inspection_world).get(f"/inspection/{inspection_world.inspection.pk}/").content.decode()
    assert 'id="before-fieldwork"' in page
    assert "The lead draws the sample first; its cases then open to the team when fieldwork starts." in page


def test_the_draft_report_waits_for_a_confirmed_answer_and_says_so(inspection_world: InspectionWorld) -> None:
    sampled = start_fieldwork(inspection_world)
    url = f"/inspection/{inspection_world.inspection.pk}/"
    page = _lead(inspection_world).get(url).content.decode()
    assert f"The draft report needs assessed cases: 0 of {len(sampled)} cases are assessed" in page
    assert "Move to draft report" not in page
    services.save_answers(inspection_world.lead.user, sampled[0], [services.AnswerInput("1.1.a", "yes")])
    page = _lead(inspection_world).get(url).content.decode()
    assert "Move to draft report" in page and 'id="draft-not-yet"' not in page
