"""The GOV.UK date input (day, month and year boxes) as one Django widget and field, for every form.

Browsers' date pickers are hard to use with a keyboard and a screen reader and cannot take a date
typed as people say it; the GOV.UK Design System asks for three boxes. The field checks each date
against the one date rule (`oms.timescales.date_rules`) and says what is wrong in GOV.UK words
("Date of birth must include a month", "Date offered must be today or in the past").

A form posted by a script may still send one ISO value (`date_of_birth=1990-05-17`) under the
field's own name: the widget takes it, so the API and older clients are unaffected.

Filter forms sent by GET (the actions list's "As of", the calendar's "Week of") read their date
through `date_from_query`, with the same boxes, the same messages and the same ISO fallback, so a
link such as `?as_of=2026-11-20` keeps working.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import forms
from django.forms import BoundField
from django.http import QueryDict
from django.utils import timezone

from oms.timescales.date_rules import DateKind, date_problem

PARTS = ("day", "month", "year")


class GovukDateInput(forms.MultiWidget):
    input_type = "govuk-date"
    template_name = "includes/date_input_widget.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        numeric = {"inputmode": "numeric"}
        super().__init__({part: forms.TextInput(attrs=numeric) for part in PARTS}, attrs)

    def decompress(self, value: Any) -> list[str]:
        return list(date_parts(value))

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        if not any(f"{name}_{part}" in data for part in PARTS) and name in data:
            return data.get(name)
        return [str(data.get(f"{name}_{part}", "")).strip() for part in PARTS]

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and all(f"{name}_{part}" not in data for part in PARTS)

    def id_for_label(self, id_: str) -> str:
        # The error summary links to the day box, as the Design System asks.
        return f"{id_}_day" if id_ else ""


def date_parts(value: Any) -> tuple[str, str, str]:
    """Day, month and year to show in the boxes, from a date, an ISO string or the boxes as typed."""
    if isinstance(value, dt.date):
        return str(value.day), str(value.month), str(value.year)
    if isinstance(value, list | tuple) and len(value) == len(PARTS):
        return str(value[0] or ""), str(value[1] or ""), str(value[2] or "")
    if isinstance(value, str) and value:
        try:
            parsed = dt.date.fromisoformat(value)
        except ValueError:
            return "", "", ""
        return str(parsed.day), str(parsed.month), str(parsed.year)
    return "", "", ""


class DateField(forms.Field):
    """A date typed in the GOV.UK date input, checked against the date rule for what it records."""

    widget = GovukDateInput

    def __init__(self, *, kind: DateKind = DateKind.ANY, **kwargs: Any) -> None:
        self.kind = kind
        super().__init__(**kwargs)
        label = str(self.label or "Date")
        if self.error_messages["required"] == forms.Field.default_error_messages["required"]:
            self.error_messages["required"] = f"Enter the {label[0].lower()}{label[1:]}"
        self.error_messages.setdefault("invalid", f"{label} must be a real date")

    @property
    def _what(self) -> str:
        return str(self.label or "Date")

    def to_python(self, value: Any) -> dt.date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        day, month, year = (str(part).strip() for part in value)
        if not (day or month or year):
            return None
        missing = [name for name, part in zip(PARTS, (day, month, year), strict=True) if not part]
        if missing:
            raise forms.ValidationError(
                f"{self._what} must include a {' and a '.join(missing)}", code="incomplete"
            )
        if not (day.isdigit() and month.isdigit() and year.isdigit()):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if len(year) != 4:
            raise forms.ValidationError("Year must include 4 numbers", code="invalid_year")
        try:
            return dt.date(int(year), int(month), int(day))
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is not None:
            problem = date_problem(value, self.kind, timezone.localdate(), self._what)
            if problem:
                raise forms.ValidationError(problem, code="implausible")

    def has_changed(self, initial: Any, data: Any) -> bool:
        try:
            return self.to_python(data) != self.to_python(initial)
        except forms.ValidationError:
            return True


def date_field(
    label: str, *, required: bool = True, help_text: str = "", kind: DateKind = DateKind.ANY
) -> DateField:
    """The date field every form uses: `kind` says what the date records (see DateKind)."""
    return DateField(
        label=label, required=required, help_text=help_text or "For example, 27 3 2007", kind=kind
    )


# A filter's date is usually near today, so its hint is a date of this decade.
FILTER_HINT = "For example, 27 11 2026"


class _DateFilterForm(forms.Form):
    """One date of a GET filter form, with ids that are the field's own name (`as_of`, `as_of_day`)."""

    def __init__(
        self, name: str, label: str, data: QueryDict | None = None, initial: dict[str, Any] | None = None
    ) -> None:
        super().__init__(data, auto_id="%s", initial=initial)
        self.fields[name] = DateField(label=label, required=False, help_text=FILTER_HINT)


@dataclass(frozen=True)
class QueryDate:
    """A date read from a filter form's query string: the date (None when it was left out or is not
    a real date) and the GOV.UK error naming the field."""

    name: str
    label: str
    value: dt.date | None
    error: str
    typed: BoundField | None  # the field as typed, kept only when it was wrong

    @property
    def anchor(self) -> str:
        """Where the error summary links: the day box, as the Design System asks."""
        return f"{self.name}_day"

    def field(self, shown: dt.date | None) -> BoundField:
        """The boxes to draw: what was typed when it was wrong (so it can be corrected), otherwise
        `shown`, the date the page is showing."""
        if self.typed is not None:
            return self.typed
        return _DateFilterForm(self.name, self.label, initial={self.name: shown})[self.name]

    def carry(self, query: QueryDict) -> None:
        """Put the date in links (pages, sorts, tabs) as one ISO value, whichever way it was typed;
        a wrong date is left out, so the links show the page's default date as the page does."""
        for part in PARTS:
            query.pop(f"{self.name}_{part}", None)
        query.pop(self.name, None)
        if self.value is not None:
            query[self.name] = self.value.isoformat()


def date_from_query(data: QueryDict, name: str, label: str) -> QueryDate:
    """The date typed in a GET filter's GOV.UK date input (`name_day`, `name_month`, `name_year`) or
    given as one ISO value under `name`, checked as every form's dates are."""
    form = _DateFilterForm(name, label, data)
    if form.is_valid():
        return QueryDate(name, label, form.cleaned_data[name], "", None)
    return QueryDate(name, label, None, str(form.errors[name][0]), form[name])
