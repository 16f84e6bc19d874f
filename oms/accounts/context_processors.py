from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from oms.accounts.navigation import navigation_for
from oms.accounts.permissions import can_register_cases, staff_of


def current_staff(request: HttpRequest) -> dict[str, Any]:
    staff = staff_of(request.user) if hasattr(request, "user") else None
    user = getattr(request, "user", None)
    return {
        "current_staff": staff,
        "current_role": staff.grade.role if staff else None,
        "navigation": navigation_for(user) if user is not None and user.is_authenticated else [],
        "can_register": bool(user is not None and can_register_cases(user)),
    }
