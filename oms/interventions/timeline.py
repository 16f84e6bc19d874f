"""The case timeline's entries for MAPPA meetings: the level and what was decided (one query)."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpRequest

from oms.cases.models import Offender
from oms.interventions.models import MappaMeeting
from oms.supervision.timeline import TimelineEntry, at_start_of


def mappa_entries(request: HttpRequest | None, offender: Offender) -> Iterable[TimelineEntry]:
    for meeting in MappaMeeting.objects.filter(offender=offender):
        yield TimelineEntry(
            at_start_of(meeting.held_on),
            "mappa",
            f"MAPPA level {meeting.level} meeting",
            meeting.summary,
        )
