"""Forms for the victim contact scheme. Messages name the field."""

from __future__ import annotations

from typing import Any

from django import forms

from oms.cases.date_input import DateField, date_field
from oms.cases.models import Event, Offender
from oms.cases.radios import GovukRadios, choice_widget, offer_choices
from oms.timescales.date_rules import DateKind
from oms.victims.constants import ContactPreference, InformationStage, OfferMethod


def _date(label: str, kind: DateKind = DateKind.ANY) -> DateField:
    return date_field(label, kind=kind)


class CaseForm(forms.Form):
    def __init__(self, *args: Any, offender: Offender, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "event" in self.fields:
            self.fields["event"].queryset = Event.objects.filter(offender=offender)  # type: ignore[attr-defined]
            offer_choices(self.fields["event"], self.fields["event"].choices)  # type: ignore[attr-defined]


class VictimForm(CaseForm):
    event = forms.ModelChoiceField(
        queryset=Event.objects.none(), empty_label="Choose", error_messages={"required": "Choose the event"}
    )
    name = forms.CharField(
        label="Victim's name", max_length=150, error_messages={"required": "Enter the victim's name"}
    )
    address = forms.CharField(widget=forms.Textarea, required=False)
    postcode = forms.CharField(max_length=10, required=False)
    telephone = forms.CharField(max_length=30, required=False)
    email = forms.EmailField(
        required=False, error_messages={"invalid": "Enter an email address like name@example.com"}
    )
    contact_preference = forms.ChoiceField(
        label="How they want to be contacted",
        choices=[("", "Choose"), *ContactPreference.choices],
        widget=choice_widget(ContactPreference.choices),
        error_messages={"required": "Choose how the victim wants to be contacted"},
    )
    safety_considerations = forms.CharField(
        label="Victim safety considerations",
        widget=forms.Textarea,
        required=False,
        help_text="The offender manager sees this. Do not include the victim's name or where they live.",
    )


class OfferForm(CaseForm):
    offered_on = _date("Date offered", kind=DateKind.HAPPENED)
    method = forms.ChoiceField(
        label="How contact was offered",
        choices=[("", "Choose"), *OfferMethod.choices],
        widget=choice_widget(OfferMethod.choices),
        error_messages={"required": "Choose how contact was offered"},
    )
    accepted = forms.TypedChoiceField(
        label="Response",
        choices=[("", "No response yet"), ("yes", "Accepted"), ("no", "Declined")],
        widget=GovukRadios(),
        coerce=lambda v: v == "yes",
        empty_value=None,
        required=False,
    )


class InformationForm(CaseForm):
    stage = forms.ChoiceField(
        choices=[("", "Choose"), *InformationStage.choices],
        widget=choice_widget(InformationStage.choices),
        error_messages={"required": "Choose the stage"},
    )
    given_on = _date("Date given", kind=DateKind.HAPPENED)
    notes = forms.CharField(max_length=300, required=False)


class RepresentationForm(CaseForm):
    received_on = _date("Date received", kind=DateKind.HAPPENED)
    representation = forms.CharField(
        label="The victim's representations",
        widget=forms.Textarea,
        error_messages={"required": "Enter the victim's representations"},
    )
    requested_conditions = forms.CharField(
        label="Licence conditions asked for",
        widget=forms.Textarea,
        help_text="The offender manager sees this. Do not include the victim's name or where they live.",
        error_messages={"required": "Enter the licence conditions the victim asks for"},
    )
