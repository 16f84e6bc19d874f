"""Template filters for GOV.UK form components that Django's widgets do not draw alone."""

from __future__ import annotations

from django import template
from django.forms import BoundField

from oms.cases.date_input import PARTS, date_parts
from oms.cases.form_messages import govuk_message
from oms.cases.radios import is_prompt

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


@register.filter
def radio_items(field: BoundField) -> list[dict[str, object]]:
    """A GOV.UK radios field's items: the first carries the field's id (the error summary links to it),
    and an item that reveals another field (`GovukRadios(reveals=...)`) carries that bound field.

    An empty choice with its own words ("Not decided yet") comes last, after GOV.UK's "or" divider, so
    an answer once given can be taken back; a select's "Choose" prompt is no radio at all."""
    reveals = getattr(field.field.widget, "reveals", {})
    value = field.value()
    chosen = str(value if value is not None else "")
    # A required question's empty choice ("Choose", Django's "---------") is never an answer.
    choices = [
        (v, label)
        for v, label in field.field.choices  # type: ignore[attr-defined]
        if not (v == "" and (field.field.required or is_prompt(v, label)))
    ]
    answers = [choice for choice in choices if choice[0] != ""]
    not_yet = [choice for choice in choices if choice[0] == ""]
    items: list[dict[str, object]] = []
    for choice, label in [*answers, *not_yet]:
        number = len(items)
        items.append(
            {
                "value": choice,
                "label": label,
                "id": field.auto_id if number == 0 else f"{field.auto_id}-{number + 1}",
                "checked": str(choice) == chosen,
                "revealed": field.form[reveals[choice]] if choice in reveals else None,
                "divider": choice == "" and bool(answers),
            }
        )
    return items


@register.filter
def is_revealed(field: BoundField) -> bool:
    """A field shown inside another field's radio item (drawn there, not in the form's own order)."""
    return any(
        field.name in getattr(other.widget, "reveals", {}).values() for other in field.form.fields.values()
    )
