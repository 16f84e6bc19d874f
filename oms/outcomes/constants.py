"""Stable codes for outcomes: what kind of further offence, where the news came from, what came of
victim awareness work, how the sentence was complied with, which restrictive measure moved which way."""

from __future__ import annotations

from django.db import models


class FurtherOffenceKind(models.TextChoices):
    """Report 3.1 (b): "Twenty-two offenders had been reconvicted ... and a further one had been cautioned"."""

    CONVICTION = "conviction", "Reconviction"
    CAUTION = "caution", "Caution"


class InformationSource(models.TextChoices):
    POLICE_NATIONAL_COMPUTER = "pnc", "Police National Computer"
    COURT = "court", "Court"
    POLICE = "police", "Police"
    OFFENDER = "offender", "The offender"
    OTHER_AGENCY = "other_agency", "Another agency"


class DomesticViolenceCheckResult(models.TextChoices):
    """Report 3.2 (b): call-outs reported in one case, none in six, not known in nine."""

    CALLOUTS = "callouts", "Police reported call-outs"
    NO_CALLOUTS = "no_callouts", "Police reported no call-outs"


class VictimAwarenessResult(models.TextChoices):
    """Report 3.2 (c): "Increased victim awareness had been demonstrated in only 24% of the relevant cases"."""

    DEMONSTRATED = "demonstrated", "Increased victim awareness demonstrated"
    NOT_DEMONSTRATED = "not_demonstrated", "Completed, no increase demonstrated"
    NOT_COMPLETED = "not_completed", "Not completed"


class SentenceCompliance(models.TextChoices):
    """Report 3.1 (b): "70% of the sample had complied with the requirements of their sentence"."""

    COMPLIED = "complied", "Complied with the requirements"
    PARTLY = "partly", "Complied in part (warnings, no breach)"
    BREACHED = "breached", "Did not comply (breach or recall)"


# The measures whose easing or increase report 3.1 (a) and 3.2 (a) count.
class RestrictiveMeasure(models.TextChoices):
    CURFEW = "curfew", "Curfew"
    ELECTRONIC_MONITORING = "electronic_monitoring", "Electronic monitoring"
    EXCLUSION_ZONE = "exclusion_zone", "Exclusion zone"
    APPROVED_PREMISES = "approved_premises", "Residence in approved premises"
    CONTACT_LEVEL = "contact_level", "Level of contact"
    LICENCE_CONDITION = "licence_condition", "Other licence condition"


class MeasureDirection(models.TextChoices):
    EASED = "eased", "Eased"
    INCREASED = "increased", "Increased"
