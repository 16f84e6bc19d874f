"""The significant changes in each case's records so far, for the demo's reviews to follow.

A new registration, a MAPPA level change, a move of address or a new offence after supervision
began asks for an RoH review and a sentence plan review within 5 working days (the rules
`roh_review_on_significant_change` and `sentence_plan_review_on_significant_change`). The demo reads
them exactly as the actions engine does, from the engine's own facts, so each review follows them.
"""

from __future__ import annotations

from datetime import date

from oms.cases.models import Offender
from oms.organisation.models import Area
from oms.standards.facts import build_case_facts
from oms.standards.rules import Trigger


def significant_changes(area: Area) -> dict[int, list[date]]:
    """Offender id -> the days of the significant changes after supervision began, oldest first."""
    found: dict[int, list[date]] = {}
    for offender, _owner, facts in build_case_facts(Offender.objects.filter(area=area)):
        days = facts.triggers.get(Trigger.SIGNIFICANT_CHANGE)
        if days:
            found[offender.pk] = sorted(set(days))
    return found
