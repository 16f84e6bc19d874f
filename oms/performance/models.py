"""Area targets, workforce records (criterion 4.4), serious further offences (criterion 4.5) and the
organisational risk register (criterion 4.1(d))."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import models
from simple_history.models import HistoricalRecords

from oms.cases.constants import EthnicGroup
from oms.cases.models import OffenceCode, Offender
from oms.organisation.models import Area, Staff
from oms.performance import judgement
from oms.performance.constants import SicknessReason
from oms.timescales.calendar import add_working_days

# ---------------------------------------------------------------- targets


class AreaTarget(models.Model):
    """An area's own target for one measure, and its weight in the scorecard.

    `target` replaces the spec's default (e.g. the race equality employment target, 7.2% for the
    East Midlands). `annual_count` is the area's target number for measures judged "against the
    area's target number" (programme completions, DRR starts...): the period's share of it is the
    denominator.
    """

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="performance_targets")
    measure_key = models.CharField(max_length=60)
    target = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    annual_count = models.PositiveIntegerField(null=True, blank=True)
    weight = models.DecimalField(max_digits=4, decimal_places=1, default=Decimal(1))
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        unique_together = [("area", "measure_key")]
        ordering = ["area", "measure_key"]

    def __str__(self) -> str:
        return f"{self.area}: {self.measure_key}"


# ---------------------------------------------------------------- workforce (criterion 4.4)


class StaffMonitoring(models.Model):
    """Equality monitoring for one member of staff: the race equality employment target counts it."""

    staff = models.OneToOneField(Staff, on_delete=models.CASCADE, related_name="monitoring")
    ethnic_group = models.CharField(max_length=20, choices=EthnicGroup.choices)
    history = HistoricalRecords()


class SicknessAbsence(models.Model):
    """One spell of sickness absence; the working days lost feed the sickness measure (spec table)."""

    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="sickness_absences")
    first_day = models.DateField()
    last_day = models.DateField(null=True, blank=True, help_text="Blank while still absent")
    working_days_lost = models.DecimalField(max_digits=5, decimal_places=1)
    reason = models.CharField(max_length=200, blank=True)
    reason_category = models.CharField(max_length=30, choices=SicknessReason.choices, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-first_day", "-id"]
        indexes = [models.Index(fields=["staff", "first_day"])]


class SupervisionSession(models.Model):
    """A one-to-one supervision session between a member of staff and their manager."""

    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="supervision_sessions")
    supervisor = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField()
    notes = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["staff", "held_on"])]


class Appraisal(models.Model):
    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="appraisals")
    appraiser = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField()
    objectives_summary = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on", "-id"]


class TrainingNeed(models.Model):
    """A training need identified in supervision or appraisal, and when it was met."""

    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="training_needs")
    description = models.CharField(max_length=200)
    identified_on = models.DateField()
    met_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["identified_on", "id"]


class TrainingCompleted(models.Model):
    """A course done; when it meets an identified need, that need is linked and marked met."""

    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="training_completed")
    course = models.CharField(max_length=200)
    completed_on = models.DateField()
    training_need = models.ForeignKey(
        TrainingNeed, null=True, blank=True, on_delete=models.SET_NULL, related_name="completions"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-completed_on", "-id"]
        verbose_name_plural = "training completed"


# ---------------------------------------------------------------- serious further offences (4.5)

# Local figure, not from the spec: the area's SFO review is due this many working days after the
# notification (the area can change it here; the due date is computed, never stored).
SFO_REVIEW_WORKING_DAYS = 20


class SeriousFurtherOffence(models.Model):
    """A serious further offence charged while the person was under supervision, and its review."""

    offender = models.ForeignKey(Offender, on_delete=models.CASCADE, related_name="serious_further_offences")
    offence = models.ForeignKey(OffenceCode, on_delete=models.PROTECT, related_name="+")
    offence_description = models.CharField(max_length=200)
    offence_date = models.DateField()
    notified_on = models.DateField()
    review_author = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_completed_on = models.DateField(null=True, blank=True)
    learning_points = models.TextField(blank=True)
    learning_shared_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        ordering = ["-notified_on", "-id"]

    @property
    def review_due_on(self) -> date:
        return add_working_days(self.notified_on, SFO_REVIEW_WORKING_DAYS)

    def review_status_on(self, today: date) -> str:
        if self.review_completed_on:
            return "completed"
        return "overdue" if today > self.review_due_on else "due"


# ---------------------------------------------------------------- organisational risk register


class RiskMatrixBands(models.Model):
    """An area's own bands on the 5 x 5 matrix (defaults in judgement: a common local convention)."""

    area = models.OneToOneField(Area, on_delete=models.CASCADE, related_name="risk_matrix_bands")
    red_from = models.PositiveSmallIntegerField(default=judgement.DEFAULT_RED_FROM)
    amber_from = models.PositiveSmallIntegerField(default=judgement.DEFAULT_AMBER_FROM)
    history = HistoricalRecords()

    def as_bands(self) -> judgement.RiskBands:
        return judgement.RiskBands(red_from=self.red_from, amber_from=self.amber_from)


SCALE_CHOICES = [(n, str(n)) for n in judgement.RISK_SCALE]


class OrganisationalRisk(models.Model):
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="organisational_risks")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="owned_risks")
    likelihood = models.PositiveSmallIntegerField(choices=SCALE_CHOICES)
    impact = models.PositiveSmallIntegerField(choices=SCALE_CHOICES)
    next_review_on = models.DateField()
    last_reviewed_on = models.DateField(null=True, blank=True)
    is_closed = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        ordering = ["-likelihood", "-impact", "title"]

    def __str__(self) -> str:
        return self.title

    @property
    def score(self) -> int:
        return judgement.risk_score(self.likelihood, self.impact)


class RiskAction(models.Model):
    risk = models.ForeignKey(OrganisationalRisk, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(max_length=300)
    owner = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "id"]


class NationalWeight(models.Model):
    """A measure's weight in the national weighted scorecard (spec/national.md: "Weights are data
    (defaults equal; a national user sets them)"). One weight a measure for every area, so the
    league table compares like with like; a measure without a row weighs 1."""

    measure_key = models.CharField(max_length=60, unique=True)
    weight = models.DecimalField(max_digits=4, decimal_places=1, default=Decimal(1))
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        ordering = ["measure_key"]

    def __str__(self) -> str:
        return f"{self.measure_key}: {self.weight}"


# ---------------------------------------------------------------- stored measure figures


class StoredFigures(models.Model):
    """When an area's measure figures were last computed (the nightly sweep, or "Recalculate now"),
    and which measures had no records to read (no data, not zero)."""

    area = models.OneToOneField(Area, on_delete=models.CASCADE, related_name="stored_performance")
    computed_at = models.DateTimeField()
    unavailable = models.JSONField(default=list, blank=True)

    def __str__(self) -> str:
        return f"{self.area}: figures as at {self.computed_at}"


class MeasureFigure(models.Model):
    """The points of one measure for one unit of an area on one day, counted and summed.

    Every kind of measure summarises as the number of its points in a period and the sum of their
    values (oms/performance/measures.py, `Measure.summarise_tally`), so any period, month or unit is a
    GROUP BY over these rows. `day` is null for a snapshot fact (counted in every period);
    `known_on` is the first day the points count ("within N days" points are judged when the work is
    done or the deadline passes), so a period ending in the past counts what was known on its last
    day, as the live computation does. Sickness rows carry the current staff's contracted hours
    (the FTE), with no points.
    """

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(
        "organisation.Unit", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    measure_key = models.CharField(max_length=60)
    day = models.DateField(null=True, blank=True)
    known_on = models.DateField(null=True, blank=True)
    points = models.PositiveIntegerField(default=0)
    total = models.DecimalField(max_digits=14, decimal_places=1, default=Decimal(0))
    contracted_hours = models.DecimalField(max_digits=10, decimal_places=1, default=Decimal(0))

    class Meta:
        indexes = [models.Index(fields=["area", "day"])]

    def __str__(self) -> str:
        return f"{self.area_id} {self.measure_key} {self.day}: {self.points}"
