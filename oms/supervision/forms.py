"""Forms for appointments, outcomes, enforcement and recall. Messages name the field, GOV.UK style."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django import forms
from django.utils import timezone

from oms.cases.constants import EventKind
from oms.cases.date_input import DateField, date_field
from oms.cases.forms import choices_by_team
from oms.cases.models import ContactType, Event, Offender
from oms.cases.radios import GovukRadios, choice_widget, offer_choices
from oms.organisation.models import Staff
from oms.supervision.constants import (
    BreachOutcome,
    ContactOutcome,
    HomeVisitPurpose,
    RecallOutcome,
    RecallType,
    ReminderChannel,
    Repeat,
)
from oms.timescales.date_rules import DateKind, appointment_warnings


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%H:%M")


def _date(label: str, required: bool = True, kind: DateKind = DateKind.ANY) -> DateField:
    return date_field(label, required=required, kind=kind)


def _time(label: str) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        widget=TimeInput(),
        error_messages={
            "required": f"Enter the {label.lower()}",
            "invalid": f"{label} must be a time like 14:30",
        },
    )


def _choices(choices: list[tuple[str, str]], prompt: str = "Choose") -> list[tuple[str, str]]:
    return [("", prompt), *choices]


def combine(day: date, at: Any) -> datetime:
    """A date and a wall-clock time in the service's timezone (Europe/London), made aware."""
    return timezone.make_aware(datetime.combine(day, at))


def contact_outcome_field() -> forms.ChoiceField:
    """How a contact went: an acceptable absence asks for its reason under that answer."""
    return forms.ChoiceField(
        choices=_choices(ContactOutcome.choices),
        widget=choice_widget(
            ContactOutcome.choices, reveals={ContactOutcome.ACCEPTABLE_ABSENCE: "absence_reason"}
        ),
        error_messages={"required": "Choose the outcome"},
    )


class _ContactTypeMixin(forms.Form):
    contact_type = forms.ChoiceField(
        label="Type of contact", error_messages={"required": "Choose the type of contact"}
    )

    def limit_contact_types(self, allowed: frozenset[str] | None) -> None:
        types = ContactType.objects.all()
        if allowed is not None:
            types = types.filter(code__in=allowed)
        field = self.fields["contact_type"]
        assert isinstance(field, forms.ChoiceField)
        offer_choices(field, _choices([(t.code, t.name) for t in types]))


class AppointmentForm(_ContactTypeMixin):
    day = _date("Date")
    start_time = _time("Start time")
    duration_minutes = forms.IntegerField(
        label="Length in minutes",
        initial=60,
        min_value=5,
        max_value=480,
        error_messages={
            "required": "Enter the length in minutes",
            "min_value": "Length must be at least 5 minutes",
            "max_value": "Length must be at most 480 minutes (8 hours)",
        },
    )
    location = forms.CharField(
        max_length=200, required=False, help_text="For example, Campbell House, room 2"
    )
    staff = forms.ModelChoiceField(
        queryset=Staff.objects.none(), label="With", required=False, empty_label="The case's offender manager"
    )
    repeat = forms.ChoiceField(
        choices=Repeat.choices, widget=choice_widget(Repeat.choices), initial=Repeat.NONE, label="Repeat"
    )
    occurrences = forms.IntegerField(
        label="Number of appointments",
        initial=1,
        min_value=1,
        max_value=26,
        help_text="For a repeating appointment: how many, up to 26",
        error_messages={
            "min_value": "Number of appointments must be at least 1",
            "max_value": "Number of appointments must be 26 or fewer",
        },
    )
    home_visit_purpose = forms.ChoiceField(
        choices=_choices(HomeVisitPurpose.choices, "Not a home visit"),
        widget=choice_widget(HomeVisitPurpose.choices),
        required=False,
        label="Purpose of a home visit",
    )
    enforceable = forms.BooleanField(
        required=False, initial=True, label="Enforceable: a missed appointment can lead to a warning"
    )
    notes = forms.CharField(widget=forms.Textarea, required=False)
    # Shown only when the time looks wrong (see clean): hidden until then.
    out_of_hours_confirmed = forms.BooleanField(
        required=False,
        label="Book it anyway: the time is right although the office is closed then",
        widget=forms.HiddenInput,
    )

    def __init__(self, *args: Any, offender: Offender, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["staff"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Staff.objects.filter(
            area_id=offender.area_id, grade__holds_caseload=True, is_active=True
        ).select_related("team")
        field.choices = choices_by_team(
            ((s.pk, s.full_name, s.team.name if s.team else "") for s in field.queryset),
            empty_label="The case's offender manager",
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day, start = data.get("day"), data.get("start_time")
        if day and start and not data.get("out_of_hours_confirmed"):
            # Warn, never refuse: an approved premises may see someone on a Sunday evening.
            warnings = appointment_warnings(combine(day, start))
            if warnings:
                self.fields["out_of_hours_confirmed"].widget = forms.CheckboxInput()
                self.add_error(
                    "out_of_hours_confirmed",
                    f"{' and '.join(w.text for w in warnings)}: check the time, or tick the box to book it anyway",
                )
        return data


class ContactForm(_ContactTypeMixin):
    day = _date("Date")
    start_time = _time("Start time")
    duration_minutes = forms.IntegerField(label="Length in minutes", initial=60, min_value=5, max_value=480)
    location = forms.CharField(max_length=200, required=False)
    outcome = contact_outcome_field()
    absence_reason = forms.CharField(
        max_length=300,
        required=False,
        label="Reason for an acceptable absence",
    )
    enforceable = forms.BooleanField(required=False, initial=True, label="Enforceable")
    induction_given = forms.BooleanField(
        required=False,
        label="Induction given: the order's requirements, the person's rights and what follows a failure explained",
    )
    home_visit_purpose = forms.ChoiceField(
        choices=_choices(HomeVisitPurpose.choices, "Not a home visit"),
        widget=choice_widget(HomeVisitPurpose.choices),
        required=False,
        label="Purpose of a home visit",
    )
    home_visit_findings = forms.CharField(
        widget=forms.Textarea, required=False, label="What the home visit found"
    )
    notes = forms.CharField(
        widget=forms.Textarea, required=False, help_text="Evidence of progress against the plan"
    )
    confirm_breach = forms.BooleanField(required=False, widget=forms.HiddenInput)


class OutcomeForm(forms.Form):
    outcome = contact_outcome_field()
    absence_reason = forms.CharField(
        max_length=300,
        required=False,
        label="Reason for an acceptable absence",
    )
    enforceable = forms.BooleanField(
        required=False, label="Enforceable: a missed appointment can lead to a warning"
    )
    induction_given = forms.BooleanField(
        required=False,
        label="Induction given: the order's requirements, the person's rights and what follows a failure explained",
    )
    home_visit_findings = forms.CharField(
        widget=forms.Textarea, required=False, label="What the home visit found"
    )
    notes = forms.CharField(widget=forms.Textarea, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)
    # Set by the confirmation page that an outcome starting breach action asks for.
    confirm_breach = forms.BooleanField(required=False, widget=forms.HiddenInput)


class BreachForm(forms.Form):
    laid_before_court_on = _date("Date laid before the court", required=False, kind=DateKind.HAPPENED)
    court = forms.CharField(max_length=100, required=False)
    hearing_date = _date("Add a hearing date", required=False)
    resolved_on = _date("Date resolved", required=False, kind=DateKind.HAPPENED)
    outcome = forms.ChoiceField(
        choices=_choices(BreachOutcome.choices, "Not yet resolved"),
        widget=choice_widget(BreachOutcome.choices),
        required=False,
        label="Court's decision",
    )
    notes = forms.CharField(widget=forms.Textarea, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class RecallForm(forms.Form):
    event = forms.ModelChoiceField(
        queryset=Event.objects.none(), label="Licence", error_messages={"required": "Choose the licence"}
    )
    recall_type = forms.ChoiceField(
        choices=_choices(RecallType.choices),
        widget=choice_widget(RecallType.choices),
        label="Recommendation",
        error_messages={"required": "Choose the type of recall"},
    )
    emergency = forms.BooleanField(required=False, label="Emergency recall (same day)")
    reason = forms.CharField(
        widget=forms.Textarea,
        max_length=2000,
        label="Why",
        error_messages={"required": "Enter why recall is recommended"},
    )

    def __init__(self, *args: Any, offender: Offender, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["event"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = offender.events.filter(kind=EventKind.LICENCE, is_active=True)
        offer_choices(field, field.choices)
        licences = list(field.queryset[:2])
        if len(licences) == 1:
            self.initial.setdefault("event", licences[0].pk)  # the usual case: one current licence


RECALL_DECISIONS = [
    ("sign_off", "Sign off this recommendation"),
    ("return", "Return it to the offender manager for more information"),
    ("decline", "Decline it: no recall"),
]


class RecallDecisionForm(forms.Form):
    """The SPO's or ACO's decision on a recommendation waiting for their sign-off."""

    decision = forms.ChoiceField(
        label="Your decision",
        widget=forms.RadioSelect,
        choices=RECALL_DECISIONS,
        error_messages={"required": "Choose whether to sign off, return or decline the recommendation"},
    )
    reason = forms.CharField(
        label="Reason (needed to return or decline)",
        help_text="What more information is needed, or why there is to be no recall",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
        error_messages={"max_length": "The reason must be 2,000 characters or fewer"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") in ("return", "decline") and not (data.get("reason") or "").strip():
            self.add_error(
                "reason",
                "Enter what more information is needed"
                if data["decision"] == "return"
                else "Enter why the recall is declined",
            )
        return data


class RecallResubmitForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea,
        max_length=2000,
        label="Why recall is recommended",
        help_text="Add the information asked for",
        error_messages={"required": "Enter why recall is recommended"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class RecallOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        choices=_choices(RecallOutcome.choices),
        widget=choice_widget(RecallOutcome.choices),
        error_messages={"required": "Choose the outcome of the recall"},
    )
    outcome_on = _date("Date of the decision", kind=DateKind.HAPPENED)
    notes = forms.CharField(widget=forms.Textarea, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReminderPreferenceForm(forms.Form):
    channel = forms.ChoiceField(
        choices=ReminderChannel.choices,
        label="Send appointment reminders by",
        widget=GovukRadios(
            reveals={ReminderChannel.TEXT: "mobile_number", ReminderChannel.EMAIL: "email_address"}
        ),
    )
    mobile_number = forms.CharField(max_length=20, required=False, label="Mobile number")
    email_address = forms.EmailField(
        required=False,
        label="Email address",
        error_messages={"invalid": "Enter an email address like name@example.com"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
