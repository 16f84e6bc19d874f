"""Stable codes for inspections: what kind, where it has got to, who assesses, which questionnaire."""

from __future__ import annotations

from django.db import models

# spec "Frameworks are data": OMS ships `omi-2007`, the report's framework.
DEFAULT_FRAMEWORK_ID = "omi-2007"
# spec "After publication": "the improvement plan is due four weeks after publication".
IMPROVEMENT_PLAN_DUE_WEEKS = 4
# spec "Sampling" 1: "a random sample of about 100 offenders".
DEFAULT_SAMPLE_SIZE = 100


class InspectionKind(models.TextChoices):
    INSPECTION = "inspection", "Offender Management Inspection"
    SELF_ASSESSMENT = "self_assessment", "Self-assessment"


class InspectionStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    FIELDWORK = "fieldwork", "Fieldwork"
    DRAFT = "draft", "Draft report"
    PUBLISHED = "published", "Published"


# Allowed moves only: a draft can go back to fieldwork (more cases to read), a published report never
# changes status again (its improvement plan takes over).
STATUS_TRANSITIONS: dict[str, tuple[str, ...]] = {
    InspectionStatus.PLANNED: (InspectionStatus.FIELDWORK,),
    InspectionStatus.FIELDWORK: (InspectionStatus.DRAFT,),
    InspectionStatus.DRAFT: (InspectionStatus.FIELDWORK, InspectionStatus.PUBLISHED),
    InspectionStatus.PUBLISHED: (),
}
# DESIGN "Users and roles": the inspection team reads sampled cases only while the work is open.
OPEN_STATUSES = frozenset({InspectionStatus.FIELDWORK, InspectionStatus.DRAFT})


class TeamRole(models.TextChoices):
    INSPECTOR = "inspector", "Inspector"
    AREA_ASSESSOR = "area_assessor", "Area assessor"


class SamplingMethod(models.TextChoices):
    OMI = "omi", "OMI sample (Appendix 2)"
    STRATIFIED = "stratified", "Stratified case sampler"


class AnswerValue(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_RELEVANT = "na", "Not relevant"


class QuestionnaireKind(models.TextChoices):
    OFFENDERS = "offenders", "offenders"
    VICTIMS = "victims", "victims"
    SENTENCERS = "sentencers", "sentencers"
