"""The OASys layer: RoH screening, full RoH analysis, likelihood of reoffending, risk management plan.

Each is a `CountersignedDocument`: drafted, submitted, countersigned and locked (or rolled back), and
never edited once locked — a reassessment is a new version, so the case shows how RoH, needs and
OGRS3 moved. Rules come from the pure modules beside this one (levels, needs, ogrs3).
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models

from oms.calculation_errors import CalculatorInputError
from oms.risk import levels as risk_levels
from oms.risk import needs, ogrs3
from oms.risk.countersigning import (
    CountersignedDocument,
    CountersigningDeputy,
    CountersigningEvent,
    CountersigningPolicy,
    CountersigningStatus,
)
from oms.risk.levels import REQUIRED_CELLS, RiskGroup, RiskOfHarmLevel

__all__ = [
    "CountersigningDeputy",
    "CountersigningEvent",
    "CountersigningPolicy",
    "ReoffendingAssessment",
    "RiskManagementPlan",
    "RiskOfHarmAnalysis",
    "RiskOfHarmScreening",
]

User = AbstractBaseUser | AnonymousUser

LEVEL_CHOICES = [(level.value, level.label) for level in RiskOfHarmLevel]


def _level_or_none(code: str | None) -> RiskOfHarmLevel | None:
    return RiskOfHarmLevel(code) if code else None


class RiskOfHarmScreening(CountersignedDocument):
    """The RoH screening of one event. Report recommendation 1: prompt screening at the start."""

    document_name: ClassVar[str] = "RoH screening"

    # Indicator level for each group at risk: {"public": "medium", ...}; blank groups are no indicator.
    indicator_levels = models.JSONField(default=dict, blank=True)
    current_offence_violence = models.BooleanField(default=False)
    current_offence_sexual = models.BooleanField(default=False)
    previous_serious_harm = models.BooleanField(default=False)
    mappa_eligible = models.BooleanField(default=False)
    child_protection_concerns = models.BooleanField(default=False)
    concerns_from_other_agencies = models.BooleanField(default=False)
    notes = models.TextField(blank=True)
    full_analysis_needed = models.BooleanField(default=False)
    reasons = models.JSONField(default=list, blank=True)

    class Meta(CountersignedDocument.Meta):
        verbose_name = "RoH screening"

    def outcome(self) -> risk_levels.ScreeningOutcome:
        return risk_levels.screening_indicates_full_analysis(
            risk_levels.RiskOfHarmScreening(
                indicator_levels={
                    RiskGroup(group).label: RiskOfHarmLevel(level)
                    for group, level in self.indicator_levels.items()
                    if level
                },
                current_offence_violence=self.current_offence_violence,
                current_offence_sexual=self.current_offence_sexual,
                previous_serious_harm=self.previous_serious_harm,
                mappa_eligible=self.mappa_eligible,
                child_protection_concerns=self.child_protection_concerns,
                concerns_from_other_agencies=self.concerns_from_other_agencies,
            )
        )

    def refresh_outcome(self) -> None:
        outcome = self.outcome()
        self.full_analysis_needed = outcome.full_analysis_needed
        self.reasons = list(outcome.reasons)

    def refresh_derived(self) -> None:
        self.refresh_outcome()

    def submission_problems(self) -> list[tuple[str, str]]:
        if self.event_id is None:
            return [("event", "Choose the event this screening is for")]
        return []


class RiskOfHarmAnalysis(CountersignedDocument):
    """The full RoH analysis: a level for each group in each setting; the overall level is the highest."""

    document_name: ClassVar[str] = "full RoH analysis"

    screening = models.ForeignKey(
        RiskOfHarmScreening, null=True, blank=True, on_delete=models.PROTECT, related_name="analyses"
    )
    # {"public_community": "high", "public_custody": "medium", ...}: RiskCell.field_name → level.
    levels = models.JSONField(default=dict, blank=True)
    overall_level = models.CharField(max_length=20, choices=LEVEL_CHOICES, blank=True)
    nature_of_risk = models.TextField("Nature of the risk: who, what, when and how likely", blank=True)
    mappa_assessment_used = models.BooleanField("MAPPA assessment used", default=False)
    prison_assessment_used = models.BooleanField("Prison assessment used", default=False)
    yot_assessment_used = models.BooleanField("Youth offending team (YOT) assessment used", default=False)
    other_assessments = models.TextField("Other agencies' assessments used", blank=True)
    victim_safety_issues = models.TextField(blank=True)

    class Meta(CountersignedDocument.Meta):
        verbose_name = "full RoH analysis"
        verbose_name_plural = "full RoH analyses"
        # The named operator role of a migration from another system (oms/risk/bulk_assessments.py):
        # given in the admin, to a person or a group, never implied by a grade.
        permissions = [
            ("import_assessments", "Can import assessments completed in another system (a migration)")
        ]

    def cell_levels(self) -> dict[risk_levels.RiskCell, RiskOfHarmLevel | None]:
        return {cell: _level_or_none(self.levels.get(cell.field_name)) for cell in risk_levels.ALL_CELLS}

    def refresh_overall_level(self) -> None:
        considered = [level for level in self.cell_levels().values() if level is not None]
        self.overall_level = risk_levels.overall_level(considered).value if considered else ""

    def refresh_derived(self) -> None:
        self.refresh_overall_level()

    def groups_above_low(self) -> list[RiskGroup]:
        return [
            group
            for group in RiskGroup
            if any(
                level is not None and level.at_least(RiskOfHarmLevel.MEDIUM)
                for cell, level in self.cell_levels().items()
                if cell.group is group
            )
        ]

    def submission_problems(self) -> list[tuple[str, str]]:
        """Every gap at once, so the page lists them all (not one per submit)."""
        problems: list[tuple[str, str]] = []
        try:
            risk_levels.overall_level_for_assessment(self.cell_levels())
        except CalculatorInputError as error:
            # The one message for the whole grid, then each unconsidered group on its own field.
            problems.append(("levels", error.message))
            problems += [
                (cell.field_name, f"Choose the level of risk to {cell.label.lower()}")
                for cell in REQUIRED_CELLS
                if cell.field_name in error.fields
            ]
        if not self.nature_of_risk.strip():
            problems.append(
                ("nature_of_risk", "Describe the nature of the risk: who is at risk, of what, and when")
            )
        return problems

    def risk_of_harm_level_for_countersigning(self) -> str | None:
        return self.overall_level or self.offender.risk_of_harm_level or None


class SelfHarmRisk(models.TextChoices):
    NONE = "none", "No concerns"
    PREVIOUS = "previous", "Previous concerns"
    CURRENT = "current", "Current concerns"


class LearningStyle(models.TextChoices):
    NOT_ASSESSED = "", "Not assessed"
    VISUAL = "visual", "Visual"
    AUDITORY = "auditory", "Auditory"
    KINAESTHETIC = "kinaesthetic", "Practical (kinaesthetic)"


class Motivation(models.TextChoices):
    NOT_ASSESSED = "", "Not assessed"
    PRE_CONTEMPLATION = "pre_contemplation", "Not yet thinking about change"
    CONTEMPLATION = "contemplation", "Thinking about change"
    ACTION = "action", "Making changes"
    MAINTENANCE = "maintenance", "Keeping changes going"


class ReoffendingAssessment(CountersignedDocument):
    """Likelihood of reoffending: OGRS3 from criminal history, and the ten criminogenic need sections."""

    document_name: ClassVar[str] = "likelihood of reoffending assessment"

    date_of_current_conviction = models.DateField(null=True, blank=True)
    date_of_start_of_follow_up = models.DateField(
        null=True, blank=True, help_text="The community sentence date, or release from custody"
    )
    total_sanctions = models.PositiveSmallIntegerField(null=True, blank=True)
    age_at_first_sanction = models.PositiveSmallIntegerField(null=True, blank=True)
    offence_code = models.CharField(max_length=5, blank=True)
    ogrs3_one_year = models.PositiveSmallIntegerField(null=True, blank=True)
    ogrs3_two_year = models.PositiveSmallIntegerField(null=True, blank=True)
    ogrs3_band = models.CharField(max_length=20, blank=True)
    # {"accommodation": {"score": 4, "linked_to_offending": true}, ...}; severity is derived.
    needs = models.JSONField(default=dict, blank=True)
    positive_factors = models.TextField(blank=True)
    self_harm_risk = models.CharField(max_length=20, choices=SelfHarmRisk.choices, default=SelfHarmRisk.NONE)
    self_harm_notes = models.TextField(blank=True)
    learning_style = models.CharField(max_length=20, choices=LearningStyle.choices, blank=True)
    motivation = models.CharField(max_length=20, choices=Motivation.choices, blank=True)
    literacy_need = models.BooleanField(default=False)
    diversity_needs = models.TextField(blank=True)

    class Meta(CountersignedDocument.Meta):
        verbose_name = "likelihood of reoffending assessment"

    def ogrs3_inputs(self) -> ogrs3.Ogrs3Inputs:
        """The OGRS3 inputs; gender and date of birth come from the case."""
        payload: dict[str, Any] = {
            "gender": self.offender.gender if self.offender.gender in ("male", "female") else None,
            "date_of_birth": self.offender.date_of_birth.isoformat(),
            "date_of_current_conviction": self.date_of_current_conviction.isoformat()
            if self.date_of_current_conviction
            else None,
            "date_of_start_of_follow_up": self.date_of_start_of_follow_up.isoformat()
            if self.date_of_start_of_follow_up
            else None,
            "total_sanctions": self.total_sanctions,
            "age_at_first_sanction": self.age_at_first_sanction,
            "offence_code": self.offence_code or None,
        }
        return ogrs3.inputs_from_payload(payload)

    def refresh_ogrs3(self) -> CalculatorInputError | None:
        """Score OGRS3 if the inputs allow; the error (naming every bad field) otherwise."""
        try:
            result = ogrs3.ogrs3(self.ogrs3_inputs())
        except CalculatorInputError as error:
            self.ogrs3_one_year = self.ogrs3_two_year = None
            self.ogrs3_band = ""
            return error
        self.ogrs3_one_year, self.ogrs3_two_year, self.ogrs3_band = (
            result.one_year,
            result.two_year,
            result.band.value,
        )
        return None

    def refresh_derived(self) -> None:
        self.refresh_ogrs3()

    def need_rows(self) -> list[dict[str, Any]]:
        rows = []
        for need in needs.CriminogenicNeed:
            entry = self.needs.get(need.value) or {}
            score = entry.get("score")
            rows.append(
                {
                    "need": need,
                    "score": score,
                    "severity": needs.severity(need, score) if isinstance(score, int) else None,
                    "linked_to_offending": bool(entry.get("linked_to_offending")),
                }
            )
        return rows

    def submission_problems(self) -> list[tuple[str, str]]:
        problems: list[tuple[str, str]] = []
        error = self.refresh_ogrs3()
        if error is not None:
            problems.append(
                (error.fields[0] if error.fields else "total_sanctions", f"OGRS3: {error.message}")
            )
        unscored = [row["need"] for row in self.need_rows() if row["score"] is None]
        if unscored:
            problems.append(
                (
                    f"need_{unscored[0].value}_score",
                    "Score every need section; not yet scored: "
                    + ", ".join(n.label.lower() for n in unscored),
                )
            )
        return problems


RMP_SECTIONS = (
    ("further_considerations", "Further considerations"),
    ("supervision", "Supervision"),
    ("monitoring_and_control", "Monitoring and control"),
    ("interventions_and_treatment", "Interventions and treatment"),
    ("victim_safety_planning", "Victim safety planning"),
    ("contingency", "Contingency"),
)


class RiskManagementPlan(CountersignedDocument):
    """The risk management plan (spec/domain.md sections), with who does what by when."""

    document_name: ClassVar[str] = "risk management plan"

    analysis = models.ForeignKey(
        RiskOfHarmAnalysis, null=True, blank=True, on_delete=models.PROTECT, related_name="plans"
    )
    further_considerations = models.TextField(blank=True)
    supervision = models.TextField(blank=True)
    monitoring_and_control = models.TextField(blank=True)
    interventions_and_treatment = models.TextField(blank=True)
    victim_safety_planning = models.TextField(blank=True)
    contingency = models.TextField(blank=True)
    # The groups this plan says how it manages: ["public", "children"].
    groups_addressed = models.JSONField(default=list, blank=True)
    # [{"action": "...", "who": "...", "by": "2026-12-01"}]
    actions = models.JSONField(default=list, blank=True)

    class Meta(CountersignedDocument.Meta):
        verbose_name = "risk management plan"

    def groups_not_addressed(self) -> list[RiskGroup]:
        """Groups the analysis puts above low that the plan does not say it manages."""
        if self.analysis is None:
            return []
        return [
            group for group in self.analysis.groups_above_low() if group.value not in self.groups_addressed
        ]

    def submission_problems(self) -> list[tuple[str, str]]:
        """Every empty section, the groups not addressed and a missing action, all at once."""
        problems = [
            (name, f"Enter the {label.lower()} section")
            for name, label in RMP_SECTIONS
            if not getattr(self, name).strip()
        ]
        missing = self.groups_not_addressed()
        if missing:
            problems.append(
                (
                    "groups_addressed",
                    "The plan must address every group assessed above low: "
                    + ", ".join(g.label.lower() for g in missing),
                )
            )
        if not self.actions:
            problems.append(("actions-0-action", "Enter at least one action: who does what by when"))
        return problems

    def risk_of_harm_level_for_countersigning(self) -> str | None:
        if self.analysis is not None and self.analysis.overall_level:
            return self.analysis.overall_level
        return super().risk_of_harm_level_for_countersigning()


DOCUMENT_KINDS: dict[str, type[CountersignedDocument]] = {
    "screening": RiskOfHarmScreening,
    "analysis": RiskOfHarmAnalysis,
    "reoffending": ReoffendingAssessment,
    "plan": RiskManagementPlan,
}

REQUIRED_CELL_NAMES = tuple(cell.field_name for cell in REQUIRED_CELLS)

__all__ += ["DOCUMENT_KINDS", "RMP_SECTIONS", "CountersigningStatus"]
