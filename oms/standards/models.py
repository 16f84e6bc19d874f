"""An area's own National Standards figures (its local standards), kept as validated rule data."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from oms.calculation_errors import CalculatorInputError
from oms.standards.rules import load_rules


class AreaStandards(models.Model):
    """The rule file an area uses instead of the shipped defaults (edit a figure, no code change)."""

    area = models.OneToOneField("organisation.Area", on_delete=models.CASCADE, related_name="standards")
    rules_yaml = models.TextField(help_text="The whole rule file, in the shipped file's format")
    escalate_after_working_days = models.PositiveSmallIntegerField(
        default=5, help_text="Overdue actions older than this also go to the offender manager's manager"
    )
    due_soon_working_days = models.PositiveSmallIntegerField(
        default=3, help_text="Actions due within this many working days go in the daily digest"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "area standards"

    def __str__(self) -> str:
        return f"National Standards for {self.area}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.full_clean()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        try:
            load_rules(self.rules_yaml)
        except CalculatorInputError as error:
            raise ValidationError({"rules_yaml": str(error)}) from error


class StoredAction(models.Model):
    """One result of the actions engine for one case, kept current (oms.standards.stored).

    Written only by `refresh_case_actions`, in the transaction of the change that caused it; read by
    every page, the API, the CLI and the digests. `status` is the engine's on `evaluated_on`: a due
    action whose deadline has passed since is overdue, worked out when read (and the nightly sweep
    re-evaluates every case, for the clocks that start on a date still to come).
    """

    offender = models.ForeignKey("cases.Offender", on_delete=models.CASCADE, related_name="stored_actions")
    area = models.ForeignKey("organisation.Area", on_delete=models.CASCADE, related_name="+")
    rule_key = models.CharField(max_length=80)
    description = models.TextField()
    trigger_date = models.DateField(null=True)
    deadline = models.DateField(null=True)
    status = models.CharField(max_length=20)  # an engine.ActionState value
    completed_on = models.DateField(null=True)
    evaluated_on = models.DateField()
    owner_kind = models.CharField(max_length=30)  # an owners.OwnerKind value
    owner_staff = models.ForeignKey(
        "organisation.Staff", null=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    owner_team = models.ForeignKey(
        "organisation.Team", null=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )

    class Meta:
        indexes = [
            models.Index(fields=["offender", "status"]),
            models.Index(fields=["area", "status", "deadline"]),
            models.Index(fields=["owner_staff", "status", "deadline"]),
            models.Index(fields=["owner_team", "owner_kind", "status"]),
            # The enforcement tracker and the actions list's action filter: one rule's rows by deadline.
            models.Index(fields=["rule_key", "deadline"]),
        ]

    def __str__(self) -> str:
        return f"{self.rule_key} on case {self.offender_id}: {self.status}"
