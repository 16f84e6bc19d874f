"""Every form's few-choice questions are GOV.UK radios (a longer list stays a select), an answer that
needs a follow-up reveals it under that answer, and a failed submit shows the GOV.UK error on the radios."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from html import unescape
from typing import Any

import pytest
from django.forms import Form
from django.template import Context, Template
from django.test import Client
from django.urls import reverse

from oms.accounts.views import ApiTokenForm
from oms.cases.bulk import IMPORTERS
from oms.cases.constants import EventKind, Gender, TerminationReason
from oms.cases.forms import EventForm, PersonForm, TerminateEventForm
from oms.cases.import_views import ImportForm
from oms.cases.models import ContactType, Requirement
from oms.courts.constants import CourtType, Proposal, ReportKind
from oms.courts.forms import CourtOutcomeForm, ReportRequestForm, WriteReportForm
from oms.inspection.constants import SamplingMethod
from oms.inspection.forms import RatingForm, ReportTextForm, SampleForm
from oms.interventions.constants import MappaCategory, MappaLevel
from oms.interventions.forms import MappaRegistrationForm, ProgrammeEndForm, UnpaidWorkEntryForm
from oms.planning import services as planning
from oms.planning.constants import ContactLevel, Deliverer
from oms.planning.forms import ProgressForm
from oms.risk.forms import ScreeningForm
from oms.supervision.constants import ContactOutcome, RecallOutcome, RecallType, Repeat
from oms.supervision.forms import BreachForm, OutcomeForm, RecallForm, RecallOutcomeForm
from oms.supervision.models import Contact
from oms.tiering.forms import OverrideForm
from oms.victims.forms import OfferForm
from tests.factories import World, make_case, make_roh_screening

FIELD = Template("{% include 'includes/field.html' %}")
RADIO = re.compile(
    r'<input class="govuk-radios__input" id="([^"]+)" name="([^"]+)" type="radio" value="([^"]*)"([^>]*)>\s*'
    r'<label class="govuk-label govuk-radios__label" for="[^"]+">([^<]*)</label>'
)


def radios(html: str, name: str) -> list[tuple[str, str]]:
    """The (value, label) of each radio a person sees for the field called `name`."""
    return [
        (value, unescape(label)) for _id, field, value, _rest, label in RADIO.findall(html) if field == name
    ]


def checked(html: str, name: str) -> list[str]:
    return [
        value
        for _id, field, value, rest, _label in RADIO.findall(html)
        if field == name and "checked" in rest
    ]


def drawn(form: Form, name: str) -> str:
    return FIELD.render(Context({"field": form[name]}))


def labels(choices: Any) -> list[str]:
    return [str(label) for value, label in choices if value != ""]


FEW_CHOICES = [
    ("gender", lambda world: PersonForm(), "gender", Gender.choices),
    ("type of event", lambda world: EventForm(), "kind", EventKind.choices),
    ("type of report", lambda world: ReportRequestForm(), "kind", ReportKind.choices),
    ("type of court", lambda world: ReportRequestForm(), "court_type", CourtType.choices),
    ("sampling method", lambda world: SampleForm(), "method", SamplingMethod.choices),
    ("contact outcome", lambda world: OutcomeForm(), "outcome", ContactOutcome.choices),
    ("recall outcome", lambda world: RecallOutcomeForm(), "outcome", RecallOutcome.choices),
    (
        "type of recall",
        lambda world: RecallForm(offender=world.cases["own"]),
        "recall_type",
        RecallType.choices,
    ),
    (
        "MAPPA category",
        lambda world: MappaRegistrationForm(offender=world.cases["own"]),
        "category",
        MappaCategory.choices,
    ),
    (
        "MAPPA level",
        lambda world: MappaRegistrationForm(offender=world.cases["own"]),
        "level",
        MappaLevel.choices,
    ),
    (
        "inspection rating",
        lambda world: RatingForm(ratings=("strong", "good", "weak")),
        "rating",
        [("strong", "Strong"), ("good", "Good"), ("weak", "Weak")],
    ),
    (
        "override tier",
        lambda world: OverrideForm(tiers=("A", "B", "C", "D")),
        "tier",
        [("A", "A"), ("B", "B"), ("C", "C"), ("D", "D")],
    ),
]


@pytest.mark.parametrize(
    ("question", "make", "name", "choices"), FEW_CHOICES, ids=[question for question, *_ in FEW_CHOICES]
)
def test_a_question_with_a_few_answers_shows_each_answer_as_a_radio(
    world: World, question: str, make: Any, name: str, choices: Any
) -> None:
    html = drawn(make(world), name)
    assert 'class="govuk-radios"' in html and "<select" not in html
    # The question is the fieldset's legend; the select's "Choose" line is no answer and no radio.
    assert "<legend" in html and "Choose" not in html
    assert [label for _value, label in radios(html, name)] == labels(choices)
    assert checked(html, name) == []  # GOV.UK: no answer is chosen for the person


LONG_LISTS = [
    ("why an event ended", TerminateEventForm(), "reason", TerminationReason.choices),
    ("the report's proposal", WriteReportForm(), "proposal", Proposal.choices),
    ("the sentence passed", CourtOutcomeForm(), "sentence_passed", Proposal.choices),
    ("an objective's status", ProgressForm(), "status", None),
]


@pytest.mark.parametrize(
    ("question", "form", "name", "choices"), LONG_LISTS, ids=[question for question, *_ in LONG_LISTS]
)
def test_a_question_with_six_answers_or_more_stays_a_select(
    question: str, form: Form, name: str, choices: Any
) -> None:
    html = drawn(form, name)
    assert "<select" in html and "govuk-radios" not in html


def test_an_answer_that_can_be_left_open_is_the_last_radio_after_or_and_is_chosen_until_answered(
    world: World,
) -> None:
    html = drawn(OfferForm(offender=world.cases["own"]), "accepted")
    assert radios(html, "accepted") == [("yes", "Accepted"), ("no", "Declined"), ("", "No response yet")]
    assert html.index('class="govuk-radios__divider">or<') < html.index('value=""')
    assert checked(html, "accepted") == [""]
    answered = drawn(OfferForm(offender=world.cases["own"], initial={"accepted": "no"}), "accepted")
    assert checked(answered, "accepted") == ["no"]


def test_a_court_decision_not_yet_made_can_be_recorded_among_six_outcomes_in_a_list() -> None:
    html = drawn(BreachForm(), "outcome")
    assert "<select" in html and ">Not yet resolved</option>" in html


def test_each_finding_is_called_strength_area_or_left_out_by_radio_or_left_uncalled() -> None:
    form = ReportTextForm(findings=[("1.1", "Most reports were sufficiently analytical")])
    html = drawn(form, "call_1.1")
    assert [label for _value, label in radios(html, "call_1.1")] == [
        "Strength",
        "Area for improvement",
        "Leave out of the report",
        "Not yet called",
    ]


def test_the_screening_asks_each_indicator_of_risk_by_radios(world: World) -> None:
    screening = make_roh_screening(world.cases["own"], world.staff["om"], status="draft")
    form = ScreeningForm(document=screening)
    html = drawn(form, "indicator_public")
    assert [label for _value, label in radios(html, "indicator_public")] == [
        "Low",
        "Medium",
        "High",
        "Very high",
        "No indicator",
    ]
    # The case's one event is the one answer offered, chosen already as the screening's event.
    event = drawn(form, "event")
    assert radios(event, "event") == [(str(screening.event_id), str(screening.event))]
    assert checked(event, "event") == [str(screening.event_id)]


def test_not_completed_reveals_why_under_that_answer(world: World) -> None:
    html = drawn(ProgrammeEndForm(offender=world.cases["own"]), "completed")
    assert radios(html, "completed") == [("yes", "Completed"), ("no", "Not completed")]
    under_no = html[html.index('id="id_completed-2-conditional"') :]
    assert 'name="non_completion_reason"' in under_no and html.count('name="non_completion_reason"') == 1


def _client(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world.user(role))
    return client


def test_the_sentence_plan_asks_its_few_choice_questions_by_radios_with_follow_ups_revealed(
    world: World,
) -> None:
    case = world.cases["own"]
    plan = planning.start_plan(world.user("om"), case)
    page = _client(world, "om").get(reverse("planning:edit", args=[case.crn, plan.pk])).content.decode()

    assert [label for _v, label in radios(page, "planned_contact_level")] == [
        *labels(ContactLevel.choices),
        "Not decided yet",
    ]
    assert checked(page, "planned_contact_level") == [""]
    assert radios(page, "offender_agreed") == [("yes", "Yes"), ("no", "No"), ("", "Not recorded yet")]
    # The date the agreement was recorded is asked under "Yes", and only there.
    under_yes = page[
        page.index('id="id_offender_agreed-conditional"') : page.index('id="id_offender_agreed-2"')
    ]
    assert 'name="agreement_recorded_on_day"' in under_yes
    assert page.count('name="agreement_recorded_on_day"') == 1

    # Who delivers an objective: a named member of staff or a partner agency is asked under that answer.
    assert radios(page, "objectives-0-delivered_by") == [
        (value, str(label)) for value, label in Deliverer.choices
    ]
    assert checked(page, "objectives-0-delivered_by") == [Deliverer.OFFENDER_MANAGER]
    staff_reveal = page[
        page.index('id="id_objectives-0-delivered_by-2-conditional"') : page.index(
            'id="id_objectives-0-delivered_by-3"'
        )
    ]
    assert 'name="objectives-0-delivered_by_staff"' in staff_reveal
    # The staff picker is a list grouped by team.
    assert f'<optgroup label="{world.team.name}">' in staff_reveal
    partner_reveal = page[page.index('id="id_objectives-0-delivered_by-3-conditional"') :]
    assert 'name="objectives-0-partner_agency"' in partner_reveal.split("</fieldset>")[0]
    assert "govuk-radios" in page and "objectives-0-purpose" in page
    assert len(radios(page, "objectives-0-purpose")) == 5  # four purposes and "Not decided yet"


@pytest.fixture
def held_appointment(world: World, frozen_today: datetime) -> Contact:
    case = world.cases["own"]
    start = frozen_today - timedelta(days=1)
    return Contact.objects.create(
        offender=case,
        event=case.events.get(number=1),
        contact_type=ContactType.objects.get(code="office"),
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        staff=case.offender_manager,
    )


def test_an_acceptable_absence_asks_its_reason_under_that_answer(
    world: World, held_appointment: Contact
) -> None:
    page = (
        _client(world, "om").get(reverse("supervision:contact", args=[held_appointment.pk])).content.decode()
    )
    assert [label for _v, label in radios(page, "outcome")] == labels(ContactOutcome.choices)
    under_absence = page[page.index('id="id_outcome-2-conditional"') : page.index('id="id_outcome-3"')]
    assert 'name="absence_reason"' in under_absence and page.count('name="absence_reason"') == 1


def test_an_outcome_not_chosen_is_shown_as_a_govuk_error_on_the_radios(
    world: World, held_appointment: Contact
) -> None:
    response = _client(world, "om").post(
        reverse("supervision:contact", args=[held_appointment.pk]),
        {"version": held_appointment.version, "notes": "Left it blank"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert re.search(r"<title>Error: ", page)
    # The summary's link lands on the first radio; the message sits in the radios' fieldset.
    assert '<a href="#id_outcome">Choose the outcome</a>' in page
    fieldset = page[page.index('aria-describedby="id_outcome-error"') :]
    assert fieldset.index('id="id_outcome-error"') < fieldset.index('class="govuk-radios"')
    assert "govuk-form-group--error" in page[: page.index('id="id_outcome-error"')]


def test_a_report_request_missing_both_choices_shows_both_errors_at_once(world: World) -> None:
    response = _client(world, "om").post(
        reverse("courts:request", args=[world.cases["own"].crn]),
        {
            "court": "Northampton Magistrates' Court",
            "requested_on_day": "1",
            "requested_on_month": "9",
            "requested_on_year": "2026",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and re.search(r"<title>Error: ", page)
    assert '<a href="#id_kind">Choose the type of report</a>' in page
    assert '<a href="#id_court_type">Choose the type of court</a>' in page
    assert [label for _v, label in radios(page, "court_type")] == labels(CourtType.choices)


def test_appointments_repeat_by_radios_starting_on_does_not_repeat(world: World) -> None:
    case = world.cases["own"]
    page = _client(world, "om").get(reverse("supervision:book", args=[case.crn])).content.decode()
    assert radios(page, "repeat") == [(value, str(label)) for value, label in Repeat.choices]
    assert checked(page, "repeat") == [Repeat.NONE]


def test_a_case_with_one_licence_is_offered_it_as_a_radio_already_chosen(world: World) -> None:
    licence = make_case(world.area, world.staff["om"], kind=EventKind.LICENCE)
    event = licence.events.get()
    html = drawn(RecallForm(offender=licence), "event")
    assert radios(html, "event") == [(str(event.pk), str(event))]
    assert checked(html, "event") == [str(event.pk)]


def test_unpaid_work_hours_name_the_requirement_and_placement_by_radios(world: World) -> None:
    offender = world.cases["own"]
    requirement = Requirement.objects.get(event__offender=offender, requirement_type="unpaid_work")
    form = UnpaidWorkEntryForm(offender=offender)
    assert radios(drawn(form, "requirement"), "requirement") == [(str(requirement.pk), str(requirement))]
    # No placement yet: "None" is the one answer, and it is chosen.
    assert radios(drawn(form, "placement"), "placement") == [("", "None")]


def test_an_import_names_what_the_file_holds_by_radios() -> None:
    html = drawn(ImportForm(), "kind")
    assert [value for value, _label in radios(html, "kind")] == list(IMPORTERS)
    assert "Choose what the file holds" not in html


def test_an_api_token_is_read_only_unless_read_and_write_is_chosen() -> None:
    html = drawn(ApiTokenForm(), "scope")
    assert radios(html, "scope") == [("read", "Read only"), ("read_write", "Read and write")]
    assert checked(html, "scope") == ["read"]
