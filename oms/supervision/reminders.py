"""Appointment reminders to offenders by text message or email, through GOV.UK Notify.

The backend is chosen by settings: with OMS_NOTIFY_API_KEY set, GOV.UK Notify (its Python client);
without it, a console backend that logs the message. A send that fails is written to the reminder
log with its error and never raised: a reminder must never block or undo a booking.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Protocol

from django.conf import settings
from django.utils import timezone

from oms.supervision.constants import ReminderChannel, ReminderKind, ReminderStatus
from oms.supervision.models import Contact, ReminderLog, ReminderPreference

logger = logging.getLogger("oms.supervision.reminders")

# GOV.UK Notify templates: one for texts, one for emails, each with ((name)), ((when)), ((where)), ((what)).
DEFAULT_SMS_TEMPLATE_ID = "00000000-0000-0000-0000-000000000001"
DEFAULT_EMAIL_TEMPLATE_ID = "00000000-0000-0000-0000-000000000002"


@dataclass(frozen=True)
class Message:
    channel: str
    recipient: str
    subject: str
    body: str
    personalisation: dict[str, str]


class ReminderBackend(Protocol):
    name: str

    def send(self, message: Message) -> str:
        """Send the message; return the provider's reference. Raise on failure."""
        ...


class ConsoleBackend:
    """Logs the message instead of sending it: the default when no Notify key is configured."""

    name = "console"

    def send(self, message: Message) -> str:
        logger.warning("Reminder by %s to %s: %s", message.channel, message.recipient, message.body)
        return "console"


class NotifyBackend:
    """GOV.UK Notify through notifications_python_client."""

    name = "govuk_notify"

    def __init__(self, api_key: str) -> None:
        from notifications_python_client.notifications import NotificationsAPIClient

        self.client = NotificationsAPIClient(api_key)

    def send(self, message: Message) -> str:
        if message.channel == ReminderChannel.TEXT:
            response = self.client.send_sms_notification(
                phone_number=message.recipient,
                template_id=getattr(settings, "NOTIFY_SMS_TEMPLATE_ID", "") or DEFAULT_SMS_TEMPLATE_ID,
                personalisation=message.personalisation,
            )
        else:
            response = self.client.send_email_notification(
                email_address=message.recipient,
                template_id=getattr(settings, "NOTIFY_EMAIL_TEMPLATE_ID", "") or DEFAULT_EMAIL_TEMPLATE_ID,
                personalisation=message.personalisation,
            )
        return str(response.get("id", "")) if isinstance(response, dict) else ""


_backend_override: ReminderBackend | None = None


def use_backend(backend: ReminderBackend | None) -> None:
    """Plug in a backend (a test's recording or failing backend); None returns to the settings' choice."""
    global _backend_override
    _backend_override = backend


def current_backend() -> ReminderBackend:
    if _backend_override is not None:
        return _backend_override
    api_key = getattr(settings, "NOTIFY_API_KEY", "")
    return NotifyBackend(api_key) if api_key else ConsoleBackend()


def compose(contact: Contact, preference: ReminderPreference, kind: str) -> Message | None:
    """The reminder in plain English, or None when the person has not asked for reminders."""
    if preference.channel == ReminderChannel.TEXT and preference.mobile_number:
        recipient = preference.mobile_number
    elif preference.channel == ReminderChannel.EMAIL and preference.email_address:
        recipient = preference.email_address
    else:
        return None
    start = timezone.localtime(contact.starts_at)
    when = f"{start:%A} {start.day} {start:%B} at {start:%H:%M}"
    where = contact.location or "your probation office"
    what = contact.contact_type.name.lower()
    lead = (
        "You have a new appointment"
        if kind == ReminderKind.BOOKED
        else "Reminder: your appointment is tomorrow"
    )
    body = (
        f"{lead}: {what} on {when} at {where}. "
        "If you cannot come, phone your probation officer before the appointment. "
        "Missing it without a good reason can lead to a warning or going back to court."
    )
    return Message(
        channel=preference.channel,
        recipient=recipient,
        subject=f"{lead} on {when}",
        body=body,
        personalisation={"name": contact.offender.first_name, "when": when, "where": where, "what": what},
    )


def send_reminder(contact: Contact, kind: str, *, dry_run: bool = False) -> ReminderLog | None:
    """Send one reminder and log it. Never raises: a failure is a ReminderLog row with the error."""
    preference = ReminderPreference.objects.filter(offender_id=contact.offender_id).first()
    if preference is None:
        return None
    message = compose(contact, preference, kind)
    if message is None:
        return None
    backend = current_backend()
    entry = ReminderLog(
        contact=contact, kind=kind, channel=message.channel, recipient=message.recipient, backend=backend.name
    )
    if dry_run:
        entry.status = ReminderStatus.DRY_RUN
    else:
        try:
            entry.reference = backend.send(message)[:100]
            entry.status = ReminderStatus.SENT
        except Exception as error:  # any provider failure is logged, never raised (see module docstring)
            logger.warning("Reminder for contact %s failed: %s", contact.pk, error)
            entry.status = ReminderStatus.FAILED
            entry.error = f"{type(error).__name__}: {error}"[:2000]
    entry.save()
    return entry


@dataclass(frozen=True)
class ReminderRun:
    day: date
    appointments: int
    sent: int
    failed: int
    skipped: int


def send_day_before_reminders(as_of: date, *, dry_run: bool = False) -> ReminderRun:
    """Remind everyone with an appointment tomorrow who asked for reminders and has not had one."""
    tomorrow = as_of + timedelta(days=1)
    start = timezone.make_aware(datetime.combine(tomorrow, time.min))
    contacts = list(
        Contact.objects.filter(starts_at__gte=start, starts_at__lt=start + timedelta(days=1), outcome="")
        .exclude(reminders__kind=ReminderKind.DAY_BEFORE, reminders__status=ReminderStatus.SENT)
        .select_related("contact_type", "offender")
        .order_by("starts_at")
    )
    sent = failed = skipped = 0
    for contact in contacts:
        entry = send_reminder(contact, ReminderKind.DAY_BEFORE, dry_run=dry_run)
        if entry is None or entry.status == ReminderStatus.DRY_RUN:
            skipped += 1
        elif entry.status == ReminderStatus.SENT:
            sent += 1
        else:
            failed += 1
    return ReminderRun(tomorrow, len(contacts), sent, failed, skipped)
