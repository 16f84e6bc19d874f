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


def choice_widget(choices: Any) -> forms.Widget:
    """Radios for a field with a few choices (the empty "Choose" choice not counted), else a select."""
    real = [value for value, _label in choices if value != ""]
    return GovukRadios() if len(real) <= MOST_CHOICES_AS_RADIOS else forms.Select()
