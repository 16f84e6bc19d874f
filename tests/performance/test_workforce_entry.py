"""Workforce records entered by managers (criterion 4.4): each form's happy path and refusals, who may
enter what, and the workforce page showing the person no longer behind."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from oms.organisation.models import Staff
from oms.performance.constants import SicknessReason
from oms.performance.models import (
    Appraisal,
    SicknessAbsence,
    SupervisionSession,
    TrainingCompleted,
    TrainingNeed,
)
from tests.factories import World

User = get_user_model()

pytestmark = pytest.mark.django_db

# A past week with no bank holiday: Monday 2 March to Friday 6 March 2026.
MONDAY = date(2026, 3, 2)
FRIDAY = date(2026, 3, 6)
FORMS = ("sickness", "supervision", "appraisal", "training-need", "training-completed")


def client_for(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def url(person: Staff, form: str) -> str:
    return f"/performance/workforce/{person.pk}/{form}/"


def other_team_officer(world: World) -> Staff:
    officer = world.cases["other_team"].offender_manager
    assert officer is not None
    return officer


def far_officer(world: World) -> Staff:
    officer = world.cases["other_area"].offender_manager
    assert officer is not None
    return officer


def today() -> date:
    return timezone.localdate()


def row_of(page: str, person: Staff) -> str:
    """The workforce table row of one person."""
    found = re.search(rf'<tr class="govuk-table__row" data-staff="{person.pk}">(.*?)</tr>', page, re.S)
    assert found, f"{person.full_name} is not on the page"
    return found.group(1)


def behind(page: str, person: Staff) -> list[str]:
    """What the page says the person is behind on (its red tags)."""
    return re.findall(r'govuk-tag--red">(\w+)</strong>', row_of(page, person))


def assert_error_naming(response: object, field: str, message: str) -> None:
    text = response.content.decode()  # type: ignore[attr-defined]
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert "There is a problem" in text
    assert re.search(rf'href="#id_{field}(?:_day)?">[^<]*{re.escape(message)}', text), text


# ---------------------------------------------------------------- who may record for whom


@pytest.mark.parametrize("username", ["om", "caseadmin", "vlo", "interventions", "partner", "prison"])
def test_people_who_are_not_managers_are_refused_every_form(world: World, username: str) -> None:
    client = client_for(username)
    for form in FORMS:
        assert client.get(url(world.teammate, form)).status_code == 403, form
    response = client.post(url(world.teammate, "training-need"), {"description": "MAPPA"})
    assert response.status_code == 403
    assert not TrainingNeed.objects.exists()


def test_an_spo_records_only_for_the_teams_they_manage(world: World) -> None:
    client = client_for("spo")
    for form in FORMS:
        assert client.get(url(world.teammate, form)).status_code == 200, form
        assert client.get(url(other_team_officer(world), form)).status_code == 403, form
        assert client.get(url(far_officer(world), form)).status_code == 403, form
    # Not their own records either: the SPO is not one of the people they manage.
    assert client.get(url(world.staff["spo"], "sickness")).status_code == 403


def test_a_senior_manager_records_for_the_area_but_not_another(world: World) -> None:
    client = client_for("aco")
    for form in FORMS:
        assert client.get(url(other_team_officer(world), form)).status_code == 200, form
        assert client.get(url(far_officer(world), form)).status_code == 403, form


def test_a_manager_may_not_record_their_own_appraisal(world: World) -> None:
    client = client_for("aco")
    aco = world.staff["aco"]
    assert client.get(url(aco, "appraisal")).status_code == 403
    response = client.post(
        url(aco, "appraisal"),
        {"held_on": today().isoformat(), "appraiser": aco.pk, "objectives_summary": "Mine"},
    )
    assert response.status_code == 403
    assert not Appraisal.objects.exists()
    # Their own sickness they may record; the page offers no appraisal link on their own row.
    assert client.get(url(aco, "sickness")).status_code == 200
    row = row_of(client.get("/performance/workforce/").content.decode(), aco)
    assert url(aco, "sickness") in row and url(aco, "appraisal") not in row


def test_the_workforce_page_links_each_person_to_the_five_forms(world: World) -> None:
    row = row_of(client_for("spo").get("/performance/workforce/").content.decode(), world.teammate)
    for form in FORMS:
        assert url(world.teammate, form) in row


def test_an_unknown_person_is_not_found(world: World) -> None:
    assert client_for("aco").get("/performance/workforce/999999/sickness/").status_code == 404


# ---------------------------------------------------------------- sickness absence


def sickness(**fields: object) -> dict[str, object]:
    return {"first_day": MONDAY.isoformat(), "reason_category": SicknessReason.MINOR_ILLNESS, **fields}


def test_sickness_from_first_and_last_day_counts_the_working_days(world: World) -> None:
    response = client_for("spo").post(url(world.teammate, "sickness"), sickness(last_day=FRIDAY.isoformat()))
    assert response.status_code == 302 and response["Location"] == "/performance/workforce/"
    absence = SicknessAbsence.objects.get(staff=world.teammate)
    assert (absence.first_day, absence.last_day) == (MONDAY, FRIDAY)
    assert absence.working_days_lost == Decimal(5)
    assert absence.reason_category == SicknessReason.MINOR_ILLNESS
    assert absence.history.get().history_user.username == "spo"


def test_sickness_from_working_days_works_out_the_last_day(world: World) -> None:
    # Seven working days from Monday 2 March: to Tuesday 10 March, over the weekend.
    client_for("spo").post(url(world.teammate, "sickness"), sickness(working_days_lost="7"))
    absence = SicknessAbsence.objects.get(staff=world.teammate)
    assert absence.last_day == date(2026, 3, 10)
    assert absence.working_days_lost == Decimal(7)


def test_sickness_with_both_keeps_the_days_given_for_part_time_staff(world: World) -> None:
    client_for("spo").post(
        url(world.teammate, "sickness"), sickness(last_day=FRIDAY.isoformat(), working_days_lost="2.5")
    )
    assert SicknessAbsence.objects.get(staff=world.teammate).working_days_lost == Decimal("2.5")


def test_sickness_that_ends_before_it_starts_is_refused(world: World) -> None:
    response = client_for("spo").post(
        url(world.teammate, "sickness"), sickness(last_day=(MONDAY - timedelta(days=1)).isoformat())
    )
    assert_error_naming(response, "last_day", "The last day must be the same as or after the first day")
    assert not SicknessAbsence.objects.exists()


def test_sickness_overlapping_one_already_recorded_is_refused(world: World) -> None:
    client = client_for("spo")
    client.post(url(world.teammate, "sickness"), sickness(last_day=FRIDAY.isoformat()))
    response = client.post(
        url(world.teammate, "sickness"),
        sickness(first_day=FRIDAY.isoformat(), last_day=(FRIDAY + timedelta(days=3)).isoformat()),
    )
    assert_error_naming(
        response, "first_day", "This absence overlaps one already recorded (2 March 2026 to 6 March 2026)"
    )
    assert SicknessAbsence.objects.count() == 1
    # Someone else's absence on the same days is no overlap.
    other = client_for("aco").post(
        url(other_team_officer(world), "sickness"), sickness(last_day=FRIDAY.isoformat())
    )
    assert other.status_code == 302


def test_sickness_overlapping_an_open_absence_is_refused(world: World) -> None:
    SicknessAbsence.objects.create(
        staff=world.teammate, first_day=MONDAY - timedelta(days=30), working_days_lost=Decimal(20)
    )
    response = client_for("spo").post(url(world.teammate, "sickness"), sickness(working_days_lost="1"))
    assert_error_naming(
        response, "first_day", "This absence overlaps one already recorded (31 January 2026 to still absent)"
    )


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({}, "last_day", "Enter the last day of the absence or the working days lost"),
        ({"first_day": "", "last_day": "2026-03-06"}, "first_day", "Enter the first day of the absence"),
        ({"first_day": "2026-02-30", "last_day": "2026-03-06"}, "first_day", "must be a real date"),
        ({"reason_category": "", "last_day": "2026-03-06"}, "reason_category", "Choose the reason"),
        ({"working_days_lost": "0"}, "working_days_lost", "Working days lost must be more than 0"),
        ({"working_days_lost": "1.3"}, "working_days_lost", "in whole or half days"),
        ({"working_days_lost": "lots"}, "working_days_lost", "Working days lost must be a number"),
        (
            {"last_day": "2026-03-03", "working_days_lost": "3"},
            "working_days_lost",
            "Working days lost cannot be more than the 2 days",
        ),
        (
            {"first_day": "2026-03-07", "last_day": "2026-03-08"},
            "last_day",
            "There are no working days from the first day to the last",
        ),
    ],
)
def test_bad_sickness_gets_an_error_summary_naming_the_field(
    world: World, fields: dict[str, str], field: str, message: str
) -> None:
    response = client_for("spo").post(url(world.teammate, "sickness"), sickness(**fields))
    assert_error_naming(response, field, message)
    assert not SicknessAbsence.objects.exists()


def test_sickness_starting_in_the_future_is_refused(world: World) -> None:
    tomorrow = today() + timedelta(days=1)
    response = client_for("spo").post(
        url(world.teammate, "sickness"), sickness(first_day=tomorrow.isoformat(), working_days_lost="1")
    )
    assert_error_naming(response, "first_day", "First day of the absence must be today or in the past")


def test_recorded_sickness_shows_on_the_page(world: World) -> None:
    client = client_for("spo")
    start = today() - timedelta(days=14)
    client.post(url(world.teammate, "sickness"), sickness(first_day=start.isoformat(), working_days_lost="3"))
    response = client.get("/performance/workforce/")
    assert "Sickness absence recorded for" in response.content.decode()
    cells = re.findall(
        r'<td class="govuk-table__cell[^"]*"[^>]*>(.*?)</td>',
        row_of(response.content.decode(), world.teammate),
        re.S,
    )
    assert cells[4] == "3"


# ---------------------------------------------------------------- supervision session


def test_supervision_form_defaults_the_supervisor_to_the_manager(world: World) -> None:
    page = client_for("spo").get(url(world.teammate, "supervision")).content.decode()
    assert f'<option value="{world.staff["spo"].pk}" selected>' in page
    # Today in the GOV.UK date input's three boxes.
    assert f'name="held_on_day" type="text" inputmode="numeric" value="{today().day}"' in page
    assert f'name="held_on_year" type="text" inputmode="numeric" value="{today().year}"' in page


def test_two_supervision_sessions_clear_supervision_behind(world: World) -> None:
    client = client_for("spo")
    assert "Supervision" in behind(client.get("/performance/workforce/").content.decode(), world.teammate)
    for days_ago in (40, 2):
        response = client.post(
            url(world.teammate, "supervision"),
            {
                "held_on": (today() - timedelta(days=days_ago)).isoformat(),
                "supervisor": world.staff["spo"].pk,
                "notes": "Caseload and high RoH cases reviewed",
            },
        )
        assert response.status_code == 302
    session = SupervisionSession.objects.filter(staff=world.teammate).first()
    assert session is not None and session.supervisor == world.staff["spo"]
    assert session.notes == "Caseload and high RoH cases reviewed"
    page = client.get("/performance/workforce/").content.decode()
    assert "2 of 2" in row_of(page, world.teammate)
    assert "Supervision" not in behind(page, world.teammate)


def test_supervision_in_the_future_is_refused(world: World) -> None:
    response = client_for("spo").post(
        url(world.teammate, "supervision"),
        {"held_on": (today() + timedelta(days=1)).isoformat(), "supervisor": world.staff["spo"].pk},
    )
    assert_error_naming(response, "held_on", "Date of the session must be today or in the past")
    assert not SupervisionSession.objects.exists()


def test_supervision_without_date_or_supervisor_names_the_fields(world: World) -> None:
    response = client_for("spo").post(url(world.teammate, "supervision"), {"held_on": "", "supervisor": ""})
    assert_error_naming(response, "held_on", "Enter the date of the session")
    assert_error_naming(response, "supervisor", "Choose the supervisor")


def test_a_person_cannot_be_chosen_as_their_own_supervisor(world: World) -> None:
    spo = world.staff["spo"]
    response = client_for("aco").post(
        url(spo, "supervision"), {"held_on": today().isoformat(), "supervisor": spo.pk}
    )
    assert_error_naming(response, "supervisor", "Choose the supervisor from the list")
    assert not SupervisionSession.objects.exists()


# ---------------------------------------------------------------- appraisal


def test_an_appraisal_within_twelve_months_clears_appraisal_overdue(world: World) -> None:
    client = client_for("spo")
    Appraisal.objects.create(staff=world.teammate, held_on=today() - timedelta(days=400))
    assert "Appraisal" in behind(client.get("/performance/workforce/").content.decode(), world.teammate)
    response = client.post(
        url(world.teammate, "appraisal"),
        {
            "held_on": (today() - timedelta(days=3)).isoformat(),
            "appraiser": world.staff["spo"].pk,
            "objectives_summary": "Countersigning on time; OASys quality",
        },
    )
    assert response.status_code == 302
    appraisal = Appraisal.objects.get(staff=world.teammate, held_on=today() - timedelta(days=3))
    assert appraisal.appraiser == world.staff["spo"]
    assert appraisal.objectives_summary == "Countersigning on time; OASys quality"
    page = client.get("/performance/workforce/").content.decode()
    assert "Appraisal recorded for" in page
    assert "Appraisal" not in behind(page, world.teammate)
    assert (today() - timedelta(days=3)).strftime("%B %Y") in row_of(page, world.teammate)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"held_on": "2099-01-01"}, "held_on", "Date of the appraisal must be today or in the past"),
        ({"objectives_summary": ""}, "objectives_summary", "Summarise the objectives agreed"),
        ({"appraiser": ""}, "appraiser", "Choose the appraiser"),
        ({"held_on": ""}, "held_on", "Enter the date of the appraisal"),
    ],
)
def test_bad_appraisal_is_refused_naming_the_field(
    world: World, fields: dict[str, str], field: str, message: str
) -> None:
    data = {
        "held_on": today().isoformat(),
        "appraiser": str(world.staff["spo"].pk),
        "objectives_summary": "Objectives",
        **fields,
    }
    response = client_for("spo").post(url(world.teammate, "appraisal"), data)
    assert_error_naming(response, field, message)
    assert not Appraisal.objects.exists()


# ---------------------------------------------------------------- training


def test_a_training_need_shows_as_behind_until_a_course_meets_it(world: World) -> None:
    client = client_for("spo")
    response = client.post(
        url(world.teammate, "training-need"),
        {"description": "Child protection", "identified_on": (today() - timedelta(days=20)).isoformat()},
    )
    assert response.status_code == 302
    need = TrainingNeed.objects.get(staff=world.teammate)
    assert "Training" in behind(client.get("/performance/workforce/").content.decode(), world.teammate)

    form_page = client.get(url(world.teammate, "training-completed")).content.decode()
    assert "Child protection (identified" in form_page
    response = client.post(
        url(world.teammate, "training-completed"),
        {"course": "Child protection level 2", "completed_on": today().isoformat(), "training_need": need.pk},
    )
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.met_on == today()
    done = TrainingCompleted.objects.get(staff=world.teammate)
    assert done.training_need == need and done.course == "Child protection level 2"
    assert "Training" not in behind(client.get("/performance/workforce/").content.decode(), world.teammate)
    # A met need is no longer offered.
    assert (
        "Child protection (identified"
        not in client.get(url(world.teammate, "training-completed")).content.decode()
    )


def test_training_completed_without_a_need_counts_as_training_done(world: World) -> None:
    client = client_for("spo")
    response = client.post(
        url(world.teammate, "training-completed"),
        {
            "course": "Enforcement",
            "completed_on": (today() - timedelta(days=5)).isoformat(),
            "training_need": "",
        },
    )
    assert response.status_code == 302
    assert TrainingCompleted.objects.get(staff=world.teammate).training_need is None
    cells = re.findall(
        r'<td class="govuk-table__cell[^"]*"[^>]*>(.*?)</td>',
        row_of(client.get("/performance/workforce/").content.decode(), world.teammate),
        re.S,
    )
    assert cells[6] == "1"


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"description": ""}, "description", "Enter the training needed"),
        (
            {"identified_on": "2099-01-01"},
            "identified_on",
            "Date identified must be today or in the past",
        ),
        ({"identified_on": "yesterday"}, "identified_on", "Date identified must be a real date"),
    ],
)
def test_bad_training_need_is_refused_naming_the_field(
    world: World, fields: dict[str, str], field: str, message: str
) -> None:
    data = {"description": "MAPPA", "identified_on": today().isoformat(), **fields}
    response = client_for("spo").post(url(world.teammate, "training-need"), data)
    assert_error_naming(response, field, message)
    assert not TrainingNeed.objects.exists()


def test_training_completed_before_the_need_was_identified_cannot_meet_it(world: World) -> None:
    need = TrainingNeed.objects.create(staff=world.teammate, description="MAPPA", identified_on=today())
    response = client_for("spo").post(
        url(world.teammate, "training-completed"),
        {
            "course": "MAPPA",
            "completed_on": (today() - timedelta(days=1)).isoformat(),
            "training_need": need.pk,
        },
    )
    assert_error_naming(response, "completed_on", "a course completed before then cannot meet it")
    need.refresh_from_db()
    assert need.met_on is None and not TrainingCompleted.objects.exists()


def test_someone_elses_or_a_met_need_cannot_be_chosen(world: World) -> None:
    theirs = TrainingNeed.objects.create(
        staff=other_team_officer(world), description="MAPPA", identified_on=today() - timedelta(days=9)
    )
    met = TrainingNeed.objects.create(
        staff=world.teammate,
        description="OASys",
        identified_on=today() - timedelta(days=9),
        met_on=today() - timedelta(days=2),
    )
    client = client_for("spo")
    for need in (theirs, met):
        response = client.post(
            url(world.teammate, "training-completed"),
            {"course": "MAPPA", "completed_on": today().isoformat(), "training_need": need.pk},
        )
        assert_error_naming(response, "training_need", "Choose one of the open training needs, or none")
    assert not TrainingCompleted.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"course": ""}, "course", "Enter the course"),
        (
            {"completed_on": "2099-01-01"},
            "completed_on",
            "Date completed must be today or in the past",
        ),
        ({"completed_on": ""}, "completed_on", "Enter the date completed"),
    ],
)
def test_bad_training_completed_is_refused_naming_the_field(
    world: World, fields: dict[str, str], field: str, message: str
) -> None:
    data = {"course": "Diversity", "completed_on": today().isoformat(), **fields}
    response = client_for("spo").post(url(world.teammate, "training-completed"), data)
    assert_error_naming(response, field, message)
    assert not TrainingCompleted.objects.exists()
