"""Every write to interventions, approved premises, MAPPA and PPO: one transaction each, audit recorded."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Q, Sum

from oms.accounts.audit import record_access
from oms.accounts.models import AccessAction
from oms.cases.constants import RegistrationKind
from oms.cases.models import Offender, Registration, Requirement
from oms.cases.services import CaseRuleError, StaleRecordError, User
from oms.cases.upkeep import case_write
from oms.interventions import rules
from oms.interventions.constants import (
    MappaCategory,
    MappaLevel,
    PremisesDecision,
    Programme,
    UnpaidWorkEntryKind,
)
from oms.interventions.models import (
    DrrReview,
    DrugTest,
    EnhancedContactLevel,
    EteOutcome,
    LearningTarget,
    MappaAction,
    MappaMeeting,
    MappaReferralDecision,
    PremisesPlacement,
    ProgrammeReferral,
    SkillsAward,
    SkillsForLife,
    UnpaidWorkEntry,
    UnpaidWorkPlacement,
)
from oms.organisation.models import ApprovedPremises, Staff

UNPAID_WORK = "unpaid_work"


def _staff(user: User) -> Staff | None:
    return getattr(user, "staff", None) if user.is_authenticated else None


def _log(user: User, offender: Offender, action: str, what: str) -> None:
    record_access(user, action, what, crn=offender.crn)


def _bump(
    model: type[ProgrammeReferral] | type[PremisesPlacement] | type[SkillsForLife],
    record: object,
    expected: int,
    what: str,
) -> None:
    pk = record.pk  # type: ignore[attr-defined]
    if not model.objects.filter(pk=pk, version=expected).update(version=expected + 1):
        raise StaleRecordError(what)
    record.version = expected + 1  # type: ignore[attr-defined]


def _case_requirement(offender: Offender, requirement: Requirement | None, code: str | None = None) -> None:
    if requirement is None:
        return
    if requirement.event.offender_id != offender.pk:
        raise CaseRuleError("Choose a requirement of this case", field="requirement")
    if code and requirement.requirement_type_id != code:
        raise CaseRuleError("Choose an unpaid work requirement", field="requirement")


# ---------------------------------------------------------------- programmes


@case_write
def refer_to_programme(
    user: User,
    offender: Offender,
    *,
    programme: str,
    referred_on: date,
    planned_start_on: date,
    sessions_total: int,
    requirement: Requirement | None = None,
) -> ProgrammeReferral:
    if programme not in Programme.values:
        raise CaseRuleError("Choose the programme", field="programme")
    if planned_start_on < referred_on:
        raise CaseRuleError("The planned start must be on or after the referral", field="planned_start_on")
    _case_requirement(offender, requirement)
    referral = ProgrammeReferral.objects.create(
        offender=offender,
        requirement=requirement,
        programme=programme,
        referred_on=referred_on,
        planned_start_on=planned_start_on,
        sessions_total=sessions_total,
    )
    _log(user, offender, AccessAction.CREATE, f"referred to {referral.get_programme_display()}")
    return referral


def _group_members(referral: ProgrammeReferral, group_name: str) -> list[rules.GroupMember]:
    others = (
        ProgrammeReferral.objects.filter(
            offender__area_id=referral.offender.area_id,
            programme=referral.programme,
            group_name=group_name,
            started_on__isnull=False,
            ended_on__isnull=True,
        )
        .exclude(pk=referral.pk)
        .values_list("offender__gender", "offender__ethnicity_id")
    )
    return [rules.GroupMember(gender, ethnicity or "") for gender, ethnicity in others]


def isolation_for(referral: ProgrammeReferral, group_name: str) -> list[str]:
    """How the person would be alone in the group, for the form to ask about before placing them."""
    offender = referral.offender
    person = rules.GroupMember(offender.gender, offender.ethnicity_id or "")
    return rules.isolation_in_group(person, _group_members(referral, group_name))


@case_write
def start_programme(
    user: User,
    referral: ProgrammeReferral,
    *,
    group_name: str,
    started_on: date,
    informed_consent: bool,
    consent_notes: str,
    expected_version: int,
) -> ProgrammeReferral:
    """Place the person in a group and start; alone in the group only with their informed consent."""
    if referral.started_on:
        raise CaseRuleError("The programme has already started", field="started_on")
    if started_on < referral.referred_on:
        raise CaseRuleError("The start must be on or after the referral", field="started_on")
    if not group_name.strip():
        raise CaseRuleError("Enter the group", field="group_name")
    isolation = isolation_for(referral, group_name.strip())
    if isolation and not informed_consent:
        raise CaseRuleError(
            f"{referral.offender.full_name} would be {' and '.join(isolation)} in group {group_name.strip()}: "
            "record their informed consent before placing them",
            field="informed_consent",
        )
    _bump(ProgrammeReferral, referral, expected_version, "This referral")
    referral.group_name = group_name.strip()
    referral.started_on = started_on
    referral.isolation = "; ".join(isolation)
    referral.consent_recorded_on = started_on if isolation else None
    referral.consent_notes = consent_notes.strip() if isolation else ""
    referral.save(
        update_fields=["group_name", "started_on", "isolation", "consent_recorded_on", "consent_notes"]
    )
    what = f"started {referral.get_programme_display()} in group {referral.group_name}"
    if isolation:
        what += f" with informed consent ({referral.isolation})"
    _log(user, referral.offender, AccessAction.CHANGE, what)
    return referral


@case_write
def record_sessions(
    user: User, referral: ProgrammeReferral, *, sessions_attended: int, expected_version: int
) -> ProgrammeReferral:
    if not referral.started_on:
        raise CaseRuleError("Record the start before sessions", field="sessions_attended")
    if referral.sessions_total and sessions_attended > referral.sessions_total:
        raise CaseRuleError(
            f"The programme has {referral.sessions_total} sessions", field="sessions_attended"
        )
    _bump(ProgrammeReferral, referral, expected_version, "This referral")
    referral.sessions_attended = sessions_attended
    referral.save(update_fields=["sessions_attended"])
    _log(
        user,
        referral.offender,
        AccessAction.CHANGE,
        f"{sessions_attended} sessions of {referral.get_programme_display()}",
    )
    return referral


@case_write
def end_programme(
    user: User,
    referral: ProgrammeReferral,
    *,
    ended_on: date,
    completed: bool,
    non_completion_reason: str,
    notes: str,
    expected_version: int,
) -> ProgrammeReferral:
    if referral.ended_on:
        raise CaseRuleError("The programme has already ended", field="ended_on")
    if ended_on < referral.referred_on:
        raise CaseRuleError("The end must be on or after the referral", field="ended_on")
    if completed and not referral.started_on:
        raise CaseRuleError("A programme that never started cannot be completed", field="completed")
    if not completed and not non_completion_reason:
        raise CaseRuleError("Choose why the programme was not completed", field="non_completion_reason")
    _bump(ProgrammeReferral, referral, expected_version, "This referral")
    referral.ended_on = ended_on
    referral.completed = completed
    referral.non_completion_reason = "" if completed else non_completion_reason
    referral.non_completion_notes = notes.strip()
    referral.save(update_fields=["ended_on", "completed", "non_completion_reason", "non_completion_notes"])
    _log(
        user, referral.offender, AccessAction.CHANGE, f"{referral.get_programme_display()}: {referral.status}"
    )
    return referral


# ---------------------------------------------------------------- unpaid work


def unpaid_work_ledger(requirement: Requirement) -> rules.UnpaidWorkLedger:
    totals = UnpaidWorkEntry.objects.filter(requirement=requirement).aggregate(
        **{kind: Sum("hours", filter=Q(kind=kind)) for kind in UnpaidWorkEntryKind.values}
    )
    return rules.UnpaidWorkLedger(
        hours_ordered=Decimal(requirement.hours or 0),
        **{kind: totals[kind] or Decimal(0) for kind in UnpaidWorkEntryKind.values},
    )


@case_write
def record_unpaid_work(
    user: User,
    offender: Offender,
    requirement: Requirement,
    *,
    kind: str,
    on: date,
    hours: Decimal,
    placement: UnpaidWorkPlacement | None = None,
    notes: str = "",
    today: date | None = None,
) -> UnpaidWorkEntry:
    """One line of the ledger. Hours beyond the order, or skills-for-life credit beyond 20%, are refused."""
    _case_requirement(offender, requirement, UNPAID_WORK)
    if kind not in UnpaidWorkEntryKind.values:
        raise CaseRuleError("Choose what the hours were", field="kind")
    if on < requirement.event.sentence_date:
        raise CaseRuleError("The date must be on or after the order was made", field="on")
    if kind != UnpaidWorkEntryKind.OFFERED and today and on > today:
        raise CaseRuleError("Hours cannot be recorded as worked or stood down in the future", field="on")
    if placement and placement.offender_id != offender.pk:
        raise CaseRuleError("Choose a placement of this case", field="placement")
    # Lock the requirement's row so two people recording at once cannot both pass the check.
    Requirement.objects.select_for_update().filter(pk=requirement.pk).first()
    refusal = rules.entry_refusal(unpaid_work_ledger(requirement), kind, hours)
    if refusal:
        raise CaseRuleError(refusal, field="hours")
    entry = UnpaidWorkEntry.objects.create(
        offender=offender,
        requirement=requirement,
        kind=kind,
        on=on,
        hours=hours,
        placement=placement,
        notes=notes.strip(),
        recorded_by=_staff(user),
    )
    _log(
        user,
        offender,
        AccessAction.CREATE,
        f"unpaid work: {hours} {entry.get_kind_display().lower()} on {on}",
    )
    return entry


@case_write
def add_placement(
    user: User, offender: Offender, requirement: Requirement, *, name: str, matched_for: str, start_on: date
) -> UnpaidWorkPlacement:
    _case_requirement(offender, requirement, UNPAID_WORK)
    if not matched_for.strip():
        raise CaseRuleError("Enter why the placement suits the person", field="matched_for")
    placement = UnpaidWorkPlacement.objects.create(
        offender=offender,
        requirement=requirement,
        name=name.strip(),
        matched_for=matched_for.strip(),
        start_on=start_on,
    )
    _log(user, offender, AccessAction.CREATE, f"unpaid work placement {placement.name}")
    return placement


# ---------------------------------------------------------------- DRR


@case_write
def record_drug_test(
    user: User, offender: Offender, *, tested_on: date, result: str, substances: str, today: date
) -> DrugTest:
    if tested_on > today:
        raise CaseRuleError("A test result cannot be recorded for a future date", field="tested_on")
    if result == "positive" and not substances.strip():
        raise CaseRuleError("Enter the substances for a positive result", field="substances")
    test = DrugTest.objects.create(
        offender=offender,
        tested_on=tested_on,
        result=result,
        substances=substances.strip(),
        recorded_by=_staff(user),
    )
    _log(user, offender, AccessAction.CREATE, f"drug test {test.get_result_display().lower()} on {tested_on}")
    return test


@case_write
def record_drr_review(
    user: User, offender: Offender, *, review_on: date, court: str, progress: str, outcome: str
) -> DrrReview:
    review = DrrReview.objects.create(
        offender=offender,
        review_on=review_on,
        court=court.strip(),
        progress=progress.strip(),
        outcome=outcome,
    )
    _log(user, offender, AccessAction.CREATE, f"DRR court review on {review_on}")
    return review


# ---------------------------------------------------------------- skills for life and ETE


def _skills_record(offender: Offender) -> SkillsForLife:
    record, _ = SkillsForLife.objects.get_or_create(offender=offender)
    return record


@case_write
def record_skills_screening(
    user: User, offender: Offender, *, screened_on: date, shows_need: bool
) -> SkillsForLife:
    record = _skills_record(offender)
    record.screened_on, record.screening_shows_need = screened_on, shows_need
    record.save(update_fields=["screened_on", "screening_shows_need"])
    _log(user, offender, AccessAction.CHANGE, "skills for life screening recorded")
    return record


@case_write
def record_skills_assessment(
    user: User,
    offender: Offender,
    *,
    assessed_on: date,
    literacy_level: str,
    numeracy_level: str,
    learning_plan: str,
) -> SkillsForLife:
    record = _skills_record(offender)
    if not record.screened_on:
        raise CaseRuleError("Record the screening before the full assessment", field="assessed_on")
    if assessed_on < record.screened_on:
        raise CaseRuleError("The full assessment must be on or after the screening", field="assessed_on")
    record.assessed_on = assessed_on
    record.literacy_level, record.numeracy_level = literacy_level, numeracy_level
    record.learning_plan = learning_plan.strip()
    record.save(update_fields=["assessed_on", "literacy_level", "numeracy_level", "learning_plan"])
    _log(user, offender, AccessAction.CHANGE, "skills for life assessment and learning plan recorded")
    return record


@case_write
def add_learning_target(
    user: User, offender: Offender, *, description: str, target_on: date
) -> LearningTarget:
    record = _skills_record(offender)
    if not record.assessed_on:
        raise CaseRuleError(
            "Record the full assessment before the learning plan's targets", field="description"
        )
    target = LearningTarget.objects.create(
        skills_for_life=record, description=description.strip(), target_on=target_on
    )
    _log(user, offender, AccessAction.CREATE, "learning target added")
    return target


@case_write
def mark_target_achieved(user: User, target: LearningTarget, *, achieved_on: date) -> LearningTarget:
    target.achieved_on = achieved_on
    target.save(update_fields=["achieved_on"])
    _log(user, target.skills_for_life.offender, AccessAction.CHANGE, "learning target achieved")
    return target


@case_write
def record_award(user: User, offender: Offender, *, award: str, level: str, awarded_on: date) -> SkillsAward:
    record = _skills_record(offender)
    created = SkillsAward.objects.create(
        skills_for_life=record, award=award.strip(), level=level, awarded_on=awarded_on
    )
    _log(user, offender, AccessAction.CREATE, f"award: {created.award}")
    return created


@case_write
def record_ete_outcome(
    user: User, offender: Offender, *, kind: str, started_on: date, provider: str
) -> EteOutcome:
    outcome = EteOutcome.objects.create(
        offender=offender, kind=kind, started_on=started_on, provider=provider.strip()
    )
    _log(user, offender, AccessAction.CREATE, f"ETE: {outcome.get_kind_display().lower()}")
    return outcome


RETAINED_DAYS = 28  # ETE: "retained four weeks"


@case_write
def confirm_retained(user: User, outcome: EteOutcome, *, confirmed_on: date) -> EteOutcome:
    if (confirmed_on - outcome.started_on).days < RETAINED_DAYS:
        raise CaseRuleError(
            "Retention can be confirmed only four weeks or more after the start", field="confirmed_on"
        )
    outcome.retained_four_weeks_confirmed_on = confirmed_on
    outcome.save(update_fields=["retained_four_weeks_confirmed_on"])
    _log(user, outcome.offender, AccessAction.CHANGE, "ETE retained four weeks")
    return outcome


# ---------------------------------------------------------------- approved premises


def residents_of(premises: ApprovedPremises) -> int:
    """The people living there now: the placements that have arrived and not left."""
    return Offender.objects.filter(approved_premises=premises).count()


@case_write
def refer_to_premises(
    user: User, offender: Offender, premises: ApprovedPremises, *, referred_on: date
) -> PremisesPlacement:
    if premises.area_id != offender.area_id:
        raise CaseRuleError("Choose approved premises of the case's area", field="premises")
    if (
        PremisesPlacement.objects.filter(offender=offender, departed_on__isnull=True)
        .exclude(decision=PremisesDecision.REFUSED)
        .exists()
    ):
        raise CaseRuleError("This person already has a current approved premises referral", field="premises")
    placement = PremisesPlacement.objects.create(
        offender=offender, premises=premises, referred_on=referred_on
    )
    _log(user, offender, AccessAction.CREATE, f"referred to {premises}")
    return placement


@case_write
def decide_premises_referral(
    user: User, placement: PremisesPlacement, *, decision: str, decided_on: date, expected_version: int
) -> PremisesPlacement:
    if placement.decision:
        raise CaseRuleError("The referral has already been decided", field="decision")
    if decision not in PremisesDecision.values:
        raise CaseRuleError("Choose the decision", field="decision")
    _bump(PremisesPlacement, placement, expected_version, "This referral")
    placement.decision, placement.decided_on = decision, decided_on
    placement.save(update_fields=["decision", "decided_on"])
    _log(
        user,
        placement.offender,
        AccessAction.CHANGE,
        f"approved premises referral {placement.get_decision_display().lower()}",
    )
    return placement


@case_write
def record_arrival(
    user: User, placement: PremisesPlacement, *, arrived_on: date, expected_version: int
) -> PremisesPlacement:
    """Residence starts; refused when every bed is taken."""
    if placement.decision != PremisesDecision.ACCEPTED:
        raise CaseRuleError("Only an accepted referral can take up residence", field="arrived_on")
    if placement.arrived_on:
        raise CaseRuleError("Arrival is already recorded", field="arrived_on")
    premises = ApprovedPremises.objects.select_for_update().get(pk=placement.premises_id)
    taken = residents_of(premises)
    if taken >= premises.beds:
        raise CaseRuleError(
            f"{premises.name} is full: all {premises.beds} beds are taken. Record a departure first.",
            field="arrived_on",
        )
    _bump(PremisesPlacement, placement, expected_version, "This referral")
    placement.arrived_on = arrived_on
    placement.save(update_fields=["arrived_on"])
    Offender.objects.filter(pk=placement.offender_id).update(approved_premises=premises)
    _log(user, placement.offender, AccessAction.CHANGE, f"took up residence at {premises}")
    return placement


@case_write
def record_departure(
    user: User, placement: PremisesPlacement, *, departed_on: date, expected_version: int
) -> PremisesPlacement:
    if not placement.arrived_on or placement.departed_on:
        raise CaseRuleError("Only a current resident can leave", field="departed_on")
    if departed_on < placement.arrived_on:
        raise CaseRuleError("The departure must be on or after the arrival", field="departed_on")
    _bump(PremisesPlacement, placement, expected_version, "This referral")
    placement.departed_on = departed_on
    placement.save(update_fields=["departed_on"])
    Offender.objects.filter(pk=placement.offender_id, approved_premises_id=placement.premises_id).update(
        approved_premises=None
    )
    _log(user, placement.offender, AccessAction.CHANGE, f"left {placement.premises}")
    return placement


# ---------------------------------------------------------------- MAPPA and PPO

# MAPPA guidance: category 3 exists only for cases needing multi-agency management (levels 2 and 3).
CATEGORY_3_LEVELS = frozenset({MappaLevel.MULTI_AGENCY, MappaLevel.MAPPP})


@case_write
def register_mappa(
    user: User, offender: Offender, *, category: int, level: int, from_date: date, notes: str = ""
) -> Registration:
    """A new MAPPA category and level from a date: the previous one ends that day (history kept)."""
    if category not in MappaCategory.values:
        raise CaseRuleError("Choose the MAPPA category", field="category")
    if level not in MappaLevel.values:
        raise CaseRuleError("Choose the MAPPA level", field="level")
    if category == MappaCategory.OTHER_DANGEROUS and level not in CATEGORY_3_LEVELS:
        # MAPPA guidance: category 3 offenders are registered only because they need active
        # multi-agency management, so never at level 1.
        raise CaseRuleError(
            "Category 3 (other dangerous offender) is managed at level 2 or 3 only: choose level 2 or 3, "
            "or another category",
            field="level",
        )
    current = Registration.objects.filter(
        offender=offender, kind=RegistrationKind.MAPPA, end_date__isnull=True
    )
    if current.filter(start_date__gt=from_date).exists():
        raise CaseRuleError("The new level must start on or after the current one", field="from_date")
    current.update(end_date=from_date)
    registration = Registration.objects.create(
        offender=offender,
        kind=RegistrationKind.MAPPA,
        mappa_category=category,
        mappa_level=level,
        start_date=from_date,
        notes=notes.strip()[:200],
    )
    Offender.objects.filter(pk=offender.pk).update(mappa_category=category, mappa_level=level)
    offender.mappa_category, offender.mappa_level = category, level
    _log(user, offender, AccessAction.CHANGE, f"MAPPA category {category}, level {level} from {from_date}")
    return registration


@case_write
def decide_mappa_referral(
    user: User, offender: Offender, *, decided_on: date, referred: bool, reason: str, today: date
) -> MappaReferralDecision:
    """The referral decision the actions list asks for after a screening finds MAPPA eligibility or
    an analysis finds high RoH outside MAPPA; either way the reason is recorded."""
    if decided_on > today:
        raise CaseRuleError("The decision cannot be dated in the future", field="decided_on")
    if not reason.strip():
        raise CaseRuleError(
            "Enter why the case was referred to MAPPA" if referred else "Enter why the case was not referred",
            field="reason",
        )
    decision = MappaReferralDecision.objects.create(
        offender=offender,
        decided_on=decided_on,
        referred=referred,
        reason=reason.strip(),
        decided_by=_staff(user),
    )
    what = "referred to MAPPA" if referred else "not referred to MAPPA"
    _log(user, offender, AccessAction.CREATE, f"MAPPA referral decision on {decided_on}: {what}")
    return decision


@case_write
def end_mappa(user: User, offender: Offender, *, on: date) -> None:
    ended = Registration.objects.filter(
        offender=offender, kind=RegistrationKind.MAPPA, end_date__isnull=True
    ).update(end_date=on)
    if not ended:
        raise CaseRuleError("The case has no current MAPPA registration", field="on")
    Offender.objects.filter(pk=offender.pk).update(mappa_category=None, mappa_level=None)
    _log(user, offender, AccessAction.CHANGE, f"MAPPA registration ended on {on}")


@case_write
def record_mappa_meeting(
    user: User,
    offender: Offender,
    *,
    held_on: date,
    level: int,
    chair: str,
    attendees: str,
    summary: str,
    next_review_on: date | None,
    today: date,
) -> MappaMeeting:
    if held_on > today:
        raise CaseRuleError("A meeting cannot be recorded before it is held", field="held_on")
    if next_review_on and next_review_on <= held_on:
        raise CaseRuleError("The next review must be after the meeting", field="next_review_on")
    meeting = MappaMeeting.objects.create(
        offender=offender,
        held_on=held_on,
        level=level,
        chair=chair.strip(),
        attendees=attendees.strip(),
        summary=summary.strip(),
        next_review_on=next_review_on,
    )
    _log(user, offender, AccessAction.CREATE, f"MAPPA level {level} meeting of {held_on}")
    return meeting


@case_write
def add_mappa_action(
    user: User,
    meeting: MappaMeeting,
    *,
    description: str,
    due_on: date,
    owner_staff: Staff | None = None,
    owner_agency: str = "",
) -> MappaAction:
    """An action from the minutes, owned by a member of staff (it joins their actions and digest) or
    by another agency (the case's offender manager chases it): one or the other, never both."""
    agency = owner_agency.strip()
    if owner_staff is None and not agency:
        raise CaseRuleError(
            "Choose the member of staff who owns the action, or name the agency", "owner_staff"
        )
    if owner_staff is not None and agency:
        raise CaseRuleError("Choose a member of staff or name an agency, not both", "owner_agency")
    if owner_staff is not None and not (
        owner_staff.is_active and owner_staff.area_id == meeting.offender.area_id
    ):
        raise CaseRuleError("Choose a member of staff of the case's area who is still in post", "owner_staff")
    if due_on < meeting.held_on:
        raise CaseRuleError("The action must be due on or after the meeting", field="due_on")
    action = MappaAction.objects.create(
        meeting=meeting,
        description=description.strip(),
        owner_staff=owner_staff,
        owner_agency=agency,
        due_on=due_on,
    )
    _log(
        user,
        meeting.offender,
        AccessAction.CREATE,
        f"MAPPA action for {action.owner_name} due {due_on}"[:200],
    )
    return action


@case_write
def complete_mappa_action(user: User, action: MappaAction, *, done_on: date) -> MappaAction:
    if action.done_on:
        raise CaseRuleError("This action is already done", field="done_on")
    action.done_on = done_on
    action.save(update_fields=["done_on"])
    _log(user, action.meeting.offender, AccessAction.CHANGE, f"MAPPA action done: {action.description}"[:200])
    return action


@case_write
def register_ppo(
    user: User, offender: Offender, *, ppo_type: str, from_date: date, to_date: date | None, today: date
) -> Registration:
    if to_date and to_date < from_date:
        raise CaseRuleError("The end must be on or after the start", field="to_date")
    if Registration.objects.filter(
        offender=offender, kind=RegistrationKind.PPO, end_date__isnull=True
    ).exists():
        raise CaseRuleError("The case already has a current PPO registration", field="ppo_type")
    registration = Registration.objects.create(
        offender=offender,
        kind=RegistrationKind.PPO,
        ppo_type=ppo_type,
        start_date=from_date,
        end_date=to_date,
    )
    current = from_date <= today and (to_date is None or to_date >= today)
    if current:
        Offender.objects.filter(pk=offender.pk).update(is_ppo=True, ppo_type=ppo_type)
        offender.is_ppo, offender.ppo_type = True, ppo_type
    _log(
        user,
        offender,
        AccessAction.CHANGE,
        f"PPO ({ppo_type}) from {from_date}" + (f" to {to_date}" if to_date else ""),
    )
    return registration


@case_write
def end_ppo(user: User, offender: Offender, *, on: date) -> None:
    ended = Registration.objects.filter(
        offender=offender, kind=RegistrationKind.PPO, end_date__isnull=True
    ).update(end_date=on)
    if not ended:
        raise CaseRuleError("The case has no current PPO registration", field="on")
    Offender.objects.filter(pk=offender.pk).update(is_ppo=False, ppo_type="")
    _log(user, offender, AccessAction.CHANGE, f"PPO registration ended on {on}")


@case_write
def set_enhanced_contact_level(
    user: User, offender: Offender, *, contacts_per_week: Decimal, from_on: date
) -> EnhancedContactLevel:
    if not offender.is_ppo:
        raise CaseRuleError(
            "An enhanced contact level is set for PPOs: register the PPO first", field="contacts_per_week"
        )
    if contacts_per_week <= 0:
        raise CaseRuleError("Enter the number of contacts a week", field="contacts_per_week")
    level = EnhancedContactLevel.objects.create(
        offender=offender, contacts_per_week=contacts_per_week, from_on=from_on, set_by=_staff(user)
    )
    _log(
        user,
        offender,
        AccessAction.CHANGE,
        f"PPO enhanced contact: {contacts_per_week} a week from {from_on}",
    )
    return level
