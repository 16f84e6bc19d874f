"""Stable codes for interventions, approved premises, MAPPA and PPO work (never free text)."""

from django.db import models


class Programme(models.TextChoices):
    ENHANCED_THINKING_SKILLS = "ets", "Enhanced Thinking Skills (ETS)"
    THINK_FIRST = "think_first", "Think First"
    INTEGRATED_DOMESTIC_ABUSE = "idap", "Integrated Domestic Abuse Programme (IDAP)"
    PRISONER_ADDRESSING_SUBSTANCE_MISUSE = "pasro", "Addressing Substance-Related Offending (ASRO/PASRO)"
    CONTROLLING_ANGER = "calm", "Controlling Anger and Learning to Manage it (CALM)"
    DRINK_IMPAIRED_DRIVERS = "did", "Drink Impaired Drivers (DID)"
    ONE_TO_ONE = "one_to_one", "One to One"
    SEX_OFFENDER = "csogp", "Community Sex Offender Groupwork Programme"


class NonCompletionReason(models.TextChoices):
    FAILED_TO_ATTEND = "failed_to_attend", "Failed to attend (breach)"
    DESELECTED = "deselected", "Deselected by the programme team"
    NEW_OFFENCE = "new_offence", "Further offence or custody"
    ILL_HEALTH = "ill_health", "Ill health"
    ORDER_REVOKED = "order_revoked", "Order revoked or ended"
    OTHER = "other", "Other"


class UnpaidWorkEntryKind(models.TextChoices):
    OFFERED = "offered", "Hours offered"
    WORKED = "worked", "Hours worked"
    STOOD_DOWN = "stood_down", "Stood down (not worked, not the person's fault)"
    SKILLS_FOR_LIFE = "skills_for_life", "Credited for skills for life"


class DrugTestResult(models.TextChoices):
    NEGATIVE = "negative", "Negative"
    POSITIVE = "positive", "Positive"
    REFUSED = "refused", "Refused"
    NOT_PROVIDED = "not_provided", "Sample not provided"


class DrrReviewOutcome(models.TextChoices):
    CONTINUE = "continue", "Order to continue"
    AMENDED = "amended", "Order amended"
    REVOKED = "revoked", "Order revoked"


class SkillsLevel(models.TextChoices):
    ENTRY_1 = "entry_1", "Entry level 1"
    ENTRY_2 = "entry_2", "Entry level 2"
    ENTRY_3 = "entry_3", "Entry level 3"
    LEVEL_1 = "level_1", "Level 1"
    LEVEL_2 = "level_2", "Level 2"


class EteOutcomeKind(models.TextChoices):
    INTO_EMPLOYMENT = "employment", "Into employment"
    INTO_TRAINING = "training", "Into training"
    INTO_EDUCATION = "education", "Into education"


class PremisesDecision(models.TextChoices):
    ACCEPTED = "accepted", "Accepted"
    REFUSED = "refused", "Refused"


class MappaCategory(models.IntegerChoices):
    REGISTERED_SEXUAL_OFFENDER = 1, "Category 1: registered sexual offender"
    VIOLENT_OR_OTHER_SEXUAL = 2, "Category 2: violent or other sexual offender"
    OTHER_DANGEROUS = 3, "Category 3: other dangerous offender"


class MappaLevel(models.IntegerChoices):
    ORDINARY = 1, "Level 1: ordinary agency management"
    MULTI_AGENCY = 2, "Level 2: multi-agency risk management"
    MAPPP = 3, "Level 3: multi-agency public protection panel (MAPPP)"
