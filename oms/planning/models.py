"""Sentence plans: the initial plan, custody plans and reviews, their objectives and progress.

A plan is a `CountersignedDocument` (oms/risk/countersigning.py): drafted, submitted, countersigned
and locked like an assessment, and never edited once locked. A review is a new version of the plan
(its `previous` is the plan it reviews), starting from the last version's objectives and their
progress. Progress recorded against a locked plan's objectives goes into `ObjectiveProgress`, a log
beside the plan, never into the plan itself.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from oms.organisation.models import Staff
from oms.planning.constants import (
    NEED_CHOICES,
    PURPOSE_CHOICES,
    ContactLevel,
    Deliverer,
    ObjectiveStatus,
    PlanKind,
)
from oms.risk.countersigning import CountersignedDocument
from oms.risk.needs import CriminogenicNeed

# report 1.5(d): "In 12 of the 29 medium, high or very high RoH cases ... the ISP did not outline how
# the RoH would be managed, including cross references to the risk management plan."
RMP_LINK_FROM_LEVELS = frozenset({"medium", "high", "very_high"})


class SentencePlan(CountersignedDocument):
    document_name: ClassVar[str] = "sentence plan"

    kind = models.CharField(max_length=20, choices=PlanKind.choices, default=PlanKind.INITIAL)
    risk_management_plan = models.ForeignKey(
        "risk.RiskManagementPlan",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The risk management plan this plan's objectives cross-refer to",
    )
    sequencing_of_requirements = models.TextField(
        blank=True, help_text="Which requirement comes first and why (RoH and likelihood of reoffending)"
    )
    planned_contact_level = models.CharField(max_length=20, choices=ContactLevel.choices, blank=True)
    contact_level_notes = models.TextField(blank=True)
    offender_participated = models.BooleanField(
        null=True, blank=True, help_text="Whether the offender took part in writing the plan"
    )
    offender_views = models.TextField(blank=True)
    offender_agreed = models.BooleanField(null=True, blank=True)
    agreement_recorded_on = models.DateField(null=True, blank=True)
    review_reason = models.TextField(blank=True, help_text="For a review: the 16-week review or the change")
    progress_summary = models.TextField(blank=True)

    class Meta(CountersignedDocument.Meta):
        verbose_name = "sentence plan"

    @property
    def short_name(self) -> str:
        """ "sentence plan review 3": the kind and the version, as the access log names it."""
        return f"{self.get_kind_display().lower()} (version {self.sequence})"

    def get_absolute_url(self) -> str:
        return reverse("planning:plan", args=[self.offender.crn, self.pk])

    def get_edit_url(self) -> str:
        """Where the author changes a draft or rolled-back plan (the home page links here)."""
        return reverse("planning:edit", args=[self.offender.crn, self.pk])

    def get_countersign_url(self) -> str:
        """The risk app's countersigning queue links here for sentence plans."""
        return reverse("planning:countersign", args=[self.offender.crn, self.pk])

    def copy_for_new_version(self) -> dict[str, Any]:
        """A review starts from the plan it reviews, but the offender's agreement is sought afresh."""
        values = super().copy_for_new_version()
        for name in ("offender_participated", "offender_agreed", "agreement_recorded_on"):
            values[name] = None
        values.update(offender_views="", review_reason="", progress_summary="")
        return values

    def submission_problems(self) -> list[tuple[str, str]]:
        problems: list[tuple[str, str]] = []
        if self.event_id is None:
            problems.append(("event", "The case has no current event to plan for"))
        objectives = [o for o in self.objectives.all() if o.objective.strip()]
        if not objectives:
            problems.append(("objectives-0-objective", "Enter at least one objective"))
        for index, objective in enumerate(objectives):
            prefix = f"objectives-{index}-"
            if not objective.need and not objective.linked_to_risk_management_plan:
                problems.append(
                    (
                        prefix + "need",
                        f"Objective {index + 1}: link it to a criminogenic need or to the risk management plan",
                    )
                )
            if not objective.intervention.strip():
                problems.append((prefix + "intervention", f"Objective {index + 1}: enter the intervention"))
            if objective.delivered_by == Deliverer.STAFF and objective.delivered_by_staff_id is None:
                problems.append(
                    (prefix + "delivered_by_staff", f"Objective {index + 1}: choose who delivers it")
                )
            if objective.delivered_by == Deliverer.PARTNER and not objective.partner_agency.strip():
                problems.append(
                    (prefix + "partner_agency", f"Objective {index + 1}: name the partner agency")
                )
            if objective.target_date is None:
                problems.append((prefix + "target_date", f"Objective {index + 1}: enter a target date"))
        level = self.offender.risk_of_harm_level
        if (
            level in RMP_LINK_FROM_LEVELS
            and objectives
            and not any(o.linked_to_risk_management_plan for o in objectives)
        ):
            problems.append(
                (
                    "objectives-0-linked_to_risk_management_plan",
                    "RoH is medium or higher: link at least one objective to the risk management plan",
                )
            )
        if not self.planned_contact_level:
            problems.append(("planned_contact_level", "Choose the planned contact level"))
        if self.offender_participated is None:
            problems.append(("offender_participated", "Say whether the offender took part in the plan"))
        if self.offender_agreed is None:
            problems.append(("offender_agreed", "Say whether the offender agreed the plan"))
        elif self.agreement_recorded_on is None:
            problems.append(("agreement_recorded_on", "Enter the date the offender's agreement was recorded"))
        if self.kind == PlanKind.REVIEW and not self.progress_summary.strip():
            problems.append(("progress_summary", "Summarise the progress since the last plan"))
        return problems


class Objective(models.Model):
    """One objective of one version of a plan: what, why (need or RMP), how, who, by when."""

    plan = models.ForeignKey(SentencePlan, on_delete=models.CASCADE, related_name="objectives")
    number = models.PositiveSmallIntegerField()
    objective = models.TextField()
    need = models.CharField(max_length=40, choices=NEED_CHOICES, blank=True)
    linked_to_risk_management_plan = models.BooleanField(default=False)
    purpose = models.CharField(max_length=20, choices=PURPOSE_CHOICES, blank=True)
    intervention = models.CharField(max_length=200, blank=True)
    delivered_by = models.CharField(
        max_length=20, choices=Deliverer.choices, default=Deliverer.OFFENDER_MANAGER
    )
    delivered_by_staff = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    partner_agency = models.CharField(max_length=100, blank=True)
    target_date = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=ObjectiveStatus.choices, default=ObjectiveStatus.NOT_STARTED
    )
    progress_notes = models.TextField(blank=True)
    carried_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The same objective in the plan this one reviews",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "number"]

    def __str__(self) -> str:
        return f"Objective {self.number}: {self.objective[:60]}"

    @property
    def need_label(self) -> str:
        return CriminogenicNeed(self.need).label if self.need else ""

    def deliverer_words(self) -> str:
        if self.delivered_by == Deliverer.STAFF and self.delivered_by_staff is not None:
            return self.delivered_by_staff.full_name
        if self.delivered_by == Deliverer.PARTNER and self.partner_agency:
            return self.partner_agency
        return "Your offender manager" if self.delivered_by == Deliverer.OFFENDER_MANAGER else "To be decided"


class ObjectiveProgress(models.Model):
    """Progress recorded against an objective once its plan is locked: the plan stays as agreed."""

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="progress_log")
    offender = models.ForeignKey("cases.Offender", on_delete=models.CASCADE, related_name="+")
    recorded_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=20, choices=ObjectiveStatus.choices)
    note = models.TextField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["objective", "recorded_at", "id"]
        verbose_name_plural = "objective progress"
