"""Stable codes for sentence plans (never free text)."""

from django.db import models

from oms.planning.rules import SentencePurpose
from oms.risk.needs import CriminogenicNeed


class PlanKind(models.TextChoices):
    """spec/domain.md "Sentence plan: initial and reviews"; national-standards.md custody plan row."""

    INITIAL = "initial", "Initial sentence plan"
    REVIEW = "review", "Sentence plan review"
    CUSTODY = "custody", "Custody sentence plan"


class ObjectiveStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    ACHIEVED = "achieved", "Achieved"
    PARTLY_ACHIEVED = "partly_achieved", "Partly achieved"
    NOT_ACHIEVED = "not_achieved", "Not achieved"
    WITHDRAWN = "withdrawn", "No longer needed"


# An objective in one of these is finished: a review carries it forward only as history.
FINISHED_STATUSES = frozenset(
    {ObjectiveStatus.ACHIEVED, ObjectiveStatus.NOT_ACHIEVED, ObjectiveStatus.WITHDRAWN}
)


class Deliverer(models.TextChoices):
    """Who delivers an intervention (report 1.5(c): "clearly recorded who would deliver")."""

    OFFENDER_MANAGER = "offender_manager", "The offender manager"
    STAFF = "staff", "A named member of staff"
    PARTNER = "partner", "A partner agency"


class ContactLevel(models.TextChoices):
    """The planned contact level (spec "contact level": the default, raised for RoH and PPO)."""

    STANDARD = "standard", "Standard: 12 contacts in the first 12 weeks, 6 in the next 12, then monthly"
    ENHANCED = "enhanced", "Enhanced: weekly throughout (PPO or high RoH)"
    WEEKLY = "weekly", "Weekly"
    FORTNIGHTLY = "fortnightly", "Fortnightly"
    MONTHLY = "monthly", "Monthly"


NEED_CHOICES = [(need.value, need.label) for need in CriminogenicNeed]
PURPOSE_CHOICES = [(purpose.value, purpose.label) for purpose in SentencePurpose]
