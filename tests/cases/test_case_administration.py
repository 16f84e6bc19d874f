"""A case administrator registers, allocates, transfers and ends events; forms name the bad field."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from oms.accounts.models import AccessLogEntry
from oms.cases.models import Allocation, Offender, Transfer
from tests.factories import World


def _client(world: World, role: str = "caseadmin") -> Client:
    client = Client()
    client.force_login(world.user(role))
    return client


def _registration(**overrides: str) -> dict[str, str]:
    data = {
        "person-first_name": "Robert",
        "person-family_name": "Example",
        "person-date_of_birth": "1985-03-02",
        "person-gender": "male",
        "person-first_language": "English",
        "event-kind": "community_order",
        "event-court": "Northampton Magistrates' Court",
        "event-offence_code": "02801",
        "event-sentence_date": "2026-11-02",
        "event-length_months": "12",
        "requirements-TOTAL_FORMS": "3",
        "requirements-INITIAL_FORMS": "0",
        "requirements-MIN_NUM_FORMS": "0",
        "requirements-MAX_NUM_FORMS": "12",
        "requirements-0-requirement_type": "unpaid_work",
        "requirements-0-hours": "120",
        "transfer-transferred_in_from": "",
    }
    data.update(overrides)
    return data


def test_registering_a_community_order_with_requirements(world: World) -> None:
    response = _client(world).post(reverse("cases:register"), _registration())
    assert response.status_code == 302
    offender = Offender.objects.get(family_name="Example")
    assert response["Location"] == reverse("cases:detail", args=[offender.crn])
    event = offender.events.get()
    assert event.kind == "community_order"
    assert [r.describe() for r in event.requirements.all()] == ["Unpaid work, 120 hours"]
    assert AccessLogEntry.objects.filter(crn=offender.crn, action="create").exists()


@pytest.mark.parametrize(
    ("requirement", "figures", "message"),
    [
        ("unpaid_work", {"hours": "30"}, "between 40 and 300"),
        ("unpaid_work", {"hours": "301"}, "between 40 and 300"),
        ("curfew", {"hours_per_day": "13", "length_months": "3"}, "12 hours"),
        ("curfew", {"hours_per_day": "8", "length_months": "7"}, "6 months"),
        ("specified_activity", {"days": "61"}, "60 days"),
        ("exclusion", {"length_months": "25"}, "2 years"),
        ("drug_rehabilitation", {"length_months": "5"}, "6 months"),
        ("alcohol_treatment", {"length_months": "5"}, "6 months"),
        ("attendance_centre", {"hours": "40"}, "36"),
    ],
)
def test_cja_limits_are_refused_naming_the_field(
    world: World, requirement: str, figures: dict[str, str], message: str
) -> None:
    data = _registration(**{"requirements-0-requirement_type": requirement, "requirements-0-hours": ""})
    data.update({f"requirements-0-{name}": value for name, value in figures.items()})
    response = _client(world).post(reverse("cases:register"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert message in page
    assert not Offender.objects.filter(family_name="Example").exists(), "nothing is half-written"


def test_attendance_centre_only_under_25(world: World) -> None:
    data = _registration(
        **{"requirements-0-requirement_type": "attendance_centre", "requirements-0-hours": "24"}
    )
    response = _client(world).post(reverse("cases:register"), data)
    assert "under 25" in response.content.decode()
    data["person-date_of_birth"] = "2005-01-01"
    assert _client(world).post(reverse("cases:register"), data).status_code == 302


def test_a_missing_field_is_named_in_the_error_summary(world: World) -> None:
    response = _client(world).post(
        reverse("cases:register"), _registration(**{"event-court": "", "event-offence_code": "999"})
    )
    page = response.content.decode()
    assert 'href="#id_event-court"' in page and "Enter the court" in page
    assert "Offence code must be 5 digits" in page


def test_allocation_keeps_history_with_reason_and_refuses_a_stale_save(world: World) -> None:
    case = world.cases["team"]
    client = _client(world)
    url = reverse("cases:allocate", args=[case.crn])
    form = {
        "offender_manager": world.staff["om"].pk,
        "reason": "Balancing workload",
        "start_date": "2026-11-20",
        "version": case.version,
    }
    assert client.post(url, form).status_code == 302
    case.refresh_from_db()
    assert case.offender_manager == world.staff["om"]
    history = list(Allocation.objects.filter(offender=case).order_by("start_date"))
    assert [a.end_date for a in history] == [date(2026, 11, 20), None]
    assert history[-1].reason == "Balancing workload"
    # The same form again, with the version it was opened at: someone else has saved since.
    form["offender_manager"] = world.teammate.pk
    response = client.post(url, form)
    assert "changed by someone else" in response.content.decode()
    case.refresh_from_db()
    assert case.offender_manager == world.staff["om"]


def test_allocation_needs_a_reason(world: World) -> None:
    case = world.cases["team"]
    response = _client(world).post(
        reverse("cases:allocate", args=[case.crn]),
        {
            "offender_manager": world.staff["om"].pk,
            "reason": "",
            "start_date": "2026-11-20",
            "version": case.version,
        },
    )
    assert "Enter why this offender manager was chosen" in response.content.decode()


def test_ending_an_event_and_transferring_out(world: World) -> None:
    case = world.cases["own"]
    client = _client(world)
    event = case.events.get()
    response = client.post(
        reverse("cases:terminate-event", args=[case.crn, 1]),
        {"reason": "completed", "terminated_on": "2026-11-01", "notes": "", "version": event.version},
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert not event.is_active and event.termination_reason == "completed"

    other = world.cases["other_team"]
    response = client.post(
        reverse("cases:transfer-out", args=[other.crn]),
        {"other_area": "Bedfordshire", "transfer_date": "2026-11-10", "notes": "", "version": other.version},
    )
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.offender_manager is None
    assert Transfer.objects.get(offender=other).other_area == "Bedfordshire"
    assert not other.events.filter(is_active=True).exists()


def test_ending_before_the_sentence_date_is_refused(world: World) -> None:
    case = world.cases["own"]
    event = case.events.get()
    response = _client(world).post(
        reverse("cases:terminate-event", args=[case.crn, 1]),
        {"reason": "completed", "terminated_on": "2020-01-01", "notes": "", "version": event.version},
    )
    assert "on or after the sentence date" in response.content.decode()


def test_transfer_in_at_registration_records_where_from(world: World) -> None:
    data = _registration(
        **{"transfer-transferred_in_from": "Bedfordshire", "transfer-complete_oasys_received": "on"}
    )
    assert _client(world).post(reverse("cases:register"), data).status_code == 302
    transfer = Transfer.objects.get(offender__family_name="Example")
    assert (transfer.direction, transfer.other_area, transfer.complete_oasys_received) == (
        "in",
        "Bedfordshire",
        True,
    )


def test_offender_manager_changes_personal_details_and_a_stale_save_is_refused(world: World) -> None:
    case = world.cases["own"]
    client = _client(world, "om")
    url = reverse("cases:edit", args=[case.crn])
    form = {
        "first_name": "Test",
        "family_name": case.family_name,
        "date_of_birth": "1980-01-01",
        "gender": "male",
        "ethnicity": "W1",
        "first_language": "Polish",
        "interpreter_required": "on",
        "dyslexia": "on",
        "paper_colour": "cream",
        "version": case.version,
    }
    assert client.post(url, form).status_code == 302
    case.refresh_from_db()
    assert (case.first_language, case.interpreter_required, case.paper_colour, case.version) == (
        "Polish",
        True,
        "cream",
        2,
    )
    assert case.history.count() >= 2  # record history kept by django-simple-history
    form["first_language"] = "Urdu"
    form["version"] = "1"
    assert "changed by someone else" in client.post(url, form).content.decode()
    case.refresh_from_db()
    assert case.first_language == "Polish"


def test_case_page_shows_the_person_events_registrations_and_history(world: World) -> None:
    case = world.cases["own"]
    client = _client(world, "om")
    page = client.get(reverse("cases:detail", args=[case.crn])).content.decode()
    page += client.get(reverse("cases:section", args=[case.crn, "person"])).content.decode()
    for expected in [
        case.crn,
        "Community order",
        "Unpaid work, 100 hours",
        "Allocation history",
        "Initial allocation",
        "What happens next",
    ]:
        assert expected in page


def test_the_offender_manager_picker_is_grouped_by_team(world: World) -> None:
    page = (
        _client(world, "caseadmin")
        .get(reverse("cases:allocate", args=[world.cases["own"].crn]))
        .content.decode()
    )
    assert f'<optgroup label="{world.team.name}">' in page
    assert f'<optgroup label="{world.other_team.name}">' in page
    own_team = page[page.index(f'<optgroup label="{world.team.name}">') :]
    own_team = own_team[: own_team.index("</optgroup>")]
    assert world.staff["om"].full_name in own_team
