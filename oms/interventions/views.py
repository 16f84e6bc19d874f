"""Interventions, approved premises, MAPPA and PPO pages. Thin: one generic form view over the actions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from oms.accounts.audit import record_access
from oms.accounts.case_access import case_or_refuse
from oms.accounts.models import AccessAction
from oms.cases.form_errors import errors_on
from oms.cases.models import Offender
from oms.interventions import forms, services
from oms.interventions.models import (
    EteOutcome,
    LearningTarget,
    MappaAction,
    MappaMeeting,
    PremisesPlacement,
    ProgrammeReferral,
)
from oms.interventions.permissions import (
    can_manage_mappa_and_ppo,
    can_record_interventions,
    sees_interventions_list,
)
from oms.interventions.queries import (
    area_programme_referrals,
    area_unpaid_work,
    case_interventions,
    case_multi_agency,
)

LIST_LIMIT = 200

Write = Callable[[Any, Offender, Any, dict[str, Any]], object]


@dataclass(frozen=True)
class CaseAction:
    """One thing a person records on a case: its form, the service that writes it, and its target."""

    title: str
    form: type[django_forms.Form]
    write: Write
    done: str
    target: Callable[[Offender, int], Model] | None = None
    multi_agency: bool = False
    button: str = "Save"


def _owned(model: Any, **path: str) -> Callable[[Offender, int], Model]:
    def find(offender: Offender, pk: int) -> Model:
        lookup = {path.get("via", "offender"): offender, "pk": pk}
        found: Model | None = model.objects.filter(**lookup).first()
        if found is None:
            raise Http404("Not found on this case")
        return found

    return find


def _today() -> Any:
    return timezone.localdate()


ACTIONS: dict[str, CaseAction] = {
    "refer-programme": CaseAction(
        "Refer to an accredited programme",
        forms.ProgrammeReferralForm,
        lambda u, o, t, d: services.refer_to_programme(u, o, **d),
        "Referral recorded",
    ),
    "start-programme": CaseAction(
        "Place in a group and start the programme",
        forms.ProgrammeStartForm,
        lambda u, o, t, d: services.start_programme(
            u,
            t,
            group_name=d["group_name"],
            started_on=d["started_on"],
            informed_consent=d["informed_consent"],
            consent_notes=d["consent_notes"],
            expected_version=d["version"],
        ),
        "Programme started",
        _owned(ProgrammeReferral),
    ),
    "programme-sessions": CaseAction(
        "Record sessions attended",
        forms.ProgrammeSessionsForm,
        lambda u, o, t, d: services.record_sessions(
            u, t, sessions_attended=d["sessions_attended"], expected_version=d["version"]
        ),
        "Sessions recorded",
        _owned(ProgrammeReferral),
    ),
    "end-programme": CaseAction(
        "Record completion or non-completion",
        forms.ProgrammeEndForm,
        lambda u, o, t, d: services.end_programme(
            u,
            t,
            ended_on=d["ended_on"],
            completed=d["completed"],
            non_completion_reason=d["non_completion_reason"],
            notes=d["notes"],
            expected_version=d["version"],
        ),
        "Programme end recorded",
        _owned(ProgrammeReferral),
    ),
    "unpaid-work": CaseAction(
        "Record unpaid work hours",
        forms.UnpaidWorkEntryForm,
        lambda u, o, t, d: services.record_unpaid_work(
            u,
            o,
            d["requirement"],
            kind=d["kind"],
            on=d["on"],
            hours=d["hours"],
            placement=d["placement"],
            notes=d["notes"],
            today=_today(),
        ),
        "Hours recorded",
        button="Record hours",
    ),
    "placement": CaseAction(
        "Match an unpaid work placement",
        forms.PlacementForm,
        lambda u, o, t, d: services.add_placement(
            u, o, d["requirement"], name=d["name"], matched_for=d["matched_for"], start_on=d["start_on"]
        ),
        "Placement recorded",
    ),
    "drug-test": CaseAction(
        "Record a drug test",
        forms.DrugTestForm,
        lambda u, o, t, d: services.record_drug_test(u, o, today=_today(), **d),
        "Drug test recorded",
    ),
    "drr-review": CaseAction(
        "Record a DRR court review",
        forms.DrrReviewForm,
        lambda u, o, t, d: services.record_drr_review(u, o, **d),
        "Review recorded",
    ),
    "skills-screening": CaseAction(
        "Record skills for life screening",
        forms.SkillsScreeningForm,
        lambda u, o, t, d: services.record_skills_screening(u, o, **d),
        "Screening recorded",
    ),
    "skills-assessment": CaseAction(
        "Record the full assessment and individual learning plan",
        forms.SkillsAssessmentForm,
        lambda u, o, t, d: services.record_skills_assessment(u, o, **d),
        "Assessment recorded",
    ),
    "learning-target": CaseAction(
        "Add an intermediate target",
        forms.LearningTargetForm,
        lambda u, o, t, d: services.add_learning_target(u, o, **d),
        "Target added",
    ),
    "target-achieved": CaseAction(
        "Record a target achieved",
        forms.TargetAchievedForm,
        lambda u, o, t, d: services.mark_target_achieved(u, t, **d),
        "Target achieved",
        _owned(LearningTarget, via="skills_for_life__offender"),
    ),
    "award": CaseAction(
        "Record an award",
        forms.AwardForm,
        lambda u, o, t, d: services.record_award(u, o, **d),
        "Award recorded",
    ),
    "ete-outcome": CaseAction(
        "Record an ETE outcome",
        forms.EteOutcomeForm,
        lambda u, o, t, d: services.record_ete_outcome(u, o, **d),
        "Outcome recorded",
    ),
    "ete-retained": CaseAction(
        "Confirm retained four weeks",
        forms.RetainedForm,
        lambda u, o, t, d: services.confirm_retained(u, t, **d),
        "Retention confirmed",
        _owned(EteOutcome),
    ),
    "premises-referral": CaseAction(
        "Refer to approved premises",
        forms.PremisesReferralForm,
        lambda u, o, t, d: services.refer_to_premises(u, o, d["premises"], referred_on=d["referred_on"]),
        "Referral recorded",
    ),
    "premises-decision": CaseAction(
        "Record the approved premises decision",
        forms.PremisesDecisionForm,
        lambda u, o, t, d: services.decide_premises_referral(
            u, t, decision=d["decision"], decided_on=d["decided_on"], expected_version=d["version"]
        ),
        "Decision recorded",
        _owned(PremisesPlacement),
    ),
    "premises-arrival": CaseAction(
        "Record arrival at approved premises",
        forms.PremisesArrivalForm,
        lambda u, o, t, d: services.record_arrival(
            u, t, arrived_on=d["arrived_on"], expected_version=d["version"]
        ),
        "Arrival recorded",
        _owned(PremisesPlacement),
    ),
    "premises-departure": CaseAction(
        "Record departure from approved premises",
        forms.PremisesDepartureForm,
        lambda u, o, t, d: services.record_departure(
            u, t, departed_on=d["departed_on"], expected_version=d["version"]
        ),
        "Departure recorded",
        _owned(PremisesPlacement),
    ),
    "mappa": CaseAction(
        "Record the MAPPA category and level",
        forms.MappaRegistrationForm,
        lambda u, o, t, d: services.register_mappa(u, o, **d),
        "MAPPA registration recorded",
        multi_agency=True,
    ),
    "mappa-referral": CaseAction(
        "Record the MAPPA referral decision",
        forms.MappaReferralDecisionForm,
        lambda u, o, t, d: services.decide_mappa_referral(u, o, today=_today(), **d),
        "Referral decision recorded",
        multi_agency=True,
    ),
    "end-mappa": CaseAction(
        "End the MAPPA registration",
        forms.EndRegistrationForm,
        lambda u, o, t, d: services.end_mappa(u, o, **d),
        "MAPPA registration ended",
        multi_agency=True,
    ),
    "mappa-meeting": CaseAction(
        "Record a MAPPA meeting",
        forms.MappaMeetingForm,
        lambda u, o, t, d: services.record_mappa_meeting(u, o, today=_today(), **d),
        "Meeting recorded: add its actions",
        multi_agency=True,
    ),
    "mappa-action": CaseAction(
        "Add an action from the minutes",
        forms.MappaActionForm,
        lambda u, o, t, d: services.add_mappa_action(u, t, **d),
        "Action added",
        _owned(MappaMeeting),
        multi_agency=True,
    ),
    "mappa-action-done": CaseAction(
        "Record an action done",
        forms.ActionDoneForm,
        lambda u, o, t, d: services.complete_mappa_action(u, t, **d),
        "Action done",
        _owned(MappaAction, via="meeting__offender"),
        multi_agency=True,
    ),
    "ppo": CaseAction(
        "Register as a PPO",
        forms.PpoRegistrationForm,
        lambda u, o, t, d: services.register_ppo(u, o, today=_today(), **d),
        "PPO registration recorded",
        multi_agency=True,
    ),
    "end-ppo": CaseAction(
        "End the PPO registration",
        forms.EndRegistrationForm,
        lambda u, o, t, d: services.end_ppo(u, o, **d),
        "PPO registration ended",
        multi_agency=True,
    ),
    "enhanced-contact": CaseAction(
        "Set the PPO enhanced contact level",
        forms.EnhancedContactForm,
        lambda u, o, t, d: services.set_enhanced_contact_level(u, o, **d),
        "Contact level set",
        multi_agency=True,
    ),
}


def interventions_list_view(request: HttpRequest) -> HttpResponse:
    if not sees_interventions_list(request.user):
        raise PermissionDenied("The interventions list is for interventions staff and SPOs")
    today = timezone.localdate()
    referrals = list(area_programme_referrals(request.user)[:LIST_LIMIT])
    for referral in referrals:
        referral.late_start = referral.not_started_as_planned(today)  # type: ignore[attr-defined]
    unpaid_work = area_unpaid_work(request.user, today)
    unpaid_work = [s for s in unpaid_work if s.completion_status != "completed"][:LIST_LIMIT]
    return render(
        request,
        "interventions/list.html",
        {
            "referrals": referrals,
            "not_started": len([r for r in referrals if r.late_start]),  # type: ignore[attr-defined]
            "unpaid_work": unpaid_work,
            "today": today,
        },
    )


def case_interventions_view(request: HttpRequest, crn: str) -> HttpResponse:
    offender = case_or_refuse(request, crn)
    today = timezone.localdate()
    record_access(request.user, AccessAction.VIEW, "viewed interventions", crn=crn, request=request)
    return render(
        request,
        "interventions/case.html",
        {
            "case": offender,
            "work": case_interventions(offender, today),
            "multi_agency": case_multi_agency(offender, today),
            "can_record": can_record_interventions(request.user, offender),
            "can_manage": can_manage_mappa_and_ppo(request.user, offender),
            "today": today,
        },
    )


def case_action_view(request: HttpRequest, crn: str, action: str) -> HttpResponse:
    chosen = ACTIONS.get(action)
    if chosen is None:
        raise Http404("No such action")
    offender = case_or_refuse(request, crn)
    allowed = (can_manage_mappa_and_ppo if chosen.multi_agency else can_record_interventions)(
        request.user, offender
    )
    if not allowed:
        raise PermissionDenied("You cannot record this on the case")
    target = None
    if chosen.target is not None:
        try:
            target = chosen.target(offender, int(request.GET.get("id", "")))
        except ValueError as error:
            raise Http404("Choose what to record this against") from error
    initial: dict[str, Any] = {"version": getattr(target, "version", None)}
    form = chosen.form(request.POST if request.method == "POST" else None, initial=initial, offender=offender)  # type: ignore[call-arg]
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items()}
        with errors_on(form) as attempt:
            chosen.write(request.user, offender, target, data)
        if attempt.succeeded:
            messages.success(request, chosen.done)
            return redirect("interventions:case", crn=crn)
    return render(
        request,
        "cases/form_page.html",
        {
            "case": offender,
            "form": form,
            "title": chosen.title,
            "button": chosen.button,
            "cancel_url": reverse("interventions:case", args=[crn]),
        },
    )
