"""How CLI commands print JSON and fail: errors to stderr, a non-zero exit, nothing half-written."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.management.base import CommandError


def to_json(value: Any) -> str:
    def default(o: Any) -> Any:
        if isinstance(o, date | datetime):
            return o.isoformat()
        if isinstance(o, Decimal):
            return float(o)
        raise TypeError(f"Cannot write {type(o).__name__} as JSON")

    return json.dumps(value, default=default, ensure_ascii=False)


def usage_error(message: str) -> CommandError:
    return CommandError(message, returncode=2)
