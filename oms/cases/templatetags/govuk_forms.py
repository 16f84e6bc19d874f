"""Template filters for GOV.UK form components that Django's widgets do not draw alone."""

from __future__ import annotations

from django import template
from django.forms import BoundField

from oms.cases.date_input import PARTS, date_parts

register = template.Library()

_LABELS = {"day": "Day", "month": "Month", "year": "Year"}
_WIDTHS = {"day": "2", "month": "2", "year": "4"}


@register.filter
def date_boxes(field: BoundField) -> list[tuple[str, str, str, str]]:
    """The day, month and year boxes of a GOV.UK date input, each with what was typed in it."""
    values = date_parts(field.value())
    return [(part, _LABELS[part], _WIDTHS[part], value) for part, value in zip(PARTS, values, strict=True)]
