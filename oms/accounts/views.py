from __future__ import annotations

from django import forms
from django.contrib import messages
from django.db.models import Count, Exists, OuterRef, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from oms.accounts.models import ApiToken, ApiTokenScope
from oms.accounts.permissions import can_register_cases, role_of, staff_of, visible_cases
from oms.accounts.tokens import MAXIMUM_LIFETIME_DAYS, create_token, revoke_token
from oms.accounts.work_queues import HomeContext, work_queues_for
from oms.cases.models import Event
from oms.cases.radios import choice_widget
from oms.organisation.constants import Role


def home_view(request: HttpRequest) -> HttpResponse:
    """Each person's work, as a busy offender manager wants it at 9 o'clock on a Monday: the caseload
    counted as what it is, then one card per queue of work (oms.accounts.work_queues). A fixed number
    of queries whatever the caseload."""
    cases = visible_cases(request.user)
    role = role_of(request.user)
    context = HomeContext(
        user=request.user,
        staff=staff_of(request.user),
        role=role,
        today=timezone.localdate(),
        cases=cases,
    )
    counted = cases.order_by().aggregate(
        all=Count("pk"),
        current=Count(
            "pk", filter=Q(Exists(Event.objects.filter(offender_id=OuterRef("pk"), is_active=True)))
        ),
    )
    return render(
        request,
        "home.html",
        {
            # Say what is counted: cases with an order or licence in force, and the former ones besides.
            "sees_cases": role != Role.NATIONAL_PERFORMANCE,
            "current_case_count": counted["current"],
            "former_case_count": counted["all"] - counted["current"],
            "case_count": counted["all"],
            "case_heading": "My caseload" if role == Role.OFFENDER_MANAGER else "Cases you can see",
            "queues": work_queues_for(context),
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
        choices=ApiTokenScope.choices,
        widget=choice_widget(ApiTokenScope.choices),
        label="What it may do",
        initial=ApiTokenScope.READ,
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
