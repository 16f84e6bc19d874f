"""Forms for the performance pages and the registers. Messages name the field, GOV.UK style."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet

from oms.cases.date_input import DateField, date_field
from oms.cases.forms import offer_staff_by_team
from oms.cases.models import OffenceCode
from oms.cases.radios import choice_widget
from oms.organisation.models import Area, Staff
from oms.performance.constants import WORKFORCE_ROLES, SicknessReason
from oms.performance.judgement import RISK_SCALE
from oms.performance.models import TrainingNeed
from oms.timescales.date_rules import DateKind


def _date(label: str, required: bool = True, kind: DateKind = DateKind.ANY) -> DateField:
    return date_field(label, required=required, kind=kind)


class PeriodForm(forms.Form):
    date_from = _date("From")
    date_to = _date("To")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_from", "The start of the period must be on or before its end")
        return data


SCALE = [("", "Choose"), *[(str(n), str(n)) for n in RISK_SCALE]]


class RiskForm(forms.Form):
    title = forms.CharField(max_length=200, error_messages={"required": "Enter the title of the risk"})
    description = forms.CharField(widget=forms.Textarea, required=False)
    owner = forms.ModelChoiceField(
        queryset=Staff.objects.none(),
        label="Risk owner",
        error_messages={"required": "Choose the risk owner"},
    )
    likelihood = forms.TypedChoiceField(
        choices=SCALE,
        coerce=int,
        widget=choice_widget(SCALE),
        label="Likelihood (1 to 5)",
        error_messages={"required": "Choose the likelihood"},
    )
    impact = forms.TypedChoiceField(
        choices=SCALE,
        coerce=int,
        widget=choice_widget(SCALE),
        label="Impact (1 to 5)",
        error_messages={"required": "Choose the impact"},
    )
    next_review_on = _date("Next review date")
    last_reviewed_on = _date("Last reviewed", required=False, kind=DateKind.HAPPENED)
    is_closed = forms.BooleanField(label="Risk closed", required=False)
    action_description = forms.CharField(
        label="New action",
        max_length=300,
        required=False,
        help_text="Red and amber risks need an action plan",
    )
    action_owner = forms.ModelChoiceField(queryset=Staff.objects.none(), label="Action owner", required=False)
    action_due_on = _date("Action due date", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput(), required=False)

    def __init__(self, *args: Any, area: Area, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = Staff.objects.filter(area=area, is_active=True, organisation="").order_by("family_name")
        offer_staff_by_team(self.fields["owner"], people)
        offer_staff_by_team(self.fields["action_owner"], people, empty_label="None")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        parts = ("action_description", "action_owner", "action_due_on")
        given = [name for name in parts if data.get(name)]
        if given and len(given) < len(parts):
            for name in parts:
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, f"Enter the {self.fields[name].label.lower()} of the new action")  # type: ignore[union-attr]
        return data


class SeriousFurtherOffenceForm(forms.Form):
    crn = forms.CharField(
        label="Case reference number (CRN)", max_length=10, error_messages={"required": "Enter the CRN"}
    )
    offence_code = forms.CharField(
        label="Home Office offence code", max_length=5, error_messages={"required": "Enter the offence code"}
    )
    offence_description = forms.CharField(max_length=200, error_messages={"required": "Describe the offence"})
    offence_date = _date("Date of the offence", kind=DateKind.HAPPENED)
    notified_on = _date("Date notified", kind=DateKind.HAPPENED)

    def clean_offence_code(self) -> str:
        code = str(self.cleaned_data["offence_code"]).strip()
        if not OffenceCode.objects.filter(code=code).exists():
            raise forms.ValidationError(f"There is no offence code {code}")
        return code


class SfoReviewForm(forms.Form):
    completed_on = _date("Review completed", kind=DateKind.HAPPENED)
    learning_points = forms.CharField(
        widget=forms.Textarea, error_messages={"required": "Enter the learning points"}
    )
    version = forms.IntegerField(widget=forms.HiddenInput())


# ---------------------------------------------------------------- workforce records (criterion 4.4)


def _managers_near(person: Staff) -> QuerySet[Staff]:
    """Who may hold a supervision session or appraisal: the managers of the person's area."""
    if person.area_id is None:
        return Staff.objects.none()
    return (
        Staff.objects.filter(
            area_id=person.area_id, is_active=True, organisation="", grade__role__in=WORKFORCE_ROLES
        )
        .exclude(pk=person.pk)
        .order_by("family_name", "first_name")
    )


class SicknessAbsenceForm(forms.Form):
    first_day = _date("First day of the absence", kind=DateKind.HAPPENED)
    last_day = _date("Last day of the absence", required=False)
    working_days_lost = forms.DecimalField(
        label="Working days lost",
        required=False,
        max_digits=5,
        decimal_places=1,
        help_text="Leave blank to count the working days from the first day to the last. "
        "Enter it for part-time staff or half days; without a last day, OMS works the last day out.",
        error_messages={
            "invalid": "Working days lost must be a number, like 3 or 2.5",
            "max_decimal_places": "Working days lost must be in whole or half days",
            "max_digits": "Working days lost must be 9999 or fewer",
        },
    )
    reason_category = forms.ChoiceField(
        label="Reason",
        choices=[("", "Choose the reason"), *SicknessReason.choices],
        error_messages={"required": "Choose the reason for the absence"},
    )

    def clean_working_days_lost(self) -> Decimal | None:
        days: Decimal | None = self.cleaned_data.get("working_days_lost")
        if days is not None and (days * 2) % 1:
            raise forms.ValidationError("Working days lost must be in whole or half days")
        return days

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            "last_day" not in self.errors
            and "working_days_lost" not in self.errors
            and data.get("last_day") is None
            and data.get("working_days_lost") is None
        ):
            self.add_error("last_day", "Enter the last day of the absence or the working days lost")
        return data


class SupervisionSessionForm(forms.Form):
    held_on = _date("Date of the session", kind=DateKind.HAPPENED)
    supervisor = forms.ModelChoiceField(
        queryset=Staff.objects.none(),
        label="Supervisor",
        empty_label="Choose the supervisor",
        error_messages={
            "required": "Choose the supervisor",
            "invalid_choice": "Choose the supervisor from the list: a manager in the area, not the person themselves",
        },
    )
    notes = forms.CharField(widget=forms.Textarea, required=False, label="Notes (optional)")

    def __init__(self, *args: Any, person: Staff, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer_staff_by_team(self.fields["supervisor"], _managers_near(person))


class AppraisalForm(forms.Form):
    held_on = _date("Date of the appraisal", kind=DateKind.HAPPENED)
    appraiser = forms.ModelChoiceField(
        queryset=Staff.objects.none(),
        label="Appraiser",
        empty_label="Choose the appraiser",
        error_messages={
            "required": "Choose the appraiser",
            "invalid_choice": "Choose the appraiser from the list: a manager in the area, not the person themselves",
        },
    )
    objectives_summary = forms.CharField(
        widget=forms.Textarea,
        label="Objectives agreed",
        help_text="A summary: the full appraisal document stays where the area keeps it",
        error_messages={"required": "Summarise the objectives agreed"},
    )

    def __init__(self, *args: Any, person: Staff, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer_staff_by_team(self.fields["appraiser"], _managers_near(person))


class TrainingNeedForm(forms.Form):
    description = forms.CharField(
        label="Training needed", max_length=200, error_messages={"required": "Enter the training needed"}
    )
    identified_on = _date("Date identified", kind=DateKind.HAPPENED)


class TrainingNeedChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.description} (identified {obj.identified_on.day} {obj.identified_on:%B %Y})"


class TrainingCompletedForm(forms.Form):
    course = forms.CharField(label="Course", max_length=200, error_messages={"required": "Enter the course"})
    completed_on = _date("Date completed", kind=DateKind.HAPPENED)
    training_need = TrainingNeedChoiceField(
        queryset=TrainingNeed.objects.none(),
        label="Training need it meets (optional)",
        required=False,
        empty_label="None of these",
        help_text="The need chosen is marked as met on the date completed",
        error_messages={"invalid_choice": "Choose one of the open training needs, or none"},
    )

    def __init__(self, *args: Any, person: Staff, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["training_need"].queryset = TrainingNeed.objects.filter(  # type: ignore[attr-defined]
            staff=person, met_on__isnull=True
        ).order_by("identified_on", "id")


class NationalWeightsForm(forms.Form):
    """One weight a measure of the national scorecard (0 leaves a measure out of the ranking)."""

    def __init__(self, *args: Any, weights: dict[str, Decimal], **kwargs: Any) -> None:
        from oms.performance.measures import MEASURES

        super().__init__(*args, **kwargs)
        for measure in MEASURES:
            self.fields[measure.key] = forms.DecimalField(
                label=measure.label,
                min_value=Decimal(0),
                max_value=Decimal("99.9"),
                decimal_places=1,
                initial=weights.get(measure.key, Decimal(1)),
                error_messages={
                    "required": f"Enter a weight for {measure.label}",
                    "invalid": f"The weight for {measure.label} must be a number",
                },
            )
