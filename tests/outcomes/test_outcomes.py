"""Outcomes recorded on a case and computed for the area: the case page, the managers' outcomes page and
`oms outcomes` show the same figures; bad input names its field and writes nothing (issue 14)."""

from __future__ import annotations

import json
from datetime import date
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from oms.cases.constants import RegistrationKind
from oms.cases.models import Registration
from oms.interventions.models import SkillsAward, SkillsForLife
from oms.outcomes import services
from oms.outcomes.models import FurtherOffence
from oms.outcomes.queries import Period, current_caseload, outcomes_of
from oms.tiering.models import TierDecision
from tests.factories import World, make_case, make_reoffending_assessment

TODAY = date(2026, 12, 1)


def client_for(world: World, role: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(pk=world.user(role).pk))
    return client


def area_figures(world: World) -> dict:  # type: ignore[type-arg]
    from oms.cases.models import Offender

    return outcomes_of(current_caseload(Offender.objects.filter(area=world.area)), Period(None, TODAY))


def test_a_reconviction_recorded_by_the_offender_manager_shows_on_the_case_and_in_the_area(
    world: World,
) -> None:
    case = world.cases["own"]
    response = client_for(world, "om").post(
        f"/outcomes/cases/{case.crn}/further-offence/",
        {
            "event": case.events.get().pk, "kind": "conviction", "offence": "Theft from a shop",
            "offence_date": "2026-08-03", "disposal_date": "2026-09-01", "source": "pnc",
        },
    )  # fmt: skip
    assert response.status_code == 302
    page = client_for(world, "om").get(f"/cases/{case.crn}/").content.decode()
    assert "Reconviction: Theft from a shop" in page and "Police National Computer" in page
    figures = area_figures(world)
    assert figures["reconvicted"] == {
        "count": 1,
        "of": figures["cases"],
        "percent": round(100 / figures["cases"]),
    }


def test_an_offence_before_the_order_started_is_refused_naming_the_field_and_nothing_is_written(
    world: World,
) -> None:
    case = world.cases["own"]
    response = client_for(world, "om").post(
        f"/outcomes/cases/{case.crn}/further-offence/",
        {
            "event": case.events.get().pk, "kind": "caution", "offence": "Criminal damage",
            "offence_date": "2026-05-01", "disposal_date": "2026-05-02", "source": "police",
        },
    )  # fmt: skip
    assert response.status_code == 200
    assert "The offence must be on or after the start of the order or licence (01 June 2026)" in (
        response.content.decode()
    )
    assert not FurtherOffence.objects.exists()


@pytest.mark.parametrize("role", ["partner", "vlo", "interventions"])
def test_only_the_case_s_managers_and_administrators_record_outcomes(world: World, role: str) -> None:
    case = world.cases["own"]
    response = client_for(world, role).get(f"/outcomes/cases/{case.crn}/victim-awareness/")
    assert response.status_code == 403


def test_an_offender_manager_cannot_record_on_another_area_s_case(world: World) -> None:
    case = world.cases["other_area"]
    assert client_for(world, "om").get(f"/outcomes/cases/{case.crn}/end-compliance/").status_code == 403
    with pytest.raises(services.CaseRuleError, match="may not record outcomes"):
        services.record_victim_awareness(
            world.user("om"), case, services.VictimAwarenessInput(date(2026, 7, 1))
        )


def test_needs_rescored_improvement_and_the_highest_priority_factor_are_computed_per_case_and_area(
    world: World,
) -> None:
    om = world.staff["om"]
    improved, unchanged, once = world.cases["own"], world.cases["team"], world.cases["other_team"]
    start = {"thinking_behaviour": (6, True), "alcohol_misuse": (5, True)}
    for case in (improved, unchanged, once):
        make_reoffending_assessment(case, om, date(2026, 6, 10), start)
    make_reoffending_assessment(
        improved,
        om,
        date(2026, 10, 1),
        {"thinking_behaviour": (3, True), "alcohol_misuse": (5, True)},
        sequence=2,
    )
    make_reoffending_assessment(unchanged, om, date(2026, 10, 1), start, sequence=2)
    needs = area_figures(world)["needs"]
    assert needs["rescored"] == {"count": 2, "of": 3, "percent": 67}
    assert needs["no_improvement"] == {"count": 1, "of": 2, "percent": 50}
    assert needs["highest_priority_progress"] == {"count": 1, "of": 2, "percent": 50}
    profile = {row["need"]: row["cases"] for row in area_figures(world)["needs_profile"]}
    assert profile["thinking_behaviour"] == 3 and profile["drug_misuse"] == 0
    page = client_for(world, "om").get(f"/cases/{improved.crn}/").content.decode()
    table = page[page.index('id="needs-change"') :]
    assert "Highest priority" in table and "Improved" in table


def test_tier_and_mappa_movement_and_skills_awards(world: World) -> None:
    case = world.cases["own"]
    TierDecision.objects.create(offender=case, framework="noms_2005", computed_tier="3", tier="3",
                                trigger="start", is_current=False, decided_at="2026-06-02T10:00:00Z")  # fmt: skip
    TierDecision.objects.create(offender=case, framework="noms_2005", computed_tier="2", tier="2",
                                trigger="review", decided_at="2026-10-02T10:00:00Z")  # fmt: skip
    # An override still waiting for a senior manager's sign-off was never the tier in force.
    TierDecision.objects.create(offender=case, framework="noms_2005", computed_tier="2", tier="4",
                                trigger="override", sign_off="awaiting", is_current=False,
                                decided_at="2026-11-02T10:00:00Z")  # fmt: skip
    Registration.objects.create(
        offender=case, kind=RegistrationKind.MAPPA, mappa_level=2, start_date=date(2026, 6, 1)
    )
    Registration.objects.create(
        offender=case, kind=RegistrationKind.MAPPA, mappa_level=1, start_date=date(2026, 9, 1)
    )
    started = SkillsForLife.objects.create(offender=case, assessed_on=date(2026, 7, 1))
    SkillsForLife.objects.create(offender=world.cases["team"], assessed_on=date(2026, 7, 1))
    SkillsAward.objects.create(
        skills_for_life=started, award="Adult literacy", level="level_1", awarded_on=date(2026, 9, 1)
    )
    figures = area_figures(world)
    assert figures["tier_movement"]["down"] == 1 and figures["tier_movement"]["up"] == 0
    assert figures["mappa_movement"] == {"down": 1, "same": 0, "up": 0}
    assert figures["skills_for_life_awards"] == {"count": 1, "of": 2, "percent": 50}


def test_the_area_outcomes_page_is_for_managers_and_runs_a_fixed_number_of_queries(world: World) -> None:
    aco = client_for(world, "aco")
    assert client_for(world, "om").get("/outcomes/").status_code == 403
    with CaptureQueriesContext(connection) as few:
        page = aco.get("/outcomes/?to=2026-12-01")
    assert page.status_code == 200
    for _ in range(6):
        case = make_case(world.area, world.staff["om"])
        make_reoffending_assessment(case, world.staff["om"], date(2026, 6, 10), {"attitudes": (4, True)})
    with CaptureQueriesContext(connection) as many:
        page = aco.get("/outcomes/?to=2026-12-01")
    assert len(many) == len(few)
    html = page.content.decode()
    assert (
        "Factors linked to offending" in html
        and "Education, training and employment outcomes by diversity group" in html
    )
    assert "Attitudes" in html[html.index('id="needs-profile"') :]
    bad = aco.get("/outcomes/?from=2026-12-01&to=2026-01-01").content.decode()
    assert "The period must start on or before it ends" in bad


def test_oms_outcomes_prints_the_same_figures_as_json_and_refuses_a_bad_date(world: World) -> None:
    case = world.cases["own"]
    services.record_further_offence(
        world.user("om"), case,
        services.FurtherOffenceInput(case.events.get(), "caution", "Common assault", date(2026, 7, 1), date(2026, 7, 2), "police"),
    )  # fmt: skip
    out = StringIO()
    call_command("outcomes", "--area", world.area.name, "--to", "2026-12-01", "--json", stdout=out)
    printed = json.loads(out.getvalue())
    assert printed["area"] == "Northamptonshire"
    assert printed["cautioned_not_reconvicted"]["count"] == 1
    assert printed["needs_profile"] == area_figures(world)["needs_profile"]
    out = StringIO()
    call_command(
        "outcomes",
        "--area",
        world.area.name,
        "--from",
        "2026-08-01",
        "--to",
        "2026-12-01",
        "--json",
        stdout=out,
    )
    assert json.loads(out.getvalue())["cautioned_not_reconvicted"]["count"] == 0
    with pytest.raises(CommandError, match="--from: '1 May' is not a date") as error:
        call_command("outcomes", "--area", world.area.name, "--from", "1 May", "--json")
    assert error.value.returncode == 2


def test_the_needs_profile_of_an_inspection_sample_on_its_page_and_from_the_cli(world: World) -> None:
    from oms.inspection import services as inspection_services
    from oms.inspection.constants import InspectionKind

    for index in range(8):
        case = make_case(world.area, world.staff["om"], sentence_date=date(2026, 6, 1 + index))
        make_reoffending_assessment(case, world.staff["om"], date(2026, 6, 20), {"drug_misuse": (5, True)})
    aco = world.user("aco")
    inspection = inspection_services.create_inspection(
        aco, area=world.area, kind=InspectionKind.SELF_ASSESSMENT,
        fieldwork_start=date(2026, 11, 20), fieldwork_end=date(2026, 12, 20), lead=world.staff["aco"],
    )  # fmt: skip
    inspection_services.store_sample(
        aco, inspection, method="omi", size=8, seed="n", as_of=date(2026, 11, 27)
    )
    sampled = inspection.sampled_cases.count()
    out = StringIO()
    call_command("outcomes", "--inspection", str(inspection.pk), "--to", "2026-11-27", "--json", stdout=out)
    printed = json.loads(out.getvalue())
    assert printed["sample"] is True and printed["cases"] == sampled
    drugs = next(row for row in printed["needs_profile"] if row["need"] == "drug_misuse")
    page = client_for(world, "aco").get(f"/inspection/{inspection.pk}/").content.decode()
    table = page[page.index('id="sample-needs-profile"') :]
    assert (
        f'Drug misuse</td><td class="govuk-table__cell govuk-table__cell--numeric">{drugs["cases"]}<' in table
    )
    assert drugs["cases"] > 0
    with pytest.raises(CommandError, match="--inspection: no inspection 999"):
        call_command("outcomes", "--inspection", "999", "--json")
