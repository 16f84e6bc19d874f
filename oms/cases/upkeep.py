"""Work that must follow any change to a case's records, in the same transaction as the change.

The National Standards actions of a case are stored (oms.standards.stored) and must never lag behind
the records they are computed from. Every write that changes a case's records notes the case here
(model signals do it for each saved or deleted row that leads to a case; bulk writes call
`note_cases_changed` themselves), and the noted cases are brought up to date:

- at the end of every service (`case_write`, used instead of `transaction.atomic` in services.py):
  the upkeep runs inside the service's transaction, before it commits, so a reader never sees a
  change without its actions;
- straight away for a save outside any transaction (each statement is its own transaction then);
- before a reader of stored actions reads (`flush_case_upkeep`), so code that wrote rows itself
  inside a transaction (tests, the admin) reads its own writes;
- and, as a last resort for a transaction that wrote directly and never read, just after it commits.

`transaction.on_commit` alone would not do: the change would be visible before its actions were,
and a crash between the two would leave them stale until the nightly sweep.

Apps register the upkeep they need with `register_case_upkeep` (standards does, in its ready()).
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from oms.read_replica import primary_reads

F = TypeVar("F", bound=Callable[..., Any])


@dataclass
class PendingChanges:
    case_ids: set[int] = field(default_factory=set)
    area_ids: set[int] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.case_ids or self.area_ids)


# Upkeep functions: (changed case ids, areas whose every case changed) -> None.
CaseUpkeep = Callable[[set[int], set[int]], None]
_UPKEEP: dict[str, CaseUpkeep] = {}


def register_case_upkeep(key: str, upkeep: CaseUpkeep) -> None:
    _UPKEEP[key] = upkeep


class _State(threading.local):
    def __init__(self) -> None:
        self.pending = PendingChanges()
        self.service_depth = 0
        self.deferred = 0
        self.flushing = False


_state = _State()


def note_cases_changed(case_ids: Iterable[int]) -> None:
    """Cases whose records changed in a way signals cannot see (bulk create, queryset update)."""
    _state.pending.case_ids.update(pk for pk in case_ids if pk)
    _after_note()


def note_area_changed(area_id: int | None) -> None:
    """Something every case of the area depends on changed (its rule figures, its staffing)."""
    if area_id:
        _state.pending.area_ids.add(area_id)
        _after_note()


def _after_note() -> None:
    if _state.flushing or _state.deferred or _state.service_depth:
        return
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        flush_case_upkeep()
    elif not any(hook is flush_case_upkeep for _, hook, _ in connection.run_on_commit):
        # Looked up rather than remembered: a rolled-back transaction drops its hooks.
        transaction.on_commit(flush_case_upkeep)


def flush_case_upkeep() -> None:
    """Bring every noted case up to date now, in the current transaction."""
    if _state.flushing or not _state.pending:
        return
    pending, _state.pending = _state.pending, PendingChanges()
    _state.flushing = True
    try:
        with primary_reads():
            for upkeep in _UPKEEP.values():
                upkeep(pending.case_ids, pending.area_ids)
    finally:
        _state.flushing = False


def bring_cases_up_to_date(case_ids: Iterable[int]) -> None:
    """For bulk writers (imports): the cases they wrote, brought up to date in their transaction."""
    _state.pending.case_ids.update(pk for pk in case_ids if pk)
    flush_case_upkeep()


def case_write(function: F) -> F:
    """`transaction.atomic` for a service that changes case records: the outermost one brings the
    changed cases' derived records (stored actions) up to date before its transaction commits."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with transaction.atomic():
            _state.service_depth += 1
            try:
                result = function(*args, **kwargs)
            finally:
                # On an error the noted cases stay noted: re-evaluating a case whose change was
                # rolled back costs a little, forgetting one changed outside the service would not.
                _state.service_depth -= 1
            if _state.service_depth == 0 and not _state.deferred:
                flush_case_upkeep()
            return result

    return cast(F, wrapper)


@contextmanager
def deferred_case_upkeep() -> Iterator[None]:
    """For bulk writers (seeds, imports) that bring every case up to date in one go at the end: the
    signals note nothing meanwhile, so thousands of rows do not each cost a re-evaluation."""
    before = PendingChanges(set(_state.pending.case_ids), set(_state.pending.area_ids))
    _state.deferred += 1
    try:
        yield
    finally:
        _state.deferred -= 1
        if not _state.deferred:
            _state.pending = before  # what was noted before still needs doing; nothing since does


# --- which case a saved row belongs to ---------------------------------------------------------

# model -> how to find the case id of one of its rows (models whose rows are no case's are absent).
_CASE_OF: dict[type[models.Model], Callable[[models.Model], int | None]] = {}
# Changes to these models are the standards' own output or carry no fact the actions depend on.
_IGNORED_APPS = frozenset(
    {"admin", "sessions", "contenttypes", "auth", "axes", "accounts", "inspection", "performance"}
)
_IGNORED_MODELS: set[str] = set()


def ignore_model_for_upkeep(label: str) -> None:
    """A model whose rows never change an action (the stored actions themselves, logs)."""
    _IGNORED_MODELS.add(label.lower())


def _case_finder(model: type[models.Model]) -> Callable[[models.Model], int | None] | None:
    from oms.cases.models import Offender

    meta = model._meta
    if (
        meta.app_label in _IGNORED_APPS
        or meta.label_lower in _IGNORED_MODELS
        or (meta.model_name or "").startswith("historical")
    ):
        return None
    if issubclass(model, Offender):
        return lambda row: cast(int, row.pk)
    foreign_keys = [f for f in meta.concrete_fields if isinstance(f, models.ForeignKey)]
    for key in foreign_keys:
        if key.related_model is Offender:
            attname = key.attname
            return lambda row: getattr(row, attname)
    # One step further: a victim's offer, an event's requirement, a meeting's action.
    for key in foreign_keys:
        related = key.related_model
        if isinstance(related, type) and any(
            isinstance(f, models.ForeignKey) and f.related_model is Offender for f in related._meta.fields
        ):
            attname, parent = key.attname, related

            def through_parent(row: models.Model, attname: str = attname, parent: Any = parent) -> int | None:
                parent_id = getattr(row, attname)
                if parent_id is None:
                    return None
                return cast(
                    "int | None",
                    parent._default_manager.filter(pk=parent_id)
                    .values_list("offender_id", flat=True)
                    .first(),
                )

            return through_parent
    return None


def _row_changed(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if kwargs.get("raw") or _state.deferred:
        return  # fixtures, area imports and seeds bring every case up to date in bulk
    finder = _CASE_OF.get(sender)
    case_id = finder(instance) if finder else None
    if case_id:
        note_cases_changed([case_id])


# Roles whose members own a group's work: who is in them decides who owns an area's actions.
_GROUP_ROLES = frozenset({"vlo", "spo", "case_administrator", "senior_manager"})


def _staff_before_save(sender: type[models.Model], instance: Any, **kwargs: Any) -> None:
    if kwargs.get("raw") or _state.deferred or instance.pk is None:
        instance._upkeep_before = None
        return
    instance._upkeep_before = (
        type(instance)
        ._default_manager.filter(pk=instance.pk)
        .values_list("area_id", "team_id", "grade__role", "is_active")
        .first()
    )


def _staff_saved(sender: type[models.Model], instance: Any, **kwargs: Any) -> None:
    """A person's team, grade, area or leaving changes who owns some actions: their own caseload's,
    and (for a member of a group that owns work) their area's. Other edits change nothing."""
    if kwargs.get("raw") or _state.deferred:
        return
    before = getattr(instance, "_upkeep_before", None)
    now = (instance.area_id, instance.team_id, instance.grade.role, instance.is_active)
    if before == now:
        return
    if before is not None:
        note_cases_changed(instance.caseload.values_list("pk", flat=True))
    if {now[2], before[2] if before else None} & _GROUP_ROLES:
        note_area_changed(now[0])
        if before is not None and before[0] != now[0]:
            note_area_changed(before[0])


def _team_managers_changed(sender: type[models.Model], instance: Any, **kwargs: Any) -> None:
    if not kwargs.get("action", "").startswith("post_") or _state.deferred:
        return
    # `staff.manages_teams.add(team)` or `team.managers.add(staff)`: the area either way.
    unit = getattr(instance, "unit", None)
    note_area_changed(getattr(instance, "area_id", None) or getattr(unit, "area_id", None))


def connect_case_upkeep_signals() -> None:
    """Listen to the models whose rows belong to a case, and only to them: a model with a delete
    listener loses Django's fast (single statement) delete, and the stored actions need theirs."""
    from django.apps import apps

    from oms.organisation.models import Staff

    for model in apps.get_models():
        finder = _case_finder(model)
        if finder is None:
            continue
        _CASE_OF[model] = finder
        post_save.connect(
            _row_changed, sender=model, dispatch_uid=f"oms-case-upkeep-save-{model._meta.label}"
        )
        post_delete.connect(
            _row_changed, sender=model, dispatch_uid=f"oms-case-upkeep-delete-{model._meta.label}"
        )
    # Who owns an action depends on the area's staffing (a new victim liaison officer, a team's manager).
    pre_save.connect(_staff_before_save, sender=Staff, dispatch_uid="oms-case-upkeep-staff-before")
    post_save.connect(_staff_saved, sender=Staff, dispatch_uid="oms-case-upkeep-staff")
    m2m_changed.connect(
        _team_managers_changed, sender=Staff.manages_teams.through, dispatch_uid="oms-case-upkeep-managers"
    )
