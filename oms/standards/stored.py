"""The actions engine's results, stored per case and kept current (issue 12 item 2).

`refresh_case_actions` re-evaluates the given cases with the batched engine (a fixed number of
queries per batch of cases) and replaces their rows; every service reaches it through the case
upkeep (oms.cases.upkeep) inside its own transaction. The nightly sweep (`sweep_area`) re-evaluates
a whole area in batches, because some clocks start on a date still to come (a recurring review
whose window opens later, a release date); a due action whose deadline passes is overdue the moment
it is read, without waiting for the sweep. `verify` compares the table with a fresh evaluation.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from oms.cases.models import Offender
from oms.cases.upkeep import flush_case_upkeep
from oms.organisation.constants import Role
from oms.organisation.models import Staff
from oms.standards import engine
from oms.standards.facts import build_case_facts
from oms.standards.models import StoredAction
from oms.standards.owners import CaseOwnership, Owner, OwnerKind, RecallStage, Staffing, owner_of
from oms.standards.rules import Rule

# Cases evaluated together: large enough that the per-batch queries are few, small enough that a
# batch's facts stay a few megabytes whatever the size of the area (issue 12 item 4).
BATCH_SIZE = 500
INSERT_BATCH_SIZE = 2000

# Area roles that own a group's work (owners.Staffing.area_roles).
_AREA_ROLE_OWNERS: dict[str, OwnerKind] = {
    Role.VICTIM_LIAISON_OFFICER: OwnerKind.VICTIM_LIAISON_OFFICER,
    Role.SENIOR_MANAGER: OwnerKind.ASSISTANT_CHIEF_OFFICER,
    Role.CASE_ADMINISTRATOR: OwnerKind.CASE_ADMINISTRATOR,
}


@dataclass(frozen=True)
class EvaluatedAction:
    offender: Offender
    status: engine.ActionStatus
    owner: Owner


def _chunks(ids: Sequence[int], size: int = BATCH_SIZE) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield list(ids[start : start + size])


def _ownership(ids: list[int]) -> dict[int, CaseOwnership]:
    """Who does each case's work: offender manager and team, waiting countersignatures, recalls,
    the staff named as owners of MAPPA actions."""
    from oms.risk.countersigning import CountersigningStatus, document_models
    from oms.supervision.constants import RecallStatus
    from oms.supervision.models import RecallRecommendation

    countersigning: dict[int, dict[dt.date, int | None]] = defaultdict(dict)
    for model in document_models():
        waiting = model.objects.filter(
            offender_id__in=ids,
            status=CountersigningStatus.SUBMITTED,
            countersigning_required=True,
            submitted_at__isnull=False,
        ).values_list("offender_id", "submitted_at", "author__team_id")
        for offender_id, submitted_at, team_id in waiting:
            countersigning[offender_id][timezone.localdate(submitted_at)] = team_id
    stages: dict[str, RecallStage] = {
        RecallStatus.AWAITING_SPO: RecallStage.AWAITING_SPO,
        RecallStatus.AWAITING_ACO: RecallStage.AWAITING_ACO,
    }
    recalls: dict[int, dict[dt.date, RecallStage]] = defaultdict(dict)
    for offender_id, recommended_on, status in RecallRecommendation.objects.filter(
        offender_id__in=ids, status__in=list(stages)
    ).values_list("offender_id", "recommended_on", "status"):
        recalls[offender_id][recommended_on] = stages[status]
    from oms.interventions.models import MappaAction

    mappa_owners: dict[int, dict[tuple[dt.date, dt.date], int]] = defaultdict(dict)
    for offender_id, held_on, due_on, staff_id in (
        MappaAction.objects.filter(
            meeting__offender_id__in=ids, owner_staff__isnull=False, owner_staff__is_active=True
        )
        .order_by("pk")
        .values_list("meeting__offender_id", "meeting__held_on", "due_on", "owner_staff_id")
    ):
        mappa_owners[offender_id].setdefault((held_on, due_on), staff_id)
    found: dict[int, CaseOwnership] = {}
    for pk, manager_id, team_id, active in Offender.objects.filter(pk__in=ids).values_list(
        "pk", "offender_manager_id", "offender_manager__team_id", "offender_manager__is_active"
    ):
        found[pk] = CaseOwnership(
            offender_manager_id=manager_id if active else None,
            team_id=team_id if active else None,
            countersigning_teams=countersigning.get(pk, {}),
            recall_stages=recalls.get(pk, {}),
            mappa_action_owners=mappa_owners.get(pk, {}),
        )
    return found


def _staffing(area_ids: Iterable[int]) -> dict[int, Staffing]:
    roles: dict[int, set[OwnerKind]] = defaultdict(set)
    for area_id, role in (
        Staff.objects.filter(
            area_id__in=list(area_ids), is_active=True, grade__role__in=list(_AREA_ROLE_OWNERS)
        )
        .values_list("area_id", "grade__role")
        .distinct()
    ):
        roles[area_id].add(_AREA_ROLE_OWNERS[role])
    managed: dict[int, set[int]] = defaultdict(set)
    for area_id, team_id in Staff.manages_teams.through.objects.filter(
        team__unit__area_id__in=list(area_ids),
        staff__is_active=True,
        staff__grade__role=Role.SENIOR_PROBATION_OFFICER,
    ).values_list("team__unit__area_id", "team_id"):
        managed[area_id].add(team_id)
    return {
        area_id: Staffing(area_roles=frozenset(roles[area_id]), managed_team_ids=frozenset(managed[area_id]))
        for area_id in area_ids
    }


def evaluate_cases(
    ids: Sequence[int], as_of: dt.date, *, open_only: bool = False
) -> Iterator[EvaluatedAction]:
    """Every judged rule on every current case among `ids` as of a date, with its owner, batch by batch."""
    from oms.standards.queries import OPEN_STATES, judged_rules, rules_for_areas

    rules_by_area: dict[int, tuple[Rule, ...]] = {}
    completed_by: dict[int, dict[str, str]] = {}
    for batch in _chunks(sorted(set(ids))):
        ownership = _ownership(batch)
        evaluated = list(build_case_facts(Offender.objects.filter(pk__in=batch)))
        areas = {offender.area_id for offender, _, _ in evaluated}
        staffing = _staffing(areas)
        for area_id, rules in rules_for_areas(areas - set(rules_by_area)).items():
            rules_by_area[area_id] = judged_rules(rules)
            completed_by[area_id] = {rule.key: rule.completed_by for rule in rules_by_area[area_id]}
        for offender, _, facts in evaluated:
            area_id = offender.area_id
            case = ownership.get(offender.pk, CaseOwnership())
            for status in engine.evaluate_all(rules_by_area[area_id], [facts], as_of):
                if open_only and status.status not in OPEN_STATES:
                    continue
                owner = owner_of(
                    completed_by[area_id][status.rule_key],
                    status.trigger_date,
                    case,
                    staffing[area_id],
                    deadline=status.deadline,
                )
                yield EvaluatedAction(offender, status, owner)


def _row(action: EvaluatedAction, as_of: dt.date) -> StoredAction:
    status = action.status
    return StoredAction(
        offender_id=action.offender.pk,
        area_id=action.offender.area_id,
        rule_key=status.rule_key,
        description=status.description,
        trigger_date=status.trigger_date,
        deadline=status.deadline,
        status=str(status.status),
        completed_on=status.completed_on,
        evaluated_on=as_of,
        owner_kind=str(action.owner.kind),
        owner_staff_id=action.owner.staff_id,
        owner_team_id=action.owner.team_id,
    )


def refresh_case_actions(case_ids: Iterable[int], as_of: dt.date | None = None) -> int:
    """Replace the stored actions of these cases with a fresh evaluation; returns the rows written."""
    as_of = as_of or timezone.localdate()
    ids = sorted(set(case_ids))
    written = 0
    for batch in _chunks(ids):
        rows = [_row(action, as_of) for action in evaluate_cases(batch, as_of)]
        with transaction.atomic():
            StoredAction.objects.filter(offender_id__in=batch).delete()
            StoredAction.objects.bulk_create(rows, batch_size=INSERT_BATCH_SIZE)
        written += len(rows)
    return written


Progress = Callable[[int, int], None]  # (cases done, cases in all)


def sweep_area(area_id: int, as_of: dt.date | None = None, progress: Progress | None = None) -> int:
    """Re-evaluate every case of an area, a batch at a time (each batch its own transaction)."""
    as_of = as_of or timezone.localdate()
    ids = list(Offender.objects.filter(area_id=area_id).order_by("pk").values_list("pk", flat=True))
    written = 0
    for done, batch in enumerate(_chunks(ids), start=1):
        written += refresh_case_actions(batch, as_of)
        if progress:
            progress(min(done * BATCH_SIZE, len(ids)), len(ids))
    # Rows of cases that have left the area (transferred out) are replaced by their new area's sweep.
    return written


def case_upkeep(case_ids: set[int], area_ids: set[int]) -> None:
    """Registered with oms.cases.upkeep: bring the changed cases' (or areas') actions up to date."""
    for area_id in sorted(area_ids):
        sweep_area(area_id)
    remaining = case_ids - set(Offender.objects.filter(area_id__in=area_ids).values_list("pk", flat=True))
    if remaining:
        refresh_case_actions(remaining)


# --- verification -----------------------------------------------------------------------------

_Compared = tuple[
    int, str, str, dt.date | None, dt.date | None, str, dt.date | None, str, int | None, int | None
]


def _read_status(status: str, deadline: dt.date | None, as_of: dt.date) -> str:
    """A stored due action whose deadline has passed is overdue (engine: overdue once as_of > deadline)."""
    if status in (engine.ActionState.DUE, engine.ActionState.OVERDUE) and deadline is not None:
        return engine.ActionState.OVERDUE if as_of > deadline else engine.ActionState.DUE
    return status


@dataclass(frozen=True)
class Difference:
    crn: str
    rule_key: str
    stored: str
    fresh: str

    def __str__(self) -> str:
        return f"{self.crn} {self.rule_key}: stored {self.stored or '(nothing)'}; fresh {self.fresh or '(nothing)'}"


def _describe(row: _Compared) -> str:
    _, _, _, trigger, deadline, status, completed, kind, staff, team = row
    owner = kind + (f" staff {staff}" if staff else "") + (f" team {team}" if team else "")
    return f"{status}, triggered {trigger}, deadline {deadline}, completed {completed}, owner {owner}"


def verify(
    case_ids: Sequence[int], as_of: dt.date | None = None, progress: Progress | None = None
) -> list[Difference]:
    """Every difference between the stored actions of these cases and a fresh evaluation today."""
    flush_case_upkeep()  # changes this transaction made itself are compared stored, as readers see them
    as_of = as_of or timezone.localdate()
    ids = sorted(set(case_ids))
    differences: list[Difference] = []
    for done, batch in enumerate(_chunks(ids), start=1):
        crns = dict(Offender.objects.filter(pk__in=batch).values_list("pk", "crn"))
        fresh: dict[_Compared, int] = defaultdict(int)
        for action in evaluate_cases(batch, as_of):
            s, o = action.status, action.owner
            key = (
                action.offender.pk, s.rule_key, s.description, s.trigger_date, s.deadline, str(s.status),
                s.completed_on, str(o.kind), o.staff_id, o.team_id,
            )  # fmt: skip
            fresh[key] += 1
        stored: dict[_Compared, int] = defaultdict(int)
        for row in StoredAction.objects.filter(offender_id__in=batch).values_list(
            "offender_id", "rule_key", "description", "trigger_date", "deadline", "status",
            "completed_on", "owner_kind", "owner_staff_id", "owner_team_id",
        ):  # fmt: skip
            key = (*row[:5], _read_status(row[5], row[4], as_of), *row[6:])
            stored[key] += 1  # type: ignore[index]
        for key in sorted(set(fresh) | set(stored), key=repr):
            if fresh.get(key, 0) != stored.get(key, 0):
                shown_stored = _describe(key) if stored.get(key, 0) > fresh.get(key, 0) else ""
                shown_fresh = _describe(key) if fresh.get(key, 0) > stored.get(key, 0) else ""
                differences.append(
                    Difference(crns.get(key[0], str(key[0])), key[1], shown_stored, shown_fresh)
                )
        if progress:
            progress(min(done * BATCH_SIZE, len(ids)), len(ids))
    return differences
