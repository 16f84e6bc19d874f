"""Pre-sentence reports: requested by a court, written by an author, delivered, and what the court did."""

from __future__ import annotations

from datetime import date

from django.db import models
from simple_history.models import HistoricalRecords

from oms.cases.models import OffenceCode, Offender
from oms.courts import rules
from oms.courts.constants import COMMUNITY_PROPOSALS, CourtType, Proposal, ReportKind, ReportStatus
from oms.organisation.models import Staff


class PreSentenceReport(models.Model):
    offender = models.ForeignKey(Offender, on_delete=models.CASCADE, related_name="pre_sentence_reports")
    kind = models.CharField(max_length=10, choices=ReportKind.choices)
    court = models.CharField(max_length=100)
    court_type = models.CharField(max_length=20, choices=CourtType.choices, default=CourtType.MAGISTRATES)
    requested_on = models.DateField(db_index=True)
    hearing_date = models.DateField(null=True, blank=True)
    offence = models.ForeignKey(
        OffenceCode, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    remanded_in_custody = models.BooleanField(default=False)
    author = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="pre_sentence_reports"
    )
    # The written report: free-text sections drawn from the assessment (report criterion 1.1).
    risk_of_harm = models.TextField("Risk of harm (RoH)", blank=True)
    likelihood_of_reoffending = models.TextField(blank=True)
    victim_information = models.TextField(blank=True)
    self_harm = models.TextField("Risk of self-harm", blank=True)
    outline_sentence_plan = models.TextField(blank=True)
    proposal = models.CharField(max_length=30, choices=Proposal.choices, blank=True)
    delivered_on = models.DateField(null=True, blank=True)
    sentence_passed = models.CharField(max_length=30, choices=Proposal.choices, blank=True)
    court_followed_proposal = models.BooleanField(null=True, blank=True)
    sentencer_feedback = models.TextField(blank=True)
    feedback_received_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        ordering = ["-requested_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} requested {self.requested_on.day} {self.requested_on:%B %Y}"

    @property
    def remanded_at_magistrates(self) -> bool:
        return self.remanded_in_custody and self.court_type == CourtType.MAGISTRATES

    @property
    def due_on(self) -> date:
        """Computed from the rule, never stored: a rule change re-dates every report."""
        return rules.report_due(
            self.kind, self.requested_on, remanded_at_magistrates=self.remanded_at_magistrates
        )

    @property
    def status(self) -> str:
        if self.delivered_on:
            return ReportStatus.DELIVERED
        return ReportStatus.ALLOCATED if self.author_id else ReportStatus.REQUESTED

    @property
    def status_label(self) -> str:
        return ReportStatus(self.status).label

    @property
    def working_days_late(self) -> int | None:
        """None until delivered; then 0 when on time."""
        if self.delivered_on is None:
            return None
        return rules.working_days_late(self.due_on, self.delivered_on)

    def is_overdue_on(self, today: date) -> bool:
        return self.delivered_on is None and today > self.due_on

    @property
    def needs_outline_sentence_plan(self) -> bool:
        return self.proposal in COMMUNITY_PROPOSALS

    @property
    def written_text(self) -> str:
        return "\n".join(
            [
                self.risk_of_harm,
                self.likelihood_of_reoffending,
                self.victim_information,
                self.self_harm,
                self.outline_sentence_plan,
            ]
        )
