"""Template filters for GOV.UK form components that Django's widgets do not draw alone."""

from __future__ import annotations

from django import template
from django.forms import BoundField

from oms.cases.date_input import PARTS, date_parts
from oms.cases.form_messages import govuk_message

register = template.Library()

_LABELS = {"day": "Day", "month": "Month", "year": "Year"}
_WIDTHS = {"day": "2", "month": "2", "year": "4"}


@register.filter
def date_boxes(field: BoundField) -> list[tuple[str, str, str, str]]:
    """The day, month and year boxes of a GOV.UK date input, each with what was typed in it."""
    values = date_parts(field.value())
    return [(part, _LABELS[part], _WIDTHS[part], value) for part, value in zip(PARTS, values, strict=True)]


@register.filter
def govuk_error(message: str, field: BoundField) -> str:
    """One of the field's errors in GOV.UK words, naming the field (see oms/cases/form_messages.py)."""
    is_choice = hasattr(field.field, "choices") or getattr(field.field.widget, "input_type", "") in (
        "radio",
        "select",
    )
    return govuk_message(str(message), str(field.label), is_choice=is_choice)


@register.filter
def is_choice_group(label: object) -> bool:
    """A choice whose label is a list of choices: an `<optgroup>`."""
    return isinstance(label, list | tuple)
