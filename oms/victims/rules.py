"""Statutory victim contact: when it applies and when the offers are due. Pure.

spec/national-standards.md, Victims:
| statutory victim contact offered          | sentence | 8 weeks (target 85%) | violent or sexual offence, custody 12 months+ |
| written offer of face-to-face contact     | sentence | 40 WD                | as above |
"""

from __future__ import annotations

from datetime import date

from oms.timescales.calendar import add_weeks, add_working_days

STATUTORY_CUSTODY_MONTHS = 12  # Victims: "custody 12 months+"
CONTACT_OFFER_WEEKS = 8  # Victims: statutory victim contact offered within 8 weeks of sentence
FACE_TO_FACE_OFFER_WORKING_DAYS = 40  # Victims: written offer of face-to-face contact, 40 WD
CONTACT_OFFERED_TARGET_PERCENT = 85  # Victims: target 85%

# oms.cases.constants.EventKind codes for sentences of custody (a licence follows custody).
CUSTODIAL_EVENT_KINDS = frozenset({"custody", "licence"})


def statutory_contact_applies(*, violent_or_sexual: bool, event_kind: str, length_months: int) -> bool:
    """The Victim Contact Scheme is statutory for a violent or sexual offence with 12 months' custody or more."""
    return (
        violent_or_sexual
        and event_kind in CUSTODIAL_EVENT_KINDS
        and length_months >= STATUTORY_CUSTODY_MONTHS
    )


def contact_offer_due(sentence_date: date) -> date:
    return add_weeks(sentence_date, CONTACT_OFFER_WEEKS)


def face_to_face_offer_due(sentence_date: date) -> date:
    return add_working_days(sentence_date, FACE_TO_FACE_OFFER_WORKING_DAYS)
