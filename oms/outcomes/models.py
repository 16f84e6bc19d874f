"""What came of the work on a case (report criteria 3.1 and 3.2): further offences, police domestic
violence call-outs known to the offender manager, victim awareness work, restrictive measures eased or
increased, and compliance at the end of the sentence.

What OMS already holds elsewhere (need scores at each likelihood-of-reoffending assessment, tiers, MAPPA
registrations, skills for life awards, ETE outcomes) is read from there by ``queries.py``, not copied.
"""

from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords

from oms.cases.models import Event, Offender
from oms.organisation.models import Staff
from oms.outcomes.constants import (
    DomesticViolenceCheckResult,
    FurtherOffenceKind,
    InformationSource,
    MeasureDirection,
    RestrictiveMeasure,
    SentenceCompliance,
    VictimAwarenessResult,
)


class FurtherOffence(models.Model):
    """A reconviction or caution for an offence since the start of the order or licence."""

    offender = models.ForeignKey(Offender, on_delete=models.CASCADE, related_name="further_offences")
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="further_offences")
    kind = models.CharField(max_length=20, choices=FurtherOffenceKind.choices)
    offence = models.CharField(max_length=200)
    offence_date = models.DateField()
    disposal_date = models.DateField(help_text="The day of the conviction or caution")
    source = models.CharField(max_length=20, choices=InformationSource.choices)
    recorded_by = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-disposal_date", "-id"]


class DomesticViolenceCheck(models.Model):
    """What the offender manager learned from the police domestic violence unit, and when."""

    offender = models.ForeignKey(Offender, on_delete=models.CASCADE, related_name="domestic_violence_checks")
    checked_on = models.DateField()
    result = models.CharField(max_length=20, choices=DomesticViolenceCheckResult.choices)
    callouts = models.PositiveSmallIntegerField(
        default=0, help_text="Call-outs reported since the last check"
    )
    last_callout_on = models.DateField(null=True, blank=True)
    source = models.CharField(
        max_length=20, choices=InformationSource.choices, default=InformationSource.POLICE
    )
    recorded_by = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-checked_on", "-id"]


class VictimAwarenessWork(models.Model):
    offender = models.ForeignKey(Offender, on_delete=models.CASCADE, related_name="victim_awareness_work")
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    result = models.CharField(max_length=20, choices=VictimAwarenessResult.choices, blank=True)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_on", "-id"]


class RestrictiveMeasureChange(models.Model):
    offender = models.ForeignKey(
        Offender, on_delete=models.CASCADE, related_name="restrictive_measure_changes"
    )
    changed_on = models.DateField()
    measure = models.CharField(max_length=30, choices=RestrictiveMeasure.choices)
    direction = models.CharField(max_length=10, choices=MeasureDirection.choices)
    reason = models.CharField(max_length=300)
    recorded_by = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-changed_on", "-id"]


class EndOfSentenceCompliance(models.Model):
    """Compliance with the requirements of one order or licence, judged when it ends."""

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="end_compliance")
    offender = models.ForeignKey(Offender, on_delete=models.CASCADE, related_name="end_compliance")
    judged_on = models.DateField()
    compliance = models.CharField(max_length=20, choices=SentenceCompliance.choices)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-judged_on", "-id"]
