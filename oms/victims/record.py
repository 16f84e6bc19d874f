"""The victims section of a case's whole record: identities for victim liaison officers only."""

from __future__ import annotations

from typing import Any

from oms.cases.models import Offender
from oms.victims.models import Victim
from oms.victims.queries import summary_record, victim_record, victim_summary


def victims_record(offender: Offender, reader_is_victim_liaison: bool) -> Any:
    if reader_is_victim_liaison:
        victims = (
            Victim.objects.filter(offender=offender)
            .select_related("event")
            .prefetch_related("offers", "information_given", "representations")
        )
        return [victim_record(victim) for victim in victims]
    return summary_record(victim_summary(offender))
