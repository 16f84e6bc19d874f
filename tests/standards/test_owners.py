"""Issue 10 rule 5: every action belongs to whoever does the work, never to nobody (the pure table)."""

from __future__ import annotations

from datetime import date

import pytest

from oms.standards.owners import CaseOwnership, Owner, OwnerKind, RecallStage, Staffing, owner_of
from oms.standards.rules import RecordKind

SUBMITTED = date(2026, 11, 2)
RECOMMENDED = date(2026, 11, 3)
OM, TEAM, AUTHORS_TEAM, UNMANAGED_TEAM = 7, 11, 12, 13

STAFFED = Staffing(
    area_roles=frozenset(
        {OwnerKind.VICTIM_LIAISON_OFFICER, OwnerKind.ASSISTANT_CHIEF_OFFICER, OwnerKind.CASE_ADMINISTRATOR}
    ),
    managed_team_ids=frozenset({TEAM, AUTHORS_TEAM}),
)
NOBODY_STAFFED = Staffing()
ALLOCATED = CaseOwnership(
    offender_manager_id=OM,
    team_id=TEAM,
    countersigning_teams={SUBMITTED: AUTHORS_TEAM},
    recall_stages={RECOMMENDED: RecallStage.AWAITING_SPO},
)
AT_ACO = CaseOwnership(
    offender_manager_id=OM, team_id=TEAM, recall_stages={RECOMMENDED: RecallStage.AWAITING_ACO}
)
UNALLOCATED = CaseOwnership()

CASE_ADMINISTRATORS = Owner(OwnerKind.CASE_ADMINISTRATOR)

# (what completes the action, trigger date, the case, the area's staffing) -> owner
TABLE = [
    # victim contact to the area's victim liaison officers
    (RecordKind.VICTIM_CONTACT_OFFER, None, ALLOCATED, STAFFED, Owner(OwnerKind.VICTIM_LIAISON_OFFICER)),
    (RecordKind.VICTIM_TOLD_OF_RELEASE, None, ALLOCATED, STAFFED, Owner(OwnerKind.VICTIM_LIAISON_OFFICER)),
    # ... and to the case administrators in an area with no victim liaison officer
    (RecordKind.VICTIM_WRITTEN_OFFER, None, ALLOCATED, NOBODY_STAFFED, CASE_ADMINISTRATORS),
    # allocation to the team's SPO and the area's case administrators
    (RecordKind.ALLOCATION, None, ALLOCATED, STAFFED, Owner(OwnerKind.ALLOCATORS, team_id=TEAM)),
    (RecordKind.ALLOCATION, None, UNALLOCATED, STAFFED, Owner(OwnerKind.ALLOCATORS)),
    # a document waiting for countersignature to its countersigner (the author's team's manager)
    (RecordKind.COUNTERSIGNATURE, SUBMITTED, ALLOCATED, STAFFED, Owner(OwnerKind.COUNTERSIGNER, team_id=AUTHORS_TEAM)),
    (RecordKind.COUNTERSIGNATURE, SUBMITTED, ALLOCATED, Staffing(managed_team_ids=frozenset({TEAM})), Owner(OwnerKind.COUNTERSIGNER, team_id=TEAM)),
    (RecordKind.COUNTERSIGNATURE, SUBMITTED, ALLOCATED, NOBODY_STAFFED, CASE_ADMINISTRATORS),
    # recall sign-off to the SPO, then the ACO
    (RecordKind.RECALL_REQUESTED, RECOMMENDED, ALLOCATED, STAFFED, Owner(OwnerKind.SENIOR_PROBATION_OFFICER, team_id=TEAM)),
    (RecordKind.RECALL_REQUESTED, RECOMMENDED, AT_ACO, STAFFED, Owner(OwnerKind.ASSISTANT_CHIEF_OFFICER)),
    (RecordKind.RECALL_REQUESTED, RECOMMENDED, AT_ACO, NOBODY_STAFFED, CASE_ADMINISTRATORS),
    # everything else to the offender manager
    (RecordKind.CONTACT, None, ALLOCATED, STAFFED, Owner(OwnerKind.OFFENDER_MANAGER, staff_id=OM)),
    (RecordKind.ROH_SCREENING, None, ALLOCATED, STAFFED, Owner(OwnerKind.OFFENDER_MANAGER, staff_id=OM)),
    (RecordKind.RECALL_REQUESTED, date(2026, 1, 1), ALLOCATED, STAFFED, Owner(OwnerKind.OFFENDER_MANAGER, staff_id=OM)),
    # an action with no person goes to the area's case administrators
    (RecordKind.CONTACT, None, UNALLOCATED, STAFFED, CASE_ADMINISTRATORS),
    (RecordKind.SDR_DELIVERED, None, UNALLOCATED, NOBODY_STAFFED, CASE_ADMINISTRATORS),
]  # fmt: skip


@pytest.mark.parametrize(("completed_by", "trigger", "case", "staffing", "owner"), TABLE)
def test_each_kind_of_work_has_its_owner(
    completed_by: RecordKind, trigger: date | None, case: CaseOwnership, staffing: Staffing, owner: Owner
) -> None:
    assert owner_of(completed_by, trigger, case, staffing) == owner


MEETING, DUE, OTHER_DUE = date(2026, 11, 4), date(2026, 11, 18), date(2026, 11, 25)
VLO = 21
MAPPA_CASE = CaseOwnership(offender_manager_id=OM, team_id=TEAM, mappa_action_owners={(MEETING, DUE): VLO})

# MAPPA actions to their owner: (meeting day, due day, the case) -> owner
MAPPA_TABLE = [
    # the member of staff the meeting named
    (MEETING, DUE, MAPPA_CASE, Owner(OwnerKind.MAPPA_ACTION_OWNER, staff_id=VLO)),
    # another agency's action (no member of staff named for it): the offender manager chases it
    (MEETING, OTHER_DUE, MAPPA_CASE, Owner(OwnerKind.OFFENDER_MANAGER, staff_id=OM)),
    # ... and on an unallocated case, the case administrators
    (MEETING, OTHER_DUE, CaseOwnership(mappa_action_owners={(MEETING, DUE): VLO}), CASE_ADMINISTRATORS),
]  # fmt: skip


@pytest.mark.parametrize(("meeting", "due", "case", "owner"), MAPPA_TABLE)
def test_a_mappa_action_belongs_to_the_member_of_staff_it_names(
    meeting: date, due: date, case: CaseOwnership, owner: Owner
) -> None:
    assert owner_of(RecordKind.MAPPA_ACTION_DONE, meeting, case, STAFFED, deadline=due) == owner


@pytest.mark.parametrize("completed_by", list(RecordKind))
@pytest.mark.parametrize("case", [ALLOCATED, AT_ACO, UNALLOCATED])
@pytest.mark.parametrize("staffing", [STAFFED, NOBODY_STAFFED])
def test_no_action_belongs_to_nobody(
    completed_by: RecordKind, case: CaseOwnership, staffing: Staffing
) -> None:
    owner = owner_of(completed_by, RECOMMENDED, case, staffing)
    if owner.kind == OwnerKind.OFFENDER_MANAGER:
        assert owner.staff_id is not None
    elif owner.kind in (OwnerKind.COUNTERSIGNER, OwnerKind.SENIOR_PROBATION_OFFICER):
        assert owner.team_id in staffing.managed_team_ids
    elif owner.kind not in (OwnerKind.ALLOCATORS, OwnerKind.CASE_ADMINISTRATOR):
        assert owner.kind in staffing.area_roles
