"""The pages' one error path: a service's refusal shown on the form that asked for it.

The services raise `CaseRuleError` (a broken rule, naming its field) and `StaleRecordError` (someone
else saved first). A form view runs its service call inside `errors_on(form)`: a broken rule becomes
the error of the field it names (or of the whole form when the form has no such field), a stale save
the form-level "changed by someone else" message; the view then re-shows the form with what the
person typed, as GOV.UK forms do. Any other exception is not a person's mistake and goes on up.
(The API has its own single handler: oms/api/errors.py.)
"""

from __future__ import annotations

from collections.abc import Mapping
from types import TracebackType
from typing import Self

from django import forms
from django.contrib import messages
from django.http import HttpRequest

from oms.cases.services import CaseRuleError, StaleRecordError


def show_on_form(
    form: forms.BaseForm, error: CaseRuleError | StaleRecordError, aliases: Mapping[str, str] | None = None
) -> None:
    """Add the service's refusal to the form: on the named field (`aliases` maps a service's field
    name to the form's), else to the form as a whole."""
    field = getattr(error, "field", "") or ""
    field = (aliases or {}).get(field, field)
    form.add_error(field if field in form.fields else None, str(error))


class _DomainErrorsShown:
    """Catches a broken rule or a stale save inside `with`, shows it (`show`), and records whether the
    block succeeded; any other exception goes on up."""

    succeeded = False

    def show(self, error: CaseRuleError | StaleRecordError) -> None:
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

    def __init__(self, form: forms.BaseForm, aliases: Mapping[str, str] | None = None) -> None:
        self.form = form
        self.aliases = aliases

    def show(self, error: CaseRuleError | StaleRecordError) -> None:
        show_on_form(self.form, error, self.aliases)


class errors_as_message(_DomainErrorsShown):
    """For a button that posts and redirects (no form to re-show): the refusal becomes the flash
    message the next page shows. `with errors_as_message(request) as attempt: ...`."""

    def __init__(self, request: HttpRequest) -> None:
        self.request = request

    def show(self, error: CaseRuleError | StaleRecordError) -> None:
        messages.error(self.request, str(error))
