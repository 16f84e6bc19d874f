"""Pre-sentence reports: due dates from the Courts rows of the spec, the journey, refusals, permissions."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from oms.accounts.models import AccessLogEntry
from oms.cases.services import CaseRuleError, StaleRecordError
from oms.courts import rules, services
from oms.courts.constants import CourtType, Proposal, ReportKind
from oms.courts.models import PreSentenceReport
from tests.factories import World, make_case, make_roh_screening

FULL_SECTIONS = {
    "risk_of_harm": "Medium risk of harm to known adults.",
    "likelihood_of_reoffending": "OGRS3 52%.",
    "victim_information": "The victim was a neighbour.",
    "self_harm": "No current concerns.",
    "outline_sentence_plan": "Supervision and ETS.",
}


def _client(world: World, role: str = "om") -> Client:
    client = Client()
    client.force_login(world.user(role))
    return client


# ---------------------------------------------------------------- the rule, as the spec's table reads


@pytest.mark.parametrize(
    ("kind", "requested", "remanded_at_magistrates", "due"),
    [
        # SDR: 15 WD; the 2007 Easter bank holidays (6 and 9 April) are not working days.
        (ReportKind.STANDARD_DELIVERY, date(2007, 3, 1), False, date(2007, 3, 22)),
        (ReportKind.STANDARD_DELIVERY, date(2007, 4, 2), False, date(2007, 4, 25)),
        # SDR when remanded in custody at a magistrates' court: 10 WD.
        (ReportKind.STANDARD_DELIVERY, date(2007, 3, 1), True, date(2007, 3, 15)),
        # FDR: at most 5 WD.
        (ReportKind.FAST_DELIVERY, date(2007, 4, 4), False, date(2007, 4, 13)),
        # Oral: the same day.
        (ReportKind.ORAL, date(2007, 4, 4), False, date(2007, 4, 4)),
    ],
)
def test_report_due_date_follows_the_courts_rows(
    kind: str, requested: date, remanded_at_magistrates: bool, due: date
) -> None:
    assert rules.report_due(kind, requested, remanded_at_magistrates=remanded_at_magistrates) == due


def test_lateness_is_counted_in_working_days() -> None:
    due = date(2007, 4, 5)  # the Thursday before Good Friday
    assert rules.working_days_late(due, date(2007, 4, 5)) == 0
    assert rules.working_days_late(due, date(2007, 4, 10)) == 1  # Good Friday and Easter Monday skipped
    assert rules.working_days_late(due, date(2007, 4, 12)) == 3


def test_ppo_labels_are_found_in_the_text() -> None:
    assert rules.ppo_labels_in("He is a PPO and a prolific offender.") == ["PPO", "prolific offender"]
    assert rules.ppo_labels_in("He has been supportive and proper.") == []


# ---------------------------------------------------------------- the journey and its refusals


def _report(world: World, **overrides: object) -> PreSentenceReport:
    request = services.ReportRequest(
        kind=str(overrides.pop("kind", ReportKind.STANDARD_DELIVERY)),
        court="Northampton Magistrates' Court",
        court_type=CourtType.MAGISTRATES,
        requested_on=date(2026, 9, 1),
        offence_code="02801",
    )
    offender = overrides.pop("offender", world.cases["own"])
    if overrides.pop("screened", True):
        make_roh_screening(offender, world.staff["om"])  # type: ignore[arg-type]
    return services.request_report(world.user("caseadmin"), offender, request)  # type: ignore[arg-type]


def test_a_report_from_request_to_the_courts_decision_through_the_pages(world: World) -> None:
    client = _client(world, "om")
    crn = world.cases["own"].crn
    make_roh_screening(world.cases["own"], world.staff["om"])
    response = client.post(
        reverse("courts:request", args=[crn]),
        {
            "kind": "sdr",
            "court": "Northampton Magistrates' Court",
            "court_type": "magistrates",
            "requested_on": "2026-09-01",
            "offence_code": "02801",
            "remanded_in_custody": "on",
        },
    )
    report = PreSentenceReport.objects.get(offender=world.cases["own"])
    assert response.status_code == 302
    assert report.due_on == date(2026, 9, 15)  # remanded at a magistrates' court: 10 working days
    page = client.get(reverse("courts:report", args=[report.pk])).content.decode()
    assert "15 September 2026" in page and "Not allocated" in page

    client.post(reverse("courts:allocate", args=[report.pk]), {"version": 1, "author": world.staff["om"].pk})
    client.post(
        reverse("courts:write", args=[report.pk]),
        {"version": 2, "proposal": "community_order", **FULL_SECTIONS},
    )
    response = client.post(
        reverse("courts:deliver", args=[report.pk]), {"version": 3, "delivered_on": "2026-09-17"}
    )
    assert response.status_code == 302
    page = client.get(reverse("courts:report", args=[report.pk])).content.decode()
    assert "late by 2 working days" in page
    client.post(
        reverse("courts:outcome", args=[report.pk]),
        {"version": 4, "sentence_passed": "community_order", "sentencer_feedback": "Helpful and clear."},
    )
    page = client.get(reverse("courts:report", args=[report.pk])).content.decode()
    assert "the court followed the proposal" in page and "Helpful and clear." in page
    assert AccessLogEntry.objects.filter(crn=crn, what__startswith="delivered").exists()


def test_delivery_is_refused_until_the_required_sections_are_written(world: World) -> None:
    report = _report(world)
    services.allocate_author(world.user("caseadmin"), report, world.staff["om"], expected_version=1)
    response = _client(world).post(
        reverse("courts:deliver", args=[report.pk]), {"version": 2, "delivered_on": "2026-09-10"}
    )
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Enter the risk of harm (RoH) section" in page and "Choose the proposal" in page


def test_a_community_proposal_needs_an_outline_sentence_plan(world: World) -> None:
    report = _report(world)
    user = world.user("om")
    services.allocate_author(user, report, world.staff["om"], expected_version=1)
    sections = {**FULL_SECTIONS, "outline_sentence_plan": ""}
    services.write_report(user, report, sections, Proposal.COMMUNITY_ORDER, expected_version=2)
    with pytest.raises(CaseRuleError, match="Enter an outline sentence plan for a community proposal"):
        services.deliver_report(user, report, date(2026, 9, 5), expected_version=3)
    services.write_report(user, report, sections, Proposal.FINE, expected_version=3)
    services.deliver_report(user, report, date(2026, 9, 5), expected_version=4)
    assert report.working_days_late == 0


def test_a_stale_save_is_refused(world: World) -> None:
    report = _report(world)
    services.allocate_author(world.user("om"), report, world.staff["om"], expected_version=1)
    with pytest.raises(StaleRecordError):
        services.write_report(world.user("om"), report, FULL_SECTIONS, Proposal.FINE, expected_version=1)


def test_a_report_on_a_ppo_warns_the_author_not_to_label_them(world: World) -> None:
    offender = world.cases["own"]
    offender.is_ppo = True
    offender.save()
    report = _report(world)
    labels = services.write_report(
        world.user("om"),
        report,
        {**FULL_SECTIONS, "risk_of_harm": "As a prolific offender he..."},
        Proposal.FINE,
        expected_version=1,
    )
    assert labels == ["prolific offender"]
    page = _client(world).get(reverse("courts:report", args=[report.pk])).content.decode()
    assert "labels the person as a PPO" in page and "“prolific offender”" in page


def test_bad_request_input_gets_an_error_summary_naming_the_field(world: World) -> None:
    response = _client(world).post(
        reverse("courts:request", args=[world.cases["own"].crn]),
        {
            "kind": "",
            "court": "",
            "court_type": "magistrates",
            "requested_on": "2026-13-45",
            "offence_code": "99999",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    for message in (
        "Choose the type of report",
        "Enter the court",
        "Date requested must be a real date",
        "Offence code 99999 is not a Home Office offence code",
    ):
        assert message in page


# ---------------------------------------------------------------- permissions


@pytest.mark.parametrize(
    ("role", "status"),
    [("om", 200), ("spo", 200), ("caseadmin", 200), ("vlo", 403), ("interventions", 403), ("partner", 403)],
)
def test_the_court_reports_list_is_for_court_work_roles(world: World, role: str, status: int) -> None:
    assert _client(world, role).get(reverse("courts:list")).status_code == status


def test_reports_on_cases_a_person_cannot_see_are_refused(world: World) -> None:
    report = _report(world, offender=world.cases["other_team"])
    assert _client(world, "om").get(reverse("courts:report", args=[report.pk])).status_code == 403
    assert (
        _client(world, "partner").post(reverse("courts:request", args=[world.cases["own"].crn])).status_code
        == 403
    )
    response = _client(world, "om").get(reverse("courts:list") + "?show=all")
    assert world.cases["other_team"].crn not in response.content.decode()


def test_the_api_lists_and_creates_reports_with_the_same_rules(world: World) -> None:
    client = _client(world, "om")
    crn = world.cases["own"].crn
    response = client.post(
        f"/api/v1/courts/cases/{crn}/reports",
        {"kind": "fdr", "court": "Northampton Magistrates' Court", "requested_on": "2026-09-01"},
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["due_on"] == "2026-09-08"
    assert client.get(f"/api/v1/courts/cases/{crn}/reports").json()[0]["kind"] == "fdr"
    assert _client(world, "partner").get(f"/api/v1/courts/cases/{crn}/reports").status_code == 403


# ---------------------------------------------------------------- fixed queries


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_list_and_the_case_panel_run_the_same_queries_for_1_and_30_reports(world: World) -> None:
    client = _client(world, "spo")
    _report(world)
    list_url = reverse("courts:list") + "?show=all"
    case_url = reverse("cases:detail", args=[world.cases["own"].crn])
    small, small_case = _queries(client, list_url), _queries(client, case_url)
    for index in range(29):
        offender = make_case(world.area, world.staff["om"]) if index % 2 else world.cases["own"]
        report = _report(world, offender=offender)
        services.allocate_author(world.user("spo"), report, world.staff["om"], expected_version=1)
    assert _queries(client, list_url) == small
    assert _queries(client, case_url) == small_case


def test_a_report_cannot_go_to_court_without_an_roh_screening_behind_it(world: World) -> None:
    report = _report(world, screened=False)
    user = world.user("om")
    services.allocate_author(user, report, world.staff["om"], expected_version=1)
    services.write_report(user, report, FULL_SECTIONS, Proposal.FINE, expected_version=2)
    make_roh_screening(report.offender, world.staff["om"], status="draft")
    with pytest.raises(CaseRuleError, match="Complete an RoH screening of this person"):
        services.deliver_report(user, report, date(2026, 9, 5), expected_version=3)
    make_roh_screening(report.offender, world.staff["om"], status="submitted")
    services.deliver_report(user, report, date(2026, 9, 5), expected_version=3)
    assert report.delivered_on == date(2026, 9, 5)


def test_a_report_that_labels_the_person_a_ppo_cannot_be_delivered(world: World) -> None:
    report = _report(world)
    user = world.user("om")
    services.allocate_author(user, report, world.staff["om"], expected_version=1)
    labelled = {**FULL_SECTIONS, "victim_information": "A PPO known to the police."}
    services.write_report(user, report, labelled, Proposal.FINE, expected_version=2)
    response = _client(world).post(
        reverse("courts:deliver", args=[report.pk]), {"version": 3, "delivered_on": "2026-09-05"}
    )
    page = response.content.decode()
    assert "Remove “PPO”: a pre-sentence report does not label the person a PPO" in page
    report.refresh_from_db()
    assert report.delivered_on is None
    services.write_report(user, report, FULL_SECTIONS, Proposal.FINE, expected_version=3)
    services.deliver_report(user, report, date(2026, 9, 5), expected_version=4)
