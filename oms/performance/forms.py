"""Forms for the performance pages and the registers. Messages name the field, GOV.UK style."""

from __future__ import annotations

from typing import Any

from django import forms

from oms.cases.forms import DateInput
from oms.cases.models import OffenceCode
from oms.organisation.models import Area, Staff
from oms.performance.judgement import RISK_SCALE


def _date(label: str, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=DateInput(),
        error_messages={"required": f"Enter the {label.lower()}", "invalid": f"{label} must be a real date"},
    )


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
        label="Likelihood (1 to 5)",
        error_messages={"required": "Choose the likelihood"},
    )
    impact = forms.TypedChoiceField(
        choices=SCALE, coerce=int, label="Impact (1 to 5)", error_messages={"required": "Choose the impact"}
    )
    next_review_on = _date("Next review date")
    last_reviewed_on = _date("Last reviewed", required=False)
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
        self.fields["owner"].queryset = people  # type: ignore[attr-defined]
        self.fields["action_owner"].queryset = people  # type: ignore[attr-defined]

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
    offence_date = _date("Date of the offence")
    notified_on = _date("Date notified")

    def clean_offence_code(self) -> str:
        code = str(self.cleaned_data["offence_code"]).strip()
        if not OffenceCode.objects.filter(code=code).exists():
            raise forms.ValidationError(f"There is no offence code {code}")
        return code


class SfoReviewForm(forms.Form):
    completed_on = _date("Review completed")
    learning_points = forms.CharField(
        widget=forms.Textarea, error_messages={"required": "Enter the learning points"}
    )
    version = forms.IntegerField(widget=forms.HiddenInput())
