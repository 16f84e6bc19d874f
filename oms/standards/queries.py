"""Actions due and overdue, for a person, a team, an area or one case: the reads pages, CLI and email share.

Today's actions are read from the stored table (oms.standards.stored), filtered, counted, sorted and
paginated by the database: a list page runs the same queries for ten actions or ten thousand. Any
other date is evaluated fresh (`actions`), since the table holds only today's answer.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache

from django.db.models import BooleanField, Case, Count, Exists, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone

from oms.cases.models import Offender
from oms.cases.upkeep import flush_case_upkeep
from oms.organisation.constants import Role
from oms.organisation.models import Staff
from oms.standards import engine
from oms.standards.models import AreaStandards, StoredAction
from oms.standards.owners import OWNER_KIND_LABELS, OwnerKind
from oms.standards.rules import Rule, default_rules, load_rules
from oms.standards.sources import produced_record_kinds
from oms.timescales.calendar import working_days_between

OPEN_STATES = frozenset({engine.ActionState.DUE, engine.ActionState.OVERDUE})


@dataclass(frozen=True)
class ActionOwner:
    """The owner as people read it: one person, or a group with its members' usernames."""

    kind: str  # an OwnerKind value
    staff_id: int | None
    name: str
    usernames: tuple[str, ...]
    team_id: int | None = None
    area_id: int | None = None

    @property
    def role(self) -> str:
        return OWNER_KIND_LABELS.get(OwnerKind(self.kind), self.kind)

    @property
    def username(self) -> str:
        return ",".join(self.usernames)


@dataclass(frozen=True)
class Action:
    offender: Offender
    owner: ActionOwner
    status: engine.ActionStatus

    def as_json(self) -> dict[str, object]:
        return {
            "crn": self.offender.crn,
            "rule": self.status.rule_key,
            "description": self.status.description,
            "deadline": self.status.deadline.isoformat() if self.status.deadline else None,
            "status": str(self.status.status),
            "owner": self.owner.username or self.owner.name,
            "owner_role": self.owner.role,
            "working_days_overdue": self.status.working_days_overdue,
        }


@lru_cache(maxsize=64)
def _parsed(rules_yaml: str) -> tuple[Rule, ...]:
    return load_rules(rules_yaml)


def rules_for_area(area_id: int | None) -> tuple[Rule, ...]:
    """The area's own figures if it has set them, else the shipped National Standards."""
    if area_id is not None:
        own = AreaStandards.objects.filter(area_id=area_id).values_list("rules_yaml", flat=True).first()
        if own:
            return _parsed(own)
    return default_rules()


def rules_for_areas(area_ids: Iterable[int]) -> dict[int, tuple[Rule, ...]]:
    """`rules_for_area` for many areas in one query, whatever their number."""
    wanted = set(area_ids)
    own = dict(AreaStandards.objects.filter(area_id__in=wanted).values_list("area_id", "rules_yaml"))
    return {area_id: _parsed(own[area_id]) if own.get(area_id) else default_rules() for area_id in wanted}


def judged_rules(rules: tuple[Rule, ...]) -> tuple[Rule, ...]:
    """The rules whose completing record OMS holds; the others cannot be judged (see sources)."""
    produced = produced_record_kinds()
    return tuple(rule for rule in rules if rule.completed_by in produced)


def unjudged_rules(rules: tuple[Rule, ...]) -> tuple[Rule, ...]:
    produced = produced_record_kinds()
    return tuple(rule for rule in rules if rule.enabled and rule.completed_by not in produced)


def _sort_key(action: Action) -> tuple[bool, int, date, str]:
    return (
        action.status.status != engine.ActionState.OVERDUE,
        -action.status.working_days_overdue,
        action.status.deadline or date.max,
        action.offender.crn,
    )


def actions(cases: QuerySet[Offender], as_of: date, *, open_only: bool = True) -> list[Action]:
    """A fresh evaluation of every rule on every current case in `cases`, as of any date; overdue
    first, then by deadline. For today, read the stored actions instead (`stored_actions`)."""
    from oms.standards.stored import evaluate_cases

    ids = list(cases.values_list("pk", flat=True))
    evaluated = list(evaluate_cases(ids, as_of, open_only=open_only))
    owners = OwnerNames.for_rows(
        (e.owner.kind, e.owner.staff_id, e.owner.team_id, e.offender.area_id) for e in evaluated
    )
    found = [
        Action(
            e.offender,
            owners.owner(e.owner.kind, e.owner.staff_id, e.owner.team_id, e.offender.area_id),
            e.status,
        )
        for e in evaluated
    ]
    found.sort(key=_sort_key)
    return found


# --- owners as people read them -------------------------------------------------------------------

_GROUP_ROLES: dict[str, tuple[str, ...]] = {
    OwnerKind.VICTIM_LIAISON_OFFICER: (Role.VICTIM_LIAISON_OFFICER,),
    OwnerKind.ASSISTANT_CHIEF_OFFICER: (Role.SENIOR_MANAGER,),
    OwnerKind.CASE_ADMINISTRATOR: (Role.CASE_ADMINISTRATOR,),
    OwnerKind.ALLOCATORS: (Role.CASE_ADMINISTRATOR,),
}
_TEAM_KINDS = frozenset({OwnerKind.COUNTERSIGNER, OwnerKind.SENIOR_PROBATION_OFFICER, OwnerKind.ALLOCATORS})


class OwnerNames:
    """Names and usernames of the owners of many actions, in two queries whatever their number."""

    def __init__(
        self,
        people: dict[int, Staff],
        by_area_role: dict[tuple[int, str], list[Staff]],
        by_team: dict[int, list[Staff]],
    ) -> None:
        self.people, self.by_area_role, self.by_team = people, by_area_role, by_team

    @classmethod
    def for_rows(cls, rows: Iterable[tuple[str, int | None, int | None, int]]) -> OwnerNames:
        staff_ids, area_ids, team_ids = set(), set(), set()
        for kind, staff_id, team_id, area_id in rows:
            if staff_id:
                staff_ids.add(staff_id)
            if kind in _GROUP_ROLES:
                area_ids.add(area_id)
            if team_id and kind in _TEAM_KINDS:
                team_ids.add(team_id)
        people: dict[int, Staff] = {}
        by_area_role: dict[tuple[int, str], list[Staff]] = defaultdict(list)
        by_team: dict[int, list[Staff]] = defaultdict(list)
        # Both queries run even for an empty page (an id no row has stands in for none), so a list
        # runs the same queries whether it shows nothing or a hundred actions.
        roles = [role for group in _GROUP_ROLES.values() for role in group]
        chosen = Staff.objects.filter(
            Q(pk__in=staff_ids or {0}) | Q(area_id__in=area_ids, is_active=True, grade__role__in=roles)
        ).select_related("user", "grade")
        for person in chosen:
            people[person.pk] = person
            if person.is_active and person.area_id in area_ids:
                by_area_role[(person.area_id, person.grade.role)].append(person)  # type: ignore[index]
        managers = Staff.manages_teams.through.objects.filter(
            team_id__in=team_ids or {0},
            staff__is_active=True,
            staff__grade__role=Role.SENIOR_PROBATION_OFFICER,
        ).select_related("staff__user")
        for link in managers:
            by_team[link.team_id].append(link.staff)
        return cls(people, by_area_role, by_team)

    def owner(self, kind: str, staff_id: int | None, team_id: int | None, area_id: int) -> ActionOwner:
        if staff_id:
            person = self.people.get(staff_id)
            if person is not None:
                username = person.user.username if person.user else ""
                return ActionOwner(
                    kind, staff_id, person.full_name, (username,) if username else (), team_id, area_id
                )
        members: list[Staff] = []
        if team_id and kind in _TEAM_KINDS:
            members += self.by_team.get(team_id, [])
        for role in _GROUP_ROLES.get(kind, ()):
            members += self.by_area_role.get((area_id, role), [])
        label = OWNER_KIND_LABELS.get(OwnerKind(kind), kind)
        usernames = tuple(sorted({m.user.username for m in members if m.user}))
        return ActionOwner(kind, None, label[:1].upper() + label[1:], usernames, team_id, area_id)


# --- today's actions, from the table ----------------------------------------------------------------


def stored_actions(cases: QuerySet[Offender] | None, today: date | None = None) -> QuerySet[StoredAction]:
    """The stored actions on `cases` (None: every case), with `is_overdue` as of today, overdue first
    then by deadline. Filter further (open, owner, rule) before paginating."""
    flush_case_upkeep()  # a transaction that wrote records itself reads its own writes
    today = today or timezone.localdate()
    rows = StoredAction.objects.all()
    if cases is not None:
        # IN over the visible cases' ids (no DISTINCT: visible_cases() has none), evaluated once,
        # rather than an EXISTS per stored row: an area holds tens of thousands of rows.
        rows = rows.filter(offender_id__in=cases.values("pk"))
    open_states = [engine.ActionState.DUE, engine.ActionState.OVERDUE]
    return rows.annotate(
        is_overdue=Case(
            When(status__in=open_states, deadline__lt=today, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    ).order_by("-is_overdue", "deadline", "offender__crn", "rule_key", "pk")


def open_only(rows: QuerySet[StoredAction]) -> QuerySet[StoredAction]:
    return rows.filter(status__in=[engine.ActionState.DUE, engine.ActionState.OVERDUE])


def with_state(rows: QuerySet[StoredAction], state: str) -> QuerySet[StoredAction]:
    """`due` or `overdue` as of today."""
    if state == engine.ActionState.OVERDUE:
        return open_only(rows).filter(Q(is_overdue=True))
    if state == engine.ActionState.DUE:
        return open_only(rows).filter(Q(is_overdue=False))
    return rows


class DeadlineBand(StrEnum):
    """Which open actions to show, by their deadline as of a day (the actions page's "Show")."""

    OVERDUE = "overdue"
    THIS_WEEK = "this_week"  # due from today to the Sunday of this week
    LATER = "later"  # due after this week
    DUE = "due"  # every open action not yet overdue (this week and later)


def end_of_week(day: date) -> date:
    return day + timedelta(days=6 - day.weekday())


def in_deadline_band(rows: QuerySet[StoredAction], band: str, today: date) -> QuerySet[StoredAction]:
    """The open rows in a `DeadlineBand` as of today (anything else: all of them)."""
    if band == DeadlineBand.OVERDUE:
        return rows.filter(deadline__lt=today)
    if band == DeadlineBand.THIS_WEEK:
        return rows.filter(deadline__gte=today, deadline__lte=end_of_week(today))
    if band == DeadlineBand.LATER:
        return rows.filter(Q(deadline__gt=end_of_week(today)) | Q(deadline__isnull=True))
    if band == DeadlineBand.DUE:
        return rows.filter(Q(deadline__gte=today) | Q(deadline__isnull=True))
    return rows


def in_band(action: Action, band: str, today: date) -> bool:
    """`in_deadline_band` for an action evaluated fresh."""
    deadline = action.status.deadline
    if band == DeadlineBand.OVERDUE:
        return action.status.status == engine.ActionState.OVERDUE
    if band == DeadlineBand.THIS_WEEK:
        return deadline is not None and today <= deadline <= end_of_week(today)
    if band == DeadlineBand.LATER:
        return deadline is None or deadline > end_of_week(today)
    if band == DeadlineBand.DUE:
        return action.status.status == engine.ActionState.DUE
    return True


def matching_case(rows: QuerySet[StoredAction], search: str) -> QuerySet[StoredAction]:
    """The rows of the cases a CRN, PNC number or name finds, as the caseload list's search does."""
    from oms.cases.queries import CaseFilters, case_list

    if not search.strip():
        return rows
    found = case_list(Offender.objects.all(), CaseFilters(search=search)).order_by().values("pk")
    return rows.filter(offender_id__in=found)


def open_counts(rows: QuerySet[StoredAction]) -> tuple[int, int]:
    """(overdue, due) among the open actions, in one query."""
    counted = (
        open_only(rows)
        .order_by()
        .aggregate(
            overdue=Count("pk", filter=Q(is_overdue=True)), due=Count("pk", filter=Q(is_overdue=False))
        )
    )
    return counted["overdue"], counted["due"]


def owned_by(staff: Staff) -> Q:
    """The actions that are this person's own work: theirs by name, or their group's."""
    owned = Q(owner_staff_id=staff.pk)
    role = staff.grade.role
    if role == Role.VICTIM_LIAISON_OFFICER:
        owned |= Q(owner_kind=OwnerKind.VICTIM_LIAISON_OFFICER, area_id=staff.area_id)
    elif role == Role.CASE_ADMINISTRATOR:
        owned |= Q(owner_kind__in=[OwnerKind.CASE_ADMINISTRATOR, OwnerKind.ALLOCATORS], area_id=staff.area_id)
    elif role == Role.SENIOR_MANAGER:
        owned |= Q(owner_kind=OwnerKind.ASSISTANT_CHIEF_OFFICER, area_id=staff.area_id)
    elif role == Role.SENIOR_PROBATION_OFFICER:
        managed = Staff.manages_teams.through.objects.filter(
            staff_id=staff.pk, team_id=OuterRef("owner_team_id")
        )
        owned |= Q(owner_kind__in=list(_TEAM_KINDS), owner_staff__isnull=True) & Q(Exists(managed))
    return owned


def owns(staff: Staff, owner: ActionOwner) -> bool:
    """`owned_by` for an action evaluated fresh rather than read from the table."""
    if owner.staff_id is not None:
        return owner.staff_id == staff.pk
    role = staff.grade.role
    same_area = owner.area_id == staff.area_id
    if role == Role.VICTIM_LIAISON_OFFICER:
        return same_area and owner.kind == OwnerKind.VICTIM_LIAISON_OFFICER
    if role == Role.CASE_ADMINISTRATOR:
        return same_area and owner.kind in (OwnerKind.CASE_ADMINISTRATOR, OwnerKind.ALLOCATORS)
    if role == Role.SENIOR_MANAGER:
        return same_area and owner.kind == OwnerKind.ASSISTANT_CHIEF_OFFICER
    if role == Role.SENIOR_PROBATION_OFFICER and owner.kind in _TEAM_KINDS and owner.team_id is not None:
        return staff.manages_teams.filter(pk=owner.team_id).exists()
    return False


def iter_actions(
    rows: QuerySet[StoredAction], today: date | None = None, chunk: int = 2000
) -> Iterator[Action]:
    """Every row as an action, read a chunk at a time: the whole country never sits in memory."""
    batch: list[StoredAction] = []
    for row in rows.select_related("offender").iterator(chunk_size=chunk):
        batch.append(row)
        if len(batch) == chunk:
            yield from as_actions(batch, today)
            batch = []
    if batch:
        yield from as_actions(batch, today)


def as_actions(rows: Sequence[StoredAction], today: date | None = None) -> list[Action]:
    """Rows (one page of them) as the actions pages and emails show them; their cases are read in
    one query unless the rows came with them."""
    today = today or timezone.localdate()
    missing = {row.offender_id for row in rows if not StoredAction.offender.is_cached(row)}
    cases = Offender.objects.in_bulk(missing or [0])  # one query, even for an empty page
    for row in rows:
        if not StoredAction.offender.is_cached(row):
            row.offender = cases[row.offender_id]
    owners = OwnerNames.for_rows((r.owner_kind, r.owner_staff_id, r.owner_team_id, r.area_id) for r in rows)
    found = []
    for row in rows:
        state = engine.ActionState(row.status)
        late_by = 0
        if state in OPEN_STATES and row.deadline is not None:
            if today > row.deadline:
                state, late_by = engine.ActionState.OVERDUE, max(1, working_days_between(row.deadline, today))
            else:
                state = engine.ActionState.DUE
        status = engine.ActionStatus(
            row.offender.crn,
            row.rule_key,
            row.description,
            row.trigger_date,
            row.deadline,
            state,
            late_by,
            row.completed_on,
        )
        found.append(
            Action(
                row.offender,
                owners.owner(row.owner_kind, row.owner_staff_id, row.owner_team_id, row.area_id),
                status,
            )
        )
    return found
