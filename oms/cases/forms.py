"""Forms for registering and administering cases. Messages name the field, in GOV.UK style."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.forms import formset_factory

from oms.cases.constants import EventKind, Gender, TerminationReason
from oms.cases.date_input import date_field
from oms.cases.models import EthnicityCode, OffenceCode, RequirementType
from oms.cases.radios import choice_widget
from oms.organisation.models import Staff
from oms.timescales.date_rules import DateKind

_date = date_field


def choices_by_team(
    people: Iterable[tuple[Any, str, str]], empty_label: str | None = "Choose"
) -> list[tuple[Any, Any]]:
    """Staff choices in one `<optgroup>` per team (value, label, team name), teams and names in order.

    An area has dozens of offender managers: grouped by team, the one wanted is found by where they work.
    """
    teams: dict[str, list[tuple[Any, str]]] = defaultdict(list)
    for value, label, team in people:
        teams[team or "No team"].append((value, label))
    grouped: list[tuple[Any, Any]] = [("", empty_label)] if empty_label is not None else []
    grouped += [(team, sorted(teams[team], key=lambda c: c[1])) for team in sorted(teams)]
    return grouped


def offer_staff_by_team(
    field: forms.Field, people: QuerySet[Staff], empty_label: str | None = "Choose"
) -> None:
    """A staff picker offers `people`, one `<optgroup>` per team, each shown with their grade."""
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = people.select_related("grade", "team")
    field.choices = choices_by_team(
        ((s.pk, f"{s.full_name} ({s.grade.code})", s.team.name if s.team else "") for s in field.queryset),
        empty_label,
    )


class PersonForm(forms.Form):
    first_name = forms.CharField(max_length=100, error_messages={"required": "Enter the first name"})
    family_name = forms.CharField(max_length=100, error_messages={"required": "Enter the family name"})
    date_of_birth = _date("Date of birth", kind=DateKind.DATE_OF_BIRTH, help_text="For example, 31 3 1980")
    gender = forms.ChoiceField(
        choices=[("", "Choose"), *Gender.choices],
        widget=choice_widget(Gender.choices),
        error_messages={"required": "Choose the gender"},
    )
    pnc_number = forms.CharField(label="PNC number", max_length=20, required=False)
    telephone = forms.CharField(
        label="Telephone", max_length=30, required=False, help_text="A mobile number if they have one"
    )
    ethnicity = forms.ModelChoiceField(
        queryset=EthnicityCode.objects.all(), required=False, empty_label="Not recorded yet"
    )
    first_language = forms.CharField(max_length=50, initial="English", required=False)
    interpreter_required = forms.BooleanField(required=False, label="Needs an interpreter")
    literacy_need = forms.BooleanField(required=False, label="Has a literacy need")
    dyslexia = forms.BooleanField(required=False, label="Has dyslexia")
    large_print = forms.BooleanField(required=False, label="Needs large print")
    disability = forms.CharField(max_length=200, required=False)


class EventForm(forms.Form):
    kind = forms.ChoiceField(
        label="Type of event",
        choices=[("", "Choose"), *EventKind.choices],
        widget=choice_widget(EventKind.choices),
        error_messages={"required": "Choose the type of event"},
    )
    court = forms.CharField(max_length=100, error_messages={"required": "Enter the court"})
    offence_code = forms.CharField(
        label="Offence code",
        max_length=5,
        help_text="The five-digit Home Office offence code, for example 02801",
        error_messages={"required": "Enter the offence code"},
    )
    sentence_date = _date("Sentence date", kind=DateKind.HAPPENED)
    length_months = forms.IntegerField(
        label="Length in months",
        min_value=1,
        max_value=600,
        error_messages={"required": "Enter the length in months"},
    )
    prison = forms.CharField(max_length=100, required=False, help_text="For custody and licences")
    release_date = _date("Release date", required=False, help_text="For licences: the date of release")
    licence_end_date = _date("Licence end date", required=False)

    def clean_offence_code(self) -> str:
        code = self.cleaned_data["offence_code"].strip()
        if len(code) != 5 or not code.isdigit():
            raise forms.ValidationError("Offence code must be 5 digits, for example 02801")
        if not OffenceCode.objects.filter(code=code).exists():
            raise forms.ValidationError(f"Offence code {code} is not a known Home Office offence code")
        return code

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind == EventKind.LICENCE and not data.get("release_date"):
            self.add_error("release_date", "Enter the release date for a licence")
        sentence, release = data.get("sentence_date"), data.get("release_date")
        if sentence and release and release < sentence:
            self.add_error("release_date", "Release date must be on or after the sentence date")
        if kind in (EventKind.CUSTODY, EventKind.LICENCE) and not data.get("prison"):
            self.add_error("prison", "Enter the prison")
        return data


class RequirementForm(forms.Form):
    requirement_type = forms.ModelChoiceField(
        label="Requirement", queryset=RequirementType.objects.all(), required=False, empty_label="None"
    )
    hours = forms.IntegerField(label="Hours", min_value=0, required=False)
    hours_per_day = forms.IntegerField(label="Hours a day", min_value=0, required=False)
    length_months = forms.IntegerField(label="Length in months", min_value=0, required=False)
    days = forms.IntegerField(label="Days", min_value=0, required=False)


RequirementFormSet = formset_factory(RequirementForm, extra=3, max_num=12)


class TransferInForm(forms.Form):
    transferred_in_from = forms.CharField(
        label="Transferred in from (area)",
        max_length=100,
        required=False,
        help_text="Leave blank for a new case",
    )
    complete_oasys_received = forms.BooleanField(
        required=False, label="A complete, current OASys was received"
    )


def allocation_reason_field() -> forms.CharField:
    """Why this offender manager, asked by every allocation form."""
    return forms.CharField(
        widget=forms.Textarea,
        max_length=300,
        label="Why this offender manager",
        error_messages={"required": "Enter why this offender manager was chosen"},
    )


def manager_decision_field() -> forms.CharField:
    """The SPO's recorded decision, shared by both allocation forms."""
    return forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=300,
        required=False,
        label="Senior probation officer's decision (if needed)",
        help_text=(
            "Only when the case is held outside the grade rules (POs hold high and very high RoH and tier 4; "
            "TPOs tiers 1 to 2), or by a PSO at tier 3 under your oversight"
        ),
        error_messages={"max_length": "The decision must be 300 characters or fewer"},
    )


def over_capacity_reason_field() -> forms.CharField:
    return forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=300,
        required=False,
        label="Why they take the case above their capacity (if needed)",
        help_text="Only when the case takes the offender manager above 100% of their capacity",
        error_messages={"max_length": "The reason must be 300 characters or fewer"},
    )


class AllocationForm(forms.Form):
    offender_manager = forms.ModelChoiceField(
        queryset=Staff.objects.none(),
        label="Offender manager",
        error_messages={"required": "Choose an offender manager"},
    )
    reason = allocation_reason_field()
    manager_decision = manager_decision_field()
    over_capacity_reason = over_capacity_reason_field()
    start_date = _date("Allocation date")
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, area_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["offender_manager"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Staff.objects.filter(
            area_id=area_id, grade__holds_caseload=True, is_active=True
        ).select_related("grade", "team")
        field.choices = choices_by_team(
            (s.pk, f"{s.full_name} ({s.grade.code})", s.team.name if s.team else "") for s in field.queryset
        )


class TerminateEventForm(forms.Form):
    reason = forms.ChoiceField(
        choices=[("", "Choose"), *TerminationReason.choices],
        widget=choice_widget(TerminationReason.choices),
        label="Why did it end",
        error_messages={"required": "Choose why the event ended"},
    )
    terminated_on = _date("End date", kind=DateKind.HAPPENED)
    notes = forms.CharField(widget=forms.Textarea, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class TransferOutForm(forms.Form):
    other_area = forms.CharField(
        label="Area the case is transferring to",
        max_length=100,
        error_messages={"required": "Enter the area the case is transferring to"},
    )
    transfer_date = _date("Transfer date")
    notes = forms.CharField(widget=forms.Textarea, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class PersonalDetailsForm(PersonForm):
    religion = forms.CharField(max_length=100, required=False)
    paper_colour = forms.CharField(
        max_length=30, required=False, help_text="For dyslexia, for example cream or yellow"
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
