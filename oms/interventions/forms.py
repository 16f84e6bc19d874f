"""Forms for recording interventions, approved premises, MAPPA and PPO. Messages name the field."""

from __future__ import annotations

from typing import Any

from django import forms

from oms.cases.constants import PpoType
from oms.cases.date_input import DateField, date_field
from oms.cases.forms import choices_by_team
from oms.cases.models import Offender, Requirement
from oms.cases.radios import GovukRadios, choice_widget, offer_choices
from oms.interventions.constants import (
    DrrReviewOutcome,
    DrugTestResult,
    EteOutcomeKind,
    MappaCategory,
    MappaLevel,
    NonCompletionReason,
    PremisesDecision,
    Programme,
    SkillsLevel,
    UnpaidWorkEntryKind,
)
from oms.interventions.models import UnpaidWorkPlacement
from oms.organisation.models import ApprovedPremises, Staff
from oms.timescales.date_rules import DateKind


def _date(label: str, required: bool = True, help_text: str = "", kind: DateKind = DateKind.ANY) -> DateField:
    return date_field(label, required=required, help_text=help_text, kind=kind)


def _choice(label: str, choices: Any, required: bool = True) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=[("", "Choose"), *choices],
        widget=choice_widget(choices),
        required=required,
        error_messages={"required": f"Choose the {label.lower()}"},
    )


class CaseForm(forms.Form):
    """A form about one case: requirement and placement choices are that case's own."""

    requirement_type = ""  # a requirement type code, when the form is about one kind of requirement

    def __init__(self, *args: Any, offender: Offender, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.offender = offender
        if "requirement" in self.fields:
            requirements = Requirement.objects.filter(event__offender=offender).select_related(
                "requirement_type"
            )
            if self.requirement_type:
                requirements = requirements.filter(requirement_type_id=self.requirement_type)
            self.fields["requirement"].queryset = requirements  # type: ignore[attr-defined]
            offer_choices(self.fields["requirement"], self.fields["requirement"].choices)  # type: ignore[attr-defined]
        if "placement" in self.fields:
            self.fields["placement"].queryset = UnpaidWorkPlacement.objects.filter(offender=offender)  # type: ignore[attr-defined]
            offer_choices(self.fields["placement"], self.fields["placement"].choices)  # type: ignore[attr-defined]
        if "premises" in self.fields:
            self.fields["premises"].queryset = ApprovedPremises.objects.filter(area_id=offender.area_id)  # type: ignore[attr-defined]
            offer_choices(self.fields["premises"], self.fields["premises"].choices)  # type: ignore[attr-defined]


class VersionedCaseForm(CaseForm):
    version = forms.IntegerField(widget=forms.HiddenInput())


class ProgrammeReferralForm(CaseForm):
    programme = _choice("Programme", Programme.choices)
    requirement = forms.ModelChoiceField(
        queryset=Requirement.objects.none(), required=False, empty_label="Not linked"
    )
    referred_on = _date("Date referred", kind=DateKind.HAPPENED)
    planned_start_on = _date("Planned start")
    sessions_total = forms.IntegerField(label="Number of sessions", min_value=0, initial=0)


class ProgrammeStartForm(VersionedCaseForm):
    group_name = forms.CharField(label="Group", max_length=60, error_messages={"required": "Enter the group"})
    started_on = _date("Start date", kind=DateKind.HAPPENED)
    informed_consent = forms.BooleanField(
        label="The person gave informed consent to be the only woman, or the only person of their ethnic group, in the group",
        required=False,
    )
    consent_notes = forms.CharField(label="What they were told and said", max_length=300, required=False)


class ProgrammeSessionsForm(VersionedCaseForm):
    sessions_attended = forms.IntegerField(label="Sessions attended", min_value=0)


class ProgrammeEndForm(VersionedCaseForm):
    ended_on = _date("End date", kind=DateKind.HAPPENED)
    completed = forms.TypedChoiceField(
        label="Completed",
        choices=[("", "Choose"), ("yes", "Completed"), ("no", "Not completed")],
        # Why it was not completed is asked under "Not completed".
        widget=GovukRadios(reveals={"no": "non_completion_reason"}),
        coerce=lambda v: v == "yes",
        error_messages={"required": "Choose whether the programme was completed"},
    )
    non_completion_reason = _choice("Reason for non-completion", NonCompletionReason.choices, required=False)
    notes = forms.CharField(max_length=300, required=False)


class UnpaidWorkEntryForm(CaseForm):
    requirement_type = "unpaid_work"
    requirement = forms.ModelChoiceField(
        label="Unpaid work requirement",
        queryset=Requirement.objects.none(),
        empty_label="Choose",
        error_messages={"required": "Choose the unpaid work requirement"},
    )
    kind = _choice("Kind of hours", UnpaidWorkEntryKind.choices)
    on = _date("Date")
    hours = forms.DecimalField(
        max_digits=5,
        decimal_places=1,
        error_messages={"required": "Enter the hours", "invalid": "Hours must be a number, like 6 or 7.5"},
    )
    placement = forms.ModelChoiceField(
        queryset=UnpaidWorkPlacement.objects.none(), required=False, empty_label="None"
    )
    notes = forms.CharField(max_length=200, required=False)


class PlacementForm(CaseForm):
    requirement_type = "unpaid_work"
    requirement = forms.ModelChoiceField(
        label="Unpaid work requirement",
        queryset=Requirement.objects.none(),
        empty_label="Choose",
        error_messages={"required": "Choose the unpaid work requirement"},
    )
    name = forms.CharField(
        label="Placement", max_length=100, error_messages={"required": "Enter the placement"}
    )
    matched_for = forms.CharField(
        label="Why it suits the person",
        max_length=200,
        help_text="e.g. women-only group, daytime for a carer, uses their skills",
        error_messages={"required": "Enter why the placement suits the person"},
    )
    start_on = _date("Start date")


class DrugTestForm(CaseForm):
    tested_on = _date("Date of test", kind=DateKind.HAPPENED)
    result = _choice("Result", DrugTestResult.choices)
    substances = forms.CharField(max_length=100, required=False)


class DrrReviewForm(CaseForm):
    review_on = _date("Review date")
    court = forms.CharField(max_length=100, error_messages={"required": "Enter the court"})
    progress = forms.CharField(widget=forms.Textarea, required=False)
    outcome = _choice("Outcome", DrrReviewOutcome.choices)


class SkillsScreeningForm(CaseForm):
    screened_on = _date("Screening date", kind=DateKind.HAPPENED)
    shows_need = forms.BooleanField(label="The screening shows a literacy or numeracy need", required=False)


class SkillsAssessmentForm(CaseForm):
    assessed_on = _date("Full assessment date", kind=DateKind.HAPPENED)
    literacy_level = _choice("Literacy level", SkillsLevel.choices)
    numeracy_level = _choice("Numeracy level", SkillsLevel.choices)
    learning_plan = forms.CharField(
        label="Individual learning plan",
        widget=forms.Textarea,
        error_messages={"required": "Enter the individual learning plan"},
    )


class LearningTargetForm(CaseForm):
    description = forms.CharField(
        label="Intermediate target", max_length=200, error_messages={"required": "Enter the target"}
    )
    target_on = _date("Target date")


class TargetAchievedForm(CaseForm):
    achieved_on = _date("Date achieved", kind=DateKind.HAPPENED)


class AwardForm(CaseForm):
    award = forms.CharField(max_length=100, error_messages={"required": "Enter the award"})
    level = _choice("Level", SkillsLevel.choices)
    awarded_on = _date("Date awarded", kind=DateKind.HAPPENED)


class EteOutcomeForm(CaseForm):
    kind = _choice("Outcome", EteOutcomeKind.choices)
    started_on = _date("Start date", kind=DateKind.HAPPENED)
    provider = forms.CharField(
        label="Employer or provider",
        max_length=100,
        error_messages={"required": "Enter the employer or provider"},
    )


class RetainedForm(CaseForm):
    confirmed_on = _date("Date retention confirmed", kind=DateKind.HAPPENED)


class PremisesReferralForm(CaseForm):
    premises = forms.ModelChoiceField(
        label="Approved premises",
        queryset=ApprovedPremises.objects.none(),
        empty_label="Choose",
        error_messages={"required": "Choose the approved premises"},
    )
    referred_on = _date("Date referred", kind=DateKind.HAPPENED)


class PremisesDecisionForm(VersionedCaseForm):
    decision = _choice("Decision", PremisesDecision.choices)
    decided_on = _date("Date decided", kind=DateKind.HAPPENED)


class PremisesArrivalForm(VersionedCaseForm):
    arrived_on = _date("Date of arrival", kind=DateKind.HAPPENED)


class PremisesDepartureForm(VersionedCaseForm):
    departed_on = _date("Date of departure", kind=DateKind.HAPPENED)


class MappaRegistrationForm(CaseForm):
    category = forms.TypedChoiceField(
        label="MAPPA category",
        coerce=int,
        choices=[("", "Choose"), *MappaCategory.choices],
        widget=choice_widget(MappaCategory.choices),
        error_messages={"required": "Choose the MAPPA category"},
    )
    level = forms.TypedChoiceField(
        label="MAPPA level",
        coerce=int,
        choices=[("", "Choose"), *MappaLevel.choices],
        widget=choice_widget(MappaLevel.choices),
        error_messages={"required": "Choose the MAPPA level"},
    )
    from_date = _date("From")
    notes = forms.CharField(max_length=200, required=False)


class MappaReferralDecisionForm(CaseForm):
    decided_on = _date("Date of the decision")
    referred = forms.TypedChoiceField(
        label="Referred to MAPPA?",
        coerce=lambda value: value == "yes",
        choices=[("", "Choose"), ("yes", "Yes, referred"), ("no", "No, not referred")],
        widget=GovukRadios(),
        error_messages={"required": "Choose whether the case was referred"},
    )
    reason = forms.CharField(widget=forms.Textarea, required=False, label="Why")


class EndRegistrationForm(CaseForm):
    on = _date("End date", kind=DateKind.HAPPENED)


class MappaMeetingForm(CaseForm):
    held_on = _date("Date of meeting", kind=DateKind.HAPPENED)
    level = forms.TypedChoiceField(
        label="MAPPA level",
        coerce=int,
        choices=[("", "Choose"), *MappaLevel.choices],
        widget=choice_widget(MappaLevel.choices),
        error_messages={"required": "Choose the MAPPA level"},
    )
    chair = forms.CharField(max_length=100, required=False)
    attendees = forms.CharField(label="Agencies present", max_length=300, required=False)
    summary = forms.CharField(label="Summary of the risk discussed", widget=forms.Textarea, required=False)
    next_review_on = _date("Next review", required=False)


class MappaActionForm(CaseForm):
    description = forms.CharField(
        label="Action", max_length=300, error_messages={"required": "Enter the action"}
    )
    owner_staff = forms.ModelChoiceField(
        queryset=Staff.objects.none(),
        label="Owner",
        required=False,
        empty_label="Another agency (name it below)",
        help_text="A member of staff: the action is on their list of actions and in their daily digest",
    )
    owner_agency = forms.CharField(
        label="Or the agency that owns it",
        max_length=100,
        required=False,
        help_text="For example, Police public protection unit: the case's offender manager chases it",
    )
    due_on = _date("Due date")

    def __init__(self, *args: Any, offender: Offender, **kwargs: Any) -> None:
        super().__init__(*args, offender=offender, **kwargs)
        field = self.fields["owner_staff"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Staff.objects.filter(area_id=offender.area_id, is_active=True).select_related("team")
        field.choices = choices_by_team(
            ((s.pk, s.full_name, s.team.name if s.team else "") for s in field.queryset),
            empty_label="Another agency (name it below)",
        )


class ActionDoneForm(CaseForm):
    done_on = _date("Date done", kind=DateKind.HAPPENED)


class PpoRegistrationForm(CaseForm):
    ppo_type = _choice("PPO type", PpoType.choices)
    from_date = _date("From")
    to_date = _date("To", required=False)


class EnhancedContactForm(CaseForm):
    contacts_per_week = forms.DecimalField(
        label="Contacts a week",
        max_digits=3,
        decimal_places=1,
        error_messages={"required": "Enter the number of contacts a week"},
    )
    from_on = _date("From")
