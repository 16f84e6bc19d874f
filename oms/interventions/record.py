"""The interventions and MAPPA section of a case's whole record."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from oms.cases.models import Offender, Requirement
from oms.interventions.models import (
    DrugTest,
    EteOutcome,
    MappaAction,
    MappaMeeting,
    PremisesPlacement,
    ProgrammeReferral,
)
from oms.interventions.queries import ledger_record, unpaid_work_requirements


def interventions_record(offender: Offender, reader_is_victim_liaison: bool) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "programmes": [
            {
                "programme": r.programme,
                "referred_on": r.referred_on,
                "planned_start_on": r.planned_start_on,
                "started_on": r.started_on,
                "sessions_attended": r.sessions_attended,
                "sessions_total": r.sessions_total,
                "ended_on": r.ended_on,
                "completed": r.completed,
                "non_completion_reason": r.non_completion_reason or None,
            }
            for r in ProgrammeReferral.objects.filter(offender=offender)
        ],
        "unpaid_work": [
            ledger_record(s)
            for s in unpaid_work_requirements(Requirement.objects.filter(event__offender=offender), today)
        ],
        "drug_tests": [
            {"tested_on": t.tested_on, "result": t.result} for t in DrugTest.objects.filter(offender=offender)
        ],
        "ete_outcomes": [
            {
                "kind": e.kind,
                "started_on": e.started_on,
                "retained_four_weeks_on": e.retained_four_weeks_confirmed_on,
            }
            for e in EteOutcome.objects.filter(offender=offender)
        ],
        "approved_premises": [
            {
                "premises": p.premises.name,
                "referred_on": p.referred_on,
                "arrived_on": p.arrived_on,
                "departed_on": p.departed_on,
            }
            for p in PremisesPlacement.objects.filter(offender=offender).select_related("premises")
        ],
        "mappa_meetings": [
            {
                "held_on": m.held_on,
                "level": m.level,
                "actions": [
                    {"action": a.description, "owner": a.owner_name, "due_on": a.due_on, "done_on": a.done_on}
                    for a in m.actions.all()
                ],
            }
            for m in MappaMeeting.objects.filter(offender=offender).prefetch_related(
                Prefetch("actions", queryset=MappaAction.objects.select_related("owner_staff"))
            )
        ],
    }
