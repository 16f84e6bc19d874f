"""HMI Probation's programme (report Appendix 2, spec/national.md): every area region by region, its
inspection dates, published scores and re-inspection due, with the report's caution."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from oms.inspection import services
from oms.inspection.constants import InspectionStatus
from oms.inspection.programme import (
    COMPARISON_CAUTION,
    PROGRAMME_START,
    milestones,
    plan_cycle,
    reinspection_due,
)
from oms.inspection.queries import inspection_scores
from oms.organisation.national import AREAS, REGIONS
from tests.factories import make_area, make_staff
from tests.inspection.conftest import InspectionWorld
from tests.inspection.test_report_and_plan import assessed_inspection

User = get_user_model()
REPORT = "/work/shared/seed/000_8c4c66a33fc06a1b.txt"


def client_for(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def test_the_cycle_takes_the_42_areas_region_by_region_over_three_years() -> None:
    regions = [(region, [a.name for a in AREAS if a.region == region]) for region in REGIONS]
    weeks = plan_cycle(regions)
    assert [w.area for w in weeks][:3] == ["Durham", "Northumbria", "Teesside"]  # North East first
    assert [w.region for w in weeks] == [a.region for a in AREAS]  # region by region
    assert weeks[0].milestones.fieldwork_start == date(2006, 5, 1)  # "started in May 2006", a Monday
    assert all(w.milestones.fieldwork_start.weekday() == 0 for w in weeks)
    assert weeks[-1].milestones.fieldwork_end < PROGRAMME_START + timedelta(weeks=3 * 52)


def test_the_dates_that_follow_an_inspection() -> None:
    dates = milestones(date(2007, 3, 5), date(2007, 3, 9))
    assert dates.feedback_on == date(2007, 3, 9)  # the end of the fieldwork week
    assert (dates.draft_from, dates.draft_by) == (date(2007, 4, 6), date(2007, 4, 20))  # 4 to 6 weeks
    assert dates.publication_on == date(2007, 6, 1)  # about 12 weeks
    assert dates.improvement_plan_on == date(2007, 6, 29)  # 4 weeks after publication
    assert reinspection_due(date(2007, 3, 9), roh_below_line=True) == date(2008, 3, 7)
    assert reinspection_due(date(2007, 3, 9), roh_below_line=False) is None


def test_the_caution_is_the_reports_own_words() -> None:
    with open(REPORT, encoding="utf-8") as report:
        assert COMPARISON_CAUTION in " ".join(report.read().split())


@pytest.mark.django_db
def test_the_programme_page_shows_every_area_with_published_scores_for_inspectors_and_national_users(
    inspection_world: InspectionWorld,
) -> None:
    make_staff("NPD", None, username="national", organisation="National Probation Directorate")
    inspection = assessed_inspection(inspection_world)
    lead = inspection_world.lead.user
    inspection = services.change_status(lead, inspection, InspectionStatus.DRAFT, inspection.version)
    inspection = services.change_status(lead, inspection, InspectionStatus.PUBLISHED, inspection.version)
    scores = inspection_scores(inspection)
    for username in ("om", "spo", "aco"):
        assert client_for(username).get("/inspection/programme/").status_code == 403, username
    for username in ("inspector", "national"):
        with CaptureQueriesContext(connection) as two_areas:
            response = client_for(username).get("/inspection/programme/")
        assert response.status_code == 200, username
    text = response.content.decode()
    assert "not entirely valid as the sizes of samples vary slightly" in text
    northamptonshire = text[text.index('data-area="Northamptonshire"') :]
    northamptonshire = northamptonshire[: northamptonshire.index("</tr>")]
    assert "Published" in northamptonshire
    assert f"Risk of Harm thread: {scores['threads']['roh']['rounded']}%" in northamptonshire
    assert f"{scores['sections']['1']['rounded']}%" in northamptonshire
    due = reinspection_due(inspection.fieldwork_end, scores["threads"]["roh"]["reinspection"])
    assert (f"{due.day} {due:%B %Y}" if due else "None needed") in northamptonshire
    leicestershire = text[text.index('data-area="Leicestershire"') :]
    assert "Planned week" in leicestershire[: leicestershire.index("</tr>")]
    # More areas, the same number of queries.
    for name in ("Derbyshire", "Lincolnshire", "Nottinghamshire"):
        make_area(name)
    with CaptureQueriesContext(connection) as five_areas:
        client_for("national").get("/inspection/programme/")
    assert len(two_areas) == len(five_areas)
