"""Sampling stored reproducibly, and who may read which case while an inspection runs.

DESIGN "Users and roles": inspectors and area assessors read sampled cases only, for the
inspection's duration only (fieldwork and draft); the matrix covers role x status x sampled.
"""

from __future__ import annotations

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from oms.accounts.models import AccessLogEntry, CaseAccessGrant
from oms.cases.models import Offender
from oms.cases.services import CaseRuleError
from oms.inspection import services
from oms.inspection.constants import InspectionStatus
from oms.inspection.models import Inspection, SampledCase
from tests.inspection.conftest import SAMPLE_DATE, InspectionWorld

SIZE = 12


def draw(iw: InspectionWorld, seed: str = "northants-1") -> dict:
    return services.store_sample(
        iw.lead.user, iw.inspection, method="omi", size=SIZE, seed=seed, as_of=SAMPLE_DATE
    )


def move(iw: InspectionWorld, status: str) -> None:
    iw.inspection.refresh_from_db()
    services.change_status(iw.lead.user, iw.inspection, status, iw.inspection.version)


def signed_in(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def test_the_same_seed_stores_the_same_sample_with_its_adjustments(inspection_world: InspectionWorld) -> None:
    first = draw(inspection_world)
    stored = list(
        inspection_world.inspection.sampled_cases.order_by("row").values_list("offender__crn", flat=True)
    )
    assert stored == [row["crn"] for row in first["cases"]]
    assert len(stored) == SIZE
    inspection = Inspection.objects.get(pk=inspection_world.inspection.pk)
    assert inspection.sampling_result["adjustments"] == first["adjustments"]
    assert inspection.sample_seed == "northants-1"
    # Minima that a 24-case area cannot meet are reported in words, not padded.
    assert any("PPO" in line for line in inspection.sampling_result["shortfalls"])
    again = draw(inspection_world)
    assert [row["crn"] for row in again["cases"]] == stored
    other = draw(inspection_world, seed="another")
    assert [row["crn"] for row in other["cases"]] != stored


def test_about_a_third_of_the_sample_goes_to_area_assessors(inspection_world: InspectionWorld) -> None:
    draw(inspection_world)
    roles = list(inspection_world.inspection.sampled_cases.values_list("assessor_role", "assessor_id"))
    area = [assessor for role, assessor in roles if role == "area_assessor"]
    assert len(area) == 4  # a third of 12
    assert set(area) == {inspection_world.assessor.pk}
    assert {assessor for role, assessor in roles if role == "inspector"} == {inspection_world.lead.pk}


def test_cli_prints_a_sample_and_stores_it_only_with_inspection(inspection_world: InspectionWorld) -> None:
    out = StringIO()
    area = inspection_world.world.area.name
    arguments = ["sample", "--area", area, "--method", "omi", "--size", str(SIZE), "--seed", "7"]
    call_command("inspection", *arguments, "--as-of", SAMPLE_DATE.isoformat(), "--json", stdout=out)
    printed = json.loads(out.getvalue())
    assert set(printed) >= {"method", "seed", "size", "cases", "adjustments"}
    assert set(printed["cases"][0]) == {"crn", "officer", "stratum", "assessor_role"}
    assert not SampledCase.objects.exists()
    out = StringIO()
    call_command(
        "inspection", *arguments, "--as-of", SAMPLE_DATE.isoformat(), "--inspection",
        str(inspection_world.inspection.pk), "--json", stdout=out,
    )  # fmt: skip
    stored = json.loads(out.getvalue())
    assert stored["cases"] == printed["cases"]
    assert SampledCase.objects.filter(inspection=inspection_world.inspection).count() == SIZE


def test_cli_sample_names_a_bad_area_or_date(inspection_world: InspectionWorld) -> None:
    with pytest.raises(CommandError, match="--area: no area called 'Atlantis'") as error:
        call_command("inspection", "sample", "--area", "Atlantis", "--seed", "1")
    assert error.value.returncode == 2
    with pytest.raises(CommandError, match="--as-of"):
        call_command(
            "inspection", "sample", "--area", "Northamptonshire", "--seed", "1", "--as-of", "27/11/2026"
        )


def test_grants_run_from_fieldwork_to_publication_only(inspection_world: InspectionWorld) -> None:
    draw(inspection_world)
    grants = CaseAccessGrant.objects.filter(reason=services.grant_reason(inspection_world.inspection))
    assert not grants.exists()  # planned: no access yet
    move(inspection_world, InspectionStatus.FIELDWORK)
    assert grants.count() == SIZE * 2  # lead and assessor x each sampled case
    inspection = inspection_world.inspection
    assert set(grants.values_list("valid_from", "valid_until")) == {
        (inspection.fieldwork_start, inspection.fieldwork_end + timedelta(weeks=12))
    }
    move(inspection_world, InspectionStatus.DRAFT)
    move(inspection_world, InspectionStatus.PUBLISHED)
    assert all(grant.valid_until is not None for grant in grants)


def test_only_allowed_status_moves(inspection_world: InspectionWorld) -> None:
    with pytest.raises(CaseRuleError, match="Draw the sample"):
        move(inspection_world, InspectionStatus.FIELDWORK)
    draw(inspection_world)
    with pytest.raises(CaseRuleError, match="can move to fieldwork, not published"):
        move(inspection_world, InspectionStatus.PUBLISHED)


def test_a_stale_status_change_is_refused(inspection_world: InspectionWorld) -> None:
    draw(inspection_world)
    inspection_world.inspection.refresh_from_db()
    stale = inspection_world.inspection.version
    services.change_status(inspection_world.lead.user, inspection_world.inspection, "fieldwork", stale)
    with pytest.raises(services.StaleRecordError):
        services.change_status(
            inspection_world.lead.user,
            Inspection.objects.get(pk=inspection_world.inspection.pk),
            "draft",
            stale,
        )


# ---------------------------------------------------------------------- the permission matrix

# Which roles may open a case page, by relation to the inspection: (status, sampled) -> allowed.
INSPECTION_ROLES = ("inspector", "assessor")
OPEN = {InspectionStatus.FIELDWORK, InspectionStatus.DRAFT}


def statuses_to(status: str) -> list[str]:
    order = [InspectionStatus.FIELDWORK, InspectionStatus.DRAFT, InspectionStatus.PUBLISHED]
    return order[: order.index(status) + 1] if status in order else []


@pytest.mark.parametrize(
    "status",
    [
        InspectionStatus.PLANNED,
        InspectionStatus.FIELDWORK,
        InspectionStatus.DRAFT,
        InspectionStatus.PUBLISHED,
    ],
)
def test_permission_matrix_role_by_status_by_sampled(inspection_world: InspectionWorld, status: str) -> None:
    draw(inspection_world)
    for step in statuses_to(status):
        move(inspection_world, step)
    sampled = SampledCase.objects.filter(inspection=inspection_world.inspection).select_related("offender")
    sampled_case = sampled.first()
    assert sampled_case is not None
    not_sampled = (
        Offender.objects.filter(area=inspection_world.world.area)
        .exclude(pk__in=sampled.values("offender_id"))
        .exclude(limited_access=True)
        .first()
    )
    assert not_sampled is not None
    crn = sampled_case.offender.crn
    for username in INSPECTION_ROLES:
        client = signed_in(username)
        case_page = client.get(f"/cases/{crn}/")
        assessment = client.get(f"/inspection/{inspection_world.inspection.pk}/cases/{crn}/")
        expected = 200 if status in OPEN else 403
        assert case_page.status_code == expected, (username, status, "sampled case page")
        assert assessment.status_code == expected, (username, status, "assessment page")
        assert client.get(f"/cases/{not_sampled.crn}/").status_code == 403, (username, status, "not sampled")
    # Area staff are unaffected by the inspection: the ACO reads the area's cases, an OM their own only.
    aco = signed_in("aco")
    assert aco.get(f"/cases/{crn}/").status_code == 200
    assert aco.get(f"/inspection/{inspection_world.inspection.pk}/cases/{crn}/").status_code == 403
    om = signed_in("om")
    assert om.get(f"/inspection/{inspection_world.inspection.pk}/").status_code == 403
    # The ACO sees the area's inspection at every stage (which of its cases are granted, then the
    # report and improvement plan).
    assert aco.get(f"/inspection/{inspection_world.inspection.pk}/").status_code == 200


def test_an_assessor_cannot_change_a_case_assigned_to_someone_else(inspection_world: InspectionWorld) -> None:
    draw(inspection_world)
    move(inspection_world, InspectionStatus.FIELDWORK)
    lead_case = (
        SampledCase.objects.filter(inspection=inspection_world.inspection, assessor=inspection_world.lead)
        .select_related("offender")
        .first()
    )
    assert lead_case is not None
    client = signed_in("assessor")
    url = f"/inspection/{inspection_world.inspection.pk}/cases/{lead_case.offender.crn}/"
    page = client.get(url)
    assert page.status_code == 200
    assert "You can read this assessment" in page.content.decode()
    refused = client.post(url, {"criterion": "1.1", "answer-1.1.a": "yes"})
    assert refused.status_code == 403
    assert AccessLogEntry.objects.filter(action="refused", what__contains="assessing").exists()
