"""Every write to the victim contact scheme: VLOs only, one transaction each, audit recorded."""

from __future__ import annotations

from datetime import date

from oms.accounts.audit import record_access
from oms.accounts.models import AccessAction
from oms.cases.models import Event, Offender
from oms.cases.services import CaseRuleError, User
from oms.cases.upkeep import case_write
from oms.organisation.models import Staff
from oms.victims.constants import ContactPreference, InformationStage, OfferMethod
from oms.victims.models import ContactOffer, InformationGiven, LicenceRepresentation, Victim


def _staff(user: User) -> Staff | None:
    return getattr(user, "staff", None) if user.is_authenticated else None


@case_write
def add_victim(
    user: User,
    offender: Offender,
    *,
    event: Event,
    name: str,
    address: str,
    postcode: str,
    telephone: str,
    email: str,
    contact_preference: str,
    safety_considerations: str,
) -> Victim:
    if event.offender_id != offender.pk:
        raise CaseRuleError("Choose an event of this case", field="event")
    if contact_preference not in ContactPreference.values:
        raise CaseRuleError("Choose how the victim wants to be contacted", field="contact_preference")
    if not name.strip():
        raise CaseRuleError("Enter the victim's name", field="name")
    victim = Victim.objects.create(
        offender=offender,
        event=event,
        name=name.strip(),
        address=address.strip(),
        postcode=postcode.strip().upper(),
        telephone=telephone.strip(),
        email=email.strip(),
        contact_preference=contact_preference,
        safety_considerations=safety_considerations.strip(),
        recorded_by=_staff(user),
    )
    record_access(user, AccessAction.CREATE, f"recorded victim {victim.pk}", crn=offender.crn)
    return victim


@case_write
def record_offer(
    user: User, victim: Victim, *, offered_on: date, method: str, accepted: bool | None
) -> ContactOffer:
    if method not in OfferMethod.values:
        raise CaseRuleError("Choose how contact was offered", field="method")
    if offered_on < victim.event.sentence_date:
        raise CaseRuleError("The offer cannot be before the sentence", field="offered_on")
    offer = ContactOffer.objects.create(
        victim=victim, offered_on=offered_on, method=method, accepted=accepted
    )
    record_access(
        user, AccessAction.CREATE, f"contact offered to victim {victim.pk}", crn=victim.offender.crn
    )
    return offer


@case_write
def record_information(
    user: User, victim: Victim, *, stage: str, given_on: date, notes: str
) -> InformationGiven:
    if stage not in InformationStage.values:
        raise CaseRuleError("Choose the stage", field="stage")
    given = InformationGiven.objects.create(
        victim=victim, stage=stage, given_on=given_on, notes=notes.strip()
    )
    record_access(
        user,
        AccessAction.CREATE,
        f"victim {victim.pk} told of {given.get_stage_display().lower()}",
        crn=victim.offender.crn,
    )
    return given


@case_write
def record_representation(
    user: User, victim: Victim, *, received_on: date, representation: str, requested_conditions: str
) -> LicenceRepresentation:
    if not requested_conditions.strip():
        raise CaseRuleError("Enter the licence conditions the victim asks for", field="requested_conditions")
    created = LicenceRepresentation.objects.create(
        victim=victim,
        received_on=received_on,
        representation=representation.strip(),
        requested_conditions=requested_conditions.strip(),
    )
    record_access(
        user, AccessAction.CREATE, f"licence representations of victim {victim.pk}", crn=victim.offender.crn
    )
    return created
