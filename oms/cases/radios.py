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
