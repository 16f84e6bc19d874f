"""Demo history: victims of the area's eligible cases, offered contact within 8 weeks at the calibrated rate."""

from __future__ import annotations

import random
from datetime import date, timedelta

from oms.cases.models import Event
from oms.demo.calibration import Quota, share
from oms.organisation.models import Area
from oms.victims import rules
from oms.victims.constants import ContactPreference, InformationStage, OfferMethod
from oms.victims.models import ContactOffer, InformationGiven, Victim
from oms.victims.queries import STATUTORY_EVENTS

FIRST_NAMES = ["Sarah", "James", "Aisha", "Tom", "Priya", "Grace", "Daniel", "Fatima", "Owen", "Helen"]
FAMILY_NAMES = ["Walker", "Khan", "Hughes", "Patel", "Evans", "Okafor", "Clarke", "Ward", "Bailey", "Shaw"]
SAFETY = [
    "Exclusion zone around the victim's home area requested; no contact, direct or indirect.",
    "Victim fears contact through social media: a no-contact condition is needed.",
    "Victim works in the town centre on weekdays.",
]


def enrich_victims(area: Area, as_of: date, rng: random.Random) -> None:
    events = list(
        Event.objects.filter(STATUTORY_EVENTS, offender__area=area, sentence_date__lte=as_of)
        .values_list("pk", "offender_id", "sentence_date")
        .order_by("sentence_date", "pk")
    )
    victims = [
        Victim(
            offender_id=offender_id,
            event_id=event_id,
            name=f"{rng.choice(FIRST_NAMES)} {rng.choice(FAMILY_NAMES)}",
            address=f"{rng.randint(1, 120)} {rng.choice(['Mill Lane', 'Church Street', 'Park Road'])}, Northampton",
            postcode=f"NN{rng.randint(1, 9)} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}",
            contact_preference=rng.choice(list(ContactPreference)),
            safety_considerations=rng.choice(SAFETY),
        )
        for event_id, offender_id, _ in events
    ]
    Victim.objects.bulk_create(victims, batch_size=500)
    offers, information = [], []
    # Report 4.2: 98% offered contact within eight weeks (target 85%), at that rate in date order.
    in_time = Quota(share("victim_contact_within_eight_weeks"), rng)
    for victim, (_, _, sentence) in zip(victims, events, strict=True):
        due = rules.contact_offer_due(sentence)
        if in_time():
            offered = sentence + timedelta(days=rng.randint(5, (due - sentence).days))
        else:
            offered = due + timedelta(days=rng.randint(1, 40))
        if offered > as_of:
            continue
        offers.append(
            ContactOffer(
                victim=victim,
                offered_on=offered,
                # The scheme's letter: a written offer of face-to-face contact (report 2.3(a)).
                method=OfferMethod.FACE_TO_FACE,
                accepted=rng.random() < 0.6,
            )
        )
        information.append(InformationGiven(victim=victim, stage=InformationStage.SENTENCE, given_on=offered))
    ContactOffer.objects.bulk_create(offers, batch_size=500)
    InformationGiven.objects.bulk_create(information, batch_size=500)
