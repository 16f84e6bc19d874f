"""The national performance report (spec/national.md): every area ranked on the weighted scorecard,
England and Wales over all areas' records, the regions, movement, and who may see it."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from oms.cases.models import Offender
from oms.organisation.models import Area, Region
from oms.performance.models import NationalWeight
from oms.performance.national import national_report
from oms.performance.queries import area_measures
from tests.factories import World, make_area, make_case, make_staff

pytestmark = pytest.mark.django_db

User = get_user_model()
PERIOD = ("--from", "2026-04-01", "--to", "2026-09-30")
IN_PERIOD = date(2026, 6, 1)
PREVIOUS_PERIOD = date(2026, 2, 1)  # the previous report: 2 October 2025 to 31 March 2026


def area_in(name: str, region: str) -> Area:
    area, team, _ = make_area(name)
    area.region = Region.objects.get_or_create(name=region)[0]
    area.save()
    make_staff("PO", area, team, username=f"om-{name.lower()}")
    return area


def sentences(area: Area, *, recorded: int, missing: int, on: date = IN_PERIOD) -> None:
    """Cases sentenced on a day: `recorded` with their ethnicity, `missing` without it."""
    om = area.staff.get(grade_id="PO")
    for _ in range(recorded):
        make_case(area, om, sentence_date=on)
    for _ in range(missing):
        Offender.objects.filter(pk=make_case(area, om, sentence_date=on).pk).update(ethnicity=None)


def national_json(*args: str) -> dict:  # type: ignore[type-arg]
    out = StringIO()
    call_command("performance", "--national", *PERIOD, "--json", *args, stdout=out)
    return json.loads(out.getvalue())  # type: ignore[no-any-return]


def measure(measures: list[dict], key: str) -> dict:  # type: ignore[type-arg]
    return next(m for m in measures if m["key"] == key)


@pytest.fixture
def nation() -> dict[str, Area]:
    """Three areas in two regions. Ethnicity data (target 95%): Alpha 10 of 10 (met), Bravo 9 of 10
    (a near miss), Charlie 2 of 4 (missed). Sickness (no absence recorded) is met by all three."""
    areas = {
        "Alpha": area_in("Alpha", "North East"),
        "Bravo": area_in("Bravo", "North East"),
        "Charlie": area_in("Charlie", "Wales"),
    }
    sentences(areas["Alpha"], recorded=10, missing=0)
    sentences(areas["Bravo"], recorded=9, missing=1)
    sentences(areas["Charlie"], recorded=2, missing=2)
    # The previous report: Alpha missed its ethnicity data, Charlie met it.
    sentences(areas["Alpha"], recorded=0, missing=1, on=PREVIOUS_PERIOD)
    sentences(areas["Charlie"], recorded=1, missing=0, on=PREVIOUS_PERIOD)
    return areas


def test_the_national_report_ranks_areas_by_weighted_score_with_movement(nation: dict[str, Area]) -> None:
    report = national_json()
    assert set(report) >= {"areas", "england_and_wales", "regions"}
    lines = report["areas"]
    assert [(a["area"], a["region"], a["rank"]) for a in lines] == [
        ("Alpha", "North East", 1),
        ("Bravo", "North East", 2),
        ("Charlie", "Wales", 3),
    ]
    # Met earns 3, a near miss 1, missed 0, times the weight, as a share of the most possible.
    assert [a["weighted_score"] for a in lines] == [100.0, 66.7, 50.0]
    scores = [a["weighted_score"] for a in lines]
    assert scores == sorted(scores, reverse=True)
    assert measure(lines[1]["measures"], "ethnicity_data")["status"] == "near_miss"
    # Previously Bravo and Charlie both scored 100 (ties by name) and Alpha 50.
    assert [(a["area"], a["previous_rank"], a["movement"]) for a in lines] == [
        ("Alpha", 3, 2),
        ("Bravo", 1, -1),
        ("Charlie", 2, -1),
    ]


def test_england_and_wales_is_computed_over_all_records_not_the_mean_of_percentages(
    nation: dict[str, Area],
) -> None:
    report = national_json()
    ethnicity = measure(report["england_and_wales"]["measures"], "ethnicity_data")
    # 21 of 24 sentences: 87.5%, where the mean of 100%, 90% and 50% would be 80%.
    assert (ethnicity["numerator"], ethnicity["denominator"], ethnicity["value"]) == (21, 24, 87.5)
    assert ethnicity["status"] == "missed"
    regions = {r["region"]: measure(r["measures"], "ethnicity_data") for r in report["regions"]}
    assert list(regions) == ["North East", "Wales"]  # the spec's order
    assert (regions["North East"]["numerator"], regions["North East"]["denominator"]) == (19, 20)
    assert regions["North East"]["value"] == 95.0 and regions["Wales"]["value"] == 50.0


def test_national_weights_change_the_ranking(nation: dict[str, Area]) -> None:
    # Ethnicity data weighed 0 leaves only sickness, met by all: a three-way tie, broken by name.
    NationalWeight.objects.create(measure_key="ethnicity_data", weight=Decimal(0))
    lines = national_json()["areas"]
    assert [(a["area"], a["weighted_score"]) for a in lines] == [
        ("Alpha", 100.0),
        ("Bravo", 100.0),
        ("Charlie", 100.0),
    ]


def test_the_national_report_reads_a_fixed_number_of_queries_for_3_and_6_areas(
    nation: dict[str, Area],
) -> None:
    with CaptureQueriesContext(connection) as three:
        report = national_report(date(2026, 4, 1), date(2026, 9, 30))
    assert len(report.areas) == 3
    for name in ("Delta", "Echo", "Foxtrot"):
        sentences(area_in(name, "London"), recorded=3, missing=1)
    with CaptureQueriesContext(connection) as six:
        report = national_report(date(2026, 4, 1), date(2026, 9, 30))
    assert len(report.areas) == 6
    assert len(three) == len(six)


def test_national_options_are_checked(nation: dict[str, Area]) -> None:
    with pytest.raises(CommandError, match="--area: not with --national"):
        national_json("--area", "Alpha")


# ---------------------------------------------------------------- pages


def client_for(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


@pytest.fixture
def national_user(world: World) -> None:
    make_staff("NPD", None, username="national", organisation="National Probation Directorate")


def test_the_national_page_is_refused_to_an_offender_manager_and_shown_to_the_national_user(
    world: World, national_user: None
) -> None:
    url = "/performance/national/?date_from=2026-04-01&date_to=2026-09-30"
    for username in ("om", "spo", "aco"):
        assert client_for(username).get(url).status_code == 403, username
    response = client_for("national").get(url)
    text = response.content.decode()
    assert response.status_code == 200
    assert 'id="league-table"' in text and "Northamptonshire" in text and "Leicestershire" in text
    assert "England and Wales" in text and "East Midlands" in text
    assert "Change the weights of the scorecard" in text
    # Figures, never a case: the national user's own performance page and cases are refused.
    assert client_for("national").get("/performance/").status_code == 403
    crn = world.cases["own"].crn
    assert client_for("national").get(f"/cases/{crn}/").status_code in (403, 404)


def test_the_national_user_sets_the_weights_and_an_aco_may_not(world: World, national_user: None) -> None:
    assert client_for("aco").get("/performance/national/weights/").status_code == 403
    form = {key: "1" for key in ("ethnicity_data",)}
    response = client_for("national").post("/performance/national/weights/", form)
    assert "Enter a weight for" in response.content.decode()  # every measure needs its weight
    from oms.performance.measures import MEASURES

    form = {m.key: "1" for m in MEASURES} | {"court_report_timeliness": "2.5"}
    response = client_for("national").post("/performance/national/weights/", form)
    assert response.status_code == 302
    assert NationalWeight.objects.get(measure_key="court_report_timeliness").weight == Decimal("2.5")
    form["sickness_absence"] = "-1"
    response = client_for("national").post("/performance/national/weights/", form)
    assert "must be 0 or more" in response.content.decode()


def test_the_aco_sees_the_area_beside_its_region_and_england_and_wales(world: World) -> None:
    other = area_in("Cumbria", "North West")
    sentences(other, recorded=0, missing=4)
    response = client_for("aco").get("/performance/?date_from=2026-04-01&date_to=2026-09-30")
    text = response.content.decode()
    assert "East Midlands" in text and "England and Wales" in text
    assert "Place on the national weighted scorecard:" in text and "of 3</strong>" in text
    row = text[text.index('data-measure="ethnicity_data"') :]
    row = row[: row.index("</tr>")]
    # The world's two East Midlands areas record all 5 sentences' ethnicity (100%); Cumbria none
    # of its 4: England and Wales is 5 of 9 over the records (the mean of 100% and 0% would be 50%).
    region_cell = row[row.index('data-column="region"') :]
    assert region_cell[region_cell.index(">") + 1 :].startswith("100%*")
    ew_cell = row[row.index('data-column="england-and-wales"') :]
    assert ew_cell[ew_cell.index(">") + 1 :].startswith("55.6%")


def test_the_inspection_reports_performance_table_gains_england_and_wales(world: World) -> None:
    sentences(area_in("Cumbria", "North West"), recorded=0, missing=4)
    rows = area_measures(world.area, date(2026, 4, 1), date(2026, 9, 30))
    ethnicity = next(r for r in rows if r["measure"] == "Accurate and timely ethnicity data")
    assert ethnicity["actual"] == "100.0%*" and ethnicity["england_and_wales"] == "55.6%"


def test_an_areas_line_in_the_national_report_equals_its_own_performance_figures(world: World) -> None:
    from oms.performance.measures import compute_measures

    sentences(world.other_area, recorded=1, missing=2)
    report = national_report(date(2026, 4, 1), date(2026, 9, 30))
    for area in (world.area, world.other_area):
        line = report.line_for(area)
        assert line is not None
        own = compute_measures(area, date(2026, 4, 1), date(2026, 9, 30))
        assert [(r.measure.key, r.value, r.status) for r in line.results] == [
            (r.measure.key, r.value, r.status) for r in own
        ]
