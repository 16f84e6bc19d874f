from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from oms.accounts.permissions import staff_of


def current_staff(request: HttpRequest) -> dict[str, Any]:
    staff = staff_of(request.user) if hasattr(request, "user") else None
    return {"current_staff": staff, "current_role": staff.grade.role if staff else None}
