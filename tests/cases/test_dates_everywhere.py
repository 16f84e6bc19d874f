"""Impossible dates are refused everywhere (one date rule), typed in the GOV.UK date input."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.test import Client
from django.utils import timezone

from oms.cases.bulk import OFFENDER_COLUMNS, import_offenders, read_rows
from oms.cases.models import Offender
from tests.factories import World, make_case

REGISTRATION = {
    "person-first_name": "Rita",
    "person-family_name": "Datecheck",
    "person-gender": "female",
    "event-kind": "community_order",
    "event-court": "Northampton Magistrates' Court",
    "event-offence_code": "02801",
    "event-length_months": "12",
    "requirements-TOTAL_FORMS": "3",
    "requirements-INITIAL_FORMS": "0",
    "requirements-MIN_NUM_FORMS": "0",
    "requirements-MAX_NUM_FORMS": "12",
}


def _boxes(prefix: str, day: dt.date) -> dict[str, str]:
    return {f"{prefix}_day": str(day.day), f"{prefix}_month": str(day.month), f"{prefix}_year": str(day.year)}


def _register(world: World, **fields: str) -> str:
    client = Client()
    client.force_login(world.user("caseadmin"))
    response = client.post("/cases/register/", {**REGISTRATION, **fields})
    return response.content.decode() if response.status_code == 200 else f"redirect {response['Location']}"


def test_a_case_registered_through_the_three_date_boxes_is_saved(world: World) -> None:
    outcome = _register(
        world,
        **_boxes("person-date_of_birth", dt.date(1990, 5, 17)),
        **_boxes("event-sentence_date", dt.date(2026, 11, 2)),
    )
    assert outcome.startswith("redirect /cases/")
    assert Offender.objects.get(family_name="Datecheck").date_of_birth == dt.date(1990, 5, 17)


def test_a_person_born_in_2030_is_refused_and_the_title_says_error(world: World) -> None:
    page = _register(
        world,
        **_boxes("person-date_of_birth", dt.date(2030, 1, 1)),
        **_boxes("event-sentence_date", dt.date(2026, 11, 2)),
    )
    assert "<title>Error: Register a case" in page
    assert 'href="#id_person-date_of_birth_day">Date of birth must be in the past</a>' in page
    assert not Offender.objects.filter(family_name="Datecheck").exists()


def test_a_sentence_before_the_tenth_birthday_and_a_future_sentence_are_refused(world: World) -> None:
    today = timezone.localdate()
    born = dt.date(today.year - 11, 1, 1)
    page = _register(
        world,
        **_boxes("person-date_of_birth", born),
        **_boxes("event-sentence_date", dt.date(born.year + 9, 6, 1)),
    )
    assert (
        f"Sentence date must be on or after 1 January {born.year + 10}, the person&#x27;s 10th birthday"
        in page
    )
    page = _register(
        world,
        **_boxes("person-date_of_birth", dt.date(1990, 1, 1)),
        **_boxes("event-sentence_date", dt.date(today.year + 1, 1, 1)),
    )
    assert "Sentence date must be today or in the past" in page
    assert not Offender.objects.filter(family_name="Datecheck").exists()


def test_every_error_is_shown_at_once_in_gov_uk_words(world: World) -> None:
    page = _register(
        world,
        **{"person-date_of_birth_day": "31", "person-date_of_birth_year": "1990"},
        **{
            "event-sentence_date_day": "31",
            "event-sentence_date_month": "2",
            "event-sentence_date_year": "2026",
        },
        **{"event-court": ""},
    )
    assert "Date of birth must include a month" in page
    assert "Sentence date must be a real date" in page
    assert "Enter the court" in page
    # What was typed stays in the boxes.
    assert 'name="person-date_of_birth_day" type="text" inputmode="numeric" value="31"' in page


def test_an_appointment_at_3_am_on_a_sunday_is_warned_about_then_booked_when_confirmed(world: World) -> None:
    case = world.cases["own"]
    client = Client()
    client.force_login(world.user("om"))
    today = timezone.localdate()
    sunday = today + dt.timedelta(days=(6 - today.weekday()) or 7)
    form = {
        "contact_type": "office",
        **_boxes("day", sunday),
        "start_time": "03:00",
        "duration_minutes": "60",
        "repeat": "none",
        "occurrences": "1",
        "enforceable": "on",
    }
    url = f"/supervision/cases/{case.crn}/appointments/new/"
    page = client.post(url, form).content.decode()
    assert (
        f"{sunday.day} {sunday:%B %Y} is a Sunday and 03:00 is outside office hours (08:00 to 20:00)" in page
    )
    assert not case.contacts.exists()
    assert client.post(url, {**form, "out_of_hours_confirmed": "on"}).status_code == 302
    assert case.contacts.count() == 1


def test_a_victim_contact_offer_dated_2099_is_refused(world: World) -> None:
    from oms.victims.forms import OfferForm

    form = OfferForm({"offered_on": "2099-01-01", "method": "written"}, offender=world.cases["own"])
    assert not form.is_valid()
    assert form.errors["offered_on"] == ["Date offered must be today or in the past"]


def test_a_bulk_import_refuses_a_birth_in_the_future_naming_the_row(world: World, tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text(
        "crn,first_name,family_name,date_of_birth,gender,area\n"
        f"Y000001,Ann,Example,2030-01-01,female,{world.area.name}\n"
    )
    result = import_offenders(read_rows(path, OFFENDER_COLUMNS), dry_run=True)
    assert [(e.row, e.field) for e in result.errors] == [(1, "date_of_birth")]
    assert "'2030-01-01' must be in the past" in result.errors[0].reason


def test_changing_a_date_of_birth_to_next_year_is_refused(world: World) -> None:
    case = make_case(world.area, world.staff["om"])
    client = Client()
    client.force_login(world.user("caseadmin"))
    page = client.post(
        f"/cases/{case.crn}/personal-details/",
        {
            "first_name": "Test",
            "family_name": case.family_name,
            "gender": "male",
            "first_language": "English",
            "version": str(case.version),
            **_boxes("date_of_birth", timezone.localdate() + dt.timedelta(days=400)),
        },
    ).content.decode()
    assert "Date of birth must be in the past" in page
    case.refresh_from_db()
    assert case.date_of_birth == dt.date(1980, 1, 1)
