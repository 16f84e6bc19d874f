"""Delivery of interventions (programmes, unpaid work, DRR, skills for life, ETE, approved premises)
and the multi-agency work on a case (MAPPA meetings and their actions, PPO enhanced contact)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import models
from simple_history.models import HistoricalRecords

from oms.cases.models import Offender, Requirement
from oms.interventions.constants import (
    DrrReviewOutcome,
    DrugTestResult,
    EteOutcomeKind,
    MappaLevel,
    NonCompletionReason,
    PremisesDecision,
    Programme,
    SkillsLevel,
    UnpaidWorkEntryKind,
)
from oms.organisation.models import ApprovedPremises, Staff

# ---------------------------------------------------------------- accredited programmes


class ProgrammeReferral(models.Model):
    offender = models.ForeignKey(Offender, on_delete=models.CASCADE, related_name="programme_referrals")
    requirement = models.ForeignKey(
        Requirement, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    programme = models.CharField(max_length=20, choices=Programme.choices)
    referred_on = models.DateField()
    planned_start_on = models.DateField()
    group_name = models.CharField(max_length=60, blank=True)
    started_on = models.DateField(null=True, blank=True)
    sessions_total = models.PositiveSmallIntegerField(default=0)
    sessions_attended = models.PositiveSmallIntegerField(default=0)
    ended_on = models.DateField(null=True, blank=True)
    completed = models.BooleanField(null=True, blank=True)
    non_completion_reason = models.CharField(max_length=30, choices=NonCompletionReason.choices, blank=True)
    non_completion_notes = models.CharField(max_length=300, blank=True)
    # Informed consent to be alone in the group (the only woman, the only person of their ethnic group).
    isolation = models.CharField(max_length=200, blank=True)
    consent_recorded_on = models.DateField(null=True, blank=True)
    consent_notes = models.CharField(max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        ordering = ["-referred_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_programme_display()} referral of {self.referred_on.day} {self.referred_on:%B %Y}"

    def not_started_as_planned(self, today: date) -> bool:
        """Report criterion 2.5: a third of programmes did not start when planned."""
        if self.started_on:
            return self.started_on > self.planned_start_on
        return self.ended_on is None and today > self.planned_start_on

    @property
    def status(self) -> str:
        if self.ended_on:
            return "Completed" if self.completed else "Not completed"
        return "In progress" if self.started_on else "Referred"


# ---------------------------------------------------------------- unpaid work


class UnpaidWorkPlacement(models.Model):
    offender = models.ForeignKey(Offender, on_delete=models.CASCADE, related_name="unpaid_work_placements")
    requirement = models.ForeignKey(Requirement, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=100)
    matched_for = models.CharField(
        max_length=200, help_text="Why it suits the person: e.g. women-only, daytime for a carer, skills"
    )
    start_on = models.DateField()
    end_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_on"]

    def __str__(self) -> str:
        return self.name


class UnpaidWorkEntry(models.Model):
    """One line of the ledger of an unpaid work requirement; a correction is a new line, never an edit."""

    offender = models.ForeignKey(Offender, on_delete=models.CASCADE, related_name="unpaid_work_entries")
    requirement = models.ForeignKey(Requirement, on_delete=models.CASCADE, related_name="unpaid_work_entries")
    kind = models.CharField(max_length=20, choices=UnpaidWorkEntryKind.choices)
    on = models.DateField()
    hours = models.DecimalField(max_digits=5, decimal_places=1)
    placement = models.ForeignKey(UnpaidWorkPlacement, null=True, blank=True, on_delete=models.SET_NULL)
    notes = models.CharField(max_length=200, blank=True)
    recorded_by = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-on", "-id"]
        indexes = [models.Index(fields=["requirement", "kind"])]
        verbose_name_plural = "unpaid work entries"


# ---------------------------------------------------------------- drug rehabilitation


class DrugTest(models.Model):
    offender = models.ForeignKey(Offender, on_delete=models.CASCADE, related_name="drug_tests")
    requirement = models.ForeignKey(
        Requirement, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    tested_on = models.DateField()
    result = models.CharField(max_length=20, choices=DrugTestResult.choices)
    substances = models.CharField(max_length=100, blank=True, help_text="For a positive result")
    recorded_by = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-tested_on", "-id"]


class DrrReview(models.Model):
    offender = models.ForeignKey(Offender, on_delete=models.CASCADE, related_name="drr_reviews")
    requirement = models.ForeignKey(
        Requirement, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_on = models.DateField()
    court = models.CharField(max_length=100)
    progress = models.TextField(blank=True)
    outcome = models.CharField(max_length=20, choices=DrrReviewOutcome.choices)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-review_on", "-id"]


# ---------------------------------------------------------------- skills for life and ETE


class SkillsForLife(models.Model):
    """Screening, full assessment and the individual learning plan (report criterion 1.4(a))."""

    offender = models.OneToOneField(Offender, on_delete=models.CASCADE, related_name="skills_for_life")
    screened_on = models.DateField(null=True, blank=True)
    screening_shows_need = models.BooleanField(null=True, blank=True)
    assessed_on = models.DateField(null=True, blank=True)
    literacy_level = models.CharField(max_length=10, choices=SkillsLevel.choices, blank=True)
    numeracy_level = models.CharField(max_length=10, choices=SkillsLevel.choices, blank=True)
    learning_plan = models.TextField("Individual learning plan", blank=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=["version"])


class LearningTarget(models.Model):
    """An intermediate target of the individual learning plan."""

    skills_for_life = models.ForeignKey(SkillsForLife, on_delete=models.CASCADE, related_name="targets")
    description = models.CharField(max_length=200)
    target_on = models.DateField()
    achieved_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["target_on", "id"]


class SkillsAward(models.Model):
    skills_for_life = models.ForeignKey(SkillsForLife, on_delete=models.CASCADE, related_name="awards")
    award = models.CharField(max_length=100)
    level = models.CharField(max_length=10, choices=SkillsLevel.choices)
    awarded_on = models.DateField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-awarded_on", "id"]


class EteOutcome(models.Model):
    """Into employment, training or education; employment retained four weeks is the outcome counted."""

    offender = models.ForeignKey(Offender, on_delete=models.CASCADE, related_name="ete_outcomes")
    kind = models.CharField(max_length=20, choices=EteOutcomeKind.choices)
    started_on = models.DateField()
    provider = models.CharField("Employer or provider", max_length=100)
    retained_four_weeks_confirmed_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_on", "-id"]


# ---------------------------------------------------------------- approved premises


class PremisesPlacement(models.Model):
    offender = models.ForeignKey(Offender, on_delete=models.CASCADE, related_name="premises_placements")
    premises = models.ForeignKey(ApprovedPremises, on_delete=models.PROTECT, related_name="placements")
    referred_on = models.DateField()
    decision = models.CharField(max_length=10, choices=PremisesDecision.choices, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    arrived_on = models.DateField(null=True, blank=True)
    departed_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        ordering = ["-referred_on", "-id"]

    @property
    def status(self) -> str:
        if self.departed_on:
            return "Left"
        if self.arrived_on:
            return "Resident"
        if self.decision:
            return self.get_decision_display()
        return "Referred"


# ---------------------------------------------------------------- MAPPA and PPO


class MappaMeeting(models.Model):
    offender = models.ForeignKey(Offender, on_delete=models.CASCADE, related_name="mappa_meetings")
    held_on = models.DateField()
    level = models.PositiveSmallIntegerField(choices=MappaLevel.choices)
    chair = models.CharField(max_length=100, blank=True)
    attendees = models.CharField(max_length=300, blank=True)
    summary = models.TextField(blank=True)
    next_review_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on", "-id"]


class MappaAction(models.Model):
    """Minutes as actions: what, who owns it, by when, and done (the report found minutes not action-oriented)."""

    meeting = models.ForeignKey(MappaMeeting, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(max_length=300)
    # Issue 10 rule 5: a member of staff owns it (it is on their actions list and in their digest), or
    # another agency does, and the case's offender manager chases it.
    owner_staff = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="mappa_actions"
    )
    owner_agency = models.CharField(
        max_length=100, blank=True, help_text="Another agency that will do it (e.g. Police)"
    )
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "id"]

    def is_overdue_on(self, today: date) -> bool:
        return self.done_on is None and today > self.due_on

    @property
    def owner_name(self) -> str:
        return self.owner_staff.full_name if self.owner_staff else self.owner_agency


class MappaReferralDecision(models.Model):
    """Whether to refer to MAPPA, decided after a screening found MAPPA eligibility or an analysis
    found high RoH on a case outside MAPPA: referred, or not with the reason."""

    offender = models.ForeignKey(Offender, on_delete=models.CASCADE, related_name="mappa_referral_decisions")
    decided_on = models.DateField()
    referred = models.BooleanField()
    reason = models.TextField()
    decided_by = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-decided_on", "-id"]


class EnhancedContactLevel(models.Model):
    """The PPO's enhanced contact level from a date (report 2.4: PPO enhanced contact)."""

    offender = models.ForeignKey(Offender, on_delete=models.CASCADE, related_name="enhanced_contact_levels")
    contacts_per_week = models.DecimalField(max_digits=3, decimal_places=1, default=Decimal(2))
    from_on = models.DateField()
    set_by = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-from_on", "-id"]
