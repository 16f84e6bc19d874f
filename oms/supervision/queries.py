"""Reads shared by the pages, the API and the CLI, each a fixed number of queries whatever the length."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet
from django.utils import timezone

from oms.accounts.permissions import visible_cases
from oms.cases.constants import COMMUNITY_EVENT_KINDS
from oms.cases.models import Event, Offender
from oms.organisation.models import Staff
from oms.supervision.constants import RECEPTION_CONTACT_TYPES, UNACCEPTABLE_OUTCOMES, ContactOutcome
from oms.supervision.enforcement import (
    WARNING_PERIOD_MONTHS,
    ComplianceStatus,
    EnforcementHistory,
    FailureToComply,
    add_months,
    compliance_status,
)
from oms.supervision.enforcement import (
    Breach as BreachFact,
)
from oms.supervision.models import Breach, Contact, EnforcementWarning
from oms.timescales.calendar import add_working_days

User = AbstractBaseUser | AnonymousUser

# spec/national-standards.md "Enforcement"
WARNING_ISSUED_WORKING_DAYS = 2  # "warning issued promptly (2 WD)", CJA Sch 8, PC43/2004
BREACH_LAID_WORKING_DAYS = 10  # "breach taken (laid) within 10 WD of that failure", NS 2007
BREACH_RESOLVED_WORKING_DAYS = 25  # "breach resolved ... 25 WD", report 4.2 (LCJB targets)
JUDGE_ABSENCE_WORKING_DAYS = 2  # "2 WD to record acceptable or unacceptable", local standard


def _day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def _history(
    failures: list[tuple[datetime, str]], warnings: list[date], breaches: list[tuple[date, date | None]]
) -> EnforcementHistory:
    return EnforcementHistory(
        failures=tuple(
            FailureToComply(_day(starts_at), acceptable=outcome not in UNACCEPTABLE_OUTCOMES)
            for starts_at, outcome in failures
        ),
        warnings=tuple(warnings),
        breaches=tuple(BreachFact(initiated, resolved) for initiated, resolved in breaches),
    )


def enforcement_history(event: Event, *, exclude_contact: int | None = None) -> EnforcementHistory:
    """The order's failures, warnings and breaches, as the pure rules take them (3 queries)."""
    failures = Contact.objects.filter(
        event=event, enforceable=True, outcome__in=[*UNACCEPTABLE_OUTCOMES, ContactOutcome.ACCEPTABLE_ABSENCE]
    )
    if exclude_contact:
        failures = failures.exclude(pk=exclude_contact)
    return _history(
        list(failures.values_list("starts_at", "outcome")),
        list(EnforcementWarning.objects.filter(event=event).values_list("issued_on", flat=True)),
        list(Breach.objects.filter(event=event).values_list("initiated_on", "resolved_on")),
    )


@dataclass(frozen=True)
class EnforcementClock:
    """What is due next in enforcement, with its deadline and the rule it comes from."""

    text: str
    due: date | None
    overdue: bool


@dataclass(frozen=True)
class Compliance:
    status: ComplianceStatus
    latest_warning: date | None
    breach_in_progress: Breach | None
    clock: list[EnforcementClock]
    unjudged: int


def compliance_for(offender: Offender, as_of: date) -> Compliance:
    """The case's compliance status over its community events, and its enforcement clock (4 queries)."""
    community = Q(event__kind__in=COMMUNITY_EVENT_KINDS)
    rows = list(
        Contact.objects.filter(community, offender=offender, enforceable=True)
        .filter(Q(outcome__in=[*UNACCEPTABLE_OUTCOMES, ContactOutcome.ACCEPTABLE_ABSENCE]))
        .values_list("starts_at", "outcome")
    )
    warnings = list(EnforcementWarning.objects.filter(offender=offender).values_list("issued_on", flat=True))
    breaches = list(Breach.objects.filter(offender=offender).select_related("failure"))
    now = timezone.now()
    unjudged = Contact.objects.filter(offender=offender, outcome="", starts_at__lt=now).count()
    history = _history(rows, warnings, [(b.initiated_on, b.resolved_on) for b in breaches])
    status = compliance_status(history, as_of)
    in_progress = next((b for b in breaches if b.resolved_on is None), None)
    clock: list[EnforcementClock] = []
    recent = [w for w in warnings if add_months(w, WARNING_PERIOD_MONTHS) > as_of]
    if recent:
        until = add_months(max(recent), WARNING_PERIOD_MONTHS)
        clock.append(
            EnforcementClock(
                f"Warning given {max(recent).day} {max(recent):%B %Y}: a further unacceptable failure "
                f"before {until.day} {until:%B %Y} means breach action",
                until,
                False,
            )
        )
    if in_progress:
        failure_day = _day(in_progress.failure.starts_at)
        if not in_progress.laid_before_court_on:
            due = add_working_days(failure_day, BREACH_LAID_WORKING_DAYS)
            clock.append(
                EnforcementClock(
                    f"Lay the breach before the court by {due.day} {due:%B %Y} "
                    f"({BREACH_LAID_WORKING_DAYS} working days from the failure, NS 2007)",
                    due,
                    due < as_of,
                )
            )
        due = add_working_days(failure_day, BREACH_RESOLVED_WORKING_DAYS)
        clock.append(
            EnforcementClock(
                f"Breach to be resolved by {due.day} {due:%B %Y} "
                f"({BREACH_RESOLVED_WORKING_DAYS} working days from the failure, report 4.2)",
                due,
                due < as_of,
            )
        )
    if unjudged:
        clock.append(
            EnforcementClock(
                f"{unjudged} past appointment{'s' if unjudged != 1 else ''} without an outcome: judge each "
                f"absence within {JUDGE_ABSENCE_WORKING_DAYS} working days",
                None,
                True,
            )
        )
    return Compliance(status, max(warnings) if warnings else None, in_progress, clock, unjudged)


def contacts_with_related() -> QuerySet[Contact]:
    return Contact.objects.select_related("contact_type", "offender", "staff", "recorded_by")


def next_and_last_contacts(offender: Offender, *, count: int = 5) -> tuple[list[Contact], list[Contact]]:
    """The next appointments and the last recorded contacts for the case panel (2 queries)."""
    now = timezone.now()
    upcoming = list(
        contacts_with_related().filter(offender=offender, starts_at__gte=now).order_by("starts_at")[:count]
    )
    recent = list(
        contacts_with_related().filter(offender=offender, starts_at__lt=now).order_by("-starts_at")[:count]
    )
    return upcoming, recent


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class CalendarDay:
    day: date
    appointments: list[Contact]


def week_calendar(user: User, staff: Staff, monday: date) -> list[CalendarDay]:
    """One offender manager's week, Monday to Sunday, of the cases the viewer may see (1 query)."""
    start = timezone.make_aware(datetime.combine(monday, time.min))
    end = start + timedelta(days=7)
    appointments = list(
        contacts_with_related()
        .filter(staff=staff, starts_at__gte=start, starts_at__lt=end)
        .filter(offender__in=visible_cases(user).values("pk"))
        .order_by("starts_at")
    )
    days = [CalendarDay(monday + timedelta(days=i), []) for i in range(7)]
    for appointment in appointments:
        days[(_day(appointment.starts_at) - monday).days].appointments.append(appointment)
    return days


def reception_list(user: User, day: date) -> list[Contact]:
    """Today's office appointments in the viewer's reach, in time order (1 query)."""
    start = timezone.make_aware(datetime.combine(day, time.min))
    return list(
        contacts_with_related()
        .filter(
            starts_at__gte=start,
            starts_at__lt=start + timedelta(days=1),
            contact_type_id__in=RECEPTION_CONTACT_TYPES,
            offender__in=visible_cases(user).values("pk"),
        )
        .order_by("starts_at", "id")
    )


def average_wait_minutes(contacts: list[Contact]) -> int | None:
    waits = [c.waiting_minutes for c in contacts if c.waiting_minutes is not None]
    return round(sum(waits) / len(waits)) if waits else None
