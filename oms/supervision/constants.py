"""Stable codes for contacts, enforcement and recall (spec/domain.md "Contacts and appointments",
"Enforcement"; spec/national-standards.md "Enforcement")."""

from django.db import models


class ContactTypeCode:
    """The codes of cases.ContactType (reference data loaded by the cases app)."""

    OFFICE = "office"
    HOME_VISIT = "home_visit"
    PROGRAMME_SESSION = "programme_session"
    UNPAID_WORK_SESSION = "unpaid_work_session"
    ETE = "ete"
    DRUG_TEST = "drug_test"
    TELEPHONE = "telephone"
    PARTNER_AGENCY = "partner_agency"


# Contacts that interventions staff deliver (report 2.1(b), 2.5): programmes, unpaid work, ETE.
INTERVENTION_CONTACT_TYPES = frozenset(
    {ContactTypeCode.PROGRAMME_SESSION, ContactTypeCode.UNPAID_WORK_SESSION, ContactTypeCode.ETE}
)
# Contacts a partner agency worker records (report 2.1(h): police, drug and alcohol services).
PARTNER_CONTACT_TYPES = frozenset({ContactTypeCode.PARTNER_AGENCY, ContactTypeCode.DRUG_TEST})
# Contacts where the person comes to the office, so reception checks them in.
RECEPTION_CONTACT_TYPES = frozenset(
    {ContactTypeCode.OFFICE, ContactTypeCode.DRUG_TEST, ContactTypeCode.PARTNER_AGENCY}
)


class ContactOutcome(models.TextChoices):
    ATTENDED_COMPLIED = "attended_complied", "Attended and complied"
    ACCEPTABLE_ABSENCE = "acceptable_absence", "Acceptable absence"
    UNACCEPTABLE_ABSENCE = "unacceptable_absence", "Unacceptable absence"
    FAILED_TO_COMPLY = "failed_to_comply", "Attended but failed to comply"


# The outcomes that are a failure to comply "without reasonable excuse" (CJA 2003 Sch 8 para 5).
UNACCEPTABLE_OUTCOMES = frozenset({ContactOutcome.UNACCEPTABLE_ABSENCE, ContactOutcome.FAILED_TO_COMPLY})
ABSENCE_OUTCOMES = frozenset({ContactOutcome.ACCEPTABLE_ABSENCE, ContactOutcome.UNACCEPTABLE_ABSENCE})


class HomeVisitPurpose(models.TextChoices):
    """Why a home visit is made (report 2.2(e): a purposeful home visit)."""

    RISK_OF_HARM = "risk_of_harm", "Assess or manage risk of harm"
    SAFEGUARDING = "safeguarding", "Safeguarding children"
    ADDRESS_CHECK = "address_check", "Check the address and who lives there"
    COMPLIANCE = "compliance", "Follow up non-compliance"
    TRANSFER_IN = "transfer_in", "First home visit after a transfer in"
    OTHER = "other", "Other"


class Repeat(models.TextChoices):
    NONE = "none", "Does not repeat"
    WEEKLY = "weekly", "Every week"
    FORTNIGHTLY = "fortnightly", "Every 2 weeks"


REPEAT_INTERVAL_DAYS = {Repeat.WEEKLY: 7, Repeat.FORTNIGHTLY: 14}
MAX_REPEATS = 26  # half a year of weekly appointments in one booking


class BreachOutcome(models.TextChoices):
    ORDER_CONTINUED = "order_continued", "Order continued"
    ORDER_AMENDED = "order_amended", "More onerous requirements added"
    FINE = "fine", "Fined, order continued"
    REVOKED_RESENTENCED = "revoked_resentenced", "Order revoked and re-sentenced"
    REVOKED_CUSTODY = "revoked_custody", "Order revoked: custody"
    WITHDRAWN = "withdrawn", "Breach withdrawn"


class RecallType(models.TextChoices):
    STANDARD = "standard", "Standard recall"
    FIXED_TERM = "fixed_term", "Fixed-term recall"
    NO_RECALL = "no_recall", "No recall (warning on licence)"


class RecallStatus(models.TextChoices):
    AWAITING_SPO = "awaiting_spo", "Awaiting senior probation officer sign-off"
    AWAITING_ACO = "awaiting_aco", "Awaiting assistant chief officer sign-off"
    SIGNED_OFF = "signed_off", "Signed off"
    DECIDED = "decided", "Outcome recorded"
    # Sent back to the offender manager with what is missing; they change it and resubmit.
    RETURNED = "returned", "Returned to the offender manager for more information"
    # Closed without a recall: the senior probation officer or the ACO judged it not needed.
    DECLINED = "declined", "Declined"


# A recommendation in one of these is finished: another may be made for the same licence.
CLOSED_RECALL_STATUSES = frozenset({RecallStatus.DECIDED, RecallStatus.DECLINED})


class RecallStep(models.TextChoices):
    """Each step of a recommendation's sign-off, as its history shows it."""

    SIGNED_OFF_SPO = "signed_off_spo", "Signed off by the senior probation officer"
    SIGNED_OFF_ACO = "signed_off_aco", "Signed off by the assistant chief officer"
    RETURNED = "returned", "Returned for more information"
    RESUBMITTED = "resubmitted", "Resubmitted"
    DECLINED = "declined", "Declined"


class RecallOutcome(models.TextChoices):
    RECALLED = "recalled", "Recalled to custody"
    RECALL_REFUSED = "recall_refused", "Recall refused by the Public Protection Casework Section"
    WARNING_ON_LICENCE = "warning_on_licence", "Warning given on licence"


class ReminderChannel(models.TextChoices):
    TEXT = "sms", "Text message"
    EMAIL = "email", "Email"
    NONE = "none", "No reminders"


class ReminderStatus(models.TextChoices):
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    DRY_RUN = "dry_run", "Not sent (dry run)"


class ReminderKind(models.TextChoices):
    BOOKED = "booked", "Appointment booked"
    DAY_BEFORE = "day_before", "Reminder the day before"
