"""The victim contact scheme (restricted: victim liaison officers only see who and where victims are)."""

from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords

from oms.cases.models import Event, Offender
from oms.organisation.models import Staff
from oms.victims.constants import ContactPreference, InformationStage, OfferMethod


class Victim(models.Model):
    offender = models.ForeignKey(Offender, on_delete=models.CASCADE, related_name="victims")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="victims")
    name = models.CharField(max_length=150)
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    telephone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)
    contact_preference = models.CharField(max_length=20, choices=ContactPreference.choices)
    # What the offender manager may see: what keeps the victim safe, never who or where they are.
    safety_considerations = models.TextField(blank=True)
    recorded_by = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"Victim {self.pk} of {self.offender.crn}"


class ContactOffer(models.Model):
    victim = models.ForeignKey(Victim, on_delete=models.CASCADE, related_name="offers")
    offered_on = models.DateField()
    method = models.CharField(max_length=20, choices=OfferMethod.choices)
    accepted = models.BooleanField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["offered_on", "id"]


class InformationGiven(models.Model):
    victim = models.ForeignKey(Victim, on_delete=models.CASCADE, related_name="information_given")
    stage = models.CharField(max_length=30, choices=InformationStage.choices)
    given_on = models.DateField()
    notes = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["given_on", "id"]


class LicenceRepresentation(models.Model):
    """The victim's views on licence conditions. The requested conditions are shown to the offender
    manager (they go into the licence); the victim's own words stay with the VLO."""

    victim = models.ForeignKey(Victim, on_delete=models.CASCADE, related_name="representations")
    received_on = models.DateField()
    representation = models.TextField()
    requested_conditions = models.TextField()
    included_in_licence = models.BooleanField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["received_on", "id"]
