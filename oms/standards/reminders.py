"""The daily digest: each person gets one email of their due-soon and overdue actions; actions overdue
by more than the area's escalation figure also go to the offender manager's manager.

The report's good practice: "A lead administrator was nominated to track the timescales for required
actions and send reminder emails where necessary." OMS does that for every case, every day.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string

from oms.cases.models import Offender
from oms.organisation.models import Staff
from oms.standards import engine
from oms.standards.models import AreaStandards
from oms.standards.queries import Action, actions
from oms.timescales.calendar import working_days_between

logger = logging.getLogger(__name__)

DEFAULT_DUE_SOON_WORKING_DAYS = 3
DEFAULT_ESCALATE_AFTER_WORKING_DAYS = 5


@dataclass
class Digest:
    staff: Staff
    own: list[Action] = field(default_factory=list)
    escalated: list[Action] = field(default_factory=list)
    # Inspection improvement plans: actions due and the plan's own due date (oms.inspection).
    improvement_plan: list[Any] = field(default_factory=list)

    @property
    def subject(self) -> str:
        overdue = sum(1 for a in self.own if a.status.status == engine.ActionState.OVERDUE)
        parts = [f"{overdue} overdue", f"{len(self.own) - overdue} due soon"]
        if self.escalated:
            parts.append(f"{len(self.escalated)} escalated from your team")
        if self.improvement_plan:
            parts.append(
                f"{len(self.improvement_plan)} improvement plan item{'s' if len(self.improvement_plan) > 1 else ''}"
            )
        return "OMS actions: " + ", ".join(parts)


@dataclass(frozen=True)
class ReminderRun:
    digests: list[Digest]
    sent: int
    failed: list[str]


def _figures(area_id: int) -> tuple[int, int]:
    own = (
        AreaStandards.objects.filter(area_id=area_id)
        .values_list("due_soon_working_days", "escalate_after_working_days")
        .first()
    )
    return own or (DEFAULT_DUE_SOON_WORKING_DAYS, DEFAULT_ESCALATE_AFTER_WORKING_DAYS)


def build_digests(as_of: date) -> list[Digest]:
    found = actions(Offender.objects.all(), as_of)
    staff_by_id = {s.pk: s for s in Staff.objects.select_related("team").prefetch_related("team__managers")}
    figures: dict[int, tuple[int, int]] = {}
    digests: dict[int, Digest] = {}
    for action in found:
        area_id = action.offender.area_id
        if area_id not in figures:
            figures[area_id] = _figures(area_id)
        due_soon, escalate_after = figures[area_id]
        status = action.status
        owner = staff_by_id.get(action.owner.staff_id or -1)
        if owner is None:
            continue
        is_overdue = status.status == engine.ActionState.OVERDUE
        if not is_overdue and status.deadline and working_days_between(as_of, status.deadline) > due_soon:
            continue
        digests.setdefault(owner.pk, Digest(owner)).own.append(action)
        if is_overdue and status.working_days_overdue > escalate_after and owner.team is not None:
            for manager in owner.team.managers.all():
                digests.setdefault(manager.pk, Digest(manager)).escalated.append(action)
    from oms.inspection.queries import improvement_plan_reminders

    for item in improvement_plan_reminders(as_of):
        owner = staff_by_id.get(item.staff_id)
        if owner is not None:
            digests.setdefault(owner.pk, Digest(owner)).improvement_plan.append(item)
    return sorted(digests.values(), key=lambda d: (d.staff.family_name, d.staff.first_name, d.staff.pk))


def send_digests(as_of: date, *, dry_run: bool) -> ReminderRun:
    digests = build_digests(as_of)
    sent, failed = 0, []
    for digest in digests:
        if not digest.staff.email:
            failed.append(f"{digest.staff}: no email address")
            continue
        if dry_run:
            continue
        body = render_to_string("standards/digest.txt", {"digest": digest, "as_of": as_of})
        try:
            send_mail(digest.subject, body, settings.DEFAULT_FROM_EMAIL, [digest.staff.email])
        except Exception as error:  # one failed digest never stops the others; it is logged
            logger.exception("Could not send the actions digest to %s", digest.staff.email)
            failed.append(f"{digest.staff}: {error}")
        else:
            sent += 1
    return ReminderRun(digests=digests, sent=sent, failed=failed)


__all__ = ["Digest", "ReminderRun", "build_digests", "send_digests"]
