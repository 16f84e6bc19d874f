"""Forms for recording outcomes on a case. Messages name the field."""

from __future__ import annotations

from typing import Any

from django import forms

from oms.cases.date_input import DateField, date_field
from oms.cases.models import Event, Offender
from oms.cases.radios import choice_widget, offer_choices
from oms.outcomes.constants import (
    DomesticViolenceCheckResult,
    FurtherOffenceKind,
    InformationSource,
    MeasureDirection,
    RestrictiveMeasure,
    SentenceCompliance,
    VictimAwarenessResult,
)
from oms.timescales.date_rules import DateKind


def _date(label: str, required: bool = True) -> DateField:
    """Every outcome date records something that has happened: never in the future."""
    return date_field(label, required=required, kind=DateKind.HAPPENED)


def _choice(label: str, choices: Any, required: bool = True) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        # An optional answer can be left open, and taken back once given: "Not known yet" is a radio too.
        choices=[("", "Choose" if required else "Not known yet"), *choices],
        widget=choice_widget(choices),
        required=required,
        error_messages={"required": f"Choose the {label.lower()}"},
    )


class EventChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Event) -> str:
        return f"Event {obj.number}: {obj}"


class CaseOutcomeForm(forms.Form):
    def __init__(self, *args: Any, offender: Offender, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "event" in self.fields:
            field = self.fields["event"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = offender.events.order_by("-sentence_date")
            offer_choices(field, field.choices)


class FurtherOffenceForm(CaseOutcomeForm):
    event = EventChoiceField(
        label="Order or licence", queryset=Event.objects.none(),
        error_messages={"required": "Choose the order or licence"},
    )  # fmt: skip
    kind = _choice("Outcome", FurtherOffenceKind.choices)
    offence = forms.CharField(
        label="Offence", max_length=200, error_messages={"required": "Enter the offence"}
    )
    offence_date = _date("Date of the offence")
    disposal_date = _date("Date of the conviction or caution")
    source = _choice("Source", InformationSource.choices)


class DomesticViolenceCheckForm(CaseOutcomeForm):
    checked_on = _date("Date checked with the police")
    result = _choice("What the police reported", DomesticViolenceCheckResult.choices)
    callouts = forms.IntegerField(label="Number of call-outs", min_value=0, required=False)
    last_callout_on = _date("Date of the last call-out", required=False)
    source = _choice("Source", InformationSource.choices)


class VictimAwarenessForm(CaseOutcomeForm):
    started_on = _date("Date the work started")
    ended_on = _date("Date the work ended", required=False)
    result = _choice("Result", VictimAwarenessResult.choices, required=False)
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class RestrictiveMeasureForm(CaseOutcomeForm):
    changed_on = _date("Date of the change")
    measure = _choice("Measure", RestrictiveMeasure.choices)
    direction = _choice("Change", MeasureDirection.choices)
    reason = forms.CharField(label="Why", max_length=300, error_messages={"required": "Say why"})


class EndComplianceForm(CaseOutcomeForm):
    event = EventChoiceField(
        label="Order or licence", queryset=Event.objects.none(),
        error_messages={"required": "Choose the order or licence"},
    )  # fmt: skip
    judged_on = _date("Date judged")
    compliance = _choice("Compliance with the requirements", SentenceCompliance.choices)
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 3}))
