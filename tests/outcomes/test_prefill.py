"""Outcomes feed the inspection pre-fill for criterion 3.1: reconviction, progress on the highest-priority
factor, victim awareness, police call-outs known and compliance at the end, each with its evidence."""

from __future__ import annotations

from datetime import date

from oms.cases.constants import RegistrationKind
from oms.cases.models import Registration
from oms.inspection import prefill
from oms.inspection.queries import framework_by_id
from oms.outcomes import services
from tests.factories import World, make_reoffending_assessment

FRAMEWORK = framework_by_id("omi-2007")
AS_OF = date(2026, 11, 27)


def test_recorded_outcomes_pre_fill_criterion_3_1_with_their_evidence(world: World) -> None:
    om = world.user("om")
    reconvicted, clean = world.cases["own"], world.cases["team"]
    services.record_further_offence(
        om, reconvicted,
        services.FurtherOffenceInput(reconvicted.events.get(), "conviction", "Burglary of a dwelling",
                                     date(2026, 8, 1), date(2026, 9, 10), "pnc"),
    )  # fmt: skip
    services.record_victim_awareness(
        om, reconvicted, services.VictimAwarenessInput(date(2026, 7, 1), date(2026, 8, 30), "demonstrated")
    )
    Registration.objects.create(
        offender=clean, kind=RegistrationKind.DOMESTIC_ABUSE, start_date=date(2026, 6, 1)
    )
    start = {"attitudes": (6, True)}
    make_reoffending_assessment(reconvicted, world.staff["om"], date(2026, 6, 5), start)
    make_reoffending_assessment(
        reconvicted, world.staff["om"], date(2026, 10, 5), {"attitudes": (2, True)}, sequence=2
    )
    decided = prefill.compute_prefill(FRAMEWORK, [reconvicted, clean], AS_OF)
    answer, evidence = decided[(reconvicted.crn, "3.1.c")]
    assert answer == "no" and "Reconvicted on 10 September 2026: Burglary of a dwelling" in evidence
    assert decided[(clean.crn, "3.1.c")] == (
        "yes",
        "No reconviction recorded since 1 June 2026: confirm on the PNC.",
    )
    assert decided[(reconvicted.crn, "3.1.h")] == (
        "yes", "Highest-priority factor attitudes: scored 6 at the first assessment, 2 at the latest.",
    )  # fmt: skip
    assert (clean.crn, "3.1.h") not in decided  # never assessed: the assessor judges
    assert decided[(reconvicted.crn, "3.1.i")][0] == "yes"
    assert decided[(clean.crn, "3.1.l")] == (
        "no",
        "A domestic abuse perpetrator: no police call-out check is recorded.",
    )
    assert decided[(reconvicted.crn, "3.1.l")][0] == "na"
    services.record_domestic_violence_check(
        world.user("spo"), clean, services.DomesticViolenceCheckInput(date(2026, 11, 1), "no_callouts")
    )
    assert prefill.compute_prefill(FRAMEWORK, [clean], AS_OF)[(clean.crn, "3.1.l")] == (
        "yes", "Checked with the police on 1 November 2026: police reported no call-outs.",
    )  # fmt: skip
