"""The stored measure figures (issue 13, "slow pages"): the performance pages read what the nightly
sweep stored, and it gives the same answers as computing the measures from the records."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import Client
from django.utils import timezone

from oms.accounts.models import AccessLogEntry
from oms.demo.area import seed_area
from oms.organisation.models import Area
from oms.organisation.models import Unit as OrganisationUnit
from oms.performance.measures import MEASURES, MEASURES_BY_KEY, MeasureResult, observe_area
from oms.performance.models import MeasureFigure, SicknessAbsence, StoredFigures
from oms.performance.national import national_report, stored_national_report
from oms.performance.queries import PerformancePage, performance_page
from oms.performance.stored import store_area_figures
from oms.supervision.models import Breach, Contact
from tests.factories import World, ensure_reference_data, make_case

pytestmark = pytest.mark.django_db

User = get_user_model()

SEEDED_ON = date(2026, 11, 27)
# The page's default period on the seeded day (the financial year to date), a past half year, and a
# past period ending mid-month: "within N days" work done after a past period's end must not count.
PERIODS = [
    (date(2026, 4, 1), SEEDED_ON),
    (date(2025, 10, 1), date(2026, 3, 31)),
    (date(2026, 1, 15), date(2026, 6, 10)),
]


def _figures(result: MeasureResult) -> dict[str, Any]:
    return result.as_json()


def _page_figures(page: PerformancePage) -> dict[str, Any]:
    return {
        "table": [_figures(r) for r in page.results],
        "trends": {key: [(start, _figures(r)) for start, r in months] for key, months in page.trends.items()},
        "scorecard": [(s.unit.name, s.score, s.met, s.near_miss, s.missed) for s in page.scorecard],
    }


@pytest.fixture(scope="module")
def seeded(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Area]:
    """A demo area with two years of history and target numbers: records for every one of the 18
    measures (the demo's generators are the quickest way to a world with all of them)."""
    with django_db_blocker.unblock(), transaction.atomic():
        ensure_reference_data()
        area = seed_area(cases=150, seed=5, area_name="Stored", as_of=SEEDED_ON, with_logins=False).area
        yield area
        transaction.set_rollback(True)


def test_the_seeded_area_has_figures_for_every_measure(seeded: Area) -> None:
    # Otherwise the comparisons below would prove nothing for a measure with no points.
    found: dict[str, bool] = {m.key: False for m in MEASURES}
    for period in PERIODS[:2]:
        for result in observe_area(seeded, *period).results():
            found[result.measure.key] |= bool(result.numerator)
    assert [key for key, seen in found.items() if not seen] == []


@pytest.mark.parametrize("period", PERIODS, ids=["financial-year-to-date", "past-half-year", "mid-month"])
def test_stored_figures_equal_the_live_measures_for_the_area_and_each_unit(
    seeded: Area, period: tuple[date, date]
) -> None:
    store_area_figures(seeded.pk)
    units = list(OrganisationUnit.objects.filter(area=seeded).order_by("name"))
    assert len(units) >= 2
    for unit in [None, *units]:
        live = performance_page(seeded, *period, unit)
        stored = performance_page(seeded, *period, unit, stored=True)
        assert stored.computed_at is not None and live.computed_at is None
        live_figures, stored_figures = _page_figures(live), _page_figures(stored)
        for index, measure in enumerate(MEASURES):
            assert stored_figures["table"][index] == live_figures["table"][index], (unit, measure.key)
            assert stored_figures["trends"][measure.key] == live_figures["trends"][measure.key], (
                unit,
                measure.key,
            )
        assert stored_figures["scorecard"] == live_figures["scorecard"]


def test_stored_national_report_equals_the_live_one(seeded: Area) -> None:
    for area in Area.objects.all():
        store_area_figures(area.pk)
    for period in PERIODS:
        live, stored = national_report(*period), stored_national_report(*period)
        assert stored.as_json() == live.as_json(), period
        assert stored.computed_at is not None and live.computed_at is None


# ---------------------------------------------------------------- a small world, by hand


def _failure(case: Any, day: date) -> Contact:
    at = timezone.make_aware(datetime(day.year, day.month, day.day, 10, 0))
    return Contact.objects.create(
        offender=case,
        event=case.events.first(),
        contact_type_id="office",
        starts_at=at,
        ends_at=at,
        outcome="unacceptable_absence",
    )


def _ten_day_breach(world: World, period: tuple[date, date]) -> MeasureResult:
    page = performance_page(world.area, *period, stored=True)
    return next(r for r in page.results if r.measure.key == "breach_within_ten_working_days")


def test_a_breach_laid_after_a_past_period_counts_as_known_on_its_last_day(world: World) -> None:
    case = world.cases["own"]
    # Failure Wednesday 3 June 2026, due Wednesday 17 June; laid on time on 17 June.
    Breach.objects.create(
        offender=case,
        event=case.events.first(),
        failure=_failure(case, date(2026, 6, 3)),
        initiated_on=date(2026, 6, 5),
        laid_before_court_on=date(2026, 6, 17),
    )
    store_area_figures(world.area.pk)
    # Seen on 10 June the breach was not yet due: nothing to judge. Seen on 30 June it was on time.
    assert _ten_day_breach(world, (date(2026, 6, 1), date(2026, 6, 10))).denominator == 0
    found = _ten_day_breach(world, (date(2026, 6, 1), date(2026, 6, 30)))
    assert (found.numerator, found.denominator) == (1, 1)


def test_the_first_view_stores_the_figures_and_the_page_says_when(world: World) -> None:
    assert not StoredFigures.objects.filter(area=world.area).exists()
    client = Client()
    client.force_login(User.objects.get(username="aco"))
    text = client.get("/performance/?date_from=2026-04-01&date_to=2026-09-30").content.decode()
    assert StoredFigures.objects.filter(area=world.area).exists()
    assert "Figures as at " in text and "they are recalculated every night" in text
    assert "100%*" in text  # the world's four sentences, all with an ethnicity recorded
    assert "Recalculate now" in text


def test_recalculate_now_brings_in_records_made_since_the_night(world: World) -> None:
    store_area_figures(world.area.pk)
    SicknessAbsence.objects.create(
        staff=world.staff["om"], first_day=date(2026, 6, 1), working_days_lost=Decimal(30)
    )
    client = Client()
    client.force_login(User.objects.get(username="aco"))
    url = "/performance/?date_from=2026-04-01&date_to=2026-09-30"
    row = client.get(url).content.decode().split('data-measure="sickness_absence"')[1].split("</tr>")[0]
    assert "Nothing to measure" in row or "0 days" in row  # the stored figures predate the absence
    response = client.post("/performance/recalculate/", {"date_from": "2026-04-01", "date_to": "2026-09-30"})
    assert response.status_code == 302 and response["Location"] == url
    text = client.get(url).content.decode()
    assert "recalculated from its records" in text
    row = text.split('data-measure="sickness_absence"')[1].split("</tr>")[0]
    assert "30 days" in row
    assert AccessLogEntry.objects.filter(
        username="aco", what__startswith="Performance figures of", action="change"
    ).exists()


@pytest.mark.parametrize(
    ("username", "allowed"),
    [
        ("om", False),
        ("caseadmin", False),
        ("vlo", False),
        ("interventions", False),
        ("partner", False),
        ("prison", False),  # no area
        ("inspector", False),  # national figures only, no area's page
        ("spo", True),  # sees the area's page for the unit: may bring its figures up to date
        ("aco", True),
    ],
)
def test_only_those_who_see_the_areas_performance_may_recalculate(
    world: World, username: str, allowed: bool
) -> None:
    client = Client()
    client.force_login(User.objects.get(username=username))
    response = client.post("/performance/recalculate/")
    assert response.status_code == (302 if allowed else 403)
    assert StoredFigures.objects.filter(area=world.area).exists() == allowed
    refusals = AccessLogEntry.objects.filter(username=username, action="refused")
    assert refusals.count() == (0 if allowed else 1)


def test_recalculate_is_a_post(world: World) -> None:
    client = Client()
    client.force_login(User.objects.get(username="aco"))
    assert client.get("/performance/recalculate/").status_code == 405
    assert not StoredFigures.objects.filter(area=world.area).exists()


def test_cli_stores_an_areas_figures_and_names_a_bad_area(world: World) -> None:
    out = StringIO()
    call_command("performance", "--store", "--area", world.area.name, "--json", stdout=out)
    stored = json.loads(out.getvalue())
    assert stored["areas"][0]["area"] == world.area.name and stored["areas"][0]["rows"] > 0
    assert MeasureFigure.objects.filter(area=world.area).exists()
    assert not MeasureFigure.objects.filter(area=world.other_area).exists()
    with pytest.raises(CommandError, match="--area: no area called 'Nowhere'"):
        call_command("performance", "--store", "--area", "Nowhere")
    with pytest.raises(CommandError, match="--from: not with --store"):
        call_command("performance", "--store", "--from", "2026-04-01")


def test_cli_verify_finds_records_made_since_the_figures_were_stored(world: World) -> None:
    store_area_figures(world.area.pk)
    period = ("--from", "2026-04-01", "--to", "2026-09-30")
    out = StringIO()
    call_command("performance", "--verify", "--area", world.area.name, *period, stdout=out)
    assert "equal the records" in out.getvalue()
    make_case(world.area, world.staff["om"], sentence_date=date(2026, 6, 2))  # a fifth sentence
    out = StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("performance", "--verify", "--area", world.area.name, *period, stdout=out)
    assert refused.value.returncode == 1
    assert f"{world.area.name}, ethnicity_data, the period: stored 4 of 4 (100.0), records 5 of 5" in (
        out.getvalue()
    )
    assert f"{world.area.name}, ethnicity_data, June 2026" in out.getvalue()
    store_area_figures(world.area.pk)
    call_command("performance", "--verify", "--area", world.area.name, *period, stdout=StringIO())


def test_the_nightly_sweep_stores_every_areas_figures(world: World) -> None:
    call_command("sweep", stdout=StringIO())
    assert set(StoredFigures.objects.values_list("area_id", flat=True)) == set(
        Area.objects.values_list("pk", flat=True)
    )
    assert MEASURES_BY_KEY["ethnicity_data"].key in set(
        MeasureFigure.objects.filter(area=world.area).values_list("measure_key", flat=True)
    )
