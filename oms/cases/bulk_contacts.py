"""Bulk import of contacts (appointments and the contacts recorded after them): all or nothing.

Another system's contact history (a partner agency's drug tests, a previous case management system's
office visits) comes in the way offenders and events do: every row is checked before anything is
written, the errors name the row, the field and the reason, and only a clean file is written, in one
transaction and in bulk. The natural key of a contact is (CRN, start time, contact type), so importing
the same file twice changes nothing, and a corrected file updates the outcome of the contacts it names.

The rules are those of recording a contact by hand (oms/supervision/services.py): no outcome for a
contact that has not happened yet, an acceptable absence needs its reason, a person cannot be in two
contacts at once, and a failure that has already been enforced keeps its outcome. An imported failure
is history: it is not enforced again here (the warning or breach it led to is recorded where it was).

Registered into IMPORTERS by SupervisionConfig.ready(), so `oms import contacts FILE` and the import
page offer it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from oms.accounts.models import AccessAction, AccessLogEntry
from oms.cases.bulk import (
    IMPORTERS,
    ROW_RIGHTS,
    ImportFileError,
    ImportResult,
    Row,
    RowError,
    _duplicates,
    _int,
)
from oms.cases.constants import EventKind
from oms.cases.models import ContactType, Event, Offender
from oms.cases.upkeep import bring_cases_up_to_date
from oms.organisation.models import Staff
from oms.planner_statistics import refresh_planner_statistics
from oms.supervision.constants import ContactOutcome
from oms.supervision.models import Breach, Contact, EnforcementWarning
from oms.supervision.permissions import can_record_contact

CONTACT_COLUMNS = ["crn", "contact_type", "starts_at"]
# One of these two gives the end of the contact.
CONTACT_END_COLUMNS = ["ends_at", "duration_minutes"]
CONTACT_OPTIONAL = ["outcome", "absence_reason", "staff", "notes", "location", "event_number"]

# The length of one contact, as for booking an appointment by hand (supervision book_appointments:
# "Length must be between 5 minutes and 8 hours").
SHORTEST_CONTACT_MINUTES = 5
LONGEST_CONTACT_MINUTES = 8 * 60
# The form of the ISO 8601 date and time a row gives: a date alone is not a time of day.
DATETIME_EXAMPLE = "2026-03-02T10:30 (Europe/London) or 2026-03-02T10:30:00+00:00"
SHORTEST_DATETIME_TEXT = len("2026-03-02T10:30")

# The fields a re-import may change on an existing contact, each with the column that gives it: a
# file without the column leaves the field as it is (a partner's file has no location to wipe out).
# The natural key (CRN, starts_at, contact_type) identifies the contact and is never changed.
COMPARED = {
    "ends_at": "",  # always given, by ends_at or duration_minutes
    "outcome": "outcome",
    "absence_reason": "absence_reason",
    "staff_id": "staff",
    "notes": "notes",
    "location": "location",
    "event_id": "event_number",
}

User = AbstractBaseUser | AnonymousUser


def _datetime(value: str, row: int, name: str, errors: list[RowError]) -> datetime | None:
    """An ISO 8601 date and time; a time without an offset is Europe/London wall-clock time."""
    if not value:
        errors.append(RowError(row, name, "is required"))
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        moment = None
    if moment is None or len(value) < SHORTEST_DATETIME_TEXT:
        errors.append(RowError(row, name, f"{value!r} is not a date and time (e.g. {DATETIME_EXAMPLE})"))
        return None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


@dataclass
class _PreparedContact:
    """One checked row, before it is matched against what is already held."""

    row: int
    contact: Contact
    columns: frozenset[str]

    @property
    def compared(self) -> list[str]:
        """The fields this row gives; an event is compared only when the row names it."""
        return [f for f, column in COMPARED.items() if not column or column in self.columns]

    @property
    def key(self) -> tuple[int, datetime, str]:
        return (self.contact.offender_id, self.contact.starts_at, self.contact.contact_type_id)


def _event_on(events: list[Event], moment: datetime) -> Event | None:
    """The order or licence a contact belongs to: the latest non-custodial event sentenced by its day.

    For a contact older than every event, the earliest one; a case with only custody gets none.
    """
    day = timezone.localtime(moment).date()
    candidates = [e for e in events if e.kind != EventKind.CUSTODY]
    earlier = [e for e in candidates if e.sentence_date <= day]
    if earlier:
        return max(earlier, key=lambda e: (e.sentence_date, e.number))
    return min(candidates, key=lambda e: (e.sentence_date, e.number)) if candidates else None


def _describe(contact: Contact, types: dict[str, ContactType]) -> str:
    start, end = timezone.localtime(contact.starts_at), timezone.localtime(contact.ends_at)
    name = types[contact.contact_type_id].name.lower() if contact.contact_type_id in types else "contact"
    return f"{name} on {start.day} {start:%B %Y} from {start:%H:%M} to {end:%H:%M}"


def _check_row(
    number: int,
    row: Row,
    *,
    offenders: dict[str, Offender],
    types: dict[str, ContactType],
    staff: dict[str, Staff],
    events: dict[int, list[Event]],
    now: datetime,
    errors: list[RowError],
) -> Contact | None:
    before = len(errors)
    crn = row.get("crn", "")
    offender = offenders.get(crn)
    if offender is None:
        errors.append(RowError(number, "crn", f"no case {crn!r} (import offenders first)"))
    code = row.get("contact_type", "")
    if code not in types:
        errors.append(
            RowError(number, "contact_type", f"{code!r} is not a contact type ({', '.join(types)})")
        )
    starts_at = _datetime(row.get("starts_at", ""), number, "starts_at", errors)
    ends_at = None
    if row.get("ends_at"):
        ends_at = _datetime(row["ends_at"], number, "ends_at", errors)
    duration = _int(row.get("duration_minutes", ""), number, "duration_minutes", errors)
    if starts_at and ends_at is None and duration is not None:
        ends_at = starts_at + timedelta(minutes=duration)
    if not row.get("ends_at") and not row.get("duration_minutes"):
        errors.append(RowError(number, "ends_at", "give ends_at or duration_minutes"))
    if starts_at and ends_at:
        length = (ends_at - starts_at).total_seconds() / 60
        if ends_at <= starts_at:
            given = "ends_at" if row.get("ends_at") else "duration_minutes"
            errors.append(
                RowError(
                    number, given, "must be after starts_at" if row.get("ends_at") else "must be more than 0"
                )
            )
        elif not SHORTEST_CONTACT_MINUTES <= length <= LONGEST_CONTACT_MINUTES:
            errors.append(
                RowError(
                    number,
                    "duration_minutes" if row.get("duration_minutes") else "ends_at",
                    f"a contact lasts between {SHORTEST_CONTACT_MINUTES} minutes and "
                    f"{LONGEST_CONTACT_MINUTES // 60} hours",
                )
            )
        elif duration is not None and row.get("ends_at") and length != duration:
            errors.append(RowError(number, "duration_minutes", "does not match ends_at"))
    outcome = row.get("outcome", "")
    if outcome and outcome not in ContactOutcome.values:
        errors.append(
            RowError(number, "outcome", f"{outcome!r} is not one of {', '.join(ContactOutcome.values)}")
        )
    elif outcome and starts_at and starts_at > now:
        errors.append(
            RowError(number, "outcome", "a contact that has not happened yet cannot have an outcome")
        )
    absence_reason = row.get("absence_reason", "").strip()
    if outcome == ContactOutcome.ACCEPTABLE_ABSENCE and not absence_reason:
        errors.append(RowError(number, "absence_reason", "is required for an acceptable absence"))
    member = None
    if row.get("staff"):
        member = staff.get(row["staff"])
        if member is None:
            errors.append(RowError(number, "staff", f"no member of staff with username {row['staff']!r}"))
    event = None
    event_number = _int(row.get("event_number", ""), number, "event_number", errors)
    if offender is not None and event_number is not None:
        event = next((e for e in events.get(offender.pk, []) if e.number == event_number), None)
        if event is None:
            errors.append(RowError(number, "event_number", f"no event {event_number} on case {crn!r}"))
    if len(errors) > before:
        return None
    assert offender is not None and starts_at is not None and ends_at is not None
    return Contact(
        offender=offender,
        event=event or _event_on(events.get(offender.pk, []), starts_at),
        contact_type_id=code,
        starts_at=starts_at,
        ends_at=ends_at,
        location=row.get("location", ""),
        staff=member,
        interpreter_required=offender.interpreter_required,
        outcome=outcome,
        absence_reason=absence_reason,
        notes=row.get("notes", ""),
        outcome_recorded_at=now if outcome else None,
    )


def _refuse_overlaps(
    prepared: list[_PreparedContact],
    existing: list[Contact],
    types: dict[str, ContactType],
    errors: list[RowError],
) -> None:
    """A person cannot be at two contacts at once: within the file, or with a contact already held.

    A held contact that the file itself names (same natural key) is replaced, not overlapped.
    """
    named = {p.key for p in prepared}
    by_person: dict[int, list[tuple[datetime, datetime, int | None, Contact]]] = defaultdict(list)
    for item in prepared:
        c = item.contact
        by_person[c.offender_id].append((c.starts_at, c.ends_at, item.row, c))
    for held in existing:
        if (held.offender_id, held.starts_at, held.contact_type_id) not in named:
            by_person[held.offender_id].append((held.starts_at, held.ends_at, None, held))
    for slots in by_person.values():
        slots.sort(key=lambda slot: (slot[0], slot[1]))
        latest: tuple[datetime, datetime, int | None, Contact] | None = None
        for slot in slots:
            if latest is not None and slot[0] < latest[1]:
                row, other = (slot[2], latest) if slot[2] is not None else (latest[2], slot)
                if row is not None:
                    where = f"row {other[2]}" if other[2] is not None else "a contact already held"
                    errors.append(
                        RowError(row, "starts_at", f"overlaps {where}: {_describe(other[3], types)}")
                    )
            if latest is None or slot[1] > latest[1]:
                latest = slot


def import_contacts(rows: list[Row], *, dry_run: bool, user: User | None = None) -> ImportResult:
    """Check every row, then create the new contacts and update the changed ones, in bulk."""
    result = ImportResult("contacts", len(rows), dry_run=dry_run)
    errors = result.errors
    if rows and not any(name in row for row in rows for name in CONTACT_END_COLUMNS):
        raise ImportFileError("missing column ends_at or duration_minutes")
    now = timezone.now()
    crns = {r.get("crn", "") for r in rows}
    offenders = {o.crn: o for o in Offender.objects.filter(crn__in=crns)}
    types = {t.code: t for t in ContactType.objects.all()}
    usernames = {r.get("staff", "") for r in rows} - {""}
    staff = {
        s.user.username: s
        for s in Staff.objects.select_related("user").filter(user__username__in=usernames)
        if s.user
    }
    events: dict[int, list[Event]] = defaultdict(list)
    for event in Event.objects.filter(offender__in=offenders.values()).order_by("sentence_date", "number"):
        events[event.offender_id].append(event)
    _duplicates(
        rows,
        lambda r: (r.get("crn", ""), r.get("starts_at", ""), r.get("contact_type", "")),
        "starts_at",
        errors,
    )
    prepared: list[_PreparedContact] = []
    for number, row in enumerate(rows, start=1):
        contact = _check_row(
            number,
            row,
            offenders=offenders,
            types=types,
            staff=staff,
            events=events,
            now=now,
            errors=errors,
        )
        if contact is not None:
            # A blank event_number leaves the held contact's event as it is.
            given = frozenset(name for name, value in row.items() if name != "event_number" or value)
            prepared.append(_PreparedContact(number, contact, given))
    # Two spellings of the same moment ("10:30" and "10:30+00:00") are one contact too.
    seen: dict[tuple[int, datetime, str], int] = {}
    duplicates = {e.row for e in errors}
    for item in prepared:
        if item.key in seen and item.row not in duplicates:
            errors.append(RowError(item.row, "starts_at", f"duplicates row {seen[item.key]}"))
            duplicates.add(item.row)
        seen.setdefault(item.key, item.row)
    # A duplicate is reported once, as a duplicate, not again as overlapping its twin.
    prepared = [item for item in prepared if item.row not in duplicates]
    existing = _held_contacts(prepared)
    _refuse_overlaps(prepared, existing, types, errors)
    held = {(c.offender_id, c.starts_at, c.contact_type_id): c for c in existing}
    enforced = _enforced_contact_ids([c.pk for c in held.values()])
    new: list[Contact] = []
    changed: list[Contact] = []
    for item in prepared:
        current = held.get(item.key)
        if current is None:
            new.append(item.contact)
            continue
        compared = item.compared
        if not any(getattr(current, f) != getattr(item.contact, f) for f in compared):
            result.unchanged += 1
            continue
        if current.pk in enforced and "outcome" in compared and current.outcome != item.contact.outcome:
            errors.append(
                RowError(
                    item.row,
                    "outcome",
                    "this failure has already been enforced (a warning or breach relies on it): "
                    "its outcome cannot be changed",
                )
            )
            continue
        if "outcome" in compared and current.outcome != item.contact.outcome:
            current.outcome_recorded_at = item.contact.outcome_recorded_at
        for f in compared:
            setattr(current, f, getattr(item.contact, f))
        current.version += 1
        changed.append(current)
    if errors:
        errors.sort(key=lambda e: e.row)
        return result
    result.created, result.updated = len(new), len(changed)
    if not dry_run:
        _write(new, changed, {o.pk: o.crn for o in offenders.values()}, user)
        refresh_planner_statistics()
    return result


def _held_contacts(prepared: list[_PreparedContact]) -> list[Contact]:
    """The contacts already held for the file's people over the time the file covers (one query)."""
    if not prepared:
        return []
    return list(
        Contact.objects.filter(
            offender_id__in={p.contact.offender_id for p in prepared},
            starts_at__lt=max(p.contact.ends_at for p in prepared),
            ends_at__gt=min(p.contact.starts_at for p in prepared),
        )
    )


def _enforced_contact_ids(contact_ids: list[int]) -> set[int]:
    if not contact_ids:
        return set()
    warned = EnforcementWarning.objects.filter(failure_id__in=contact_ids).values_list(
        "failure_id", flat=True
    )
    breached = Breach.objects.filter(failure_id__in=contact_ids).values_list("failure_id", flat=True)
    in_breach = Contact.objects.filter(pk__in=contact_ids, breach__isnull=False).values_list("pk", flat=True)
    return {*warned, *breached, *in_breach}


def _write(new: list[Contact], changed: list[Contact], crn_of: dict[int, str], user: User | None) -> None:
    """Everything in one transaction, in bulk, with the history rows and one access log entry per case."""
    authenticated = user is not None and user.is_authenticated
    history_user = user if authenticated else None
    crns_created = {crn_of[c.offender_id] for c in new}
    crns_changed = {crn_of[c.offender_id] for c in changed} - crns_created
    entries = [
        AccessLogEntry(
            user_id=user.pk if authenticated and user else None,
            username=user.get_username() if authenticated and user else "(system)",
            action=action,
            crn=crn,
            what=f"imported contacts: {what}",
        )
        for crns, action, what in (
            (crns_created, AccessAction.CREATE, "new contacts"),
            (crns_changed, AccessAction.CHANGE, "changed contacts"),
        )
        for crn in sorted(crns)
    ]
    extra: dict[str, Any] = {"default_user": history_user} if history_user else {}
    with transaction.atomic():
        if new:
            bulk_create_with_history(
                new, Contact, batch_size=1000, default_change_reason="bulk import", **extra
            )
        if changed:
            bulk_update_with_history(
                changed,
                Contact,
                [*COMPARED, "outcome_recorded_at", "version"],
                batch_size=1000,
                default_change_reason="bulk import",
                **extra,
            )
        AccessLogEntry.objects.bulk_create(entries, batch_size=1000)
        bring_cases_up_to_date(c.offender_id for c in [*new, *changed])


IMPORTERS["contacts"] = (CONTACT_COLUMNS, import_contacts)
ROW_RIGHTS["contacts"] = can_record_contact
