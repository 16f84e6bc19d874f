"""The case timeline: everything on the case in one chronological view, filterable by kind.

A small registry: each source reads one kind of record for one case in a fixed number of queries
(one, usually) and turns its rows into entries. Other apps (risk assessments, sentence plans,
interventions) add their own source with register_source() in their AppConfig.ready(); victims never
do, because the timeline is read by everyone who can see the case.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from oms.cases.models import Offender


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    kind: str
    title: str
    detail: str = ""
    url: str = ""
    tag: str = ""


TimelineReader = Callable[[HttpRequest | None, Offender], Iterable[TimelineEntry]]


@dataclass(frozen=True)
class TimelineSource:
    key: str
    label: str
    order: int
    read: TimelineReader


_SOURCES: dict[str, TimelineSource] = {}


def register_source(key: str, label: str, order: int, read: TimelineReader) -> None:
    if key == "victims":
        raise ValueError("Victim records never appear on the case timeline")
    _SOURCES[key] = TimelineSource(key, label, order, read)


def sources() -> list[TimelineSource]:
    return sorted(_SOURCES.values(), key=lambda s: s.order)


def at_start_of(day: date) -> datetime:
    """Dated records sort at the start of their day, before that day's timed contacts."""
    return timezone.make_aware(datetime.combine(day, time.min))


def case_timeline(
    request: HttpRequest | None, offender: Offender, kinds: Iterable[str] = ()
) -> list[TimelineEntry]:
    """The case's entries, newest first; only the chosen kinds' sources run (none chosen: all)."""
    wanted = set(kinds)
    entries: list[TimelineEntry] = []
    for source in sources():
        if wanted and source.key not in wanted:
            continue
        entries.extend(source.read(request, offender))
    return sorted(entries, key=lambda e: (e.at, e.kind, e.title), reverse=True)


# ---------------------------------------------------------------- the foundation's and supervision's sources


def _events(request: HttpRequest | None, offender: Offender) -> Iterable[TimelineEntry]:
    for event in offender.events.select_related("offence").order_by("number"):
        yield TimelineEntry(
            at_start_of(event.sentence_date),
            "events",
            f"Sentenced: {event.get_kind_display().lower()}, {event.length_months} months",
            f"{event.court}; offence {event.offence_id}",
        )
        if event.release_date and event.release_date <= timezone.localdate():
            yield TimelineEntry(
                at_start_of(event.release_date), "events", "Released on licence", event.prison
            )
        if event.terminated_on:
            yield TimelineEntry(
                at_start_of(event.terminated_on),
                "events",
                f"{event.get_kind_display()} ended: {event.get_termination_reason_display().lower()}",
                event.termination_notes,
            )


def _allocations(request: HttpRequest | None, offender: Offender) -> Iterable[TimelineEntry]:
    for allocation in offender.allocations.select_related("offender_manager", "decided_by"):
        yield TimelineEntry(
            at_start_of(allocation.start_date),
            "allocations",
            f"Allocated to {allocation.offender_manager.full_name}",
            allocation.reason,
        )


def _transfers(request: HttpRequest | None, offender: Offender) -> Iterable[TimelineEntry]:
    for transfer in offender.transfers.all():
        detail = (
            ""
            if transfer.direction == "out"
            else (
                "Complete, current OASys received"
                if transfer.complete_oasys_received
                else "No complete OASys received"
            )
        )
        yield TimelineEntry(
            at_start_of(transfer.transfer_date),
            "transfers",
            f"{transfer.get_direction_display()} ({transfer.other_area})",
            detail,
        )


def _registrations(request: HttpRequest | None, offender: Offender) -> Iterable[TimelineEntry]:
    for registration in offender.registrations.all():
        yield TimelineEntry(
            at_start_of(registration.start_date),
            "registrations",
            f"Registered: {registration.get_kind_display()}",
            registration.notes,
        )
        if registration.end_date:
            yield TimelineEntry(
                at_start_of(registration.end_date),
                "registrations",
                f"Registration ended: {registration.get_kind_display()}",
            )


def _contacts(request: HttpRequest | None, offender: Offender) -> Iterable[TimelineEntry]:
    from oms.supervision.models import Contact

    for contact in Contact.objects.filter(offender=offender).select_related("contact_type", "staff"):
        outcome = (
            contact.get_outcome_display()
            if contact.outcome
            else ("Booked" if contact.starts_at > timezone.now() else "No outcome recorded")
        )
        detail = "; ".join(
            part
            for part in (
                contact.staff.full_name if contact.staff else "",
                contact.absence_reason,
                contact.get_home_visit_purpose_display() if contact.home_visit_purpose else "",
                contact.notes[:200],
            )
            if part
        )
        yield TimelineEntry(
            contact.starts_at,
            "contacts",
            f"{contact.contact_type.name}: {outcome}",
            detail,
            reverse("supervision:contact", args=[contact.pk]),
            "red" if contact.is_unacceptable else ("grey" if not contact.outcome else ""),
        )


def _warnings(request: HttpRequest | None, offender: Offender) -> Iterable[TimelineEntry]:
    from oms.supervision.models import EnforcementWarning

    for warning in EnforcementWarning.objects.filter(offender=offender).select_related(
        "failure__contact_type"
    ):
        yield TimelineEntry(
            at_start_of(warning.issued_on),
            "warnings",
            "Warning given",
            f"For {warning.failure.get_outcome_display().lower()}: {warning.failure.contact_type.name.lower()}",
            reverse("supervision:warning-letter", args=[warning.pk]),
            "orange",
        )


def _breaches(request: HttpRequest | None, offender: Offender) -> Iterable[TimelineEntry]:
    from oms.supervision.models import Breach

    for breach in Breach.objects.filter(offender=offender):
        url = reverse("supervision:breach", args=[breach.pk])
        yield TimelineEntry(
            at_start_of(breach.initiated_on), "breaches", "Breach action started", "", url, "red"
        )
        if breach.laid_before_court_on:
            yield TimelineEntry(
                at_start_of(breach.laid_before_court_on),
                "breaches",
                "Breach laid before the court",
                breach.court,
                url,
            )
        if breach.resolved_on:
            yield TimelineEntry(
                at_start_of(breach.resolved_on),
                "breaches",
                f"Breach resolved: {breach.get_outcome_display()}",
                "",
                url,
            )


def _recalls(request: HttpRequest | None, offender: Offender) -> Iterable[TimelineEntry]:
    from oms.supervision.models import RecallRecommendation, RecallStepRecord

    for recall in RecallRecommendation.objects.filter(offender=offender):
        url = reverse("supervision:recall", args=[recall.pk])
        yield TimelineEntry(
            at_start_of(recall.recommended_on),
            "recalls",
            f"Recall recommended: {recall.get_recall_type_display().lower()}{' (emergency)' if recall.emergency else ''}",
            recall.reason[:200],
            url,
            "red",
        )
        if recall.outcome_on:
            yield TimelineEntry(
                at_start_of(recall.outcome_on),
                "recalls",
                f"Recall outcome: {recall.get_outcome_display()}",
                "",
                url,
            )
    # Each sign-off, return, resubmission and decline, with who and why (one query).
    for step in RecallStepRecord.objects.filter(recommendation__offender=offender).select_related("by"):
        yield TimelineEntry(
            step.at,
            "recalls",
            f"Recall {step.get_step_display().lower()}" + (f" by {step.by.full_name}" if step.by else ""),
            step.reason[:200],
            reverse("supervision:recall", args=[step.recommendation_id]),
        )


def register_foundation_sources() -> None:
    register_source("events", "Events", 10, _events)
    register_source("allocations", "Allocations", 20, _allocations)
    register_source("transfers", "Transfers", 30, _transfers)
    register_source("registrations", "Registrations", 40, _registrations)
    register_source("contacts", "Contacts", 50, _contacts)
    register_source("warnings", "Warnings", 60, _warnings)
    register_source("breaches", "Breaches", 70, _breaches)
    register_source("recalls", "Recalls", 80, _recalls)
