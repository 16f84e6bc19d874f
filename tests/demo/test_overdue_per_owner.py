"""The default demo area's action lists are ones a team could clear (issue 10).

"On the default demo (as of today), overdue actions per owner: median at most 8, none over 30;
nothing unowned." The default demo is dated today (`oms seed`), so this area is too: its history is
written relative to that day and its stored actions are evaluated on it. Seeded once for the module,
inside a transaction rolled back at the end.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from oms.demo.area import seed_area
from oms.demo.workload import OverdueWorkload, overdue_workload
from oms.organisation.constants import Role
from tests.factories import ensure_reference_data

MEDIAN_AT_MOST = 8
NONE_OVER = 30

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def workload(django_db_setup: Any, django_db_blocker: Any) -> Iterator[OverdueWorkload]:
    with django_db_blocker.unblock(), transaction.atomic():
        ensure_reference_data()  # a transactional test elsewhere may have flushed it
        today = timezone.localdate()
        area = seed_area(cases=2338, seed=2007, as_of=today, with_logins=False).area
        yield overdue_workload(area, today)
        transaction.set_rollback(True)


def test_the_median_owner_has_at_most_8_overdue_actions_and_nobody_more_than_30(
    workload: OverdueWorkload,
) -> None:
    worst = max(workload.owners, key=lambda o: o.overdue)
    assert workload.median_overdue <= MEDIAN_AT_MOST, "\n".join(workload.lines())
    assert worst.overdue <= NONE_OVER, f"{worst.name} ({worst.role}): {worst.overdue} overdue"


def test_every_open_action_is_on_someones_list(workload: OverdueWorkload) -> None:
    assert workload.open_actions > 0
    assert workload.unowned == 0


def test_offender_managers_spos_victim_liaison_and_case_administrators_all_have_lists(
    workload: OverdueWorkload,
) -> None:
    roles = set(workload.by_role())
    for role in (
        Role.OFFENDER_MANAGER,
        Role.SENIOR_PROBATION_OFFICER,
        Role.VICTIM_LIAISON_OFFICER,
        Role.CASE_ADMINISTRATOR,
    ):
        assert role.label in roles


def test_some_work_is_genuinely_overdue_as_in_any_real_area(workload: OverdueWorkload) -> None:
    # A demo with nothing overdue would show no one what the overdue lists look like.
    assert workload.overdue_actions > 0
    assert sum(1 for owner in workload.owners if owner.overdue) >= len(workload.owners) // 2
