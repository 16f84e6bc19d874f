"""The pages' one error path: a service's refusal shown on the form that asked for it.

The services raise `CaseRuleError` (a broken rule, naming its field; several at once in `problems`)
and `StaleRecordError` (someone else saved first). A view runs its service call inside one of the
context managers below: a broken rule becomes the error of each field it names (or of the whole form
when the form has no such field), a stale save the form-level "changed by someone else" message; the
view then re-shows the form with what the person typed, as GOV.UK forms do, whose error summary links
each message to its field. Any other exception is not a person's mistake and goes on up.
(The API has its own single handler: oms/api/errors.py.)

- `errors_on(form)`: a form page (`also=` the row forms of a page with repeating rows);
- `errors_as_message(request)`: a button that posts and redirects: the next page tells it;
- `errors_kept()`: a page that shows the refusal itself (`.problems`, `.message`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from types import TracebackType
from typing import Self

from django import forms
from django.contrib import messages
from django.http import HttpRequest

from oms.cases.services import CaseRuleError, StaleRecordError

DomainError = CaseRuleError | StaleRecordError


def problems_of(error: DomainError) -> list[tuple[str, str]]:
    """Every (field, message) the refusal names: one for a stale save, all of a broken rule's."""
    if isinstance(error, CaseRuleError):
        return list(error.problems)
    return [("", str(error))]


def _place(form: forms.BaseForm, also: Sequence[forms.BaseForm], field: str, message: str) -> None:
    if field in form.fields:
        form.add_error(field, message)
        return
    # A row form's field is named with the row's prefix ("objectives-2-target_date"), as the service names it.
    for row in also:
        for name in row.fields:
            if row.add_prefix(name) == field:
                row.add_error(name, message)
                return
    if message not in form.non_field_errors():
        form.add_error(None, message)


def show_on_form(
    form: forms.BaseForm,
    error: DomainError,
    aliases: Mapping[str, str] | None = None,
    also: Iterable[forms.BaseForm] = (),
) -> None:
    """Add every problem of the service's refusal to the form: on the field it names (`aliases` maps a
    service's field name to the form's; `also` are the page's row forms), else to the form as a whole."""
    rows = list(also)
    for field, message in problems_of(error):
        _place(form, rows, (aliases or {}).get(field, field), message)


class _DomainErrorsShown:
    """Catches a broken rule or a stale save inside `with`, shows it (`show`), and records whether the
    block succeeded; any other exception goes on up."""

    succeeded = False

    def show(self, error: DomainError) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> bool:
        if error is None:
            self.succeeded = True
            return False
        if isinstance(error, CaseRuleError | StaleRecordError):
            self.show(error)
            return True
        return False


class errors_on(_DomainErrorsShown):
    """`with errors_on(form) as attempt: services.x(...)`; then `if attempt.succeeded: redirect`."""

    def __init__(
        self,
        form: forms.BaseForm,
        aliases: Mapping[str, str] | None = None,
        *,
        also: Iterable[forms.BaseForm] = (),
    ) -> None:
        self.form = form
        self.aliases = aliases
        self.also = list(also)

    def show(self, error: DomainError) -> None:
        show_on_form(self.form, error, self.aliases, self.also)


class errors_as_message(_DomainErrorsShown):
    """For a button that posts and redirects (no form to re-show): the refusal becomes the flash
    message the next page shows. `with errors_as_message(request) as attempt: ...`."""

    def __init__(self, request: HttpRequest) -> None:
        self.request = request

    def show(self, error: DomainError) -> None:
        messages.error(self.request, str(error))


class errors_kept(_DomainErrorsShown):
    """For a page that shows the refusal in its own error summary (a button beside a record, a grid of
    answers): `problems` holds every (field, message), `message` the refusal in one sentence."""

    def __init__(self) -> None:
        self.problems: list[tuple[str, str]] = []

    def show(self, error: DomainError) -> None:
        self.problems = problems_of(error)

    @property
    def message(self) -> str:
        return " ".join(message for _, message in self.problems)
