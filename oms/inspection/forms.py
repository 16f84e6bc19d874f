"""Forms for the inspection pages: each field named as the user sees it, errors GOV.UK style."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils import timezone

from oms.cases.date_input import DateField
from oms.cases.forms import choices_by_team, offer_staff_by_team
from oms.cases.radios import choice_widget, offer_choices
from oms.inspection.constants import DEFAULT_SAMPLE_SIZE, SamplingMethod, TeamRole
from oms.organisation.constants import Role
from oms.organisation.models import Area, Staff


class InspectionForm(forms.Form):
    area = forms.ModelChoiceField(
        queryset=Area.objects.order_by("name"),
        empty_label="Choose an area",
        help_text="The areas HMI Probation's programme has an inspection due for",
        error_messages={"invalid_choice": "Choose an area the programme has an inspection due for"},
    )
    fieldwork_start = DateField(label="Fieldwork starts")
    fieldwork_end = DateField(label="Fieldwork ends")

    def __init__(self, *args: Any, areas: list[Area], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["area"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Area.objects.filter(pk__in=[area.pk for area in areas]).order_by("name")
        offer_choices(field, field.choices)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("fieldwork_start"), data.get("fieldwork_end")
        if start and end and end < start:
            self.add_error("fieldwork_end", "Fieldwork must end on or after the day it starts")
        return data


class SelfAssessmentForm(forms.Form):
    fieldwork_start = DateField(label="Starts")
    fieldwork_end = DateField(label="Ends")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("fieldwork_start"), data.get("fieldwork_end")
        if start and end and end < start:
            self.add_error("fieldwork_end", "The self-assessment must end on or after the day it starts")
        return data


class TeamMemberForm(forms.Form):
    staff = forms.ModelChoiceField(
        queryset=Staff.objects.none(), label="Member of staff", empty_label="Choose"
    )
    role = forms.ChoiceField(choices=TeamRole.choices, widget=choice_widget(TeamRole.choices))

    def __init__(self, *args: Any, inspection: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        staff = Staff.objects.filter(is_active=True).select_related("grade")
        if inspection.is_self_assessment:
            staff = staff.filter(area_id=inspection.area_id)
        else:
            staff = staff.filter(grade__role=Role.INSPECTOR)
        field = self.fields["staff"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = staff.exclude(inspection_roles__inspection=inspection).select_related("team")
        field.choices = choices_by_team(
            (s.pk, f"{s.full_name} ({s.grade.name})", s.team.name if s.team else "") for s in field.queryset
        )


class SampleForm(forms.Form):
    method = forms.ChoiceField(
        choices=SamplingMethod.choices, widget=choice_widget(SamplingMethod.choices), label="Sampling method"
    )
    size = forms.IntegerField(min_value=1, max_value=500, initial=DEFAULT_SAMPLE_SIZE, label="Sample size")
    seed = forms.CharField(
        max_length=40, label="Seed", help_text="The same seed always gives the same sample"
    )
    as_of = DateField(label="Sample date", initial=timezone.localdate)


class InterviewForm(forms.Form):
    interviewed_on = DateField(label="Date of interview")
    offender_manager_name = forms.CharField(
        max_length=200, required=False, label="Offender manager interviewed"
    )
    notes = forms.CharField(widget=forms.Textarea, label="Interview notes")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class RatingForm(forms.Form):
    rating = forms.ChoiceField(choices=(), label="Rating")
    evidence = forms.CharField(widget=forms.Textarea, label="Evidence")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, ratings: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer_choices(
            self.fields["rating"], [("", "Choose a rating"), *((r, r.capitalize()) for r in ratings)]
        )


class QuestionnaireForm(forms.Form):
    sent = forms.IntegerField(min_value=0, label="Questionnaires sent")
    returned = forms.IntegerField(min_value=0, label="Completed and returned")
    answers_summary = forms.CharField(
        widget=forms.Textarea, required=False, label="Summary of answers", help_text="One finding a line"
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("sent") is not None
            and data.get("returned") is not None
            and data["returned"] > data["sent"]
        ):
            self.add_error("returned", "More questionnaires returned than were sent")
        return data


FINDING_CALL_CHOICES = [
    ("", "Not yet called"),
    ("strength", "Strength"),
    ("area", "Area for improvement"),
    ("omit", "Leave out of the report"),
]


class ReportTextForm(forms.Form):
    """The inspector's words, and their call on each finding (shown with its percentage)."""

    def __init__(self, *args: Any, findings: Sequence[tuple[str, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.finding_fields = []
        for question_id, sentence in findings:
            name = f"call_{question_id}"
            self.fields[name] = forms.ChoiceField(
                label=f"{question_id}: {sentence}",
                choices=FINDING_CALL_CHOICES,
                widget=choice_widget(FINDING_CALL_CHOICES),
                required=False,
            )
            self.finding_fields.append((question_id, name))
        # The free-text fields after the calls, as the report reads.
        for name in ("strengths", "areas_for_improvement", "narrative", "version"):
            self.fields[name] = self.fields.pop(name)

    def finding_calls(self) -> dict[str, str]:
        return {question_id: self.cleaned_data[name] for question_id, name in self.finding_fields}

    strengths = forms.CharField(widget=forms.Textarea, required=False, label="Further strengths (one a line)")
    areas_for_improvement = forms.CharField(
        widget=forms.Textarea, required=False, label="Further areas for improvement (one a line)"
    )
    narrative = forms.CharField(widget=forms.Textarea, required=False, label="Narrative")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class SummaryForm(forms.Form):
    summary = forms.CharField(widget=forms.Textarea, required=False, label="Summary")
    good_practice = forms.CharField(widget=forms.Textarea, required=False, label="Sharing good practice")
    version = forms.IntegerField(widget=forms.HiddenInput)


class RecommendationForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea, label="Recommendation")


class ActionForm(forms.Form):
    recommendation = forms.ChoiceField(choices=(), label="Recommendation")
    action = forms.CharField(widget=forms.Textarea, label="Action")
    owner = forms.ModelChoiceField(queryset=Staff.objects.none(), label="Owner", empty_label="Choose")
    due_date = DateField(required=False, label="Due date", help_text="Blank: the plan's due date")

    def __init__(self, *args: Any, inspection: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer_choices(
            self.fields["recommendation"],
            [("", "Choose")]
            + [(str(r.pk), f"{r.number}. {r.text[:80]}") for r in inspection.recommendations.all()],
        )
        offer_staff_by_team(
            self.fields["owner"], Staff.objects.filter(area_id=inspection.area_id, is_active=True)
        )


class ActionProgressForm(forms.Form):
    progress = forms.CharField(widget=forms.Textarea, required=False, label="Progress")
    done = forms.BooleanField(required=False, label="Done")
    version = forms.IntegerField(widget=forms.HiddenInput)


class CorrectionForm(forms.Form):
    reason = forms.CharField(
        label="What does this correction correct?",
        help_text="Kept with the new version; the version it replaces stays readable.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
    )
