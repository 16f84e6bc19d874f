"""A field with a few choices is GOV.UK radios; a choice that needs a follow-up reveals that field."""

from __future__ import annotations

import re

from django.template import Context, Template

from oms.risk.forms import CountersignDecision

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
