from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from oms.accounts.navigation import navigation_for
from oms.accounts.permissions import can_register_cases, staff_of


def current_staff(request: HttpRequest) -> dict[str, Any]:
    staff = staff_of(request.user) if hasattr(request, "user") else None
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    can_register = bool(user is not None and can_register_cases(user))
    return {
        "current_staff": staff,
        "current_role": staff.grade.role if staff else None,
        "navigation": navigation_for(user) if user is not None and signed_in else [],
        "service_navigation": service_navigation(request, can_register) if signed_in else [],
        "can_register": can_register,
    }


def service_navigation(request: HttpRequest, can_register: bool) -> list[tuple[str, str, bool]]:
    """The service navigation's links, the one holding this page marked current (the longest match)."""
    links = [("Cases", reverse("cases:list"))]
    if can_register:
        links.append(("Register a case", reverse("cases:register")))
    links += navigation_for(request.user)
    links.append(("API tokens", reverse("api-tokens")))
    if getattr(request.user, "is_staff", False):
        links.append(("Reference data", reverse("admin:index")))
    holding = [url for _, url in links if request.path.startswith(url)]
    current = max(holding, key=len) if holding else None
    return [(label, url, url == current) for label, url in links]
