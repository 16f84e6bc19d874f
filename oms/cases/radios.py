"""GOV.UK radios for a field with a few choices, optionally revealing a follow-up field under one of them."""

from __future__ import annotations

from typing import Any

from django import forms


class GovukRadios(forms.RadioSelect):
    """Radios drawn by includes/field.html; `reveals` maps a choice to the name of the field it shows
    (GOV.UK's conditional reveal: "Roll back" shows "What must improve")."""

    def __init__(self, *args: Any, reveals: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.reveals = reveals or {}


# GOV.UK Design System: radios when there are a few choices (all seen at once, one click); a select
# only when a longer list would make radios hard to scan.
MOST_CHOICES_AS_RADIOS = 5


def is_prompt(value: Any, label: Any) -> bool:
    """A select's "Choose ..." line: not an answer, so never a radio. An empty choice with its own words
    ("Not decided yet", "No response yet") is an answer a person gives, and stays one."""
    return value == "" and str(label).startswith("Choose")


def choice_widget(choices: Any, reveals: dict[str, str] | None = None) -> forms.Widget:
    """Radios for a field with a few choices (the empty choice not counted), else a select."""
    real = [value for value, _label in choices if value != ""]
    return GovukRadios(reveals=reveals) if len(real) <= MOST_CHOICES_AS_RADIOS else forms.Select()


def offer_choices(field: forms.Field, choices: Any) -> None:
    """Give a field whose choices are known only when the form is made (the case's events, the
    framework's tiers) those choices, as radios when they are few."""
    assert isinstance(field, forms.ChoiceField)
    choices = list(choices)
    field.widget = choice_widget(choices)
    field.choices = choices
