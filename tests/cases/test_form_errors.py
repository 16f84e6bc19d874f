"""The pages' one error path: a service's refusal is shown on the form that asked, which is re-shown."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import Client, RequestFactory
from django.utils import timezone

from oms.cases.form_errors import errors_as_message, errors_kept, errors_on
from oms.cases.services import CaseRuleError, StaleRecordError
from oms.supervision.models import Contact
from tests.factories import World


class NoteForm(forms.Form):
    day = forms.DateField()
    note = forms.CharField()


def _form() -> NoteForm:
    form = NoteForm({"day": "2026-11-02", "note": "Seen at home"})
    assert form.is_valid()
    return form


def test_a_broken_rule_is_shown_on_the_field_it_names() -> None:
    form = _form()
    with errors_on(form) as attempt:
        raise CaseRuleError("Enter a later date", field="day")
    assert not attempt.succeeded
    assert form.errors == {"day": ["Enter a later date"]}


def test_a_rule_naming_no_field_of_the_form_is_shown_for_the_whole_form() -> None:
    form = _form()
    with errors_on(form):
        raise CaseRuleError("The case is closed", field="event")
    assert form.non_field_errors() == ["The case is closed"]


def test_a_service_field_name_can_be_shown_on_the_forms_own_field() -> None:
    form = _form()
    with errors_on(form, {"starts_at": "day"}):
        raise CaseRuleError("Already booked then", field="starts_at")
    assert form.errors == {"day": ["Already booked then"]}


def test_every_problem_of_a_refusal_is_shown_on_its_own_field_and_rows_by_their_prefix() -> None:
    form = _form()
    rows = [
        NoteForm({f"row-{i}-day": "2026-11-02", f"row-{i}-note": "a"}, prefix=f"row-{i}") for i in range(2)
    ]
    problems = [("note", "Enter a note"), ("row-1-day", "Row 2: enter a later date"), ("plan", "Not yet")]
    with errors_on(form, also=rows):
        raise CaseRuleError("Enter a note", field="note", problems=problems)
    assert form.errors == {"note": ["Enter a note"], "__all__": ["Not yet"]}
    assert rows[1].errors == {"day": ["Row 2: enter a later date"]} and not rows[0].errors


def test_a_page_that_shows_its_own_refusal_keeps_every_problem() -> None:
    with errors_kept() as attempt:
        raise CaseRuleError("Choose yes or no", field="answer-1.1.a")
    assert not attempt.succeeded
    assert attempt.problems == [("answer-1.1.a", "Choose yes or no")]
    assert attempt.message == "Choose yes or no"


def test_a_stale_save_says_someone_else_changed_it() -> None:
    form = _form()
    with errors_on(form):
        raise StaleRecordError("This contact")
    assert "This contact was changed by someone else" in form.non_field_errors()[0]


def test_success_is_reported_and_other_failures_are_not_swallowed() -> None:
    form = _form()
    with errors_on(form) as attempt:
        pass
    assert attempt.succeeded and form.is_valid()
    with pytest.raises(ZeroDivisionError), errors_on(form):
        1 / 0  # noqa: B018


def test_a_button_without_a_form_tells_the_refusal_on_the_next_page() -> None:
    request = RequestFactory().post("/")
    request.session = {}  # type: ignore[attr-defined]
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    with errors_as_message(request) as attempt:
        raise StaleRecordError("This inspection")
    assert not attempt.succeeded
    assert [str(m) for m in get_messages(request)] == [str(StaleRecordError("This inspection"))]
    with errors_as_message(request) as attempt:
        pass
    assert attempt.succeeded


def test_an_over_long_note_on_a_page_is_a_field_error_not_a_server_error(world: World) -> None:
    client = Client()
    client.force_login(world.user("om"))
    case = world.cases["own"]
    day = (timezone.localdate() + timedelta(days=3)).isoformat()
    form = {
        "contact_type": "office",
        "day": day,
        "start_time": "10:00",
        "duration_minutes": "60",
        "repeat": "none",
        "occurrences": "1",
        "notes": "x" * 100_001,
    }
    response = client.post(f"/supervision/cases/{case.crn}/appointments/new/", form)
    assert response.status_code == 200
    page = response.content.decode()
    assert (
        '<p class="govuk-error-message" id="id_notes-error"><span class="govuk-visually-hidden">Error:</span> '
        "Enter at most 100,000 characters (this has 100,001)</p>"
    ) in page
    assert not Contact.objects.filter(offender=case).exists()
