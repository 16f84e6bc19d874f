"""Stable codes for what a case records (never free text)."""

from django.db import models


class Gender(models.TextChoices):
    MALE = "male", "Male"
    FEMALE = "female", "Female"
    NOT_RECORDED = "not_recorded", "Not recorded"


class EthnicGroup(models.TextChoices):
    """The census group an ethnicity code belongs to: white, minority ethnic, or not stated."""

    WHITE = "white", "White"
    MINORITY_ETHNIC = "minority_ethnic", "Minority ethnic"
    NOT_STATED = "not_stated", "Not stated"


class EventKind(models.TextChoices):
    COMMUNITY_ORDER = "community_order", "Community order"
    SUSPENDED_SENTENCE_ORDER = "suspended_sentence_order", "Suspended sentence order"
    CUSTODY = "custody", "Custody"
    LICENCE = "licence", "Licence"


# Kinds that carry CJA 2003 requirements.
COMMUNITY_EVENT_KINDS = frozenset({EventKind.COMMUNITY_ORDER, EventKind.SUSPENDED_SENTENCE_ORDER})


class TerminationReason(models.TextChoices):
    COMPLETED = "completed", "Completed"
    REVOKED_ON_BREACH = "revoked_on_breach", "Revoked on breach"
    RECALLED = "recalled", "Recalled"
    TRANSFERRED = "transferred", "Transferred out"
    DIED = "died", "Died"
    OTHER = "other", "Other"


class RegistrationKind(models.TextChoices):
    PPO = "ppo", "Prolific and other priority offender"
    MAPPA = "mappa", "MAPPA"
    CHILD_PROTECTION = "child_protection", "Child protection"
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse"
    SELF_HARM = "self_harm", "Risk of self-harm"
    HATE_CRIME = "hate_crime", "Hate crime"


class PpoType(models.TextChoices):
    PROLIFIC = "prolific", "Prolific"
    PRIORITY = "priority", "Priority"


class TransferDirection(models.TextChoices):
    IN = "in", "Transferred in"
    OUT = "out", "Transferred out"
