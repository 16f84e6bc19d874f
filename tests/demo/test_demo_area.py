"""The demo area is shaped like the report's Northamptonshire, and the same seed gives the same area."""

from __future__ import annotations

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from oms.cases.models import Event, Offender, Requirement
from oms.cases.services import EventInput, RequirementInput, requirement_problems
from oms.demo.area import seed_area
from oms.organisation.models import ApprovedPremises, Staff

pytestmark = pytest.mark.django_db


def _cli_json(*args: str) -> object:
    out = StringIO()
    call_command(*args, stdout=out)
    return json.loads(out.getvalue())


def test_the_default_area_prints_the_reports_appendix_1() -> None:
    seed_area(cases=2338, seed=2007, as_of=date(2026, 11, 27), with_logins=False, with_history=False)
    assert _cli_json("caseload", "--json") == {
        "total_caseload": 2338,
        "percent_white": 95.6,
        "percent_minority_ethnic": 4.4,
        "percent_male": 88.1,
        "percent_female": 11.9,
        "mappa_level_1": 123,
        "mappa_level_2": 42,
        "mappa_level_3": 12,
        "ppo_cases": 69,
    }
    assert ApprovedPremises.objects.get().beds == 23
    grades = set(Staff.objects.values_list("grade__code", flat=True))
    assert {"PO", "PSO", "TPO", "SPO", "CA", "ACO", "VLO", "INT", "PA", "POS"} <= grades
    kinds = set(Event.objects.filter(is_active=True).values_list("kind", flat=True))
    assert kinds == {"community_order", "suspended_sentence_order", "licence", "custody"}
    # Every requirement the generator wrote is lawful under the CJA 2003 limits.
    for requirement in Requirement.objects.select_related("event__offender", "requirement_type")[:800]:
        event = requirement.event
        problem = requirement_problems(
            EventInput(
                kind=event.kind,
                court="",
                offence_code="",
                sentence_date=event.sentence_date,
                length_months=1,
                requirements=(
                    RequirementInput(
                        requirement.requirement_type_id,
                        requirement.hours,
                        requirement.hours_per_day,
                        requirement.length_months,
                        requirement.days,
                    ),
                ),
            ),
            event.offender.date_of_birth,
        )
        assert problem == [], requirement


def test_the_same_seed_gives_the_same_area() -> None:
    seed_area(
        cases=120, seed=7, area_name="First", as_of=date(2026, 11, 27), with_logins=False, with_history=False
    )
    seed_area(
        cases=120, seed=7, area_name="Second", as_of=date(2026, 11, 27), with_logins=False, with_history=False
    )

    def fingerprint(area: str) -> list[tuple[object, ...]]:
        return list(
            Offender.objects.filter(area__name=area)
            .order_by("crn")
            .values_list(
                "first_name",
                "family_name",
                "date_of_birth",
                "gender",
                "tier",
                "risk_of_harm_level",
                "is_ppo",
                "mappa_level",
            )
        )

    assert fingerprint("First") == fingerprint("Second")
    seed_area(
        cases=120, seed=8, area_name="Third", as_of=date(2026, 11, 27), with_logins=False, with_history=False
    )
    assert fingerprint("Third") != fingerprint("First")


def test_cases_cli_lists_cases_by_staff_and_refuses_an_unknown_area() -> None:
    seed_area(cases=60, seed=1, as_of=date(2026, 11, 27), with_logins=True)
    listing = _cli_json("cases", "--staff", "om", "--json")
    assert isinstance(listing, dict)
    rows = listing["cases"]
    assert rows and all(row["offender_manager"] == rows[0]["offender_manager"] for row in rows)
    assert set(rows[0]) == {
        "crn",
        "name",
        "offender_manager",
        "tier",
        "risk_of_harm_level",
        "current_event_types",
    }
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--area: no area called 'Atlantis'"):
        call_command("cases", "--area", "Atlantis", "--json")


def test_a_small_area_seeds_with_every_apps_history() -> None:
    result = seed_area(cases=150, seed=5, area_name="Small", as_of=date(2026, 11, 27), with_logins=False)
    from oms.supervision.models import Contact

    assert Contact.objects.filter(offender__area=result.area).count() > 150
    figures = _cli_json("caseload", "--area", "Small", "--json")
    assert isinstance(figures, dict) and figures["total_caseload"] == 150
