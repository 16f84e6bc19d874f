"""The error every pure calculator raises for invalid input.

`oms calc NAME` prints it as ``{"error": {"code", "message", "fields"}}`` and exits 2; the web forms
show the same message beside the fields it names. Kept free of Django so pure modules can use it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class CalculatorInputError(Exception):
    code: str
    message: str
    fields: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return self.message

    def as_json(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message, "fields": list(self.fields)}}
