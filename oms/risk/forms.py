"""Forms for each assessment and plan. Each reads a document into fields and gives back its changes;
messages name the field, in GOV.UK style, and the submission rules' messages land on the same fields."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest

from oms.cases.date_input import DateField
from oms.cases.form_errors import errors_on
from oms.cases.models import Event, Offender
from oms.cases.radios import GovukRadios, choice_widget, offer_choices
from oms.risk import countersigning
from oms.risk.countersigning import CountersignedDocument
from oms.risk.levels import ALL_CELLS, RiskGroup, RiskOfHarmLevel
from oms.risk.models import (
    RMP_SECTIONS,
    LearningStyle,
    Motivation,
    ReoffendingAssessment,
    RiskManagementPlan,
    RiskOfHarmAnalysis,
    RiskOfHarmScreening,
    SelfHarmRisk,
)
from oms.risk.needs import CriminogenicNeed
from oms.timescales.date_rules import DateKind

LEVEL_OR_BLANK = [("", "Not yet considered"), *((level.value, level.label) for level in RiskOfHarmLevel)]
INDICATOR_CHOICES = [("", "No indicator"), *((level.value, level.label) for level in RiskOfHarmLevel)]
ACTION_ROWS = 4
NEED_SCORE_MAXIMUM = 20


def _text(label: str, help_text: str = "") -> forms.CharField:
    return forms.CharField(label=label, required=False, widget=forms.Textarea, help_text=help_text)


class DocumentForm(forms.Form):
    """The fields every document form shares: the version the person opened (for the stale check)."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, document: CountersignedDocument, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).update(self.initial_from(document))
        kwargs["initial"]["version"] = document.version
        super().__init__(*args, **kwargs)
        self.document = document

    def initial_from(self, document: Any) -> dict[str, Any]:
        return {}

    def changes(self) -> dict[str, Any]:
        raise NotImplementedError


class ScreeningForm(DocumentForm):
    event = forms.TypedChoiceField(
        label="Event screened", coerce=int, error_messages={"required": "Choose the event"}
    )

    def __init__(self, *args: Any, document: RiskOfHarmScreening, **kwargs: Any) -> None:
        super().__init__(*args, document=document, **kwargs)
        events = Event.objects.filter(offender_id=document.offender_id).order_by(
            "-is_active", "-sentence_date"
        )
        offer_choices(self.fields["event"], [("", "Choose"), *((e.pk, str(e)) for e in events)])
        for group in RiskGroup:
            self.fields[f"indicator_{group.value}"] = forms.ChoiceField(
                label=f"Indicator of risk to {group.label.lower()}",
                choices=INDICATOR_CHOICES,
                widget=choice_widget(INDICATOR_CHOICES),
                required=False,
            )
        for name, label in (
            ("current_offence_violence", "The current offence involves violence"),
            ("current_offence_sexual", "The current offence is a sexual offence"),
            ("previous_serious_harm", "There is a history of serious harm"),
            ("mappa_eligible", "The offender is eligible for MAPPA"),
            ("child_protection_concerns", "There are child protection concerns"),
            ("concerns_from_other_agencies", "Other agencies have raised concerns"),
        ):
            self.fields[name] = forms.BooleanField(label=label, required=False)
        self.fields["notes"] = _text("Notes")

    def initial_from(self, document: Any) -> dict[str, Any]:
        initial = {f"indicator_{g}": level for g, level in document.indicator_levels.items()}
        for name in (
            "current_offence_violence",
            "current_offence_sexual",
            "previous_serious_harm",
            "mappa_eligible",
            "child_protection_concerns",
            "concerns_from_other_agencies",
            "notes",
        ):
            initial[name] = getattr(document, name)
        initial["event"] = document.event_id
        return initial

    def changes(self) -> dict[str, Any]:
        data = self.cleaned_data
        changes = {
            name: data[name]
            for name in self.fields
            if name not in ("version", "event") and not name.startswith("indicator_")
        }
        changes["event_id"] = data["event"]
        changes["indicator_levels"] = {
            group.value: data[f"indicator_{group.value}"]
            for group in RiskGroup
            if data[f"indicator_{group.value}"]
        }
        return changes


class AnalysisForm(DocumentForm):
    def __init__(self, *args: Any, document: RiskOfHarmAnalysis, **kwargs: Any) -> None:
        super().__init__(*args, document=document, **kwargs)
        for cell in ALL_CELLS:
            self.fields[cell.field_name] = forms.ChoiceField(
                label=f"Risk to {cell.group.label.lower()} in {cell.setting.value}",
                choices=LEVEL_OR_BLANK,
                widget=choice_widget(LEVEL_OR_BLANK),
                required=False,
            )
        self.fields["nature_of_risk"] = _text(
            "Nature of the risk",
            "Who is at risk, of what harm, when it is most likely, and what would make it worse",
        )
        self.fields["mappa_assessment_used"] = forms.BooleanField(
            label="MAPPA assessment used", required=False
        )
        self.fields["prison_assessment_used"] = forms.BooleanField(
            label="Prison assessment used", required=False
        )
        self.fields["yot_assessment_used"] = forms.BooleanField(
            label="Youth offending team (YOT) assessment used", required=False
        )
        self.fields["other_assessments"] = _text("Other agencies' assessments used")
        self.fields["victim_safety_issues"] = _text("Victim safety issues")

    def initial_from(self, document: Any) -> dict[str, Any]:
        initial: dict[str, Any] = dict(document.levels)
        for name in (
            "nature_of_risk",
            "mappa_assessment_used",
            "prison_assessment_used",
            "yot_assessment_used",
            "other_assessments",
            "victim_safety_issues",
        ):
            initial[name] = getattr(document, name)
        return initial

    def changes(self) -> dict[str, Any]:
        data = self.cleaned_data
        changes = {name: data[name] for name in self.fields if name != "version" and "_" in name}
        changes["levels"] = {
            cell.field_name: data[cell.field_name] for cell in ALL_CELLS if data[cell.field_name]
        }
        for cell in ALL_CELLS:
            changes.pop(cell.field_name, None)
        return changes


class ReoffendingForm(DocumentForm):
    date_of_current_conviction = DateField(
        label="Date of current conviction",
        required=False,
        kind=DateKind.HAPPENED,
        error_messages={"invalid": "Date of current conviction must be a real date"},
    )
    date_of_start_of_follow_up = DateField(
        label="Start of follow-up",
        required=False,
        kind=DateKind.HAPPENED,
        help_text="The community sentence date, or the date of release from custody",
        error_messages={"invalid": "Start of follow-up must be a real date"},
    )
    total_sanctions = forms.IntegerField(
        label="Total sanctions, including the current one",
        required=False,
        min_value=1,
        error_messages={
            "min_value": "Total sanctions must be 1 or more",
            "invalid": "Total sanctions must be a whole number",
        },
    )
    age_at_first_sanction = forms.IntegerField(
        label="Age at first sanction",
        required=False,
        min_value=0,
        max_value=120,
        error_messages={"invalid": "Age at first sanction must be a whole number of years"},
    )
    offence_code = forms.CharField(
        label="Offence code",
        required=False,
        max_length=5,
        help_text="The five-digit Home Office offence code",
    )

    def __init__(self, *args: Any, document: ReoffendingAssessment, **kwargs: Any) -> None:
        super().__init__(*args, document=document, **kwargs)
        for need in CriminogenicNeed:
            self.fields[f"need_{need.value}_score"] = forms.IntegerField(
                label=f"{need.oasys_section}. {need.label}: score",
                required=False,
                min_value=0,
                max_value=NEED_SCORE_MAXIMUM,
                error_messages={
                    "min_value": f"{need.label} score must be 0 or more",
                    "max_value": f"{need.label} score must be {NEED_SCORE_MAXIMUM} or less",
                    "invalid": f"{need.label} score must be a whole number",
                },
            )
            self.fields[f"need_{need.value}_linked"] = forms.BooleanField(
                label=f"{need.label} is linked to offending", required=False
            )
        self.fields["positive_factors"] = _text("Positive factors")
        self.fields["self_harm_risk"] = forms.ChoiceField(
            label="Risk of self-harm",
            choices=SelfHarmRisk.choices,
            widget=choice_widget(SelfHarmRisk.choices),
        )
        self.fields["self_harm_notes"] = _text("Self-harm: details")
        self.fields["learning_style"] = forms.ChoiceField(
            label="Learning style",
            choices=LearningStyle.choices,
            widget=choice_widget(LearningStyle.choices),
            required=False,
        )
        self.fields["motivation"] = forms.ChoiceField(
            label="Motivation to change",
            choices=Motivation.choices,
            widget=choice_widget(Motivation.choices),
            required=False,
        )
        self.fields["literacy_need"] = forms.BooleanField(label="Has a literacy need", required=False)
        self.fields["diversity_needs"] = _text(
            "Diversity needs", "For example language, disability, faith or caring responsibilities"
        )

    def initial_from(self, document: Any) -> dict[str, Any]:
        initial = {
            name: getattr(document, name)
            for name in (
                "date_of_current_conviction",
                "date_of_start_of_follow_up",
                "total_sanctions",
                "age_at_first_sanction",
                "offence_code",
                "positive_factors",
                "self_harm_risk",
                "self_harm_notes",
                "learning_style",
                "motivation",
                "literacy_need",
                "diversity_needs",
            )
        }
        for need, entry in document.needs.items():
            initial[f"need_{need}_score"] = entry.get("score")
            initial[f"need_{need}_linked"] = entry.get("linked_to_offending", False)
        return initial

    def changes(self) -> dict[str, Any]:
        data = self.cleaned_data
        changes = {
            name: data[name] for name in self.fields if name != "version" and not name.startswith("need_")
        }
        changes["offence_code"] = (data.get("offence_code") or "").strip()
        changes["needs"] = {
            need.value: {
                "score": data[f"need_{need.value}_score"],
                "linked_to_offending": data[f"need_{need.value}_linked"],
            }
            for need in CriminogenicNeed
            if data[f"need_{need.value}_score"] is not None or data[f"need_{need.value}_linked"]
        }
        return changes


class PlanForm(DocumentForm):
    def __init__(self, *args: Any, document: RiskManagementPlan, **kwargs: Any) -> None:
        super().__init__(*args, document=document, **kwargs)
        for name, label in RMP_SECTIONS:
            self.fields[name] = _text(label)
        for group in RiskGroup:
            self.fields[f"addresses_{group.value}"] = forms.BooleanField(
                label=f"The plan addresses the risk to {group.label.lower()}", required=False
            )
        for row in range(ACTION_ROWS):
            self.fields[f"actions-{row}-action"] = forms.CharField(
                label=f"Action {row + 1}: what", required=False, max_length=300
            )
            self.fields[f"actions-{row}-who"] = forms.CharField(
                label=f"Action {row + 1}: who", required=False, max_length=100
            )
            self.fields[f"actions-{row}-by"] = DateField(
                label=f"Action {row + 1}: by when",
                required=False,
                error_messages={"invalid": f"Action {row + 1}: by when must be a real date"},
            )

    def initial_from(self, document: Any) -> dict[str, Any]:
        initial: dict[str, Any] = {name: getattr(document, name) for name, _ in RMP_SECTIONS}
        for group in document.groups_addressed:
            initial[f"addresses_{group}"] = True
        for row, action in enumerate(document.actions[:ACTION_ROWS]):
            initial[f"actions-{row}-action"] = action.get("action", "")
            initial[f"actions-{row}-who"] = action.get("who", "")
            initial[f"actions-{row}-by"] = action.get("by", "")
        return initial

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for row in range(ACTION_ROWS):
            action = data.get(f"actions-{row}-action")
            if action and not data.get(f"actions-{row}-who"):
                self.add_error(f"actions-{row}-who", f"Action {row + 1}: enter who will do it")
            if action and not data.get(f"actions-{row}-by") and f"actions-{row}-by" not in self.errors:
                self.add_error(f"actions-{row}-by", f"Action {row + 1}: enter the date it is due by")
        return data

    def changes(self) -> dict[str, Any]:
        data = self.cleaned_data
        changes: dict[str, Any] = {name: data[name] for name, _ in RMP_SECTIONS}
        changes["groups_addressed"] = [g.value for g in RiskGroup if data[f"addresses_{g.value}"]]
        actions = []
        for row in range(ACTION_ROWS):
            if data.get(f"actions-{row}-action"):
                due: date | None = data.get(f"actions-{row}-by")
                actions.append(
                    {
                        "action": data[f"actions-{row}-action"],
                        "who": data.get(f"actions-{row}-who", ""),
                        "by": due.isoformat() if due else "",
                    }
                )
        changes["actions"] = actions
        return changes


FORMS: dict[str, type[DocumentForm]] = {
    "screening": ScreeningForm,
    "analysis": AnalysisForm,
    "reoffending": ReoffendingForm,
    "plan": PlanForm,
}


class CountersignDecision(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[
            ("countersign", "Countersign and lock"),
            ("roll_back", "Roll back to the author"),
        ],
        widget=GovukRadios(reveals={"roll_back": "reason"}),
        error_messages={"required": "Choose whether to countersign or roll back"},
    )
    reason = forms.CharField(
        label="What must improve", required=False, widget=forms.Textarea, max_length=2000
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "roll_back" and not (data.get("reason") or "").strip():
            self.add_error("reason", "Enter what must be improved before this can be countersigned")
        return data

    def carry_out(self, request: HttpRequest, document: CountersignedDocument) -> bool:
        """Countersign or roll back as decided (any kind of document); a refusal goes on the form.

        True when it was done. Called after `is_valid()`.
        """
        with errors_on(self) as attempt:
            if self.cleaned_data["decision"] == "countersign":
                countersigning.countersign(
                    request.user, document, expected_version=self.cleaned_data["version"]
                )
                messages.success(request, f"{document.title} countersigned and locked")
            else:
                countersigning.roll_back(
                    request.user,
                    document,
                    reason=self.cleaned_data["reason"],
                    expected_version=self.cleaned_data["version"],
                )
                messages.success(request, f"{document.title} rolled back to {document.author}")
        return attempt.succeeded


class StartScreeningForm(forms.Form):
    event = forms.TypedChoiceField(label="Event to screen", coerce=int)

    def __init__(self, *args: Any, offender: Offender, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        events = offender.events.filter(is_active=True).order_by("-sentence_date")
        offer_choices(self.fields["event"], [(e.pk, str(e)) for e in events])
