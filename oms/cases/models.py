"""Offenders, their events (orders, licences, custody), requirements, registrations and allocations."""

from __future__ import annotations

from datetime import date

from django.db import models
from simple_history.models import HistoricalRecords

from oms.cases.constants import (
    EthnicGroup,
    EventKind,
    Gender,
    PpoType,
    RegistrationKind,
    TerminationReason,
    TransferDirection,
)
from oms.organisation.models import Area, Staff
from oms.risk.levels import RISK_OF_HARM_LEVEL_CHOICES

# ---------------------------------------------------------------- reference data


class OffenceCode(models.Model):
    """A Home Office offence code with its OGRS3 category (spec/data/ogrs3-offence-codes.csv)."""

    code = models.CharField(max_length=5, primary_key=True)
    ogrs3_category = models.CharField(max_length=60, blank=True)
    ogrs3_coefficient = models.FloatField(null=True, blank=True)
    error_code = models.CharField(max_length=60, blank=True)
    is_violent_or_sexual = models.BooleanField(default=False)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.ogrs3_category}"


class RequirementType(models.Model):
    code = models.CharField(max_length=40, primary_key=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ContactType(models.Model):
    code = models.CharField(max_length=40, primary_key=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class EthnicityCode(models.Model):
    """The 16 census codes plus "not stated" (kept distinct from a missing answer)."""

    code = models.CharField(max_length=4, primary_key=True)
    name = models.CharField(max_length=100)
    group = models.CharField(max_length=20, choices=EthnicGroup.choices)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


# ---------------------------------------------------------------- the case


class Offender(models.Model):
    crn = models.CharField("case reference number", max_length=10, unique=True)
    pnc_number = models.CharField("PNC number", max_length=20, blank=True, db_index=True)
    first_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100, db_index=True)
    date_of_birth = models.DateField()
    gender = models.CharField(max_length=20, choices=Gender.choices)
    ethnicity = models.ForeignKey(EthnicityCode, null=True, blank=True, on_delete=models.PROTECT)
    disability = models.CharField(max_length=200, blank=True)
    religion = models.CharField(max_length=100, blank=True)
    first_language = models.CharField(max_length=50, default="English")
    interpreter_required = models.BooleanField(default=False)
    telephone = models.CharField(max_length=30, blank=True)
    literacy_need = models.BooleanField(default=False)
    dyslexia = models.BooleanField(default=False)
    large_print = models.BooleanField(default=False)
    paper_colour = models.CharField(max_length=30, blank=True, help_text="e.g. cream or yellow, for dyslexia")

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="offenders")
    offender_manager = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="caseload"
    )
    # The current tier and RoH level, kept beside the case so lists filter on them with an index; the
    # decisions that set them (with inputs and reasons) live in the tiering and risk records.
    tier = models.CharField(max_length=4, blank=True, db_index=True)
    risk_of_harm_level = models.CharField(
        max_length=20, choices=RISK_OF_HARM_LEVEL_CHOICES, blank=True, db_index=True
    )
    is_ppo = models.BooleanField("PPO", default=False, db_index=True)
    ppo_type = models.CharField(max_length=20, choices=PpoType.choices, blank=True)
    mappa_category = models.PositiveSmallIntegerField(null=True, blank=True)
    mappa_level = models.PositiveSmallIntegerField(null=True, blank=True, db_index=True)
    approved_premises = models.ForeignKey(
        "organisation.ApprovedPremises", null=True, blank=True, on_delete=models.SET_NULL
    )
    limited_access = models.BooleanField(default=False)
    restricted_to = models.ManyToManyField(Staff, blank=True, related_name="restricted_cases")
    excluded_from = models.ManyToManyField(Staff, blank=True, related_name="excluded_cases")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        ordering = ["family_name", "first_name"]
        indexes = [
            models.Index(fields=["area", "offender_manager"]),
            models.Index(fields=["family_name", "first_name"]),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.crn})"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.family_name}"

    def age_on(self, day: date) -> int:
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class Address(models.Model):
    offender = models.ForeignKey(Offender, on_delete=models.CASCADE, related_name="addresses")
    lines = models.TextField()
    postcode = models.CharField(max_length=10)
    from_date = models.DateField()
    to_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-from_date"]
        verbose_name_plural = "addresses"


class Event(models.Model):
    """One sentence OMS supervises: a community order, SSO, custody or licence."""

    offender = models.ForeignKey(Offender, on_delete=models.CASCADE, related_name="events")
    number = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=30, choices=EventKind.choices, db_index=True)
    court = models.CharField(max_length=100)
    offence = models.ForeignKey(OffenceCode, on_delete=models.PROTECT, related_name="+")
    sentence_date = models.DateField()
    length_months = models.PositiveSmallIntegerField()
    prison = models.CharField(max_length=100, blank=True)
    release_date = models.DateField(null=True, blank=True)
    licence_end_date = models.DateField(null=True, blank=True)
    licence_conditions = models.TextField(blank=True)
    is_active = models.BooleanField(default=True, db_index=True)
    terminated_on = models.DateField(null=True, blank=True)
    termination_reason = models.CharField(max_length=30, choices=TerminationReason.choices, blank=True)
    termination_notes = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        ordering = ["-sentence_date"]
        unique_together = [("offender", "number")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.sentence_date.day} {self.sentence_date:%B %Y})"

    @property
    def start_date(self) -> date:
        """Supervision starts at sentence for community sentences, at release for licences."""
        if self.kind == EventKind.LICENCE and self.release_date:
            return self.release_date
        return self.sentence_date


class Requirement(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="requirements")
    requirement_type = models.ForeignKey(RequirementType, on_delete=models.PROTECT)
    hours = models.PositiveSmallIntegerField(null=True, blank=True)
    hours_per_day = models.PositiveSmallIntegerField(null=True, blank=True)
    length_months = models.PositiveSmallIntegerField(null=True, blank=True)
    days = models.PositiveSmallIntegerField(null=True, blank=True)
    electronic_monitoring_provider = models.CharField(max_length=100, blank=True)
    notes = models.CharField(max_length=200, blank=True)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return self.describe()

    def describe(self) -> str:
        parts = [self.requirement_type.name]
        if self.hours:
            parts.append(f"{self.hours} hours")
        if self.hours_per_day:
            parts.append(f"{self.hours_per_day} hours a day")
        if self.days:
            parts.append(f"{self.days} days")
        if self.length_months:
            parts.append(f"{self.length_months} months")
        return ", ".join(parts)


class Registration(models.Model):
    """PPO, MAPPA and other registrations over time."""

    offender = models.ForeignKey(Offender, on_delete=models.CASCADE, related_name="registrations")
    kind = models.CharField(max_length=30, choices=RegistrationKind.choices)
    ppo_type = models.CharField(max_length=20, choices=PpoType.choices, blank=True)
    mappa_category = models.PositiveSmallIntegerField(null=True, blank=True)
    mappa_level = models.PositiveSmallIntegerField(null=True, blank=True)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    notes = models.CharField(max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date"]


class Allocation(models.Model):
    """Who held the case, from when, why, and who decided."""

    offender = models.ForeignKey(Offender, on_delete=models.CASCADE, related_name="allocations")
    offender_manager = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="allocations")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    reason = models.CharField(max_length=300)
    tier_at_allocation = models.CharField(max_length=4, blank=True)
    decided_by = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="allocation_decisions"
    )
    # A senior probation officer's recorded decision when the case is held outside the grade rules,
    # or by a PSO at tier 3 under their oversight (report criterion 1.5).
    manager_decision = models.CharField(max_length=300, blank=True)
    # Why the offender manager takes the case although it puts them above their capacity.
    over_capacity_reason = models.CharField(max_length=300, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_date", "-id"]


class Transfer(models.Model):
    offender = models.ForeignKey(Offender, on_delete=models.CASCADE, related_name="transfers")
    direction = models.CharField(max_length=3, choices=TransferDirection.choices)
    other_area = models.CharField(max_length=100)
    transfer_date = models.DateField()
    complete_oasys_received = models.BooleanField(default=False)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-transfer_date"]
