"""`oms import contacts FILE`: every row checked, all or nothing, and a second import changes nothing."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from oms.accounts.models import AccessLogEntry
from oms.cases.bulk import import_file
from oms.supervision.models import Contact, EnforcementWarning
from tests.factories import World

HEADER = "crn,contact_type,starts_at,ends_at,duration_minutes,outcome,absence_reason,staff,notes\n"


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _import(path: Path, *extra: str) -> dict[str, object]:
    out = StringIO()
    call_command("import", "contacts", str(path), "--json", *extra, stdout=out, stderr=StringIO())
    return json.loads(out.getvalue())


def _refused(path: Path) -> str:
    """The command's whole complaint (the summary and every row's error), after checking it wrote nothing."""
    before = Contact.objects.count()
    err = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("import", "contacts", str(path), stdout=StringIO(), stderr=err)
    assert "nothing was imported" in str(raised.value)
    assert Contact.objects.count() == before
    return str(raised.value) + err.getvalue()


def _history_csv(crn: str) -> str:
    return (
        HEADER
        + f"{crn},office,2026-07-01T10:00,,45,attended_complied,,om,First appointment\n"
        + f"{crn},home_visit,2026-07-08T14:00,2026-07-08T15:00,,acceptable_absence,In hospital,,\n"
        + f"{crn},drug_test,2026-01-15T09:30:00+00:00,,15,unacceptable_absence,,,\n"
    )


def test_contacts_import_with_their_outcomes_and_a_second_import_changes_nothing(
    world: World, tmp_path: Path
) -> None:
    crn = world.cases["own"].crn
    path = _write(tmp_path, "contacts.csv", _history_csv(crn))
    first = _import(path)
    assert (first["created"], first["updated"], first["unchanged"], first["errors"]) == (3, 0, 0, [])
    office = Contact.objects.get(offender__crn=crn, contact_type="office")
    # A time without an offset is Europe/London: 10:00 in July (BST) is 09:00 UTC.
    assert office.starts_at == datetime(2026, 7, 1, 9, 0, tzinfo=UTC)
    assert office.ends_at - office.starts_at == timedelta(minutes=45)
    assert (office.outcome, office.staff, office.notes) == (
        "attended_complied",
        world.staff["om"],
        "First appointment",
    )
    assert office.event is not None and office.event.number == 1
    visit = Contact.objects.get(offender__crn=crn, contact_type="home_visit")
    assert (visit.absence_reason, visit.staff) == ("In hospital", None)
    # Each imported contact has its history row, and the case's access log says it was imported.
    assert office.history.count() == 1
    assert AccessLogEntry.objects.filter(
        crn=crn, action="create", what__startswith="imported contacts"
    ).exists()
    again = _import(path)
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 3)
    assert Contact.objects.filter(offender__crn=crn).count() == 3


def test_a_json_file_and_a_corrected_outcome_update_the_contact_it_names(
    world: World, tmp_path: Path
) -> None:
    crn = world.cases["own"].crn
    rows = [{"crn": crn, "contact_type": "office", "starts_at": "2026-03-02T10:30", "duration_minutes": 30}]
    assert _import(_write(tmp_path, "c.json", json.dumps(rows)))["created"] == 1
    contact = Contact.objects.get(offender__crn=crn)
    assert (contact.outcome, contact.version) == ("", 1)
    rows[0] |= {"outcome": "unacceptable_absence", "notes": "No reply at the door"}
    result = _import(_write(tmp_path, "c2.json", json.dumps(rows)))
    assert (result["created"], result["updated"]) == (0, 1)
    contact.refresh_from_db()
    # The version moves on, so a form opened before the import is refused as stale, not overwritten.
    assert (contact.outcome, contact.notes, contact.version) == (
        "unacceptable_absence",
        "No reply at the door",
        2,
    )
    assert contact.outcome_recorded_at is not None


def test_a_file_without_a_column_leaves_that_field_of_a_held_contact_alone(
    world: World, tmp_path: Path
) -> None:
    crn = world.cases["own"].crn
    _import(
        _write(
            tmp_path,
            "c.csv",
            HEADER.strip() + ",location\n" + f"{crn},office,2026-03-02T10:00,,30,,,om,Booked,Room 4\n",
        )
    )
    partner_file = f"crn,contact_type,starts_at,duration_minutes,outcome\n{crn},office,2026-03-02T10:00,30,attended_complied\n"
    result = _import(_write(tmp_path, "outcomes.csv", partner_file))
    assert (result["updated"], result["unchanged"]) == (1, 0)
    contact = Contact.objects.get(offender__crn=crn)
    assert (contact.outcome, contact.location, contact.notes, contact.staff) == (
        "attended_complied",
        "Room 4",
        "Booked",
        world.staff["om"],
    )


def test_dry_run_reports_without_writing(world: World, tmp_path: Path) -> None:
    result = _import(_write(tmp_path, "c.csv", _history_csv(world.cases["own"].crn)), "--dry-run")
    assert (result["created"], result["dry_run"]) == (3, True)
    assert not Contact.objects.exists()
    assert not AccessLogEntry.objects.filter(what__startswith="imported contacts").exists()


FUTURE = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT10:00")


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ("NOSUCH1,office,2026-03-02T10:00,,30,,,,\n", "row 1, crn: no case 'NOSUCH1'"),
        ("{crn},coffee,2026-03-02T10:00,,30,,,,\n", "row 1, contact_type: 'coffee' is not a contact type"),
        (
            "{crn},office,02/03/2026 10:00,,30,,,,\n",
            "row 1, starts_at: '02/03/2026 10:00' is not a date and time",
        ),
        ("{crn},office,2026-03-02,,30,,,,\n", "row 1, starts_at: '2026-03-02' is not a date and time"),
        ("{crn},office,2026-03-02T10:00,,,,,,\n", "row 1, ends_at: give ends_at or duration_minutes"),
        ("{crn},office,2026-03-02T10:00,2026-03-02T09:00,,,,,\n", "row 1, ends_at: must be after starts_at"),
        ("{crn},office,2026-03-02T10:00,,0,,,,\n", "row 1, duration_minutes: must be more than 0"),
        (
            "{crn},office,2026-03-02T10:00,,600,,,,\n",
            "row 1, duration_minutes: a contact lasts between 5 minutes and 8 hours",
        ),
        ("{crn},office,2026-03-02T10:00,,30,attended,,,\n", "row 1, outcome: 'attended' is not one of"),
        (
            "{crn},office," + FUTURE + ",,30,attended_complied,,,\n",
            "row 1, outcome: a contact that has not happened yet cannot have an outcome",
        ),
        (
            "{crn},office,2026-03-02T10:00,,30,acceptable_absence,,,\n",
            "row 1, absence_reason: is required for an acceptable absence",
        ),
        (
            "{crn},office,2026-03-02T10:00,,30,,,nobody,\n",
            "row 1, staff: no member of staff with username 'nobody'",
        ),
        (
            "{crn},office,2026-03-02T10:00,,60,,,,\n{crn},telephone,2026-03-02T10:30,,15,,,,\n",
            "row 2, starts_at: overlaps row 1: office appointment on 2 March 2026 from 10:00 to 11:00",
        ),
        (
            "{crn},office,2026-03-02T10:00,,60,,,,\n{crn},office,2026-03-02T10:00,,60,,,,\n",
            "row 2, starts_at: duplicates row 1",
        ),
        (
            "{crn},office,2026-03-02T10:00,,60,,,,\n{crn},office,2026-03-02T10:00:00+00:00,,60,,,,\n",
            "row 2, starts_at: duplicates row 1",
        ),
    ],
)
def test_a_bad_row_is_named_and_nothing_is_written(
    world: World, tmp_path: Path, rows: str, message: str
) -> None:
    good = f"{world.cases['own'].crn},telephone,2026-02-01T09:00,,15,attended_complied,,,\n"
    path = _write(tmp_path, "bad.csv", HEADER + rows.format(crn=world.cases["own"].crn) + good)
    assert message in _refused(path)


def test_a_contact_overlapping_one_already_held_is_refused(world: World, tmp_path: Path) -> None:
    crn = world.cases["own"].crn
    _import(_write(tmp_path, "first.csv", HEADER + f"{crn},office,2026-03-02T10:00,,60,,,,\n"))
    clash = _write(tmp_path, "clash.csv", HEADER + f"{crn},telephone,2026-03-02T10:45,,30,,,,\n")
    assert (
        "row 1, starts_at: overlaps a contact already held: office appointment on 2 March 2026"
        in _refused(clash)
    )
    # Another person at the same time is no clash.
    other = world.cases["team"].crn
    assert (
        _import(_write(tmp_path, "other.csv", HEADER + f"{other},telephone,2026-03-02T10:45,,30,,,,\n"))[
            "created"
        ]
        == 1
    )


def test_a_file_without_an_end_column_is_refused_as_a_whole(world: World, tmp_path: Path) -> None:
    path = _write(
        tmp_path, "c.csv", f"crn,contact_type,starts_at\n{world.cases['own'].crn},office,2026-03-02T10:00\n"
    )
    assert "missing column ends_at or duration_minutes" in _refused(path)


def test_the_outcome_of_an_enforced_failure_cannot_be_changed_by_import(world: World, tmp_path: Path) -> None:
    crn = world.cases["own"].crn
    row = f"{crn},office,2026-03-02T10:00,,60,unacceptable_absence,,,\n"
    _import(_write(tmp_path, "c.csv", HEADER + row))
    contact = Contact.objects.get(offender__crn=crn)
    assert contact.event is not None
    EnforcementWarning.objects.create(
        offender=contact.offender, event=contact.event, failure=contact, issued_on=contact.starts_at.date()
    )
    excused = _write(
        tmp_path, "excused.csv", HEADER + row.replace("unacceptable_absence,", "acceptable_absence,Ill")
    )
    assert "row 1, outcome: this failure has already been enforced" in _refused(excused)
    contact.refresh_from_db()
    assert contact.outcome == "unacceptable_absence"


def _many_rows(crn: str, count: int) -> str:
    start = datetime(2025, 1, 6, 9, 0)
    lines = [
        f"{crn},office,{(start + timedelta(hours=2 * n)).isoformat()},,30,attended_complied,,om,\n"
        for n in range(count)
    ]
    return HEADER + "".join(lines)


def test_the_import_reads_in_a_fixed_number_of_queries_and_writes_in_batches(
    world: World, tmp_path: Path
) -> None:
    """Reads do not grow with the file; writes are multi-row INSERTs (the database caps a batch's size)."""
    reads, writes = [], []
    for crn, rows in ((world.cases["own"].crn, 10), (world.cases["team"].crn, 300)):
        path = _write(tmp_path, f"{rows}.csv", _many_rows(crn, rows))
        with CaptureQueriesContext(connection) as queries:
            result = import_file("contacts", path, dry_run=False)
        assert (result.created, result.errors) == (rows, [])
        reads.append(sum(q["sql"].startswith("SELECT") for q in queries.captured_queries))
        writes.append(sum(q["sql"].startswith("INSERT") for q in queries.captured_queries))
    assert reads[0] == reads[1], reads
    assert writes[1] < 300 / 10, writes
