"""Writes for tiering and allocation: a manager's override, and allocating from the queue.

One transaction each, with the access log. Allocation itself is the cases app's `allocate()`; this
adds what the queue knows (the recommended grade, the workload) to the reason, and tells the
offender manager by email.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from oms.accounts.audit import record_access
from oms.accounts.models import AccessAction
from oms.accounts.permissions import staff_of
from oms.accounts.refusals import CaseRefused
from oms.cases import services as case_services
from oms.cases.models import Allocation, Offender
from oms.cases.services import CaseRuleError, StaleRecordError
from oms.cases.upkeep import case_write, note_cases_changed
from oms.organisation.constants import TieringFramework
from oms.organisation.models import Staff
from oms.risk.levels import RiskOfHarmLevel
from oms.tiering.models import OverrideSignOff, TierDecision
from oms.tiering.permissions import can_override_tier, can_sign_off_tier_override
from oms.tiering.recalculation import recalculate_cases
from oms.tiering.rules import override_needs_second_sign_off

User = AbstractBaseUser | AnonymousUser

TIERS_2005 = ("1", "2", "3", "4")
TIERS_2021 = tuple(f"{protect}{change}" for protect in "ABCD" for change in "3210")


def tiers_for(framework: str) -> tuple[str, ...]:
    return TIERS_2021 if framework == TieringFramework.HMPPS_2021 else TIERS_2005


@case_write
def override_tier(
    user: User, offender: Offender, *, tier: str, reason: str, expected_decision_id: int | None
) -> TierDecision:
    """A manager sets the tier, with the reason; the computed tier and its inputs stay on record."""
    if not can_override_tier(user, offender):
        raise CaseRefused(
            "Only a senior probation officer or senior manager can override a tier", crn=offender.crn
        )
    manager = staff_of(user)
    if manager is None:
        raise CaseRuleError("Only a manager can override a tier")
    if not reason.strip():
        raise CaseRuleError("Enter why the computed tier is wrong for this case", field="reason")
    current = TierDecision.objects.select_for_update().filter(offender=offender, is_current=True).first()
    if current is None:
        recalculate_cases([offender.pk], trigger="tier first calculated before an override", user=user)
        current = TierDecision.objects.get(offender=offender, is_current=True)
    elif expected_decision_id is not None and current.pk != expected_decision_id:
        raise StaleRecordError("The tier of this case")
    allowed = tiers_for(current.framework)
    if tier.upper() not in allowed:
        raise CaseRuleError(f"Choose a tier: {', '.join(allowed)}", field="tier")
    if tier.upper() == current.tier:
        raise CaseRuleError(f"The tier is already {current.tier}", field="tier")
    if TierDecision.objects.filter(offender=offender, sign_off=OverrideSignOff.AWAITING).exists():
        raise CaseRuleError(
            "An override of this case is waiting for a senior manager's sign-off: it must be signed off "
            "or declined first",
            field="tier",
        )
    level = RiskOfHarmLevel(offender.risk_of_harm_level) if offender.risk_of_harm_level else None
    # The override keeps what the tier was computed from; only the tier in force and why differ.
    override = {
        "offender": offender,
        "framework": current.framework,
        "inputs": current.inputs,
        "computed_tier": current.computed_tier,
        "points": current.points,
        "reasons": current.reasons,
        "tier": tier.upper(),
        "override_reason": reason.strip(),
        "overridden_by": manager,
        "decided_by": manager,
    }
    if override_needs_second_sign_off(current.tier, tier.upper(), level, offender.mappa_level):
        awaiting = TierDecision.objects.create(
            **override,
            trigger=f"Override by {manager}, awaiting a senior manager's sign-off",
            is_current=False,
            sign_off=OverrideSignOff.AWAITING,
        )
        record_access(
            user,
            AccessAction.CHANGE,
            f"tier override from {current.tier} to {awaiting.tier} awaits a senior manager's sign-off",
            crn=offender.crn,
        )
        return awaiting
    TierDecision.objects.filter(pk=current.pk).update(is_current=False)
    decision = TierDecision.objects.create(**override, trigger=f"Override by {manager}")
    Offender.objects.filter(pk=offender.pk).update(tier=decision.tier)
    note_cases_changed([offender.pk])
    record_access(
        user,
        AccessAction.CHANGE,
        f"tier overridden from {current.tier} to {decision.tier}: {reason.strip()}"[:200],
        crn=offender.crn,
    )
    return decision


@case_write
def sign_off_override(user: User, decision: TierDecision, *, approve: bool, note: str) -> TierDecision:
    """A senior manager signs off an override that lowers a high-RoH or MAPPA case by two or more
    tiers (it then comes into force), or declines it (the tier stays as it is)."""
    manager = staff_of(user)
    if not can_sign_off_tier_override(user, decision.offender):
        # Pages and the API open the case with this same rule first, which logs the refusal.
        raise PermissionDenied("Only a senior manager of the area signs off a tier override")
    locked = TierDecision.objects.select_for_update().get(pk=decision.pk)
    if locked.sign_off != OverrideSignOff.AWAITING:
        raise StaleRecordError("This override")
    if manager is not None and locked.overridden_by_id == manager.pk:
        raise CaseRuleError("The second sign-off must be another senior manager's", field="note")
    if not approve and not note.strip():
        raise CaseRuleError("Enter why the override is declined", field="note")
    locked.signed_off_by = manager
    locked.signed_off_at = timezone.now()
    locked.sign_off_note = note.strip()
    offender = locked.offender
    if approve:
        TierDecision.objects.filter(offender=offender, is_current=True).update(is_current=False)
        locked.sign_off = OverrideSignOff.SIGNED_OFF
        locked.is_current = True
        Offender.objects.filter(pk=offender.pk).update(tier=locked.tier)
        note_cases_changed([offender.pk])
    else:
        locked.sign_off = OverrideSignOff.DECLINED
    locked.save()
    record_access(
        user,
        AccessAction.CHANGE,
        f"tier override to {locked.tier} {'signed off' if approve else 'declined'}: {note.strip()}"[:200],
        crn=offender.crn,
    )
    return locked


def tell_offender_manager(allocation: Allocation) -> int:
    """Email the offender manager that they hold a new case (console backend unless configured)."""
    manager = allocation.offender_manager
    if not manager.email:
        return 0
    offender = allocation.offender
    path = reverse("cases:detail", args=[offender.crn])
    return send_mail(
        subject=f"New case allocated to you: {offender.crn}",
        message=(
            f"{manager.full_name},\n\n"
            f"{offender.full_name} ({offender.crn}), tier {offender.tier or 'not yet set'}, "
            f"has been allocated to you from {allocation.start_date:%d %B %Y}.\n"
            f"Reason: {allocation.reason}\n\nOpen the case: {path}\n"
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[manager.email],
    )


def allocate_from_queue(
    user: User,
    offender: Offender,
    offender_manager: Staff,
    *,
    reason: str,
    on: date | None,
    expected_version: int,
    manager_decision: str = "",
    over_capacity_reason: str = "",
) -> Allocation:
    """Allocate (the cases app's rule and record), then tell the offender manager once it is committed."""
    allocation = case_services.allocate(
        user,
        offender,
        offender_manager,
        reason=reason,
        on=on or timezone.localdate(),
        expected_version=expected_version,
        manager_decision=manager_decision,
        over_capacity_reason=over_capacity_reason,
    )
    transaction.on_commit(lambda: tell_offender_manager(allocation))
    return allocation
