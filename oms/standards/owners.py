"""Who does the work an action asks for (issue 10, rule 5): every action has an owner, never nobody.

Pure: the kind of work comes from the rule's completing record; the person or group from what the
case's records say about it (its offender manager and team, the document waiting for a countersignature,
the stage a recall recommendation has reached) and from which groups the area has anyone in.

| work | owner |
|---|---|
| victim contact | the area's victim liaison officers |
| allocation | the team's senior probation officer and the area's case administrators |
| a document waiting for countersignature | its countersigner (the author's team's manager) |
| recall sign-off | the senior probation officer, then the assistant chief officer |
| a MAPPA action | the member of staff the meeting named (another agency's: the offender manager, to chase) |
| everything else | the offender manager |
| anything whose person or group is missing | the area's case administrators |
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from oms.standards.rules import RecordKind


class OwnerKind(StrEnum):
    """Who an action belongs to. A person (offender manager) or a group scoped to a team or area."""

    OFFENDER_MANAGER = "offender_manager"
    COUNTERSIGNER = "countersigner"  # the managers of the author's team
    SENIOR_PROBATION_OFFICER = "senior_probation_officer"  # the managers of the case's team
    ALLOCATORS = "allocators"  # the team's SPO and the area's case administrators
    ASSISTANT_CHIEF_OFFICER = "assistant_chief_officer"  # the area's senior managers
    VICTIM_LIAISON_OFFICER = "victim_liaison_officer"  # the area's victim liaison officers
    CASE_ADMINISTRATOR = "case_administrator"  # the area's case administrators
    MAPPA_ACTION_OWNER = "mappa_action_owner"  # the member of staff a MAPPA meeting named


OWNER_KIND_LABELS: Mapping[OwnerKind, str] = {
    OwnerKind.OFFENDER_MANAGER: "offender manager",
    OwnerKind.COUNTERSIGNER: "countersigner",
    OwnerKind.SENIOR_PROBATION_OFFICER: "senior probation officer",
    OwnerKind.ALLOCATORS: "senior probation officer and case administrators",
    OwnerKind.ASSISTANT_CHIEF_OFFICER: "assistant chief officer",
    OwnerKind.VICTIM_LIAISON_OFFICER: "victim liaison officers",
    OwnerKind.CASE_ADMINISTRATOR: "case administrators",
    OwnerKind.MAPPA_ACTION_OWNER: "MAPPA action owner",
}

# Issue 10 rule 5: "victim contact to the area's victim liaison officers".
VICTIM_CONTACT_RECORDS = frozenset(
    {
        RecordKind.VICTIM_CONTACT_OFFER,
        RecordKind.VICTIM_WRITTEN_OFFER,
        RecordKind.VICTIM_TOLD_OF_RELEASE,
        RecordKind.VICTIM_ASKED_ABOUT_LICENCE_CONDITIONS,
    }
)
# "allocation to the team's SPO and the area's case administrators".
ALLOCATION_RECORDS = frozenset({RecordKind.ALLOCATION, RecordKind.OFFENDER_SUPERVISOR_ALLOCATION})
# "a document waiting for countersignature to its countersigner".
COUNTERSIGNATURE_RECORDS = frozenset({RecordKind.COUNTERSIGNATURE})
# "recall sign-off to the SPO, then the ACO".
RECALL_RECORDS = frozenset({RecordKind.RECALL_REQUESTED})
# "MAPPA actions to their owner".
MAPPA_ACTION_RECORDS = frozenset({RecordKind.MAPPA_ACTION_DONE})


class RecallStage(StrEnum):
    AWAITING_SPO = "awaiting_spo"
    AWAITING_ACO = "awaiting_aco"


@dataclass(frozen=True)
class Owner:
    kind: OwnerKind
    staff_id: int | None = None  # the one person, where the work is one person's
    team_id: int | None = None  # the team whose managers own it (countersigner, SPO, allocators)


@dataclass(frozen=True)
class CaseOwnership:
    """What the case's records say about who does its work, gathered for many cases at once."""

    offender_manager_id: int | None = None  # None when unallocated or the person has left
    team_id: int | None = None  # the offender manager's team
    # submission day -> the team whose managers countersign the document submitted that day
    countersigning_teams: Mapping[dt.date, int | None] = field(default_factory=dict)
    # recommendation day -> the sign-off it waits for
    recall_stages: Mapping[dt.date, RecallStage] = field(default_factory=dict)
    # (meeting day, due day) -> the member of staff who owns that MAPPA action (still in post). The
    # engine knows a MAPPA action by those two days; of two set the same day for the same day, the
    # first recorded names the owner.
    mappa_action_owners: Mapping[tuple[dt.date, dt.date], int] = field(default_factory=dict)


@dataclass(frozen=True)
class Staffing:
    """Which groups have anyone in them (active staff), so no action goes to an empty group."""

    area_roles: frozenset[OwnerKind] = frozenset()  # VICTIM_LIAISON_OFFICER, ASSISTANT_CHIEF_OFFICER...
    managed_team_ids: frozenset[int] = frozenset()  # teams with an active senior probation officer


def _team_managers(team_id: int | None, staffing: Staffing) -> int | None:
    return team_id if team_id is not None and team_id in staffing.managed_team_ids else None


def owner_of(
    completed_by: RecordKind | str,
    trigger_date: dt.date | None,
    case: CaseOwnership,
    staffing: Staffing,
    deadline: dt.date | None = None,
) -> Owner:
    """The owner of one action: the table in the module docstring, falling back to the case
    administrators whenever the person or group it names is missing."""
    fallback = Owner(OwnerKind.CASE_ADMINISTRATOR)
    if completed_by in MAPPA_ACTION_RECORDS and trigger_date is not None and deadline is not None:
        named = case.mappa_action_owners.get((trigger_date, deadline))
        if named is not None:
            return Owner(OwnerKind.MAPPA_ACTION_OWNER, staff_id=named)
        # Another agency's action (or its owner has left): the offender manager chases it, below.
    if completed_by in VICTIM_CONTACT_RECORDS:
        if OwnerKind.VICTIM_LIAISON_OFFICER in staffing.area_roles:
            return Owner(OwnerKind.VICTIM_LIAISON_OFFICER)
        return fallback
    if completed_by in ALLOCATION_RECORDS:
        # The case administrators are always among the allocators; the team's SPO when there is one.
        return Owner(OwnerKind.ALLOCATORS, team_id=_team_managers(case.team_id, staffing))
    if completed_by in COUNTERSIGNATURE_RECORDS:
        # The author's team's manager; failing that the case's team's; failing that nobody named.
        authors_team = case.countersigning_teams.get(trigger_date) if trigger_date else None
        managed = _team_managers(authors_team, staffing) or _team_managers(case.team_id, staffing)
        return Owner(OwnerKind.COUNTERSIGNER, team_id=managed) if managed is not None else fallback
    if completed_by in RECALL_RECORDS and trigger_date is not None:
        stage = case.recall_stages.get(trigger_date)
        if stage is RecallStage.AWAITING_SPO:
            managed = _team_managers(case.team_id, staffing)
            return Owner(OwnerKind.SENIOR_PROBATION_OFFICER, team_id=managed) if managed else fallback
        if stage is RecallStage.AWAITING_ACO:
            if OwnerKind.ASSISTANT_CHIEF_OFFICER in staffing.area_roles:
                return Owner(OwnerKind.ASSISTANT_CHIEF_OFFICER)
            return fallback
    if case.offender_manager_id is not None:
        return Owner(OwnerKind.OFFENDER_MANAGER, staff_id=case.offender_manager_id)
    return fallback
