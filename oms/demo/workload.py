"""Overdue actions per owner: the figure that says whether an area's lists are ones a team could clear.

Issue 10: on the default demo, the median owner has at most 8 overdue actions on their list, nobody
more than 30, and no action is unowned. Each person's list is what the actions page shows them
(`owned_by`: their own work and their group's), so an action a group owns counts on each member's list.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.db.models import Count

from oms.cases.models import Offender
from oms.organisation.constants import Role
from oms.organisation.models import Area, Staff
from oms.standards.queries import open_only, owned_by, stored_actions, with_state

# The roles whose lists hold actions (owners.py): offender managers by name; the others as groups.
OWNING_ROLES = (
    Role.OFFENDER_MANAGER,
    Role.SENIOR_PROBATION_OFFICER,
    Role.CASE_ADMINISTRATOR,
    Role.SENIOR_MANAGER,
    Role.VICTIM_LIAISON_OFFICER,
)


@dataclass(frozen=True)
class OwnerLoad:
    staff_id: int
    name: str
    role: str
    open: int
    overdue: int


@dataclass(frozen=True)
class OverdueWorkload:
    open_actions: int
    overdue_actions: int
    owners: tuple[OwnerLoad, ...]  # everyone with at least one open action on their list
    overdue_by_rule: tuple[tuple[str, int], ...]  # most first
    unowned: int  # open actions on nobody's list

    @property
    def median_overdue(self) -> float:
        return statistics.median(o.overdue for o in self.owners) if self.owners else 0

    @property
    def max_overdue(self) -> int:
        return max((o.overdue for o in self.owners), default=0)

    def by_role(self) -> dict[str, list[int]]:
        found: dict[str, list[int]] = {}
        for owner in self.owners:
            found.setdefault(owner.role, []).append(owner.overdue)
        return found

    def lines(self) -> list[str]:
        """The distribution as `make bench` prints it."""
        lines = [
            f"{self.open_actions:,} open actions, {self.overdue_actions:,} overdue; "
            f"{len(self.owners)} owners; overdue per owner median {self.median_overdue:g}, "
            f"max {self.max_overdue}; unowned {self.unowned}",
        ]
        for role, counts in sorted(self.by_role().items()):
            lines.append(
                f"  {role:<28} {len(counts):>3} people, overdue median {statistics.median(counts):g}, "
                f"max {max(counts)}"
            )
        rules = ", ".join(f"{key} {count}" for key, count in self.overdue_by_rule[:8])
        lines.append(f"  overdue by rule: {rules or 'none'}")
        return lines


def overdue_workload(area: Area, today: date) -> OverdueWorkload:
    """Each owner's open and overdue actions in the area as of `today` (one query per member of staff)."""
    cases = Offender.objects.filter(area=area)
    rows = open_only(stored_actions(cases, today))
    overdue = with_state(rows, "overdue")
    on_someones_list: set[int] = set()
    owners = []
    staff = Staff.objects.filter(area=area, is_active=True, grade__role__in=OWNING_ROLES).select_related(
        "grade"
    )
    for person in staff.order_by("pk"):
        theirs: dict[int, bool] = dict(
            rows.filter(owned_by(person)).values_list("pk", "is_overdue")  # type: ignore[misc]
        )
        on_someones_list.update(theirs)
        if theirs:
            owners.append(
                OwnerLoad(
                    person.pk,
                    person.full_name,
                    person.grade.get_role_display(),
                    len(theirs),
                    sum(1 for late in theirs.values() if late),
                )
            )
    by_rule = Counter(dict(overdue.order_by().values_list("rule_key").annotate(n=Count("pk"))))
    open_ids = set(rows.values_list("pk", flat=True))
    return OverdueWorkload(
        open_actions=len(open_ids),
        overdue_actions=overdue.count(),
        owners=tuple(owners),
        overdue_by_rule=tuple(by_rule.most_common()),
        unowned=len(open_ids - on_someones_list),
    )
