"""Actions due and overdue, for a person, a team, an area or one case: the reads pages, CLI and email share."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from django.db.models import QuerySet

from oms.cases.models import Offender
from oms.standards import engine
from oms.standards.facts import CaseOwner, build_case_facts
from oms.standards.models import AreaStandards
from oms.standards.rules import Rule, default_rules, load_rules
from oms.standards.sources import produced_record_kinds

OPEN_STATES = frozenset({engine.ActionState.DUE, engine.ActionState.OVERDUE})


@dataclass(frozen=True)
class Action:
    offender: Offender
    owner: CaseOwner
    status: engine.ActionStatus

    def as_json(self) -> dict[str, object]:
        return {
            "crn": self.offender.crn,
            "rule": self.status.rule_key,
            "description": self.status.description,
            "deadline": self.status.deadline.isoformat() if self.status.deadline else None,
            "status": str(self.status.status),
            "owner": self.owner.username or self.owner.name,
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


def judged_rules(rules: tuple[Rule, ...]) -> tuple[Rule, ...]:
    """The rules whose completing record OMS holds; the others cannot be judged (see sources)."""
    produced = produced_record_kinds()
    return tuple(rule for rule in rules if rule.completed_by in produced)


def unjudged_rules(rules: tuple[Rule, ...]) -> tuple[Rule, ...]:
    produced = produced_record_kinds()
    return tuple(rule for rule in rules if rule.enabled and rule.completed_by not in produced)


def actions(cases: QuerySet[Offender], as_of: date, *, open_only: bool = True) -> list[Action]:
    """Every rule on every current case in `cases`, as of a date; overdue first, then by deadline."""
    by_area: dict[int, tuple[Rule, ...]] = {}
    found: list[Action] = []
    for offender, owner, facts in build_case_facts(cases):
        rules = by_area.get(offender.area_id)
        if rules is None:
            rules = by_area[offender.area_id] = judged_rules(rules_for_area(offender.area_id))
        for status in engine.evaluate_all(rules, [facts], as_of):
            if open_only and status.status not in OPEN_STATES:
                continue
            found.append(Action(offender, owner, status))
    found.sort(
        key=lambda a: (
            a.status.status != engine.ActionState.OVERDUE,
            -a.status.working_days_overdue,
            a.status.deadline or date.max,
            a.offender.crn,
        )
    )
    return found
