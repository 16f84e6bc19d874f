"""`oms import assessments FILE`: OASys history brought over at go-live arrives locked, as new versions,
all or nothing, with every refusal named by row and field."""

from __future__ import annotations

import json
from datetime import datetime
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from oms.accounts.models import AccessLogEntry
from oms.organisation.models import Staff
from oms.risk.countersigning import CountersigningAction, CountersigningEvent, CountersigningStatus
from oms.risk.models import ReoffendingAssessment, RiskOfHarmAnalysis, RiskOfHarmScreening
from oms.risk.ogrs3 import AGE_AT_FIRST_SANCTION_AFTER_AGE_AT_CURRENT_CONVICTION
from tests.factories import World, make_case, make_staff

HEADER = (
    "crn,event_number,kind,completed_on,author,full_analysis_needed,overall_level,public,children,"
    "total_sanctions,age_at_first_sanction,date_of_current_conviction,date_of_start_of_follow_up,"
    "accommodation,accommodation_linked\n"
)


def _file(tmp_path: Path, lines: list[str], name: str = "assessments.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + "".join(line + "\n" for line in lines), encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def operator(world: World) -> Staff:
    """The migration's named operator: a case administrator of the area given the permission."""
    staff = make_staff("CA", world.area, username="operator")
    assert staff.user is not None
    staff.user.user_permissions.add(Permission.objects.get(codename="import_assessments"))
    return staff


def _import(path: Path, *extra: str) -> dict[str, object]:
    out = StringIO()
    call_command(
        "import",
        "assessments",
        str(path),
        "--json",
        "--as",
        "operator",
        *extra,
        stdout=out,
        stderr=StringIO(),
    )
    return json.loads(out.getvalue())


def _refusal(path: Path) -> str:
    err = StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("import", "assessments", str(path), "--as", "operator", stdout=StringIO(), stderr=err)
    assert refused.value.returncode == 2
    assert "nothing was imported" in str(refused.value)
    return err.getvalue()


def _history(crn: str) -> list[str]:
    return [
        f"{crn},1,screening,2026-06-03,om,true,,,,,,,,,",
        f"{crn},1,analysis,2026-06-08,om,,high,high,medium,,,,,,",
        f"{crn},1,reoffending,2026-06-09,om,,,,,4,16,2026-05-20,2026-06-01,5,true",
    ]


NOON_IN_LONDON = datetime(2026, 6, 8, 12, 0, tzinfo=ZoneInfo("Europe/London"))


def test_each_kind_arrives_locked_with_its_answers(world: World, tmp_path: Path) -> None:
    case = world.cases["own"]
    result = _import(_file(tmp_path, _history(case.crn)))
    assert (result["created"], result["unchanged"], result["errors"]) == (3, 0, [])

    screening = RiskOfHarmScreening.objects.get(offender=case)
    assert screening.full_analysis_needed is True
    analysis = RiskOfHarmAnalysis.objects.get(offender=case)
    assert analysis.overall_level == "high"
    assert analysis.levels == {"public_community": "high", "children_community": "medium"}
    assert analysis.locked_at == analysis.submitted_at == NOON_IN_LONDON
    reoffending = ReoffendingAssessment.objects.get(offender=case)
    assert reoffending.offence_code == "02801"  # the event's offence
    assert reoffending.ogrs3_two_year is not None and reoffending.ogrs3_band
    assert reoffending.needs == {"accommodation": {"score": 5, "linked_to_offending": True}}

    for document in (screening, analysis, reoffending):
        assert document.status == CountersigningStatus.LOCKED
        assert document.countersigning_required is False
        assert document.author == world.staff["om"]
        assert not document.is_editable
        assert document.history.count() == 1
    events = CountersigningEvent.objects.filter(offender=case)
    assert {(e.action, e.reason) for e in events} == {(CountersigningAction.COMPLETED, "imported")}
    assert events.count() == 3
    assert AccessLogEntry.objects.filter(crn=case.crn, what__startswith="imported assessments").count() == 1
    # The case's RoH follows the imported analysis (it is the latest of all).
    case.refresh_from_db()
    assert case.risk_of_harm_level == "high"


def test_ogrs3_is_scored_by_the_calculator(world: World, tmp_path: Path) -> None:
    from oms.risk import ogrs3

    case = world.cases["own"]
    _import(_file(tmp_path, _history(case.crn)[2:]))
    held = ReoffendingAssessment.objects.get(offender=case)
    expected = ogrs3.ogrs3(held.ogrs3_inputs())
    assert (held.ogrs3_one_year, held.ogrs3_two_year, held.ogrs3_band) == (
        expected.one_year,
        expected.two_year,
        expected.band.value,
    )


def test_a_second_import_of_the_same_file_changes_nothing(world: World, tmp_path: Path) -> None:
    path = _file(tmp_path, _history(world.cases["own"].crn))
    _import(path)
    again = _import(path)
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 3)
    assert RiskOfHarmAnalysis.objects.count() == 1
    assert CountersigningEvent.objects.count() == 3


def test_imported_assessments_are_new_versions_after_those_held(world: World, tmp_path: Path) -> None:
    case = world.cases["own"]
    _import(_file(tmp_path, [f"{case.crn},1,analysis,2026-06-08,om,,medium,,,,,,,,"], "first.csv"))
    _import(
        _file(
            tmp_path,
            [
                f"{case.crn},1,analysis,2026-09-01,om,,very_high,,,,,,,,",
                f"{case.crn},1,analysis,2026-07-01,om,,high,,,,,,,,",
            ],
            "later.csv",
        )
    )
    versions = list(RiskOfHarmAnalysis.objects.filter(offender=case).order_by("sequence"))
    assert [(a.sequence, a.overall_level) for a in versions] == [(1, "medium"), (2, "high"), (3, "very_high")]
    assert [a.previous_id for a in versions] == [None, versions[0].pk, versions[1].pk]
    case.refresh_from_db()
    assert case.risk_of_harm_level == "very_high"


def test_an_older_analysis_does_not_overrule_a_later_one_already_held(world: World, tmp_path: Path) -> None:
    case = world.cases["own"]
    _import(_file(tmp_path, [f"{case.crn},1,analysis,2026-10-01,om,,medium,,,,,,,,"], "recent.csv"))
    _import(_file(tmp_path, [f"{case.crn},1,analysis,2026-06-08,om,,very_high,,,,,,,,"], "older.csv"))
    assert RiskOfHarmAnalysis.objects.filter(offender=case).count() == 2
    case.refresh_from_db()
    assert case.risk_of_harm_level == "medium"


def test_dry_run_reports_and_writes_nothing(world: World, tmp_path: Path) -> None:
    result = _import(_file(tmp_path, _history(world.cases["own"].crn)), "--dry-run")
    assert (result["created"], result["dry_run"]) == (3, True)
    assert not RiskOfHarmScreening.objects.exists()
    assert not RiskOfHarmAnalysis.objects.exists()
    assert not ReoffendingAssessment.objects.exists()
    assert not CountersigningEvent.objects.exists()


@pytest.mark.parametrize(
    ("line", "field", "reason"),
    [
        ("Z999999,1,analysis,2026-06-08,om,,high,,,,,,,,", "crn", "no case 'Z999999'"),
        ("{crn},7,analysis,2026-06-08,om,,high,,,,,,,,", "event_number", "no event 7 on case"),
        ("{crn},1,plan,2026-06-08,om,,high,,,,,,,,", "kind", "'plan' is not one of screening, analysis"),
        ("{crn},1,analysis,08/06/2026,om,,high,,,,,,,,", "completed_on", "is not a date (YYYY-MM-DD)"),
        ("{crn},1,analysis,2026-05-01,om,,high,,,,,,,,", "completed_on", "is before the sentence date"),
        ("{crn},1,analysis,2099-01-01,om,,high,,,,,,,,", "completed_on", "must be today or in the past"),
        ("{crn},1,analysis,2026-06-08,nobody,,high,,,,,,,,", "author", "no member of staff with username"),
        ("{crn},1,analysis,2026-06-08,om,,severe,,,,,,,,", "overall_level", "'severe' is not a RoH level"),
        ("{crn},1,analysis,2026-06-08,om,,high,extreme,,,,,,,", "public", "'extreme' is not a RoH level"),
        ("{crn},1,analysis,2026-06-08,om,,medium,high,,,,,,,", "overall_level", "highest group level"),
        ("{crn},1,analysis,2026-06-08,om,,,,,,,,,,", "overall_level", "is required for a full RoH"),
        ("{crn},1,screening,2026-06-08,om,maybe,,,,,,,,,", "full_analysis_needed", "is not true or false"),
        (
            "{crn},1,reoffending,2026-06-08,om,,,,,4,,2026-05-20,2026-06-01,,",
            "age_at_first_sanction",
            "is required for a likelihood of reoffending",
        ),
        (
            "{crn},1,reoffending,2026-06-08,om,,,,,0,16,2026-05-20,2026-06-01,,",
            "total_sanctions",
            "OGRS3 TOTAL_NUMBER_OF_SANCTIONS_LESS_THAN_ONE",
        ),
        (
            "{crn},1,reoffending,2026-06-08,om,,,,,4,60,2026-05-20,2026-06-01,,",
            "age_at_first_sanction",
            f"OGRS3 {AGE_AT_FIRST_SANCTION_AFTER_AGE_AT_CURRENT_CONVICTION}",
        ),
        (
            "{crn},1,reoffending,2026-06-08,om,,,,,4,16,2026-05-20,2026-06-01,-2,",
            "accommodation",
            "must not be negative",
        ),
    ],
)
def test_each_refusal_names_row_field_and_reason_and_nothing_is_written(
    world: World, tmp_path: Path, line: str, field: str, reason: str
) -> None:
    crn = world.cases["own"].crn
    good = f"{crn},1,screening,2026-06-03,om,false,,,,,,,,,"
    message = _refusal(_file(tmp_path, [good, line.format(crn=crn)]))
    assert f"row 2, {field}: " in message and reason in message, message
    assert not RiskOfHarmScreening.objects.exists()  # the good row 1 is not written either


def test_duplicates_within_the_file_and_changed_answers_are_refused(world: World, tmp_path: Path) -> None:
    crn = world.cases["own"].crn
    line = f"{crn},1,analysis,2026-06-08,om,,high,,,,,,,,"
    assert "row 2, completed_on: duplicates row 1" in _refusal(_file(tmp_path, [line, line], "twice.csv"))
    _import(_file(tmp_path, [line], "once.csv"))
    changed = f"{crn},1,analysis,2026-06-08,om,,low,,,,,,,,"
    message = _refusal(_file(tmp_path, [changed], "changed.csv"))
    assert "row 1, overall_level: full RoH analysis 1 completed on 2026-06-08 is already held" in message
    assert "a locked assessment is never changed" in message
    assert RiskOfHarmAnalysis.objects.get().overall_level == "high"


def test_a_json_file_imports_the_same(world: World, tmp_path: Path) -> None:
    crn = world.cases["own"].crn
    path = tmp_path / "assessments.json"
    path.write_text(
        json.dumps(
            [
                {
                    "crn": crn,
                    "event_number": 1,
                    "kind": "analysis",
                    "completed_on": "2026-06-08",
                    "author": "om",
                    "overall_level": "very high",
                    "known_adult_custody": "very_high",
                }
            ]
        ),
        encoding="utf-8",
    )
    assert _import(path)["created"] == 1
    assert RiskOfHarmAnalysis.objects.get().levels == {"known_adult_custody": "very_high"}


def test_the_imported_analysis_shows_on_the_case_page_as_locked(world: World, tmp_path: Path) -> None:
    case = world.cases["own"]
    _import(_file(tmp_path, _history(case.crn)))
    client = Client()
    client.force_login(get_user_model().objects.get(username="om"))
    page = " ".join(client.get(f"/cases/{case.crn}/risk/").content.decode().split())
    assert "High (full analysis 1, locked 8 June 2026)" in page
    assert '<strong class="govuk-tag govuk-tag--green">Locked</strong> full analysis indicated' in page
    assert "RoH screening indicates a full analysis, and none is locked yet" not in page
    risk_page = client.get(f"/risk/cases/{case.crn}/").content.decode()
    assert (
        "Full RoH analysis 1: Completed and locked (no countersignature needed)</td>"
        '<td class="govuk-table__cell">Ca Person'
    ) in risk_page
    assert risk_page.count('<td class="govuk-table__cell">imported</td>') == 3


def test_checking_a_file_runs_the_same_queries_for_one_case_or_many(world: World, tmp_path: Path) -> None:
    one = _file(tmp_path, _history(world.cases["own"].crn), "one.csv")
    more = [make_case(world.area, world.staff["om"]) for _ in range(4)]
    many = _file(tmp_path, [line for case in more for line in _history(case.crn)], "many.csv")
    counts = []
    for path in (one, many):
        with CaptureQueriesContext(connection) as queries:
            _import(path, "--dry-run")
        counts.append(len(queries))
    assert counts[0] == counts[1]
    # Writing screenings (which set no level) is in bulk too: equal queries for 1 case or 4.
    written = []
    for cases, name in (([make_case(world.area, world.staff["om"])], "w1.csv"), (more, "w4.csv")):
        path = _file(tmp_path, [_history(case.crn)[0] for case in cases], name)
        with CaptureQueriesContext(connection) as queries:
            _import(path)
        written.append(len(queries))
    assert written[0] == written[1]
    assert RiskOfHarmScreening.objects.filter(offender__in=more).count() == 4


# ------------------------------------------------------------------ who imports, and in whose name
ATTACK = "{crn},1,analysis,2026-06-08,{author},,very_high,very_high,,,,,,,"


def test_a_case_administrator_cannot_import_a_locked_analysis_on_the_import_page(world: World) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    case = world.cases["other_team"]
    client = Client()
    client.force_login(world.user("caseadmin"))
    upload = SimpleUploadedFile("a.csv", (HEADER + ATTACK.format(crn=case.crn, author="spo") + "\n").encode())
    response = client.post("/cases/import/", {"kind": "assessments", "file": upload})
    assert response.status_code == 403
    assert "named operator" in response.content.decode()
    assert not RiskOfHarmAnalysis.objects.exists()
    case.refresh_from_db()
    assert case.risk_of_harm_level == "low"
    assert AccessLogEntry.objects.filter(username="caseadmin", action="refused").count() == 1


def test_the_command_line_needs_the_named_operator(world: World, tmp_path: Path) -> None:
    path = _file(tmp_path, [ATTACK.format(crn=world.cases["own"].crn, author="om")])
    with pytest.raises(
        CommandError, match="--as: importing assessments needs the migration's named operator"
    ):
        call_command("import", "assessments", str(path), stdout=StringIO(), stderr=StringIO())
    with pytest.raises(CommandError, match="migration's named operator"):
        call_command(
            "import", "assessments", str(path), "--as", "caseadmin", stdout=StringIO(), stderr=StringIO()
        )
    assert not RiskOfHarmAnalysis.objects.exists()
    refusal = AccessLogEntry.objects.get(action="refused")
    assert (refusal.username, refusal.what) == (
        "caseadmin",
        "refused: CLI: import assessments from assessments.csv",
    )


@pytest.mark.parametrize(
    ("author", "case"),
    [
        ("caseadmin", "own"),  # a case administrator never authors risk work
        ("aco", "own"),
        ("spo", "other_team"),  # an SPO assesses their teams' cases, not another team's
        ("om", "team"),  # an offender manager assesses their own caseload
    ],
)
def test_an_import_never_makes_someone_the_author_of_risk_work_they_may_not_write(
    world: World, tmp_path: Path, author: str, case: str
) -> None:
    crn = world.cases[case].crn
    message = _refusal(_file(tmp_path, [ATTACK.format(crn=crn, author=author)]))
    assert f"row 1, author: {author} may not author risk work on case {crn}" in message
    assert not RiskOfHarmAnalysis.objects.exists()


def test_the_operator_is_recorded_as_the_one_who_brought_the_assessment_in(
    world: World, tmp_path: Path, operator: Staff
) -> None:
    case = world.cases["own"]
    _import(_file(tmp_path, [ATTACK.format(crn=case.crn, author="om")]))
    analysis = RiskOfHarmAnalysis.objects.get()
    assert analysis.author == world.staff["om"]
    assert analysis.history.get().history_user == operator.user
    event = CountersigningEvent.objects.get(object_id=analysis.pk)
    assert (event.by, event.reason) == (operator, "imported")
    assert AccessLogEntry.objects.filter(crn=case.crn, username="operator", action="create").exists()
