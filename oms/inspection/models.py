"""An inspection (or an area's self-assessment), its sample, the answers per case, and the report.

The framework (questions, bands, threads) is data in YAML: answers store the framework's question ids
and are validated against it on save by the services, so a typo can never score.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from oms.cases.models import Offender
from oms.inspection.constants import (
    DEFAULT_FRAMEWORK_ID,
    AnswerValue,
    InspectionKind,
    InspectionStatus,
    QuestionnaireKind,
    SamplingMethod,
    TeamRole,
)
from oms.organisation.models import Area, Staff


class Inspection(models.Model):
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="inspections")
    framework_id = models.CharField(max_length=60, default=DEFAULT_FRAMEWORK_ID)
    kind = models.CharField(max_length=20, choices=InspectionKind.choices, default=InspectionKind.INSPECTION)
    status = models.CharField(
        max_length=20, choices=InspectionStatus.choices, default=InspectionStatus.PLANNED, db_index=True
    )
    fieldwork_start = models.DateField()
    fieldwork_end = models.DateField()
    published_on = models.DateField(null=True, blank=True)
    lead = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="inspections_led")
    summary = models.TextField(blank=True, help_text="The report's summary, written by the lead inspector")
    good_practice = models.TextField(blank=True, help_text="Sharing good practice")
    sample_method = models.CharField(max_length=20, choices=SamplingMethod.choices, blank=True)
    sample_seed = models.CharField(max_length=40, blank=True)
    sample_size = models.PositiveSmallIntegerField(null=True, blank=True)
    sample_as_of = models.DateField(null=True, blank=True)
    # The sampler's whole output: cases, adjustments, shortfalls and (stratified) every group's trail.
    sampling_result = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=["version", "sampling_result"])

    class Meta:
        ordering = ["-fieldwork_start", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.area} ({self.fieldwork_start:%B %Y})"

    @property
    def is_self_assessment(self) -> bool:
        return self.kind == InspectionKind.SELF_ASSESSMENT


class TeamMember(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="team")
    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="inspection_roles")
    role = models.CharField(max_length=20, choices=TeamRole.choices)
    history = HistoricalRecords()

    class Meta:
        unique_together = [("inspection", "staff")]
        ordering = ["role", "staff__family_name"]


class SampledCase(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="sampled_cases")
    offender = models.ForeignKey(Offender, on_delete=models.PROTECT, related_name="inspection_samples")
    row = models.PositiveSmallIntegerField()
    stratum = models.CharField(max_length=60, blank=True)
    officer = models.CharField(max_length=200, blank=True)
    assessor_role = models.CharField(max_length=20, choices=TeamRole.choices)
    assessor = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="cases_to_assess"
    )
    history = HistoricalRecords()

    class Meta:
        unique_together = [("inspection", "offender")]
        ordering = ["row"]


class Answer(models.Model):
    """One question for one sampled case; ``value`` blank until answered, pre-fill kept beside it."""

    sampled_case = models.ForeignKey(SampledCase, on_delete=models.CASCADE, related_name="answers")
    question_id = models.CharField(max_length=20)
    value = models.CharField(max_length=3, choices=AnswerValue.choices, blank=True)
    note = models.TextField(blank=True)
    prefilled_value = models.CharField(max_length=3, choices=AnswerValue.choices, blank=True)
    prefill_evidence = models.TextField(blank=True)
    confirmed_by = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        unique_together = [("sampled_case", "question_id")]


class OffenderManagerInterview(models.Model):
    sampled_case = models.OneToOneField(SampledCase, on_delete=models.CASCADE, related_name="interview")
    interviewed_on = models.DateField()
    interviewed_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    offender_manager_name = models.CharField(max_length=200, blank=True)
    notes = models.TextField()
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=["version"])


class Section4Rating(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="ratings")
    criterion_id = models.CharField(max_length=20)
    rating = models.CharField(max_length=40)
    evidence = models.TextField()
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        unique_together = [("inspection", "criterion_id")]


class Questionnaire(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="questionnaires")
    kind = models.CharField(max_length=20, choices=QuestionnaireKind.choices)
    sent = models.PositiveIntegerField()
    returned = models.PositiveIntegerField()
    answers_summary = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        unique_together = [("inspection", "kind")]


class ReportText(models.Model):
    """Inspectors' words for one criterion's part of the report, beside the generated findings."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="report_texts")
    criterion_id = models.CharField(max_length=20)
    strengths = models.TextField(blank=True, help_text="Extra strengths, one a line")
    areas_for_improvement = models.TextField(blank=True, help_text="Extra areas for improvement, one a line")
    narrative = models.TextField(blank=True)
    # The inspector's call on each question's finding: {"1.2.f": "area", "1.2.a": "strength", ...}.
    finding_calls = models.JSONField(default=dict, blank=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        unique_together = [("inspection", "criterion_id")]


class Recommendation(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="recommendations")
    number = models.PositiveSmallIntegerField()
    text = models.TextField()
    history = HistoricalRecords()

    class Meta:
        unique_together = [("inspection", "number")]
        ordering = ["number"]


class ImprovementPlanAction(models.Model):
    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="actions")
    action = models.TextField()
    owner = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="improvement_actions")
    due_date = models.DateField()
    progress = models.TextField(blank=True)
    done = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        ordering = ["due_date", "id"]


class PublishedReport(models.Model):
    """One published version of an inspection's report, frozen: never updated or deleted.

    Publishing stores the rendered report (the HTML file, the page's HTML, the PDF) with the figures it
    shows and their stated dates; rendering a published report returns the latest version's bytes, so
    later changes to the records never change what was published. A correction is a new version with
    its reason; the earlier versions stay.
    """

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="published_reports")
    number = models.PositiveSmallIntegerField(help_text="1 for the report as first published")
    reason = models.TextField(help_text="Why this version was published (a correction says what it corrects)")
    published_on = models.DateField()
    caseload_as_of = models.DateField(help_text="Appendix 1 counts the caseload on this day")
    performance_from = models.DateField()
    performance_to = models.DateField()
    # Appendix 1, the performance table, the scores, the section 4 ratings and the findings as shown.
    figures = models.JSONField(default=dict)
    html = models.TextField(help_text="The report file, stylesheet inlined (also the PDF's source)")
    page_html = models.TextField(help_text="The same report as served, with the stylesheet linked")
    pdf = models.BinaryField()
    html_sha256 = models.CharField(max_length=64)
    pdf_sha256 = models.CharField(max_length=64)
    published_by = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        unique_together = [("inspection", "number")]
        ordering = ["inspection", "-number"]

    def __str__(self) -> str:
        return f"{self.inspection}: version {self.number} ({self.published_on.day} {self.published_on:%B %Y})"


class ReportPdf(models.Model):
    """The PDF of a report not yet published, made by a background job (issue 12: WeasyPrint takes
    seconds for a whole report, too long for a web request). The person who asked for it follows the
    job's page to the file; anyone who may see the inspection may download it, and each download is
    logged. (A published report's PDF is stored with its version when it is published.)"""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="report_pdfs")
    task_id = models.CharField(max_length=64, blank=True, help_text="The job that makes the file")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    pdf = models.BinaryField(null=True, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["inspection", "-requested_at"]

    def __str__(self) -> str:
        return f"PDF of the report of {self.inspection} asked for at {self.requested_at.day} {self.requested_at:%B %Y, %H:%M}"
