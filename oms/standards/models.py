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
