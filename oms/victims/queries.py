"""Reads of the victim contact scheme: the full record for VLOs, the safe summary for everyone else."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Min, Prefetch, Q, QuerySet

from oms.accounts.permissions import AnyUser, visible_cases
from oms.cases.models import Event, Offender
from oms.victims import rules
from oms.victims.models import ContactOffer, InformationGiven, LicenceRepresentation, Victim

STATUTORY_EVENTS = Q(
    offence__is_violent_or_sexual=True,
    kind__in=sorted(rules.CUSTODIAL_EVENT_KINDS),
    length_months__gte=rules.STATUTORY_CUSTODY_MONTHS,
)


@dataclass
class StatutoryContact:
    """One event of a case to which statutory victim contact applies, and how the offers stand."""

    event: Event
    victims: int
    first_offer_on: date | None

    @property
    def offer_due(self) -> date:
        return rules.contact_offer_due(self.event.sentence_date)

    @property
    def face_to_face_offer_due(self) -> date:
        return rules.face_to_face_offer_due(self.event.sentence_date)

    @property
    def offered_in_time(self) -> bool:
        return self.first_offer_on is not None and self.first_offer_on <= self.offer_due

    def status_on(self, today: date) -> str:
        if self.first_offer_on:
            return "offered in time" if self.offered_in_time else "offered late"
        return "overdue" if today > self.offer_due else "due"


def _statutory_events(events: QuerySet[Event]) -> list[StatutoryContact]:
    rows = (
        events.filter(STATUTORY_EVENTS)
        .select_related("offender", "offence")
        .annotate(
            victim_count=Count("victims", distinct=True), first_offer=Min("victims__offers__offered_on")
        )
        .order_by("sentence_date", "pk")
    )
    return [StatutoryContact(e, e.victim_count, e.first_offer) for e in rows]  # type: ignore[attr-defined]


def statutory_contact_for_case(offender: Offender) -> list[StatutoryContact]:
    return _statutory_events(Event.objects.filter(offender=offender))


def statutory_contact_cases(user: AnyUser) -> list[StatutoryContact]:
    """The VLO's worklist: every current event of the cases they see where the scheme is statutory."""
    return _statutory_events(
        Event.objects.filter(offender__in=visible_cases(user).values("pk"), is_active=True)
    )


def victims_of(offender: Offender) -> list[Victim]:
    """The full record (identities included): for VLOs only, and every call is logged by the caller."""
    return list(
        Victim.objects.filter(offender=offender)
        .select_related("event")
        .prefetch_related(
            Prefetch("offers", queryset=ContactOffer.objects.order_by("offered_on", "id")),
            Prefetch("information_given", queryset=InformationGiven.objects.order_by("given_on", "id")),
            Prefetch("representations", queryset=LicenceRepresentation.objects.order_by("received_on", "id")),
        )
    )


@dataclass
class VictimSummary:
    """What anyone who may see the case (partner agencies aside) sees: no names, no addresses."""

    victims: int
    statutory: list[StatutoryContact]
    first_offer_on: date | None
    safety_considerations: list[str]
    requested_licence_conditions: list[str]

    @property
    def statutory_contact_applies(self) -> bool:
        return bool(self.statutory)


def victim_summary(offender: Offender) -> VictimSummary:
    victims = list(Victim.objects.filter(offender=offender).values_list("pk", "safety_considerations"))
    conditions = list(
        LicenceRepresentation.objects.filter(victim__offender=offender)
        .order_by("received_on", "id")
        .values_list("requested_conditions", flat=True)
    )
    first_offer = ContactOffer.objects.filter(victim__offender=offender).aggregate(first=Min("offered_on"))[
        "first"
    ]
    return VictimSummary(
        victims=len(victims),
        statutory=statutory_contact_for_case(offender),
        first_offer_on=first_offer,
        safety_considerations=[text for _, text in victims if text],
        requested_licence_conditions=conditions,
    )


def summary_record(summary: VictimSummary) -> dict[str, object]:
    return {
        "victims": summary.victims,
        "statutory_contact_applies": summary.statutory_contact_applies,
        "first_offer_on": summary.first_offer_on,
        "safety_considerations": summary.safety_considerations,
        "requested_licence_conditions": summary.requested_licence_conditions,
    }


def victim_record(victim: Victim) -> dict[str, object]:
    return {
        "id": victim.pk,
        "event_number": victim.event.number,
        "name": victim.name,
        "address": victim.address,
        "postcode": victim.postcode,
        "telephone": victim.telephone,
        "email": victim.email,
        "contact_preference": victim.contact_preference,
        "safety_considerations": victim.safety_considerations,
        "offers": [
            {"offered_on": o.offered_on, "method": o.method, "accepted": o.accepted}
            for o in victim.offers.all()
        ],
        "information_given": [
            {"stage": i.stage, "given_on": i.given_on, "notes": i.notes}
            for i in victim.information_given.all()
        ],
        "representations": [
            {
                "received_on": r.received_on,
                "representation": r.representation,
                "requested_conditions": r.requested_conditions,
            }
            for r in victim.representations.all()
        ],
    }
