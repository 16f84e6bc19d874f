"""`oms inspection list` and `oms inspection scores`: the stored inspections and their live scores."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from oms.inspection import services
from oms.inspection.constants import InspectionKind
from oms.inspection.models import Answer, SampledCase, Section4Rating
from tests.inspection.conftest import SAMPLE_DATE, InspectionWorld


def _json(*args: str) -> object:
    out = StringIO()
    call_command("inspection", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_list_gives_each_inspection_and_self_assessment_with_its_dates(
    inspection_world: InspectionWorld,
) -> None:
    own = services.create_inspection(
        inspection_world.user("aco"),
        area=inspection_world.world.area,
        kind=InspectionKind.SELF_ASSESSMENT,
        fieldwork_start=SAMPLE_DATE,
        fieldwork_end=SAMPLE_DATE,
    )
    rows = _json("list")
    assert isinstance(rows, list)
    by_id = {row["id"]: row for row in rows}
    assert by_id[inspection_world.inspection.pk] == {
        "id": inspection_world.inspection.pk,
        "area": "Northamptonshire",
        "kind": "inspection",
        "status": inspection_world.inspection.status,
        "fieldwork_start": "2026-11-26",
        "fieldwork_end": "2026-12-07",
        "published_on": None,
    }
    assert by_id[own.pk]["kind"] == "self_assessment"


def test_scores_are_the_rounded_figures_shown_and_null_where_nothing_is_scored(
    inspection_world: InspectionWorld,
) -> None:
    inspection = inspection_world.inspection
    # 1.1.a yes, yes, no -> 66.67; 1.1.b no, yes -> 50; 1.1.s yes, no -> 50:
    # 1.1 = 0.8 x mean(66.67, 50) + 0.2 x 50 = 56.67, shown 57.
    answers = [
        {"1.1.a": "yes", "1.1.b": "no", "1.1.s": "yes"},
        {"1.1.a": "yes", "1.1.b": "yes", "1.1.s": "no"},
        {"1.1.a": "no"},
    ]
    for row, (case, given) in enumerate(zip(inspection_world.cases, answers, strict=False), start=1):
        sampled = SampledCase.objects.create(
            inspection=inspection, offender=case, row=row, assessor_role="inspector"
        )
        for question_id, value in given.items():
            Answer.objects.create(sampled_case=sampled, question_id=question_id, value=value)
    Section4Rating.objects.create(
        inspection=inspection, criterion_id="4.1", rating="satisfactorily met", evidence="x"
    )
    scores = _json("scores", "--inspection", str(inspection.pk))
    assert isinstance(scores, dict)
    assert set(scores) == {"criteria", "sections", "threads", "ratings"}
    assert scores["criteria"]["1.1"] == 57
    assert scores["criteria"]["1.2"] is None
    assert scores["sections"]["1"] == 57
    assert scores["ratings"]["4.1"] == "satisfactorily_met"
    assert all(value is None or isinstance(value, int) for value in scores["threads"].values())


def test_scores_of_an_unknown_inspection_are_refused_naming_the_option(
    inspection_world: InspectionWorld,
) -> None:
    with pytest.raises(CommandError, match="--inspection: no inspection 999999"):
        call_command("inspection", "scores", "--inspection", "999999", "--json", stdout=StringIO())
