"""Actions due through the API: the caller's cases only."""

from __future__ import annotations

from datetime import date

from django.test import Client

from tests.factories import World, make_case


def test_actions_for_my_cases_and_one_case(world: World) -> None:
    mine = make_case(world.area, world.staff["om"], sentence_date=date(2007, 4, 5))
    client = Client()
    client.force_login(world.user("om"))
    listed = client.get("/api/v1/standards/actions?as_of=2007-04-20&limit=500").json()["items"]
    assert {a["crn"] for a in listed} == {mine.crn}
    first = next(a for a in listed if a["rule"] == "first_contact_with_offender_manager")
    assert (first["deadline"], first["status"], first["working_days_overdue"]) == ("2007-04-16", "overdue", 4)
    assert client.get(f"/api/v1/standards/cases/{mine.crn}/actions?as_of=2007-04-20").status_code == 200
    assert client.get(f"/api/v1/standards/cases/{world.cases['team'].crn}/actions").status_code == 403
