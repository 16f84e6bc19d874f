"""A recall recommendation can be declined or returned for more information, not only signed off
(issue 13, item 5): through the service, at the SPO's and the ACO's own stage, with a reason, recorded
in the recommendation's history, and the offender manager told on their home page."""

from __future__ import annotations

import pytest
from django.test import Client

from oms.accounts.models import AccessAction, AccessLogEntry
from oms.cases.constants import EventKind
from oms.cases.services import CaseRuleError
from oms.standards.models import StoredAction
from oms.supervision import services
from oms.supervision.constants import RecallStatus, RecallStep, RecallType
from oms.supervision.models import RecallRecommendation
from tests.factories import World, make_case

pytestmark = pytest.mark.django_db


def _recommend(world: World) -> RecallRecommendation:
    licence = make_case(world.area, world.staff["om"], kind=EventKind.LICENCE)
    return services.recommend_recall(
        world.user("om"),
        licence.events.get(),
        recall_type=RecallType.STANDARD,
        emergency=False,
        reason="Missed two appointments",
    )


def _client(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world.user(role))
    return client


def test_an_spo_declines_a_recall_with_a_reason_and_it_is_closed_in_its_history(world: World) -> None:
    recommendation = _recommend(world)
    with pytest.raises(CaseRuleError, match="Enter why the recall is declined"):
        services.decline_recall(world.user("spo"), recommendation, reason=" ", expected_version=1)
    services.decline_recall(
        world.user("spo"), recommendation, reason="Compliance since restored", expected_version=1
    )
    recommendation.refresh_from_db()
    assert recommendation.status == RecallStatus.DECLINED
    step = recommendation.steps.get()
    assert (step.step, step.by, step.reason) == (
        RecallStep.DECLINED,
        world.staff["spo"],
        "Compliance since restored",
    )
    # Closed: no recall request is owed for it, and another recommendation may be made.
    assert not StoredAction.objects.filter(
        offender=recommendation.offender, rule_key="recall_request", status__in=["due", "overdue"]
    ).exists()
    services.recommend_recall(
        world.user("om"),
        recommendation.event,
        recall_type=RecallType.STANDARD,
        emergency=False,
        reason="Further threats",
    )


def test_the_aco_declines_only_after_the_spo_has_signed_and_never_before(world: World) -> None:
    recommendation = _recommend(world)
    with pytest.raises(CaseRuleError, match="senior probation officer must sign this recommendation off"):
        services.decline_recall(world.user("aco"), recommendation, reason="No", expected_version=1)
    services.sign_off_recall(world.user("spo"), recommendation, expected_version=1)
    with pytest.raises(CaseRuleError, match="Only an assistant chief officer"):
        services.decline_recall(world.user("spo"), recommendation, reason="No", expected_version=2)
    services.decline_recall(
        world.user("aco"), recommendation, reason="Risk managed in the community", expected_version=2
    )
    assert [s.step for s in recommendation.steps.all()] == [RecallStep.SIGNED_OFF_SPO, RecallStep.DECLINED]


def test_a_returned_recall_goes_back_to_the_offender_manager_who_resubmits_it_to_the_spo(
    world: World,
) -> None:
    recommendation = _recommend(world)
    services.sign_off_recall(world.user("spo"), recommendation, expected_version=1)
    services.return_recall(
        world.user("aco"), recommendation, reason="Attach the police report", expected_version=2
    )
    recommendation.refresh_from_db()
    assert recommendation.status == RecallStatus.RETURNED
    with pytest.raises(CaseRuleError, match="back with the offender manager"):
        services.sign_off_recall(world.user("spo"), recommendation, expected_version=3)
    services.resubmit_recall(
        world.user("om"), recommendation, reason="Police report of 3 March attached", expected_version=3
    )
    recommendation.refresh_from_db()
    # The version the SPO signed was returned: both sign-offs are given afresh.
    assert recommendation.status == RecallStatus.AWAITING_SPO
    assert (
        recommendation.spo_signed_by is None and recommendation.reason == "Police report of 3 March attached"
    )
    assert [s.step for s in recommendation.steps.all()] == [
        RecallStep.SIGNED_OFF_SPO,
        RecallStep.RETURNED,
        RecallStep.RESUBMITTED,
    ]


def test_only_a_returned_recall_can_be_resubmitted(world: World) -> None:
    recommendation = _recommend(world)
    with pytest.raises(CaseRuleError, match="Only a recommendation returned"):
        services.resubmit_recall(world.user("om"), recommendation, reason="More", expected_version=1)


def test_an_offender_manager_cannot_decline_or_return_a_recall_at_any_door(world: World) -> None:
    recommendation = _recommend(world)
    with pytest.raises(services.CaseRefused):
        services.decline_recall(world.user("om"), recommendation, reason="No", expected_version=1)
    with pytest.raises(services.CaseRefused):
        services.return_recall(world.user("om"), recommendation, reason="No", expected_version=1)
    response = _client(world, "om").post(
        f"/supervision/recalls/{recommendation.pk}/",
        {"action": "decide", "decision": "decline", "reason": "No", "version": 1},
    )
    assert response.status_code == 403
    assert AccessLogEntry.objects.filter(
        username="om", action=AccessAction.REFUSED, crn=recommendation.offender.crn
    ).exists()
    recommendation.refresh_from_db()
    assert recommendation.status == RecallStatus.AWAITING_SPO


def test_the_spo_returns_a_recall_on_its_page_and_a_missing_reason_is_named(world: World) -> None:
    recommendation = _recommend(world)
    spo = _client(world, "spo")
    page = spo.get(f"/supervision/recalls/{recommendation.pk}/").content.decode()
    assert "Return it to the offender manager for more information" in page
    response = spo.post(
        f"/supervision/recalls/{recommendation.pk}/",
        {"action": "decide", "decision": "return", "reason": "", "version": 1},
    )
    assert response.status_code == 400
    assert "Enter what more information is needed" in response.content.decode()
    response = spo.post(
        f"/supervision/recalls/{recommendation.pk}/",
        {"action": "decide", "decision": "return", "reason": "Which conditions were breached?", "version": 1},
    )
    assert response.status_code == 302
    page = _client(world, "om").get(f"/supervision/recalls/{recommendation.pk}/").content.decode()
    assert "Returned for more information</strong> by " + world.staff["spo"].full_name in page
    assert "Which conditions were breached?" in page
    assert "Resubmit with the information asked for" in page
    response = _client(world, "om").post(
        f"/supervision/recalls/{recommendation.pk}/",
        {"action": "resubmit", "reason": "Conditions 4 and 7", "version": 2},
    )
    assert response.status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.status == RecallStatus.AWAITING_SPO


def test_the_case_timeline_and_whole_record_show_each_step_with_who_and_why(world: World) -> None:
    from oms.cases.record import full_case_record

    recommendation = _recommend(world)
    services.return_recall(
        world.user("spo"), recommendation, reason="Attach the police report", expected_version=1
    )
    page = (
        _client(world, "om")
        .get(f"/supervision/cases/{recommendation.offender.crn}/timeline/")
        .content.decode()
    )
    assert f"Recall returned for more information by {world.staff['spo'].full_name}" in page
    assert "Attach the police report" in page
    record = full_case_record(recommendation.offender, reader_is_victim_liaison=False)
    steps = record["supervision"]["recalls"][0]["steps"]
    assert [(s["step"], s["reason"]) for s in steps] == [(RecallStep.RETURNED, "Attach the police report")]


def test_while_a_recall_is_returned_its_recall_request_is_the_offender_managers_to_move_on(
    world: World,
) -> None:
    recommendation = _recommend(world)
    services.return_recall(world.user("spo"), recommendation, reason="More detail", expected_version=1)
    action = StoredAction.objects.get(offender=recommendation.offender, rule_key="recall_request")
    assert action.owner_staff == world.staff["om"]
    services.resubmit_recall(world.user("om"), recommendation, reason="Detail added", expected_version=2)
    action = StoredAction.objects.get(offender=recommendation.offender, rule_key="recall_request")
    assert action.owner_staff is None and action.owner_kind == "senior_probation_officer"
