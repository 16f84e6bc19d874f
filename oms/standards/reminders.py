"""The daily digest (issue 10 rule 6): each person gets one email of their own work due soon or
overdue, and managers get actions overdue beyond the area's escalation figure summarised by team and
rule (how many, and the oldest), never a list of every case.

The report's good practice: "A lead administrator was nominated to track the timescales for required
actions and send reminder emails where necessary." OMS does that for every case, every day.

Today's actions stream from the stored table a chunk at a time; each digest keeps its counts and at
most `ITEMS_SHOWN` actions, and each escalation line its count and `OLDEST_SHOWN` oldest, so memory
stays bounded whatever the size of the country (issue 12 item 4). Another date is evaluated fresh.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone

from oms.cases.models import Offender
from oms.organisation.constants import Role
from oms.organisation.models import Staff
from oms.standards import engine
from oms.standards.models import AreaStandards
from oms.standards.owners import OwnerKind
from oms.standards.queries import Action, actions, iter_actions, open_only, stored_actions
from oms.timescales.calendar import working_days_between

logger = logging.getLogger(__name__)

DEFAULT_DUE_SOON_WORKING_DAYS = 3
DEFAULT_ESCALATE_AFTER_WORKING_DAYS = 5
# Issue 10 rule 6: "never a 1,700-line email". A person sees their most urgent actions and a count.
ITEMS_SHOWN = 25
# Each escalated team and rule shows this many of its oldest actions.
OLDEST_SHOWN = 3

# Groups that own work, and the roles of their members (oms.standards.owners).
_AREA_GROUP_ROLES: dict[str, tuple[str, ...]] = {
    OwnerKind.VICTIM_LIAISON_OFFICER: (Role.VICTIM_LIAISON_OFFICER,),
    OwnerKind.ASSISTANT_CHIEF_OFFICER: (Role.SENIOR_MANAGER,),
    OwnerKind.CASE_ADMINISTRATOR: (Role.CASE_ADMINISTRATOR,),
    OwnerKind.ALLOCATORS: (Role.CASE_ADMINISTRATOR,),
}
_TEAM_GROUPS = frozenset({OwnerKind.COUNTERSIGNER, OwnerKind.SENIOR_PROBATION_OFFICER, OwnerKind.ALLOCATORS})


@dataclass
class EscalationLine:
    """Overdue actions beyond the escalation figure, for one team and one rule."""

    team: str
    rule_key: str
    description: str
    count: int = 0
    oldest: list[Action] = field(default_factory=list)

    def add(self, action: Action) -> None:
        self.count += 1
        self.oldest.append(action)
        self.oldest.sort(key=lambda a: (a.status.deadline or date.max, a.offender.crn))
        del self.oldest[OLDEST_SHOWN:]


@dataclass
class Digest:
    staff: Staff
    own: list[Action] = field(default_factory=list)  # the most urgent, at most ITEMS_SHOWN
    own_overdue: int = 0
    own_due_soon: int = 0
    escalations: dict[tuple[str, str], EscalationLine] = field(default_factory=dict)
    # Inspection improvement plans: actions due and the plan's own due date (oms.inspection).
    improvement_plan: list[Any] = field(default_factory=list)

    def add_own(self, action: Action) -> None:
        if action.status.status == engine.ActionState.OVERDUE:
            self.own_overdue += 1
        else:
            self.own_due_soon += 1
        self.own.append(action)
        if len(self.own) > 2 * ITEMS_SHOWN:  # trim now and then, not on every action
            self.trim()

    def trim(self) -> None:
        """Keep the most urgent: overdue first, then by deadline."""
        self.own.sort(
            key=lambda a: (
                a.status.status != engine.ActionState.OVERDUE,
                a.status.deadline or date.max,
                a.offender.crn,
            )
        )
        del self.own[ITEMS_SHOWN:]

    def escalate(self, team: str, action: Action) -> None:
        key = (team, action.status.rule_key)
        line = self.escalations.get(key)
        if line is None:
            line = self.escalations[key] = EscalationLine(
                team, action.status.rule_key, action.status.description
            )
        line.add(action)

    @property
    def own_count(self) -> int:
        return self.own_overdue + self.own_due_soon

    @property
    def own_not_shown(self) -> int:
        return self.own_count - len(self.own)

    @property
    def escalated(self) -> list[EscalationLine]:
        return sorted(self.escalations.values(), key=lambda line: (line.team, -line.count, line.rule_key))

    @property
    def escalated_count(self) -> int:
        return sum(line.count for line in self.escalations.values())

    @property
    def subject(self) -> str:
        parts = [f"{self.own_overdue} overdue", f"{self.own_due_soon} due soon"]
        if self.escalations:
            parts.append(f"{self.escalated_count} escalated from your teams")
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


class _Staffing:
    """Every active member of staff, with the groups they belong to, read once for the run."""

    def __init__(self) -> None:
        self.by_id: dict[int, Staff] = {}
        self.by_area_role: dict[tuple[int | None, str], list[Staff]] = defaultdict(list)
        self.team_managers: dict[int, list[Staff]] = defaultdict(list)
        for person in Staff.objects.filter(is_active=True).select_related("grade", "team", "user"):
            self.by_id[person.pk] = person
            self.by_area_role[(person.area_id, person.grade.role)].append(person)
        for link in Staff.manages_teams.through.objects.filter(
            staff__is_active=True, staff__grade__role=Role.SENIOR_PROBATION_OFFICER
        ):
            manager = self.by_id.get(link.staff_id)
            if manager is not None:
                self.team_managers[link.team_id].append(manager)

    def owners(self, action: Action) -> list[Staff]:
        owner = action.owner
        if owner.staff_id is not None:
            person = self.by_id.get(owner.staff_id)
            return [person] if person else []
        members: list[Staff] = []
        if owner.kind in _TEAM_GROUPS and owner.team_id is not None:
            members += self.team_managers.get(owner.team_id, [])
        for role in _AREA_GROUP_ROLES.get(owner.kind, ()):
            members += self.by_area_role.get((owner.area_id, role), [])
        return members


def _figures() -> dict[int, tuple[int, int]]:
    return {
        area_id: (due_soon, escalate_after)
        for area_id, due_soon, escalate_after in AreaStandards.objects.values_list(
            "area_id", "due_soon_working_days", "escalate_after_working_days"
        )
    }


def _todays_actions() -> Iterable[Action]:
    return iter_actions(open_only(stored_actions(None)))


def build_digests(as_of: date) -> list[Digest]:
    """One digest per person with anything to hear about, built in one pass over the actions."""
    if as_of == timezone.localdate():
        found: Iterable[Action] = _todays_actions()
    else:
        found = actions(Offender.objects.all(), as_of)
    staffing = _Staffing()
    figures = _figures()
    default = (DEFAULT_DUE_SOON_WORKING_DAYS, DEFAULT_ESCALATE_AFTER_WORKING_DAYS)
    digests: dict[int, Digest] = {}

    def digest_of(person: Staff) -> Digest:
        if person.pk not in digests:
            digests[person.pk] = Digest(person)
        return digests[person.pk]

    for action in found:
        status = action.status
        due_soon, escalate_after = figures.get(action.offender.area_id, default)
        is_overdue = status.status == engine.ActionState.OVERDUE
        if not is_overdue and status.deadline and working_days_between(as_of, status.deadline) > due_soon:
            continue
        for person in staffing.owners(action):
            digest_of(person).add_own(action)
        if is_overdue and status.working_days_overdue > escalate_after:
            manager_of_case = staffing.by_id.get(action.offender.offender_manager_id or 0)
            team = manager_of_case.team if manager_of_case else None
            team_name = team.name if team else "Unallocated"
            # The team's managers, and the area's senior managers, hear by team and rule.
            managers = list(staffing.team_managers.get(team.pk, [])) if team else []
            managers += staffing.by_area_role.get((action.offender.area_id, Role.SENIOR_MANAGER), [])
            for manager in managers:
                digest_of(manager).escalate(team_name, action)
    from oms.inspection.queries import improvement_plan_reminders

    for item in improvement_plan_reminders(as_of):
        owner = staffing.by_id.get(item.staff_id)
        if owner is not None:
            digest_of(owner).improvement_plan.append(item)
    for digest in digests.values():
        digest.trim()
    return sorted(digests.values(), key=lambda d: (d.staff.family_name, d.staff.first_name, d.staff.pk))


def send_digests(
    as_of: date, *, dry_run: bool, progress: Callable[[int, int], None] | None = None
) -> ReminderRun:
    digests = build_digests(as_of)
    sent, failed = 0, []
    for number, digest in enumerate(digests, start=1):
        if progress:
            progress(number, len(digests))
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


__all__ = ["Digest", "EscalationLine", "ReminderRun", "build_digests", "send_digests"]
