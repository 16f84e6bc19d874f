"""The last guard before any OMS record is written: no NUL, no over-long text, no implausible date.

A pre-save check on every model of the OMS apps, so a door that forgot to validate (a page, an
import, the CLI) still gets a `CaseRuleError` naming the field, answered as 422 or a form error by
the one error handler, the same on SQLite and PostgreSQL, instead of a database error (a 500).
Bulk writes (`bulk_create`, `update`) bypass signals: their callers validate rows first.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import models

from oms.cases.input_limits import date_problem, text_problem
from oms.cases.services import CaseRuleError


def refuse_unstorable_values(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if not sender.__module__.startswith("oms."):
        return
    for field in sender._meta.concrete_fields:
        value = getattr(instance, field.attname, None)
        problem = None
        if isinstance(value, str) and isinstance(field, models.CharField | models.TextField):
            problem = text_problem(value, field.max_length)
        elif isinstance(value, date) and isinstance(field, models.DateField):
            problem = date_problem(value)
        if problem:
            raise CaseRuleError(problem, field=field.name)
