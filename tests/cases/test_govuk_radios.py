"""A field with a few choices is GOV.UK radios; a choice that needs a follow-up reveals that field."""

from __future__ import annotations

import re

from django.template import Context, Template

from oms.cases.radios import GovukRadios, choice_widget
from oms.risk.forms import CountersignDecision
from oms.supervision.forms import ReminderPreferenceForm

FIELDS = Template("{% for field in form.visible_fields %}{% include 'includes/field.html' %}{% endfor %}")


def test_the_countersigning_decision_is_two_radios_and_roll_back_reveals_what_must_improve() -> None:
    form = CountersignDecision(data={"version": 1, "decision": "roll_back", "reason": " "})
    assert not form.is_valid()
    html = FIELDS.render(Context({"form": form}))
    radios = re.findall(
        r'<input class="govuk-radios__input" id="([^"]+)" name="decision" type="radio" value="(\w+)"', html
    )
    # The first radio carries the field's id, so the error summary's link lands on it.
    assert radios == [("id_decision", "countersign"), ("id_decision-2", "roll_back")]
    assert "<select" not in html and "<legend" in html
    conditional = html[html.index('id="id_decision-2-conditional"') :]
    assert 'data-aria-controls="id_decision-2-conditional"' in html
    assert 'name="reason"' in conditional and html.count('name="reason"') == 1
    assert "Enter what must be improved before this can be countersigned" in conditional
    # The chosen answer stays chosen when the page comes back with the error.
    assert re.search(r'value="roll_back" checked', html)


def test_no_choice_made_is_one_error_on_the_radios() -> None:
    form = CountersignDecision(data={"version": 1})
    assert not form.is_valid()
    html = FIELDS.render(Context({"form": form}))
    assert "Choose whether to countersign or roll back" in html
    assert "checked" not in html


def test_the_error_summary_links_to_the_first_radio() -> None:
    form = CountersignDecision(data={"version": 1})
    assert not form.is_valid()
    summary = Template("{% include 'includes/error_summary.html' %}").render(Context({"form": form}))
    assert '<a href="#id_decision">Choose whether to countersign or roll back</a>' in summary


def test_a_few_choices_are_radios_and_a_long_list_stays_a_select() -> None:
    few = [(str(n), str(n)) for n in range(1, 6)]
    many = [(str(n), str(n)) for n in range(1, 7)]
    assert isinstance(choice_widget(few), GovukRadios)
    # The empty "Choose" choice of a select is not a choice a person makes.
    assert isinstance(choice_widget([("", "Choose"), *few]), GovukRadios)
    assert not isinstance(choice_widget(many), GovukRadios)


def test_reminders_by_text_or_email_reveal_the_number_or_the_address_under_the_choice() -> None:
    form = ReminderPreferenceForm(initial={"channel": "sms", "version": 1})
    html = FIELDS.render(Context({"form": form}))
    under_text = html[html.index('id="id_channel-conditional"') : html.index('value="email"')]
    assert 'name="mobile_number"' in under_text and 'name="email_address"' not in under_text
    under_email = html[html.index('id="id_channel-2-conditional"') :]
    assert 'name="email_address"' in under_email
    assert re.search(r'value="sms" checked', html)
