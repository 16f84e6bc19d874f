"""Sentence plans: written, submitted, countersigned by the author's manager only, never edited once
locked (a review is a new version), stale saves refused, progress logged beside a locked plan."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.test import Client

from oms.accounts.models import AccessLogEntry
from oms.cases.models import Offender
from oms.cases.services import CaseRuleError, StaleRecordError
from oms.planning import services
from oms.planning.constants import PlanKind
from oms.planning.models import ObjectiveProgress, SentencePlan
from oms.planning.services import ObjectiveInput
from oms.planning.standards import sentence_plan_source
from oms.risk.countersigning import CountersigningStatus, awaiting_countersignature
from oms.standards.rules import RecordKind, Trigger
from oms.standards.sources import CaseRecordFacts
from tests.factories import World, make_case, make_staff

User = get_user_model()

PLAN_FIELDS = {
    "sequencing_of_requirements": "Unpaid work first.",
    "planned_contact_level": "standard",
    "contact_level_notes": "",
    "offender_participated": True,
    "offender_views": "Wants to work outdoors.",
    "offender_agreed": True,
    "agreement_recorded_on": date(2026, 6, 10),
}
TWO_OBJECTIVES = [
    ObjectiveInput(
        objective="Complete 100 hours of unpaid work",
        purpose="punish",
        linked_to_risk_management_plan=True,
        intervention="Unpaid work placement",
        delivered_by="partner",
        partner_agency="Community Payback",
        target_date=date(2027, 5, 1),
    ),
    ObjectiveInput(
        objective="Find settled accommodation",
        need="accommodation",
        purpose="help",
        intervention="Housing advice",
        target_date=date(2026, 9, 1),
    ),
]


def write_plan(
    user: object, offender: Offender, objectives: list[ObjectiveInput] = TWO_OBJECTIVES
) -> SentencePlan:
    plan = services.start_plan(user, offender)  # type: ignore[arg-type]
    services.save_plan(user, plan, dict(PLAN_FIELDS), list(objectives), expected_version=plan.version)  # type: ignore[arg-type]
    return plan


def test_a_plan_by_a_po_on_a_low_roh_case_is_locked_when_submitted(world: World) -> None:
    plan = write_plan(world.user("om"), world.cases["own"])
    services.submit_plan(world.user("om"), plan, expected_version=plan.version)
    plan.refresh_from_db()
    assert plan.status == CountersigningStatus.LOCKED
    assert plan.kind == PlanKind.INITIAL
    assert [o.objective for o in plan.objectives.all()] == [o.objective for o in TWO_OBJECTIVES]


def test_submission_names_what_is_missing(world: World) -> None:
    plan = services.start_plan(world.user("om"), world.cases["own"])
    services.save_plan(
        world.user("om"),
        plan,
        {**PLAN_FIELDS, "planned_contact_level": ""},
        [ObjectiveInput(objective="Stay out of trouble")],
        expected_version=plan.version,
    )
    with pytest.raises(CaseRuleError) as refused:
        services.submit_plan(world.user("om"), plan, expected_version=plan.version)
    assert refused.value.field == "objectives-0-need"
    assert "link it to a criminogenic need or to the risk management plan" in str(refused.value)
    plan.refresh_from_db()
    assert plan.status == CountersigningStatus.DRAFT


def test_a_locked_plan_is_never_edited_and_a_review_is_a_new_version(world: World) -> None:
    om = world.user("om")
    plan = write_plan(om, world.cases["own"])
    services.submit_plan(om, plan, expected_version=plan.version)
    with pytest.raises(CaseRuleError, match="cannot be changed"):
        services.save_plan(om, plan, {"offender_views": "changed"}, [], expected_version=plan.version)
    plan.refresh_from_db()
    assert plan.offender_views == "Wants to work outdoors."
    assert plan.objectives.count() == 2

    # Progress on a locked plan goes into the log, not the plan.
    first = plan.objectives.get(number=1)
    services.record_progress(om, first, status="in_progress", note="20 hours worked")
    first.refresh_from_db()
    assert first.status == "not_started"
    assert ObjectiveProgress.objects.get(objective=first).note == "20 hours worked"

    # The web page refuses to edit it too, and says how to change it.
    client = Client()
    client.force_login(User.objects.get(username="om"))
    response = client.get(f"/planning/cases/{plan.offender.crn}/{plan.pk}/edit/", follow=True)
    assert "Start a review to make a new version" in response.content.decode()

    review = services.start_plan(om, world.cases["own"])
    assert review.pk != plan.pk
    assert (review.kind, review.sequence, review.previous_id) == (PlanKind.REVIEW, 2, plan.pk)
    assert review.offender_agreed is None  # agreement is sought afresh
    carried = review.objectives.get(number=1)
    assert (carried.status, carried.progress_notes, carried.carried_from_id) == (
        "in_progress",
        "20 hours worked",
        first.pk,
    )
    with pytest.raises(CaseRuleError, match="Say whether the offender took part"):
        services.submit_plan(om, review, expected_version=review.version)


def test_a_stale_save_is_refused_and_nothing_is_lost(world: World) -> None:
    om = world.user("om")
    plan = services.start_plan(om, world.cases["own"])
    opened = plan.version
    services.save_plan(om, plan, {"offender_views": "first"}, [], expected_version=opened)
    stale = SentencePlan.objects.get(pk=plan.pk)
    with pytest.raises(StaleRecordError):
        services.save_plan(om, stale, {"offender_views": "second"}, [], expected_version=opened)
    assert SentencePlan.objects.get(pk=plan.pk).offender_views == "first"

    client = Client()
    client.force_login(User.objects.get(username="om"))
    response = client.post(
        f"/planning/cases/{plan.offender.crn}/{plan.pk}/edit/",
        {
            "version": opened,
            "objective_rows": 1,
            "offender_views": "third",
            "objectives-0-delivered_by": "offender_manager",
            "objectives-0-status": "not_started",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and "changed by someone else after you opened it" in page
    assert SentencePlan.objects.get(pk=plan.pk).offender_views == "first"


def _pso_case(world: World) -> tuple[object, Offender]:
    pso = make_staff("PSO", world.area, world.team, username="pso")
    return pso.user, make_case(world.area, pso, tier="3")


def test_countersigning_by_the_authors_manager_only(world: World) -> None:
    pso_user, offender = _pso_case(world)
    plan = write_plan(pso_user, offender)
    services.submit_plan(pso_user, plan, expected_version=plan.version)  # type: ignore[arg-type]
    assert plan.status == CountersigningStatus.SUBMITTED  # PSO work: spec "PSO authors"

    other_spo = make_staff("SPO", world.area, world.other_team, username="spo2")
    other_spo.manages_teams.add(world.other_team)
    with pytest.raises(PermissionDenied, match="Only the author's manager"):
        services.countersign_plan(other_spo.user, plan, expected_version=plan.version)

    # The SPO's queue (the shared core) lists the plan and links to the planning page.
    queue = awaiting_countersignature(world.staff["spo"])
    assert [row.document for row in queue] == [plan]
    client = Client()
    client.force_login(User.objects.get(username="spo"))
    page = client.get("/risk/countersigning/").content.decode()
    assert f"/planning/cases/{offender.crn}/{plan.pk}/countersign/" in page

    response = client.post(
        f"/planning/cases/{offender.crn}/{plan.pk}/countersign/",
        {"version": plan.version, "decision": "roll_back", "reason": "Target dates too vague"},
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.status, plan.last_rollback_reason) == (
        CountersigningStatus.ROLLED_BACK,
        "Target dates too vague",
    )
    services.submit_plan(pso_user, plan, expected_version=plan.version)  # type: ignore[arg-type]
    services.countersign_plan(world.user("spo"), plan, expected_version=plan.version)
    plan.refresh_from_db()
    assert plan.status == CountersigningStatus.LOCKED
    assert plan.countersigned_by == world.staff["spo"]
    assert AccessLogEntry.objects.filter(crn=offender.crn, what__contains="countersigned and locked").exists()


# role -> (reads the plans page, may start a plan)
MATRIX = {
    "om": (200, 302),
    "spo": (200, 302),
    "caseadmin": (200, 403),
    "aco": (200, 403),
    "vlo": (200, 403),
    "interventions": (200, 403),
    "partner": (403, 403),
    "prison": (200, 302),
    "inspector": (200, 403),
}


@pytest.mark.parametrize("role", sorted(MATRIX))
def test_who_reads_and_who_writes_the_own_cases_plans(world: World, role: str) -> None:
    reads, starts = MATRIX[role]
    crn = world.cases["own"].crn
    client = Client()
    client.force_login(User.objects.get(username=role))
    assert client.get(f"/planning/cases/{crn}/").status_code == reads
    assert client.post(f"/planning/cases/{crn}/start/").status_code == starts


@pytest.mark.parametrize(
    ("role", "case", "status"),
    [
        ("om", "team", 403),
        ("om", "other_area", 403),
        ("spo", "team", 200),
        ("spo", "other_team", 403),
        ("caseadmin", "limited", 403),
    ],
)
def test_plans_follow_the_case_permissions(world: World, role: str, case: str, status: int) -> None:
    client = Client()
    client.force_login(User.objects.get(username=role))
    assert client.get(f"/planning/cases/{world.cases[case].crn}/").status_code == status


def test_the_spo_writes_the_teams_plans_and_interventions_staff_record_progress(world: World) -> None:
    plan = write_plan(world.user("spo"), world.cases["team"])
    services.submit_plan(world.user("spo"), plan, expected_version=plan.version)
    objective = plan.objectives.get(number=2)
    client = Client()
    client.force_login(User.objects.get(username="interventions"))
    url = f"/planning/cases/{plan.offender.crn}/{plan.pk}/objectives/{objective.pk}/progress/"
    refused = client.post(url, {"status": "in_progress", "note": ""})
    assert "Enter the progress made" in refused.content.decode()
    assert client.post(url, {"status": "in_progress", "note": "Housing referral made"}).status_code == 302
    page = client.get(f"/planning/cases/{plan.offender.crn}/{plan.pk}/").content.decode()
    assert "Housing referral made" in page
    assert client.post(f"/planning/cases/{plan.offender.crn}/{plan.pk}/edit/").status_code == 403


def test_the_panel_runs_a_fixed_number_of_queries(world: World) -> None:
    from django.db import connection
    from django.test import RequestFactory
    from django.test.utils import CaptureQueriesContext

    from oms.planning.panels import render_planning_panel

    om = world.user("om")
    small = world.cases["own"]
    plan = write_plan(om, small, TWO_OBJECTIVES[:1])
    services.submit_plan(om, plan, expected_version=plan.version)
    large = make_case(world.area, world.staff["om"])
    many = [
        ObjectiveInput(
            objective=f"Objective {n}",
            need="accommodation",
            intervention="Advice",
            target_date=date(2027, 1, 1),
        )
        for n in range(12)
    ]
    for _ in range(5):
        version = write_plan(om, large, many)
        services.save_plan(
            om,
            version,
            {"progress_summary": "Reviewed", "review_reason": "16 weeks"},
            many,
            expected_version=version.version,
        )
        services.submit_plan(om, version, expected_version=version.version)
    for objective in version.objectives.all():
        for n in range(3):
            services.record_progress(om, objective, status="in_progress", note=f"Note {n}")

    def count(offender: Offender) -> tuple[int, str]:
        request = RequestFactory().get("/")
        request.user = om
        with CaptureQueriesContext(connection) as captured:
            html = render_planning_panel(request, offender)
        return len(captured), html

    small_count, small_html = count(small)
    large_count, large_html = count(large)
    assert "Review due" in small_html and "Objective 11" in large_html
    assert large_html.count("Note 2") == 12
    assert small_count == large_count


def test_the_printable_copy_honours_large_print_paper_and_plain_english(world: World) -> None:
    offender = world.cases["own"]
    Offender.objects.filter(pk=offender.pk).update(
        large_print=True,
        paper_colour="yellow",
        literacy_need=True,
        interpreter_required=True,
        first_language="Polish",
    )
    offender.refresh_from_db()
    change = ObjectiveInput(
        objective="Complete a thinking skills programme",
        need="thinking_behaviour",
        purpose="change",
        intervention="ETS",
        target_date=date(2027, 1, 1),
    )
    plan = write_plan(world.user("om"), offender, [*TWO_OBJECTIVES, change])  # tier 2, unpaid work only
    client = Client()
    client.force_login(User.objects.get(username="om"))
    page = client.get(f"/planning/cases/{offender.crn}/{plan.pk}/print/").content.decode()
    assert 'data-large-print="yes"' in page and "font-size: 18pt" in page
    assert "#fff7bf" in page  # yellow paper
    assert "Your plan, Test" in page and "Who will help you" in page and "Somewhere safe to live" in page
    assert "You can have an interpreter" in page and "Polish" in page
    assert "Find settled accommodation" in page
    # The contact level in words the person uses, not the standard's name for it.
    assert (
        "We will meet 12 times in the first 12 weeks, 6 times in the next 12 weeks, then once a month."
        in page
    )
    assert "Standard: 12 contacts" not in page
    # Tier 2 unpaid work only: the change objective would not be delivered, so it is not on the copy.
    assert "thinking skills" not in page

    plain = make_case(world.area, world.staff["om"])
    ordinary = write_plan(world.user("om"), plain)
    page = client.get(f"/planning/cases/{plain.crn}/{ordinary.pk}/print/").content.decode()
    assert 'data-large-print="no"' in page and "font-size: 12pt" in page and "Your sentence plan" in page

    pdf = client.get(f"/planning/cases/{offender.crn}/{plan.pk}/print.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_the_standards_read_each_plan_and_review(world: World) -> None:
    om = world.user("om")
    offender = world.cases["own"]
    plan = write_plan(om, offender)
    services.submit_plan(om, plan, expected_version=plan.version)
    review = services.start_plan(om, offender)
    services.save_plan(
        om,
        review,
        {**PLAN_FIELDS, "progress_summary": "Going well", "review_reason": "16 weeks"},
        TWO_OBJECTIVES,
        expected_version=review.version,
    )
    services.submit_plan(om, review, expected_version=review.version)
    found = {offender.pk: CaseRecordFacts()}
    sentence_plan_source(Offender.objects.filter(pk=offender.pk), found)
    facts = found[offender.pk]
    assert len(facts.completions[RecordKind.INITIAL_SENTENCE_PLAN]) == 1
    assert len(facts.completions[RecordKind.SENTENCE_PLAN_REVIEW]) == 1
    assert len(facts.triggers[Trigger.LAST_PLAN_OR_REVIEW]) == 2


def test_the_case_page_shows_the_plan_panel(world: World) -> None:
    offender = world.cases["own"]
    plan = write_plan(world.user("om"), offender)
    client = Client()
    client.force_login(User.objects.get(username="om"))
    page = client.get(f"/cases/{offender.crn}/sentence-plan/").content.decode()
    assert 'id="planning-panel"' in page and "Continue the draft plan" in page
    services.submit_plan(world.user("om"), plan, expected_version=plan.version)
    page = client.get(f"/cases/{offender.crn}/sentence-plan/").content.decode()
    assert "Review the sentence plan" in page and "16 weeks from the last plan or review" in page
    client.force_login(User.objects.get(username="partner"))
    assert 'id="planning-panel"' not in client.get(f"/cases/{offender.crn}/sentence-plan/").content.decode()
