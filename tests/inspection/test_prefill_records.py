"""The pre-fill codes answered from records rather than timescales: needs assessed (1.3) and the
programme started as planned (2.5.d)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from oms.cases.models import Offender
from oms.inspection import prefill
from oms.inspection.queries import framework_by_id
from oms.interventions.models import ProgrammeReferral
from oms.risk.models import ReoffendingAssessment
from oms.risk.needs import CriminogenicNeed
from tests.factories import World, make_case

pytestmark = pytest.mark.django_db

FRAMEWORK = framework_by_id("omi-2007")
SENTENCED = date(2026, 6, 1)
AS_OF = date(2026, 11, 27)


def answers(code: str, cases: list[Offender]) -> dict[str, tuple[str, str]]:
    question = next(q.id for q in FRAMEWORK.questions_by_id.values() if q.prefill == code)
    decided = prefill.compute_prefill(FRAMEWORK, cases, AS_OF, [question])
    return {crn: decision for (crn, _), decision in decided.items()}


def _assessment(case: Offender, needs: dict[str, object]) -> None:
    ReoffendingAssessment.objects.create(
        offender=case, author=case.offender_manager, status="locked", needs=needs,
        submitted_at=datetime(2026, 6, 8, 10, tzinfo=ZoneInfo("Europe/London")),
    )  # fmt: skip


def test_needs_are_assessed_when_every_section_was_scored(world: World) -> None:
    every = make_case(world.area, world.staff["om"], sentence_date=SENTENCED)
    partial = make_case(world.area, world.staff["om"], sentence_date=SENTENCED)
    none = make_case(world.area, world.staff["om"], sentence_date=SENTENCED)
    scored = {
        need.value: {"score": 2, "linked_to_offending": need.value == "drug_misuse"}
        for need in CriminogenicNeed
    }
    _assessment(every, scored)
    _assessment(partial, {k: v for k, v in scored.items() if k not in ("accommodation", "attitudes")})
    decided = answers("needs_assessed", [every, partial, none])
    assert decided[every.crn] == (
        "yes",
        "Likelihood of reoffending assessment 1 of 8 June 2026: all 10 need sections scored, 1 linked to offending.",
    )
    answer, evidence = decided[partial.crn]
    assert answer == "no" and "not scored: Accommodation" in evidence and "Attitudes" in evidence
    assert decided[none.crn] == ("no", "No likelihood of reoffending assessment by 27 November 2026.")


def test_a_programme_started_on_or_before_its_planned_start_is_yes_and_a_later_one_no(world: World) -> None:
    cases = [make_case(world.area, world.staff["om"], sentence_date=SENTENCED) for _ in range(4)]
    planned = date(2026, 7, 6)
    for case, started, planned_on in (
        (cases[0], planned, planned),
        (cases[1], date(2026, 7, 7), planned),
        (cases[2], None, planned),
        (cases[3], None, date(2026, 12, 7)),  # not due to start yet: left to the assessor
    ):
        ProgrammeReferral.objects.create(
            offender=case,
            programme="ets",
            referred_on=SENTENCED,
            planned_start_on=planned_on,
            started_on=started,
        )
    decided = answers("programme_started_as_planned", cases)
    assert decided[cases[0].crn][0] == "yes"
    assert decided[cases[1].crn] == (
        "no",
        "Enhanced Thinking Skills (ETS) planned to start 6 July 2026, started 7 July 2026.",
    )
    assert decided[cases[2].crn][0] == "no" and "not started by 27 November 2026" in decided[cases[2].crn][1]
    assert cases[3].crn not in decided
