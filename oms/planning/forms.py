"""Forms for writing a plan and its objectives. Messages name the field, GOV.UK style; the submission
rules' messages (SentencePlan.submission_problems) land on the same fields."""

from __future__ import annotations

from typing import Any

from django import forms

from oms.cases.date_input import DateField
from oms.cases.forms import choices_by_team
from oms.cases.radios import choice_widget
from oms.organisation.models import Staff
from oms.planning.constants import (
    NEED_CHOICES,
    PURPOSE_CHOICES,
    ContactLevel,
    Deliverer,
    ObjectiveStatus,
    PlanKind,
)
from oms.planning.models import Objective, SentencePlan
from oms.planning.services import ObjectiveInput
from oms.timescales.date_rules import DateKind

BLANK_OBJECTIVE_ROWS = 2  # empty rows offered below the plan's objectives
MINIMUM_OBJECTIVE_ROWS = 3
MAXIMUM_OBJECTIVE_ROWS = 30
YES_NO = [("", "Not recorded yet"), ("yes", "Yes"), ("no", "No")]


def _yes_no(label: str, help_text: str = "", reveals: dict[str, str] | None = None) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        widget=choice_widget(YES_NO, reveals=reveals),
        required=False,
        coerce=lambda value: value == "yes",
        empty_value=None,
        help_text=help_text,
    )


def _as_yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


class PlanForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    objective_rows = forms.IntegerField(
        widget=forms.HiddenInput, min_value=1, max_value=MAXIMUM_OBJECTIVE_ROWS
    )
    review_reason = forms.CharField(
        label="Why this review now",
        required=False,
        widget=forms.Textarea,
        help_text="The 16-week review, or the significant change that brought it forward",
    )
    progress_summary = forms.CharField(
        label="Progress since the last plan", required=False, widget=forms.Textarea
    )
    sequencing_of_requirements = forms.CharField(
        label="Sequencing of requirements",
        required=False,
        widget=forms.Textarea,
        help_text="Which requirement comes first and why, given RoH and the likelihood of reoffending",
    )
    planned_contact_level = forms.ChoiceField(
        label="Planned contact level",
        choices=[("", "Not decided yet"), *ContactLevel.choices],
        widget=choice_widget(ContactLevel.choices),
        required=False,
    )
    contact_level_notes = forms.CharField(label="Contact level: notes", required=False, widget=forms.Textarea)
    offender_participated = _yes_no("Did the offender take part in writing the plan?")
    offender_views = forms.CharField(label="The offender's views", required=False, widget=forms.Textarea)
    # The date the agreement was recorded belongs to a "yes": it is asked under that answer.
    offender_agreed = _yes_no("Did the offender agree the plan?", reveals={"yes": "agreement_recorded_on"})
    agreement_recorded_on = DateField(
        label="Date the offender's agreement was recorded",
        required=False,
        kind=DateKind.HAPPENED,
        error_messages={"invalid": "Enter the date the agreement was recorded as a real date"},
    )

    def __init__(self, *args: Any, plan: SentencePlan, rows: int, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).update(
            {
                "version": plan.version,
                "objective_rows": rows,
                "review_reason": plan.review_reason,
                "progress_summary": plan.progress_summary,
                "sequencing_of_requirements": plan.sequencing_of_requirements,
                "planned_contact_level": plan.planned_contact_level,
                "contact_level_notes": plan.contact_level_notes,
                "offender_participated": _as_yes_no(plan.offender_participated),
                "offender_views": plan.offender_views,
                "offender_agreed": _as_yes_no(plan.offender_agreed),
                "agreement_recorded_on": plan.agreement_recorded_on,
            }
        )
        super().__init__(*args, **kwargs)
        if plan.kind != PlanKind.REVIEW:
            del self.fields["review_reason"]
            del self.fields["progress_summary"]

    def changes(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data[name] for name in self.fields if name not in ("version", "objective_rows")
        }


class ObjectiveForm(forms.Form):
    """One objective row; the prefix ("objectives-2") keeps each row's ids distinct."""

    pk = forms.IntegerField(widget=forms.HiddenInput, required=False)
    objective = forms.CharField(
        label="Objective", required=False, widget=forms.Textarea, help_text="What the offender will achieve"
    )
    need = forms.ChoiceField(
        label="Criminogenic need it addresses",
        choices=[("", "None"), *NEED_CHOICES],
        widget=choice_widget(NEED_CHOICES),
        required=False,
    )
    linked_to_risk_management_plan = forms.BooleanField(
        label="Part of the risk management plan", required=False
    )
    purpose = forms.ChoiceField(
        label="Purpose of the work",
        choices=[("", "Not decided yet"), *PURPOSE_CHOICES],
        widget=choice_widget(PURPOSE_CHOICES),
        required=False,
    )
    intervention = forms.CharField(label="Intervention", required=False, max_length=200)
    # A named member of staff or a partner agency is asked for under the answer that needs it.
    delivered_by = forms.ChoiceField(
        label="Who delivers it",
        choices=Deliverer.choices,
        # An empty row is left out of the plan, so it starts on the usual answer rather than none.
        initial=Deliverer.OFFENDER_MANAGER,
        widget=choice_widget(
            Deliverer.choices,
            reveals={Deliverer.STAFF: "delivered_by_staff", Deliverer.PARTNER: "partner_agency"},
        ),
    )
    delivered_by_staff = forms.TypedChoiceField(
        label="Member of staff", required=False, coerce=int, empty_value=None
    )
    partner_agency = forms.CharField(label="Partner agency", required=False, max_length=100)
    target_date = DateField(
        label="Target date",
        required=False,
        error_messages={"invalid": "Enter the target date as a real date"},
    )
    status = forms.ChoiceField(
        label="Status",
        choices=ObjectiveStatus.choices,
        widget=choice_widget(ObjectiveStatus.choices),
        initial=ObjectiveStatus.NOT_STARTED,
    )
    progress_notes = forms.CharField(label="Progress", required=False, widget=forms.Textarea)

    def __init__(self, *args: Any, staff_choices: list[tuple[Any, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["delivered_by_staff"].choices = staff_choices  # type: ignore[attr-defined]
        self.number = int(str(self.prefix).rsplit("-", 1)[-1]) + 1

    @staticmethod
    def initial_for(objective: Objective) -> dict[str, Any]:
        return {
            "pk": objective.pk,
            "objective": objective.objective,
            "need": objective.need,
            "linked_to_risk_management_plan": objective.linked_to_risk_management_plan,
            "purpose": objective.purpose,
            "intervention": objective.intervention,
            "delivered_by": objective.delivered_by,
            "delivered_by_staff": objective.delivered_by_staff_id,
            "partner_agency": objective.partner_agency,
            "target_date": objective.target_date,
            "status": objective.status,
            "progress_notes": objective.progress_notes,
        }

    def as_input(self) -> ObjectiveInput:
        data = self.cleaned_data
        return ObjectiveInput(
            pk=data.get("pk"),
            objective=data.get("objective") or "",
            need=data.get("need") or "",
            linked_to_risk_management_plan=bool(data.get("linked_to_risk_management_plan")),
            purpose=data.get("purpose") or "",
            intervention=data.get("intervention") or "",
            delivered_by=data.get("delivered_by") or Deliverer.OFFENDER_MANAGER,
            delivered_by_staff_id=data.get("delivered_by_staff"),
            partner_agency=data.get("partner_agency") or "",
            target_date=data.get("target_date"),
            status=data.get("status") or ObjectiveStatus.NOT_STARTED,
            progress_notes=data.get("progress_notes") or "",
        )


def staff_choices(plan: SentencePlan) -> list[tuple[Any, Any]]:
    """People of the case's area who may deliver an objective, one `<optgroup>` per team (one query)."""
    return choices_by_team(
        (staff.pk, f"{staff.full_name} ({staff.grade.name})", staff.team.name if staff.team else "")
        for staff in Staff.objects.filter(area_id=plan.offender.area_id, is_active=True).select_related(
            "grade", "team"
        )
    )


class ProgressForm(forms.Form):
    status = forms.ChoiceField(
        label="Status now", choices=ObjectiveStatus.choices, widget=choice_widget(ObjectiveStatus.choices)
    )
    note = forms.CharField(
        label="Progress made",
        widget=forms.Textarea,
        max_length=4000,
        error_messages={"required": "Enter the progress made"},
    )
