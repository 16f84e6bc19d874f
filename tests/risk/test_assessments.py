"""Assessments across versions and settings: progress shown, one record across custody and community,
OGRS3 on the form, the API, and the demo area's histories."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from oms.cases.constants import EventKind
from oms.organisation.models import Area
from oms.risk import services
from oms.risk.countersigning import CountersigningStatus
from oms.risk.models import (
    REQUIRED_CELL_NAMES,
    ReoffendingAssessment,
    RiskManagementPlan,
    RiskOfHarmAnalysis,
    RiskOfHarmScreening,
)
from oms.risk.queries import case_risk_overview
from oms.tiering.models import TierDecision
from oms.timescales.calendar import working_days_between
from tests.factories import World, make_case

NEEDS = (
    "accommodation",
    "education_training_employability",
    "financial_management",
    "relationships",
    "lifestyle_associates",
    "drug_misuse",
    "alcohol_misuse",
    "emotional_wellbeing",
    "thinking_behaviour",
    "attitudes",
)


def _client(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def _lock(world: World, document: Any, changes: dict[str, Any], who: str = "om") -> Any:
    services.update_document(world.user(who), document, changes, expected_version=document.version)
    services.submit_document(world.user(who), document, expected_version=document.version)
    if document.status == CountersigningStatus.SUBMITTED:
        services.countersign_document(world.user("spo"), document, expected_version=document.version)
    assert document.status == CountersigningStatus.LOCKED
    return document


def _reoffending_changes(score: int, sanctions: int) -> dict[str, Any]:
    return {
        "date_of_current_conviction": date(2026, 5, 20),
        "date_of_start_of_follow_up": date(2026, 6, 1),
        "total_sanctions": sanctions,
        "age_at_first_sanction": 15,
        "offence_code": "02801",
        "needs": {
            need: {"score": score if need == "accommodation" else 0, "linked_to_offending": True}
            for need in NEEDS
        },
    }


def test_the_case_shows_how_roh_needs_and_ogrs3_changed_between_versions(world: World) -> None:
    offender = world.cases["own"]
    user = world.user("om")
    levels = dict.fromkeys(REQUIRED_CELL_NAMES, "low") | {"public_community": "high"}
    _lock(
        world,
        services.start_document(user, offender, "analysis"),
        {"levels": levels, "nature_of_risk": "Knife"},
    )
    _lock(world, services.start_document(user, offender, "reoffending"), _reoffending_changes(8, 2))
    second = services.start_document(user, offender, "analysis")
    assert second.levels == levels  # reassessment starts from the last version
    _lock(world, second, {"levels": levels | {"public_community": "medium"}})
    _lock(world, services.start_document(user, offender, "reoffending"), _reoffending_changes(1, 9))
    overview = case_risk_overview(offender, timezone.localdate())
    words = {(v.kind, c.what, c.before, c.after) for v in overview.changes for c in v.changes}
    assert ("Full RoH analysis", "Overall RoH", "High", "Medium") in words
    assert ("Full RoH analysis", "Risk to public in community", "High", "Medium") in words
    assert ("Likelihood of reoffending", "Accommodation", "8 (severe)", "1 (no need)") in words
    assert any(what == "OGRS3 two-year" for _, what, _, _ in words)
    page = _client("om").get(f"/risk/cases/{offender.crn}/").content.decode()
    assert "version 1 to 2" in page and "8 (severe)" in page
    offender.refresh_from_db()
    assert offender.risk_of_harm_level == "medium"


def test_one_record_across_custody_and_community(world: World) -> None:
    """The prison offender supervisor starts the assessment in custody; the offender manager
    continues the same draft at release and submits it: no copy, no re-keying."""
    offender = make_case(world.area, world.staff["om"], kind=EventKind.CUSTODY)
    from oms.accounts.models import CaseAccessGrant

    CaseAccessGrant.objects.create(
        offender=offender, staff=world.staff["prison"], reason="custody", valid_from=date(2020, 1, 1)
    )
    draft = services.start_document(world.user("prison"), offender, "reoffending")
    services.update_document(
        world.user("prison"),
        draft,
        {"positive_factors": "Works in the prison kitchen"},
        expected_version=draft.version,
    )
    continued = services.start_document(world.user("om"), offender, "reoffending")
    assert continued.pk == draft.pk and continued.author == world.staff["prison"]
    _lock(world, continued, _reoffending_changes(2, 3))
    continued.refresh_from_db()
    assert continued.author == world.staff["om"]  # ownership passed with the work
    assert continued.positive_factors == "Works in the prison kitchen"
    assert ReoffendingAssessment.objects.filter(offender=offender).count() == 1


def test_the_reoffending_form_shows_ogrs3_errors_on_the_fields(world: World) -> None:
    offender = world.cases["own"]
    client = _client("om")
    edit_url = client.post(f"/risk/cases/{offender.crn}/reoffending/start/")["Location"]
    document = ReoffendingAssessment.objects.get(offender=offender)
    data = {
        "version": document.version,
        "date_of_current_conviction": "2026-05-20",
        "date_of_start_of_follow_up": "2026-06-01",
        "total_sanctions": "3",
        "age_at_first_sanction": "50",
        "offence_code": "02801",
        "self_harm_risk": "none",
        "submit": "1",
    }
    page = client.post(edit_url, data).content.decode()
    assert "There is a problem" in page
    assert "age_at_first_sanction" in page or "Age at first sanction" in page
    document.refresh_from_db()
    data["age_at_first_sanction"], data["version"] = "15", document.version
    page = client.post(edit_url, data).content.decode()
    assert "Score every need section; not yet scored: accommodation" in page
    document.refresh_from_db()
    assert document.ogrs3_two_year is not None  # scored as soon as the inputs allow


def test_a_plan_must_address_every_group_above_low(world: World) -> None:
    offender = world.cases["own"]
    user = world.user("om")
    levels = dict.fromkeys(REQUIRED_CELL_NAMES, "low") | {
        "public_community": "high",
        "children_community": "medium",
    }
    analysis = _lock(
        world, services.start_document(user, offender, "analysis"), {"levels": levels, "nature_of_risk": "x"}
    )
    plan = services.start_document(user, offender, "plan", analysis_id=analysis.pk)
    assert isinstance(plan, RiskManagementPlan)
    sections = {
        name: "Done"
        for name in (
            "further_considerations",
            "supervision",
            "monitoring_and_control",
            "interventions_and_treatment",
            "victim_safety_planning",
            "contingency",
        )
    }
    services.update_document(
        user,
        plan,
        sections
        | {"groups_addressed": ["public"], "actions": [{"action": "Visit", "who": "OM", "by": "2026-12-01"}]},
        expected_version=plan.version,
    )
    from oms.cases.services import CaseRuleError

    with pytest.raises(CaseRuleError, match="every group assessed above low: children"):
        services.submit_document(user, plan, expected_version=plan.version)
    panel = _client("om").get(f"/cases/{offender.crn}/risk/").content.decode()
    assert "Does not address:</strong> Children" in panel


def test_the_api_gives_the_risk_record_and_refuses_other_cases(world: World) -> None:
    offender = world.cases["own"]
    services.start_document(world.user("om"), offender, "screening", event=offender.events.get())
    client = _client("om")
    body = json.loads(client.get(f"/api/v1/risk/cases/{offender.crn}").content)
    assert body["crn"] == offender.crn and body["documents"][0]["status"] == "draft"
    assert client.get(f"/api/v1/risk/cases/{world.cases['other_area'].crn}").status_code == 403
    assert client.get("/api/v1/risk/countersigning").status_code == 403
    assert _client("spo").get("/api/v1/risk/countersigning").status_code == 200
    tier = json.loads(client.get(f"/api/v1/tiering/cases/{offender.crn}").content)
    assert tier["crn"] == offender.crn
    assert _client("caseadmin").get("/api/v1/tiering/allocation").status_code == 200


# The screenings the report's sample found missing were done 30 working days or more after the start.
SAMPLE_READ_WORKING_DAYS = 30


def test_the_demo_area_has_assessment_histories_shaped_like_the_report(db: None) -> None:
    from oms.demo.area import seed_area
    from tests.factories import ensure_reference_data

    ensure_reference_data()
    seed_area(cases=400, seed=7, area_name="Demo risk", as_of=date(2026, 11, 27), with_logins=False)
    area = Area.objects.get(name="Demo risk")
    community = RiskOfHarmScreening.objects.filter(offender__area=area, event__kind=EventKind.COMMUNITY_ORDER)
    community_orders = (
        area.offenders.filter(
            offender_manager__isnull=False, events__is_active=True, events__kind=EventKind.COMMUNITY_ORDER
        )
        .distinct()
        .count()
    )
    # Current allocated community orders (former cases have their own screenings, from before).
    current = community.filter(event__is_active=True, offender__offender_manager__isnull=False)
    assert current.values("offender").distinct().count() == community_orders  # late, never missing
    # Report 1.2(a): about 85% of community orders screened when the sample was read (all high RoH and
    # PPO); the rest were screened later (issue 10: late work is completed late, not never).
    first_screened: dict[int, tuple[date, date]] = {}
    for offender_id, start, submitted_at in current.values_list(
        "offender_id", "event__sentence_date", "submitted_at"
    ):
        day = timezone.localdate(submitted_at)
        if offender_id not in first_screened or day < first_screened[offender_id][1]:
            first_screened[offender_id] = (start, day)
    by_then = sum(
        1
        for start, day in first_screened.values()
        if working_days_between(start, day) < SAMPLE_READ_WORKING_DAYS
    )
    assert 0.75 < by_then / community_orders < 0.95
    analyses = RiskOfHarmAnalysis.objects.filter(offender__area=area)
    assert analyses.filter(status="submitted").exists() and analyses.filter(rollback_count__gt=0).exists()
    assert RiskManagementPlan.objects.filter(offender__area=area).exists()
    assert TierDecision.objects.filter(offender__area=area, is_current=True).count() == area.offenders.count()
    assert not area.offenders.exclude(tier__in=["1", "2", "3", "4"]).exists()
