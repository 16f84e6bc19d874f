"""The allocation queue: deadlines, recommended grade, workloads, the allocator's reason, the email."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from oms.cases.models import Allocation, Offender
from oms.risk import services as risk_services
from oms.tiering.queries import allocation_deadline, allocation_queue, offender_managers_with_workload
from oms.tiering.workload import StaffGrade
from tests.factories import World, make_case


def _client(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


# spec/national-standards.md: "allocate offender manager | sentence or release date | 3 WD (tier 4: 1 WD)"
@pytest.mark.parametrize(
    ("start", "tier", "deadline"),
    [
        (date(2026, 11, 2), "2", date(2026, 11, 5)),  # Monday + 3 WD = Thursday
        (date(2026, 11, 2), "4", date(2026, 11, 3)),  # tier 4: 1 WD
        (date(2026, 11, 6), "3", date(2026, 11, 11)),  # Friday + 3 WD crosses the weekend
        (date(2026, 12, 24), "1", date(2026, 12, 31)),  # Christmas and Boxing Day (28 Dec substitute)
        (date(2026, 11, 2), "A1", date(2026, 11, 3)),  # 2021 protect level A counts as the highest tier
    ],
)
def test_allocation_deadline(start: date, tier: str, deadline: date) -> None:
    assert allocation_deadline(start, tier) == deadline


def test_the_queue_lists_unallocated_current_cases_most_urgent_first(world: World) -> None:
    later = make_case(world.area, None, sentence_date=date(2026, 11, 2), tier="2")
    urgent = make_case(world.area, None, sentence_date=date(2026, 11, 2), tier="4", risk_of_harm_level="high")
    make_case(world.other_area, None, sentence_date=date(2026, 11, 2))
    rows = allocation_queue(world.user("spo"), date(2026, 11, 4))
    assert [row.offender.crn for row in rows] == [urgent.crn, later.crn]
    assert rows[0].overdue and rows[0].deadline == date(2026, 11, 3)
    assert rows[0].recommended_grade is StaffGrade.PROBATION_OFFICER
    assert rows[1].recommended_grade is StaffGrade.PROBATION_SERVICES_OFFICER
    assert not rows[1].overdue and rows[1].working_days_left == 1
    assert [r.offender.crn for r in allocation_queue(world.user("caseadmin"), date(2026, 11, 4))] == [
        urgent.crn,
        later.crn,
    ]


def test_workload_points_and_capacity_follow_the_spec_weights(world: World) -> None:
    # The world's PO holds the "own" case (tier 2, community): 50 points of 2,176.
    loads = {w.staff.pk: w for w in offender_managers_with_workload(world.area)}
    om = loads[world.staff["om"].pk]
    assert (om.cases, om.points, om.available_points, str(om.capacity_percent)) == (1, 50, 2176, "2.3")
    assert om.grade is StaffGrade.PROBATION_OFFICER
    teammate = loads[world.teammate.pk]  # a PSO holding "team" and "limited" (tier 2 each)
    assert (teammate.cases, teammate.points) == (2, 100)
    assert not teammate.may_hold("4", "high") and teammate.may_hold("3", "medium")


def test_allocating_from_the_queue_records_why_and_emails_the_offender_manager(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    case = make_case(world.area, None, sentence_date=date(2026, 11, 2), tier="3", risk_of_harm_level="medium")
    client = _client("spo")
    queue = client.get("/tiering/allocation/").content.decode()
    assert case.crn in queue and "Probation services officer (PSO)" in queue
    page = client.get(f"/tiering/allocation/{case.crn}/").content.decode()
    assert "Recommended grade" in page and world.teammate.full_name in page and "2.3%" in page
    missing = client.post(
        f"/tiering/allocation/{case.crn}/",
        {
            "version": case.version,
            "offender_manager": world.teammate.pk,
            "reason": "",
            "start_date": "2026-11-03",
        },
    )
    assert "Enter why this offender manager was chosen" in missing.content.decode()
    no_oversight = client.post(
        f"/tiering/allocation/{case.crn}/",
        {
            "version": case.version,
            "offender_manager": world.teammate.pk,
            "reason": "PSO with capacity",
            "start_date": "2026-11-03",
        },
    )
    assert "only under a senior probation officer&#x27;s oversight: enter your decision" in (
        no_oversight.content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            f"/tiering/allocation/{case.crn}/",
            {
                "version": case.version,
                "offender_manager": world.teammate.pk,
                "reason": "PSO with capacity; tier 3 medium RoH under oversight",
                "manager_decision": "Monthly case discussion with me",
                "start_date": "2026-11-03",
            },
        )
    assert done.status_code == 302
    allocation = Allocation.objects.get(offender=case)
    assert allocation.offender_manager == world.teammate and allocation.decided_by == world.staff["spo"]
    assert allocation.reason.startswith("PSO with capacity")
    assert allocation.manager_decision == "Monthly case discussion with me"
    (email,) = mail.outbox
    assert email.to == [world.teammate.email] and case.crn in email.subject
    after = client.get("/tiering/allocation/").content.decode()
    assert f"{case.crn} allocated to {world.teammate.full_name}" in after
    assert f'href="/tiering/allocation/{case.crn}/"' not in after


def test_a_stale_allocation_is_refused(world: World) -> None:
    case = make_case(world.area, None, sentence_date=date(2026, 11, 2))
    Offender.objects.filter(pk=case.pk).update(version=case.version + 1)
    page = _client("spo").post(
        f"/tiering/allocation/{case.crn}/",
        {
            "version": case.version,
            "offender_manager": world.staff["om"].pk,
            "reason": "Capacity",
            "start_date": "2026-11-03",
        },
    )
    assert "changed by someone else" in page.content.decode()
    assert not Allocation.objects.filter(offender=case).exists()


@pytest.mark.parametrize("role", ["om", "aco", "vlo", "partner", "inspector"])
def test_only_spos_and_case_administrators_allocate(world: World, role: str) -> None:
    case = make_case(world.area, None, sentence_date=date(2026, 11, 2))
    client = _client(role)
    assert client.get("/tiering/allocation/").status_code == 403
    assert client.get(f"/tiering/allocation/{case.crn}/").status_code == 403


def test_the_queue_page_runs_a_fixed_number_of_queries(world: World) -> None:
    make_case(world.area, None, sentence_date=date(2026, 11, 2))
    client = _client("spo")
    with CaptureQueriesContext(connection) as small:
        client.get("/tiering/allocation/")
    for _ in range(10):
        make_case(world.area, None, sentence_date=date(2026, 11, 2))
    with CaptureQueriesContext(connection) as large:
        page = client.get("/tiering/allocation/")
    assert page.content.decode().count(">Allocate<") == 11
    assert len(small) == len(large)


def test_the_case_panel_runs_a_fixed_number_of_queries(world: World) -> None:
    """A case with one assessment and a case with many versions cost the same to show."""
    small_case, large_case = world.cases["own"], make_case(world.area, world.staff["om"])
    user = world.user("om")
    risk_services.start_document(user, small_case, "screening", event=small_case.events.get())
    for _ in range(4):
        for kind in ("screening", "reoffending", "plan", "analysis"):
            document = risk_services.start_document(user, large_case, kind, event=large_case.events.get())
            if kind == "screening":
                risk_services.submit_document(user, document, expected_version=document.version)
            else:
                # Unfinished drafts locked directly: the panel only reads them.
                type(document).objects.filter(pk=document.pk).update(status="locked")
    client = _client("om")
    with CaptureQueriesContext(connection) as small:
        client.get(f"/cases/{small_case.crn}/risk/")
    with CaptureQueriesContext(connection) as large:
        page = client.get(f"/cases/{large_case.crn}/risk/")
    assert "Risk, likelihood of reoffending and tier" in page.content.decode()
    assert len(small) == len(large)
