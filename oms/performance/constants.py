"""Stable codes for performance, workforce, serious further offences and the organisational risk register."""

from django.db import models

from oms.organisation.constants import Role


class MeasureStatus(models.TextChoices):
    """spec/inspection.md, Performance measures: met, near miss (marked with an asterisk), missed."""

    MET = "met", "Met"
    NEAR_MISS = "near_miss", "Near miss"
    MISSED = "missed", "Missed"
    NO_DATA = "no_data", "No data"


class Rag(models.TextChoices):
    """Red, amber, green: never shown by colour alone, always with these words."""

    GREEN = "green", "Green"
    AMBER = "amber", "Amber"
    RED = "red", "Red"
    NONE = "none", "Not rated"


class SicknessReason(models.TextChoices):
    """The reason category of a sickness absence: broad on purpose (a manager's record, not a medical one).

    Local categories, not from the spec or the report; they follow the causes public-sector absence
    surveys count, so an area can see whether stress, the report's concern in 4.4(c), drives its figure.
    """

    MINOR_ILLNESS = "minor_illness", "Minor illness (colds, flu, stomach upsets, headaches)"
    MUSCULOSKELETAL = "musculoskeletal", "Musculoskeletal, including back problems"
    MENTAL_HEALTH = "mental_health", "Stress, depression, anxiety or other mental health"
    INJURY_AT_WORK = "injury_at_work", "Injury or assault at work"
    INJURY_OUTSIDE_WORK = "injury_outside_work", "Injury outside work"
    SERIOUS_ILLNESS = "serious_illness", "Serious or long-term illness, or recovery from an operation"
    OTHER = "other", "Other"


class SfoReviewStatus(models.TextChoices):
    DUE = "due", "Review due"
    OVERDUE = "overdue", "Review overdue"
    COMPLETED = "completed", "Review completed"


# Report criterion 4.4(d): "staff with direct offender contact should have supervision twice a quarter".
OFFENDER_CONTACT_ROLES = frozenset({Role.OFFENDER_MANAGER, Role.INTERVENTIONS})
# Who sees the performance table: senior managers for their area, SPOs for their unit.
PERFORMANCE_ROLES = frozenset({Role.SENIOR_MANAGER, Role.SENIOR_PROBATION_OFFICER})
# Who sees the workforce page: SPOs for the teams they manage, senior managers for the area.
WORKFORCE_ROLES = PERFORMANCE_ROLES
# The organisational risk register and the serious further offences register are senior managers'.
REGISTER_ROLES = frozenset({Role.SENIOR_MANAGER})
# spec/national.md: national users see across areas: the NPD's performance team and HM Inspectorate.
NATIONAL_REPORT_ROLES = frozenset({Role.NATIONAL_PERFORMANCE, Role.INSPECTOR})
# Only the NPD's performance team sets the national scorecard's weights.
NATIONAL_WEIGHT_ROLES = frozenset({Role.NATIONAL_PERFORMANCE})
