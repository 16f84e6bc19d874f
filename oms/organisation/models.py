"""Region → probation area → unit (office or offender management unit) → team → staff."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from oms.organisation.constants import Role, TieringFramework


class Region(models.Model):
    name = models.CharField(max_length=100, unique=True)

    def __str__(self) -> str:
        return self.name


class Area(models.Model):
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="areas")
    name = models.CharField(max_length=100, unique=True)
    code = models.CharField(max_length=10, unique=True)
    tiering_framework = models.CharField(
        max_length=20, choices=TieringFramework.choices, default=TieringFramework.NOMS_2005
    )
    workload_priorities = models.TextField(
        blank=True, help_text="The area's statement of workload priorities"
    )
    history = HistoricalRecords()

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    """An office or offender management unit (a local delivery unit in later terms)."""

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="units")
    name = models.CharField(max_length=100)
    address = models.TextField(blank=True)
    telephone = models.CharField(max_length=30, blank=True)

    class Meta:
        unique_together = [("area", "name")]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    """A team (cluster) of offender managers under a senior probation officer."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=100)

    class Meta:
        unique_together = [("unit", "name")]

    def __str__(self) -> str:
        return self.name


class Grade(models.Model):
    """A staff grade (PO, PSO, SPO, ...). Reference data: its role decides what its holders may do."""

    code = models.CharField(max_length=20, primary_key=True)
    name = models.CharField(max_length=100)
    role = models.CharField(max_length=40, choices=Role.choices)
    holds_caseload = models.BooleanField(default=False)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Staff(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="staff"
    )
    first_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    email = models.EmailField(blank=True)
    grade = models.ForeignKey(Grade, on_delete=models.PROTECT, related_name="staff")
    area = models.ForeignKey(Area, null=True, blank=True, on_delete=models.PROTECT, related_name="staff")
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.PROTECT, related_name="members")
    manages_teams = models.ManyToManyField(Team, blank=True, related_name="managers")
    organisation = models.CharField(
        max_length=100, blank=True, help_text="For partner agency staff and prisons: the organisation"
    )
    contracted_hours = models.DecimalField(max_digits=4, decimal_places=1, default=37)
    workload_reduction_percent = models.PositiveSmallIntegerField(
        default=0, help_text="e.g. 20 for a newly qualified officer"
    )
    is_active = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["family_name", "first_name"]
        verbose_name_plural = "staff"

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.family_name}"

    @property
    def role(self) -> str:
        return self.grade.role


class ApprovedPremises(models.Model):
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="approved_premises")
    name = models.CharField(max_length=100)
    beds = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name_plural = "approved premises"

    def __str__(self) -> str:
        return self.name
