"""Bulk import (all or nothing, every error named) and the area export's round trip."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from oms.cases.export import dumps, export_area, import_area
from oms.cases.models import Offender, Requirement
from oms.organisation.models import Area
from tests.factories import World

OFFENDERS = "crn,first_name,family_name,date_of_birth,gender,area,ethnicity,offender_manager\nY000001,Ann,Import,1990-02-03,female,{area},W1,om\nY000002,Bob,Import,1985-07-08,male,{area},,\n"
EVENTS = "crn,event_number,kind,court,offence_code,sentence_date,length_months,release_date,prison\nY000001,1,community_order,Northampton Magistrates' Court,02801,2026-10-01,12,,\nY000002,1,licence,Northampton Crown Court,03400,2025-01-01,24,2026-09-01,HMP Onley\n"
REQUIREMENTS = "crn,event_number,requirement_type,hours,hours_per_day,length_months,days\nY000001,1,unpaid_work,120,,,\nY000001,1,curfew,,8,4,\n"


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _import(kind: str, path: Path, *extra: str) -> dict[str, object]:
    out = StringIO()
    call_command("import", kind, str(path), "--json", *extra, stdout=out, stderr=StringIO())
    return json.loads(out.getvalue())


def test_offenders_events_and_requirements_import_and_a_second_import_changes_nothing(
    world: World, tmp_path: Path
) -> None:
    offenders = _write(tmp_path, "offenders.csv", OFFENDERS.format(area=world.area.code))
    events = _write(tmp_path, "events.csv", EVENTS)
    requirements = _write(tmp_path, "requirements.csv", REQUIREMENTS)
    assert _import("offenders", offenders)["created"] == 2
    assert _import("events", events)["created"] == 2
    assert _import("requirements", requirements)["created"] == 2
    assert Offender.objects.get(crn="Y000001").offender_manager == world.staff["om"]
    assert Requirement.objects.filter(event__offender__crn="Y000001").count() == 2
    again = [
        _import(kind, path)
        for kind, path in (("offenders", offenders), ("events", events), ("requirements", requirements))
    ]
    assert [(r["created"], r["updated"], r["unchanged"]) for r in again] == [(0, 0, 2), (0, 0, 2), (0, 0, 2)]


def test_dry_run_reports_without_writing(world: World, tmp_path: Path) -> None:
    result = _import(
        "offenders", _write(tmp_path, "o.csv", OFFENDERS.format(area=world.area.code)), "--dry-run"
    )
    assert (result["created"], result["dry_run"]) == (2, True)
    assert not Offender.objects.filter(crn__startswith="Y").exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "latin1.csv",
            "crn,first_name,family_name,date_of_birth,gender,area\nY1,Zo\xeb,X,1990-01-01,female,AREA\n".encode(
                "latin-1"
            ),
            "not UTF-8",
        ),
        (
            "columns.csv",
            b"crn,first_name\nY1,Ann\n",
            "missing columns family_name, date_of_birth, gender, area",
        ),
        (
            "dates.csv",
            b"crn,first_name,family_name,date_of_birth,gender,area\nY1,Ann,X,31/02/1990,female,AREA\n",
            "row 1, date_of_birth: '31/02/1990' is not a date",
        ),
        (
            "codes.csv",
            b"crn,first_name,family_name,date_of_birth,gender,area,ethnicity\nY1,Ann,X,1990-01-01,female,AREA,Q7\n",
            "row 1, ethnicity: 'Q7' is not an ethnicity code",
        ),
        (
            "duplicates.csv",
            b"crn,first_name,family_name,date_of_birth,gender,area\nY1,Ann,X,1990-01-01,female,AREA\nY1,Ann,X,1990-01-01,female,AREA\n",
            "row 2, crn: duplicates row 1",
        ),
    ],
)
def test_malformed_offender_files_name_the_problem_and_write_nothing(
    world: World, tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content.replace(b"AREA", world.area.code.encode()))
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        try:
            call_command("import", "offenders", str(path), stdout=StringIO(), stderr=err)
        except CommandError as error:
            assert message in str(error) + err.getvalue()
            raise
    assert not Offender.objects.filter(crn="Y1").exists()


def test_a_requirement_breaking_a_cja_limit_is_refused_and_nothing_is_written(
    world: World, tmp_path: Path
) -> None:
    _import("offenders", _write(tmp_path, "o.csv", OFFENDERS.format(area=world.area.code)))
    _import("events", _write(tmp_path, "e.csv", EVENTS))
    bad = _write(
        tmp_path,
        "r.csv",
        "crn,event_number,requirement_type,hours\nY000001,1,supervision,\nY000001,1,unpaid_work,301\n",
    )
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import", "requirements", str(bad), stdout=StringIO(), stderr=err)
    assert "row 2, hours: Unpaid work must be between 40 and 300 hours" in err.getvalue()
    assert not Requirement.objects.filter(event__offender__crn="Y000001").exists()


def test_json_import_of_events(world: World, tmp_path: Path) -> None:
    _import("offenders", _write(tmp_path, "o.csv", OFFENDERS.format(area=world.area.code)))
    rows = [
        {
            "crn": "Y000002",
            "event_number": 1,
            "kind": "licence",
            "court": "X",
            "offence_code": "03400",
            "sentence_date": "2025-01-01",
            "length_months": 24,
            "release_date": "2026-09-01",
            "prison": "HMP Onley",
        }
    ]
    assert _import("events", _write(tmp_path, "e.json", json.dumps(rows)))["created"] == 1


@pytest.mark.django_db(transaction=True)
def test_area_export_round_trip_gives_the_same_records_of_every_app() -> None:
    from datetime import date

    from django.core.management import call_command as run

    from oms.demo.area import seed_area
    from oms.supervision.models import Contact
    from tests.factories import ensure_reference_data

    ensure_reference_data()
    area = seed_area(
        cases=60, seed=4, area_name="Round trip", as_of=date(2026, 11, 27), with_logins=False
    ).area
    document = export_area(area)
    # 60 current cases and the former ones (2, and the ended DRR orders of the calibrated flow).
    assert document["counts"]["cases.offender"] == area.offenders.count() > 62
    assert document["counts"]["supervision.contact"] == Contact.objects.count() > 0
    assert {
        "risk.riskofharmscreening",
        "planning.sentenceplan",
        "tiering.tierdecision",
        "inspection.answer",
    } <= set(document["counts"])
    text = dumps(document)
    # An empty database: every table emptied, then the reference data every database loads.
    run("flush", interactive=False, verbosity=0)
    ensure_reference_data()
    counts = import_area(json.loads(text))
    assert counts == document["counts"]
    again = export_area(Area.objects.get(name="Round trip"))
    assert again["checksum"] == document["checksum"]
    # New records after the import get new ids (the id sequences moved past the imported rows).
    Offender.objects.create(
        crn="Z000001",
        first_name="New",
        family_name="Case",
        date_of_birth=date(1990, 1, 1),
        gender="male",
        area=Area.objects.get(name="Round trip"),
    )


def test_a_changed_export_file_is_refused(world: World) -> None:
    document = export_area(world.area)
    document["records"][0]["fields"]["name"] = "Tampered"
    from oms.cases.export import AreaImportError

    with pytest.raises(AreaImportError, match="checksum"):
        import_area(document)


def _victim_with_a_safety_plan(case: Offender) -> None:
    from datetime import date

    from oms.victims.models import LicenceRepresentation, Victim

    victim = Victim.objects.create(
        offender=case,
        event=case.events.get(),
        name="Vera Victimname",
        address="1 Secret Street",
        contact_preference="letter",
        safety_considerations="Victim works in the town centre on weekdays",
    )
    LicenceRepresentation.objects.create(
        victim=victim,
        received_on=date(2026, 9, 1),
        representation="I am afraid to go into town",
        requested_conditions="Exclusion zone: Northampton town centre",
    )


def test_subject_access_export_gives_the_offender_nothing_about_their_victims(
    world: World, tmp_path: Path
) -> None:
    case = world.cases["own"]
    _victim_with_a_safety_plan(case)
    out = tmp_path / "sar.json"
    call_command(
        "export", "subject-access", case.crn, "--as", "caseadmin", "--out", str(out), stderr=StringIO()
    )
    text = out.read_text()
    data = json.loads(text)
    assert data["crn"] == case.crn and data["case"]["events"]
    assert "victims" not in data["case"]
    for secret in ("Vera Victimname", "Secret Street", "town centre", "Exclusion zone", "afraid"):
        assert secret not in text, secret


def test_subject_access_export_is_logged_in_the_operators_name(world: World, tmp_path: Path) -> None:
    from oms.accounts.models import AccessLogEntry

    case = world.cases["own"]
    call_command(
        "export",
        "subject-access",
        case.crn,
        "--as",
        "aco",
        "--out",
        str(tmp_path / "s.json"),
        stderr=StringIO(),
    )
    entry = AccessLogEntry.objects.get(action="export", crn=case.crn)
    assert (entry.username, entry.what) == ("aco", "subject access export")
    assert not AccessLogEntry.objects.filter(username="(system)").exists()


def test_subject_access_export_needs_an_operator_who_may_answer_it(world: World, tmp_path: Path) -> None:
    from oms.accounts.models import AccessLogEntry

    case = world.cases["own"]
    out = tmp_path / "sar.json"
    with pytest.raises(CommandError, match="--as: name the operator") as missing:
        call_command("export", "subject-access", case.crn, "--out", str(out), stderr=StringIO())
    assert missing.value.returncode == 2
    with pytest.raises(CommandError, match="--as: no active user 'nobody'"):
        call_command("export", "subject-access", case.crn, "--as", "nobody", stderr=StringIO())
    # An offender manager holds the case but does not answer subject access requests; another
    # area's case administrator cannot see the case at all. Both are refused and logged.
    for who, crn in (("om", case.crn), ("caseadmin", world.cases["other_area"].crn)):
        with pytest.raises(CommandError, match=f"{who} may not export case {crn}"):
            call_command("export", "subject-access", crn, "--as", who, "--out", str(out), stderr=StringIO())
        assert AccessLogEntry.objects.filter(username=who, action="refused", crn=crn).count() == 1
    assert not out.exists()
    assert not AccessLogEntry.objects.filter(action="export").exists()
