from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from oms.accounts.permissions import can_register_cases, role_of, visible_cases
from oms.organisation.constants import Role


def home_view(request: HttpRequest) -> HttpResponse:
    cases = visible_cases(request.user)
    role = role_of(request.user)
    allocates = role in {Role.CASE_ADMINISTRATOR, Role.SENIOR_PROBATION_OFFICER} or request.user.is_superuser
    return render(
        request,
        "home.html",
        {
            "case_count": cases.count(),
            "case_heading": "My caseload" if role == Role.OFFENDER_MANAGER else "Cases you can see",
            "unallocated_count": cases.filter(offender_manager__isnull=True, events__is_active=True)
            .distinct()
            .count()
            if allocates
            else None,
            "can_register": can_register_cases(request.user),
        },
    )
