"""Tier decisions: every tier a case has had, with its inputs, points, reasons and any override.

Tiering is never a clerical act (report 1.2): each decision is computed from the case's data by
`recalculation.py`, keeps everything it was computed from, and says in words why. A manager may
override the computed tier, recording the reason; the override stands until the inputs change.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from oms.organisation.constants import TieringFramework
from oms.organisation.models import Staff


class OverrideSignOff(models.TextChoices):
    AWAITING = "awaiting", "Awaiting a senior manager's sign-off"
    SIGNED_OFF = "signed_off", "Signed off"
    DECLINED = "declined", "Declined"


class TierDecision(models.Model):
    offender = models.ForeignKey("cases.Offender", on_delete=models.CASCADE, related_name="tier_decisions")
    framework = models.CharField(max_length=20, choices=TieringFramework.choices)
    inputs = models.JSONField(default=dict)
    computed_tier = models.CharField(max_length=4)
    points = models.JSONField(default=dict, help_text="The points breakdown the calculator gave")
    reasons = models.JSONField(default=list, help_text="Why, in words")
    tier = models.CharField(max_length=4, help_text="The tier in force: computed, or the override")
    trigger = models.CharField(max_length=200, help_text="What caused this decision")
    override_reason = models.TextField(blank=True)
    overridden_by = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now, db_index=True)
    decided_by = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    is_current = models.BooleanField(default=True, db_index=True)
    # An override that lowers a high-RoH or MAPPA case by two or more tiers waits for a senior
    # manager's sign-off before it is in force (never the overriding manager's own).
    sign_off = models.CharField(max_length=20, choices=OverrideSignOff.choices, blank=True)
    signed_off_by = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    sign_off_note = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-decided_at", "-id"]
        indexes = [models.Index(fields=["offender", "is_current"])]

    def __str__(self) -> str:
        return f"Tier {self.tier} ({self.decided_at.day} {self.decided_at:%B %Y})"

    @property
    def is_override(self) -> bool:
        return bool(self.override_reason)

    @property
    def is_provisional(self) -> bool:
        """Computed before any RoH screening: the RoH input, which can change the tier most, is
        missing, so the tier stands only until the screening is locked (and recomputed then)."""
        return self.inputs.get("risk_of_harm_level") is None
