"""Contacts and appointments, warnings, breaches, recall recommendations and appointment reminders."""

from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords

from oms.cases.models import ContactType, Event, Offender
from oms.organisation.models import Staff
from oms.supervision.constants import (
    BreachOutcome,
    ContactOutcome,
    HomeVisitPurpose,
    RecallOutcome,
    RecallStatus,
    RecallStep,
    RecallType,
    ReminderChannel,
    ReminderKind,
    ReminderStatus,
)


class Contact(models.Model):
    """An appointment booked with the person, or a contact recorded after it happened.

    One record for both: an appointment becomes a contact when its outcome is recorded, so the
    calendar, the compliance count and the timeline read the same rows.
    """

    offender = models.ForeignKey(Offender, on_delete=models.CASCADE, related_name="contacts")
    event = models.ForeignKey(
        Event, null=True, blank=True, on_delete=models.SET_NULL, related_name="contacts"
    )
    contact_type = models.ForeignKey(ContactType, on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField(db_index=True)
    ends_at = models.DateTimeField()
    location = models.CharField(max_length=200, blank=True)
    staff = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="appointments"
    )
    interpreter_required = models.BooleanField(default=False)
    # Several appointments booked together (weekly, fortnightly) share a series number.
    series = models.CharField(max_length=36, blank=True)
    home_visit_purpose = models.CharField(max_length=30, choices=HomeVisitPurpose.choices, blank=True)
    home_visit_findings = models.TextField(blank=True)

    outcome = models.CharField(max_length=30, choices=ContactOutcome.choices, blank=True, db_index=True)
    absence_reason = models.CharField(max_length=300, blank=True)
    enforceable = models.BooleanField(
        default=True, help_text="An instructed appointment whose failure can be enforced"
    )
    # "Not enforceable" stands only once an SPO approves it with a reason (CJA 2003 Sch 8 cannot be
    # set aside by the officer alone): until then the warning and breach clocks run.
    not_enforceable_approved_by = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    not_enforceable_approved_at = models.DateTimeField(null=True, blank=True)
    not_enforceable_reason = models.TextField(blank=True)
    # report 2.4: the induction (the order's requirements, rights, and what follows a failure) is
    # given at the first contact; recording it lets the "induction completed" rule be judged.
    induction_given = models.BooleanField(default=False)
    notes = models.TextField(blank=True)
    outcome_recorded_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    booked_by = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    # Reception: when the person arrived and when they were seen (offenders complained of waiting).
    arrived_at = models.DateTimeField(null=True, blank=True)
    seen_at = models.DateTimeField(null=True, blank=True)

    breach = models.ForeignKey(
        "Breach", null=True, blank=True, on_delete=models.SET_NULL, related_name="failures"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["offender", "starts_at"]),
            models.Index(fields=["staff", "starts_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.contact_type_id} on {self.starts_at.day} {self.starts_at:%B %Y, %H:%M}"

    @property
    def is_unacceptable(self) -> bool:
        return self.outcome in (ContactOutcome.UNACCEPTABLE_ABSENCE, ContactOutcome.FAILED_TO_COMPLY)

    @property
    def not_enforceable_approved(self) -> bool:
        """Marked not enforceable and approved so by an SPO: only then is enforcement set aside."""
        return not self.enforceable and self.not_enforceable_approved_by_id is not None

    @property
    def waiting_minutes(self) -> int | None:
        if self.arrived_at and self.seen_at:
            return max(0, int((self.seen_at - self.arrived_at).total_seconds() // 60))
        return None


class EnforcementWarning(models.Model):
    """A warning under CJA 2003 Sch 8 para 5 for one unacceptable failure to comply."""

    offender = models.ForeignKey(Offender, on_delete=models.CASCADE, related_name="enforcement_warnings")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="enforcement_warnings")
    failure = models.OneToOneField(Contact, on_delete=models.PROTECT, related_name="warning")
    issued_on = models.DateField()
    issued_by = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-issued_on", "-id"]


class Breach(models.Model):
    """Breach action: initiated, laid before the court, heard, and resolved with an outcome."""

    offender = models.ForeignKey(Offender, on_delete=models.CASCADE, related_name="breaches")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="breaches")
    # The failure that led to breach (the trigger of the "breach action" and "breach resolved" rules).
    failure = models.OneToOneField(Contact, on_delete=models.PROTECT, related_name="breach_started")
    warning_relied_on = models.ForeignKey(
        EnforcementWarning, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    initiated_on = models.DateField()
    initiated_by = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    laid_before_court_on = models.DateField(null=True, blank=True)
    court = models.CharField(max_length=100, blank=True)
    resolved_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=30, choices=BreachOutcome.choices, blank=True)
    notes = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        ordering = ["-initiated_on", "-id"]
        verbose_name_plural = "breaches"


class BreachHearing(models.Model):
    breach = models.ForeignKey(Breach, on_delete=models.CASCADE, related_name="hearings")
    hearing_date = models.DateField()
    notes = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["hearing_date", "id"]


class RecallRecommendation(models.Model):
    """A recall recommendation on a licence, signed off by an SPO and then an ACO (PC16/2005)."""

    offender = models.ForeignKey(Offender, on_delete=models.CASCADE, related_name="recall_recommendations")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="recall_recommendations")
    recall_type = models.CharField(max_length=20, choices=RecallType.choices)
    emergency = models.BooleanField(default=False)
    reason = models.TextField()
    recommended_on = models.DateField()
    recommended_by = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=20, choices=RecallStatus.choices, default=RecallStatus.AWAITING_SPO)
    spo_signed_by = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    spo_signed_at = models.DateTimeField(null=True, blank=True)
    aco_signed_by = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    aco_signed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=30, choices=RecallOutcome.choices, blank=True)
    outcome_on = models.DateField(null=True, blank=True)
    outcome_notes = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        ordering = ["-recommended_on", "-id"]


class RecallStepRecord(models.Model):
    """One step of a recall recommendation's sign-off: who signed, returned or declined it, when and why.

    The offender manager reads the latest return or decline (and its reason) on their home page; the
    recommendation's page shows them all.
    """

    recommendation = models.ForeignKey(RecallRecommendation, on_delete=models.CASCADE, related_name="steps")
    step = models.CharField(max_length=20, choices=RecallStep.choices)
    by = models.ForeignKey(Staff, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]


class ReminderPreference(models.Model):
    """How the person wants appointment reminders. Kept here until the case records contact details."""

    offender = models.OneToOneField(Offender, on_delete=models.CASCADE, related_name="reminder_preference")
    channel = models.CharField(max_length=10, choices=ReminderChannel.choices, default=ReminderChannel.NONE)
    mobile_number = models.CharField(max_length=20, blank=True)
    email_address = models.EmailField(blank=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=["version"])


class ReminderLog(models.Model):
    """Each reminder sent or attempted, with the error when it failed (a failure never blocks a booking)."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    channel = models.CharField(max_length=10, choices=ReminderChannel.choices)
    recipient = models.CharField(max_length=254)
    backend = models.CharField(max_length=40)
    status = models.CharField(max_length=10, choices=ReminderStatus.choices)
    error = models.TextField(blank=True)
    reference = models.CharField(max_length=100, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
