"""An offenders import that changes an existing case goes through the page's services: a new version,
a history row and a log entry naming the case, in the importer's name. It never moves a case to
another area (that is a transfer) and never clears its offender manager.

And every importer is all or nothing: an events file with one bad row writes none of the good ones.
"""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from oms.accounts.models import AccessLogEntry
from oms.cases.models import Allocation, Event, Offender
from tests.factories import World, make_case, make_staff

HEADER = "crn,first_name,family_name,date_of_birth,gender,area,offender_manager\n"


def _row(
    case: Offender, *, family_name: str | None = None, area: str | None = None, manager: str = ""
) -> str:
    return (
        f"{case.crn},{case.first_name},{family_name or case.family_name},{case.date_of_birth},"
        f"{case.gender},{area or case.area.code},{manager}\n"
    )


def _import(tmp_path: Path, text: str, *extra: str, kind: str = "offenders") -> dict[str, object]:
    path = tmp_path / f"{kind}.csv"
    path.write_text(text, encoding="utf-8")
    out = StringIO()
    call_command("import", kind, str(path), "--json", *extra, stdout=out, stderr=StringIO())
    return json.loads(out.getvalue())


def _failing_import(tmp_path: Path, text: str, *extra: str, kind: str = "offenders") -> str:
    path = tmp_path / f"{kind}.csv"
    path.write_text(text, encoding="utf-8")
    errors = StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import", kind, str(path), *extra, stdout=StringIO(), stderr=errors)
    return errors.getvalue()


def test_a_corrected_name_is_a_new_version_with_history_and_a_log_entry_naming_the_case(
    world: World, tmp_path: Path
) -> None:
    case = world.cases["own"]
    history_before = case.history.count()
    result = _import(tmp_path, HEADER + _row(case, family_name="Corrected"), "--as", "caseadmin")
    assert (result["updated"], result["created"]) == (1, 0)
    case.refresh_from_db()
    assert (case.family_name, case.version) == ("Corrected", 2)
    assert case.history.count() == history_before + 1
    entry = AccessLogEntry.objects.get(crn=case.crn, action="change")
    assert (entry.username, entry.what) == ("caseadmin", "changed personal details: family_name")
    assert case.offender_manager == world.staff["om"], "a blank offender manager leaves the allocation"


def test_the_import_page_changes_an_existing_case_the_same_way(world: World) -> None:
    case = world.cases["own"]
    client = Client()
    client.force_login(world.user("caseadmin"))
    upload = SimpleUploadedFile("o.csv", (HEADER + _row(case, family_name="Paged")).encode())
    assert client.post("/cases/import/", {"kind": "offenders", "file": upload}).status_code == 200
    case.refresh_from_db()
    assert (case.family_name, case.version) == ("Paged", 2)
    assert AccessLogEntry.objects.filter(
        crn=case.crn, username="caseadmin", what="changed personal details: family_name"
    ).exists()


def test_moving_a_case_to_another_area_by_import_is_refused_naming_the_column(
    world: World, tmp_path: Path
) -> None:
    case = world.cases["own"]
    errors = _failing_import(tmp_path, HEADER + _row(case, area=world.other_area.code), "--as", "caseadmin")
    assert f"row 1, area: case {case.crn} is held by Northamptonshire" in errors
    assert "transfer" in errors
    case.refresh_from_db()
    assert (case.area, case.offender_manager, case.version) == (world.area, world.staff["om"], 1)


def test_a_change_to_an_existing_case_needs_a_named_operator(world: World, tmp_path: Path) -> None:
    case = world.cases["own"]
    errors = _failing_import(tmp_path, HEADER + _row(case, family_name="Anonymous"))
    assert f"row 1, crn: changes the existing case {case.crn}: name the operator (--as USERNAME)" in errors
    case.refresh_from_db()
    assert case.family_name != "Anonymous"
    # The same file with nothing new in it needs no one: it changes nothing.
    assert _import(tmp_path, HEADER + _row(case))["unchanged"] == 1


def test_a_new_offender_manager_is_an_allocation_with_its_history(world: World, tmp_path: Path) -> None:
    case = world.cases["own"]
    colleague = make_staff("PO", world.area, world.team, username="colleague")
    _import(tmp_path, HEADER + _row(case, manager="colleague"), "--as", "caseadmin")
    case.refresh_from_db()
    assert case.offender_manager == colleague
    current = Allocation.objects.get(offender=case, end_date__isnull=True)
    assert (current.offender_manager, current.reason) == (colleague, "Allocated by import")
    assert AccessLogEntry.objects.filter(
        crn=case.crn, username="caseadmin", what__startswith="allocated to"
    ).exists()


def test_an_importer_is_held_to_the_cases_they_may_reach_at_the_command_line_too(
    world: World, tmp_path: Path
) -> None:
    far = world.cases["other_area"]
    errors = _failing_import(tmp_path, HEADER + _row(far, family_name="Far"), "--as", "caseadmin")
    assert f"row 1, crn: case '{far.crn}' is not one you have access to" in errors


EVENTS_HEADER = "crn,event_number,kind,court,offence_code,sentence_date,length_months\n"


def test_an_events_file_with_one_bad_row_writes_none_of_the_good_rows(world: World, tmp_path: Path) -> None:
    own, team = world.cases["own"].crn, world.cases["team"].crn
    rows = (
        f"{own},2,community_order,Northampton Magistrates' Court,02801,2026-09-01,12\n"
        f"{team},2,community_order,Northampton Magistrates' Court,99999,2026-09-01,12\n"
        f"{team},3,community_order,Northampton Magistrates' Court,02801,2026-09-01,12\n"
    )
    errors = _failing_import(tmp_path, EVENTS_HEADER + rows, kind="events")
    assert "row 2, offence_code" in errors
    assert not Event.objects.filter(number__gt=1).exists()


def test_an_import_allocates_by_the_same_grade_rules_as_the_allocation_page(
    world: World, tmp_path: Path
) -> None:
    case = make_case(world.area, world.staff["om"], tier="2", risk_of_harm_level="high")
    make_staff("PSO", world.area, world.team, username="newpso")
    errors = _failing_import(tmp_path, HEADER + _row(case, manager="newpso"), "--as", "caseadmin")
    assert "row 1, offender_manager: High RoH cases are held by probation officers" in errors
    case.refresh_from_db()
    assert (case.offender_manager, case.version) == (world.staff["om"], 1)
