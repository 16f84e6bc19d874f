"""Forms for court work. Messages name the field, GOV.UK style."""

from __future__ import annotations

from typing import Any

from django import forms

from oms.cases.date_input import DateField, date_field
from oms.cases.forms import offer_staff_by_team
from oms.cases.models import OffenceCode
from oms.cases.radios import choice_widget
from oms.courts.constants import CourtType, Proposal, ReportKind
from oms.organisation.models import Staff
from oms.timescales.date_rules import DateKind


def _date(label: str, required: bool = True, kind: DateKind = DateKind.ANY) -> DateField:
    return date_field(label, required=required, kind=kind)


class VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput())


class ReportRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label="Type of report",
        choices=[("", "Choose"), *ReportKind.choices],
        widget=choice_widget(ReportKind.choices),
        error_messages={"required": "Choose the type of report"},
    )
    court = forms.CharField(max_length=100, error_messages={"required": "Enter the court"})
    court_type = forms.ChoiceField(
        label="Type of court",
        choices=CourtType.choices,
        widget=choice_widget(CourtType.choices),
        error_messages={"required": "Choose the type of court"},
    )
    requested_on = _date("Date requested", kind=DateKind.HAPPENED)
    hearing_date = _date("Hearing date", required=False)
    offence_code = forms.CharField(label="Offence code", max_length=5, required=False)
    remanded_in_custody = forms.BooleanField(label="Remanded in custody", required=False)

    def clean_offence_code(self) -> str:
        code: str = self.cleaned_data["offence_code"].strip()
        if code and not OffenceCode.objects.filter(code=code).exists():
            raise forms.ValidationError(f"Offence code {code} is not a Home Office offence code")
        return code


class AllocateAuthorForm(VersionedForm):
    author = forms.ModelChoiceField(
        queryset=Staff.objects.none(), empty_label="Choose", error_messages={"required": "Choose the author"}
    )

    def __init__(self, *args: Any, area_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer_staff_by_team(
            self.fields["author"],
            Staff.objects.filter(area_id=area_id, grade__holds_caseload=True, is_active=True),
        )


class WriteReportForm(VersionedForm):
    risk_of_harm = forms.CharField(label="Risk of harm (RoH)", widget=forms.Textarea, required=False)
    likelihood_of_reoffending = forms.CharField(widget=forms.Textarea, required=False)
    victim_information = forms.CharField(widget=forms.Textarea, required=False)
    self_harm = forms.CharField(label="Risk of self-harm", widget=forms.Textarea, required=False)
    outline_sentence_plan = forms.CharField(
        widget=forms.Textarea,
        required=False,
        help_text="Needed when the proposal is a community order or suspended sentence order",
    )
    proposal = forms.ChoiceField(
        choices=[("", "Not decided yet"), *Proposal.choices],
        widget=choice_widget(Proposal.choices),
        required=False,
    )


class DeliverReportForm(VersionedForm):
    delivered_on = _date("Date delivered", kind=DateKind.HAPPENED)


class CourtOutcomeForm(VersionedForm):
    sentence_passed = forms.ChoiceField(
        label="Sentence the court passed",
        choices=[("", "Choose"), *Proposal.choices],
        widget=choice_widget(Proposal.choices),
        error_messages={"required": "Choose the sentence the court passed"},
    )
    sentencer_feedback = forms.CharField(label="Sentencers' feedback", widget=forms.Textarea, required=False)
    feedback_received_on = _date("Date feedback received", required=False, kind=DateKind.HAPPENED)
