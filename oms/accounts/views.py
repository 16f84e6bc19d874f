from __future__ import annotations

from django import forms
from django.contrib import messages
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from oms.accounts.models import ApiToken, ApiTokenScope
from oms.accounts.permissions import can_register_cases, role_of, staff_of, visible_cases
from oms.accounts.tokens import MAXIMUM_LIFETIME_DAYS, create_token, revoke_token
from oms.cases.models import Event
from oms.organisation.constants import Role

# The roles whose people own National Standards actions (oms.standards.owners).
ACTION_OWNER_ROLES = frozenset(
    {
        Role.OFFENDER_MANAGER,
        Role.SENIOR_PROBATION_OFFICER,
        Role.CASE_ADMINISTRATOR,
        Role.SENIOR_MANAGER,
        Role.VICTIM_LIAISON_OFFICER,
    }
)


def home_view(request: HttpRequest) -> HttpResponse:
    cases = visible_cases(request.user)
    role = role_of(request.user)
    allocates = role in {Role.CASE_ADMINISTRATOR, Role.SENIOR_PROBATION_OFFICER} or request.user.is_superuser
    overdue = due = None
    staff = staff_of(request.user)
    if staff is not None and role in ACTION_OWNER_ROLES:
        # Told in time: each person sees the work that is theirs on the first page, read from the
        # stored actions (two queries whatever the caseload).
        from oms.standards.queries import open_counts, open_only, owned_by, stored_actions

        overdue, due = open_counts(open_only(stored_actions(cases)).filter(owned_by(staff)))
    case_count = cases.count()
    current_case_count = cases.filter(
        Exists(Event.objects.filter(offender_id=OuterRef("pk"), is_active=True))
    ).count()
    return render(
        request,
        "home.html",
        {
            "overdue_count": overdue,
            "due_count": due,
            # Say what is counted: cases with an order or licence in force, and the former ones besides.
            "current_case_count": current_case_count,
            "former_case_count": case_count - current_case_count,
            "case_count": case_count,
            "case_heading": "My caseload" if role == Role.OFFENDER_MANAGER else "Cases you can see",
            "unallocated_count": cases.filter(offender_manager__isnull=True, events__is_active=True)
            .distinct()
            .count()
            if allocates
            else None,
            "can_register": can_register_cases(request.user),
        },
    )


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        label="Name",
        help_text="What the token is for, for example 'Police contacts feed'",
        error_messages={"required": "Enter a name for the token"},
    )
    scope = forms.ChoiceField(
        choices=ApiTokenScope.choices, label="What it may do", initial=ApiTokenScope.READ
    )
    lifetime_days = forms.IntegerField(
        label="Expires after (days)",
        min_value=1,
        max_value=MAXIMUM_LIFETIME_DAYS,
        initial=90,
        error_messages={
            "required": "Enter when the token expires",
            "max_value": f"A token must expire within {MAXIMUM_LIFETIME_DAYS} days",
            "min_value": "A token must last at least 1 day",
        },
    )


def api_tokens_view(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        created = create_token(
            request.user,  # type: ignore[arg-type]
            name=form.cleaned_data["name"],
            scope=form.cleaned_data["scope"],
            lifetime_days=form.cleaned_data["lifetime_days"],
        )  # type: ignore[arg-type]
        form = ApiTokenForm()
    tokens = ApiToken.objects.filter(user_id=request.user.pk or 0)
    return render(
        request,
        "accounts/api_tokens.html",
        {"form": form, "created": created, "tokens": tokens, "now": timezone.now()},
    )


def revoke_api_token_view(request: HttpRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=token_id, user_id=request.user.pk)
    if request.method == "POST":
        revoke_token(request.user, token)  # type: ignore[arg-type]
        messages.success(request, f"Token {token.name} revoked")
    return redirect("api-tokens")
