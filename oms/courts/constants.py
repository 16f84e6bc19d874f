"""Stable codes for pre-sentence reports (the Courts rows of spec/national-standards.md)."""

from django.db import models


class ReportKind(models.TextChoices):
    STANDARD_DELIVERY = "sdr", "Standard delivery report (SDR)"
    FAST_DELIVERY = "fdr", "Fast delivery report (FDR)"
    ORAL = "oral", "Oral report"


class CourtType(models.TextChoices):
    MAGISTRATES = "magistrates", "Magistrates' court"
    CROWN = "crown", "Crown Court"


class Proposal(models.TextChoices):
    COMMUNITY_ORDER = "community_order", "Community order"
    SUSPENDED_SENTENCE_ORDER = "suspended_sentence_order", "Suspended sentence order"
    CUSTODY = "custody", "Custody"
    FINE = "fine", "Fine"
    DISCHARGE = "discharge", "Discharge"
    NO_PROPOSAL = "none", "No proposal"


# Proposals for a community sentence need an outline sentence plan (report criterion 1.1).
COMMUNITY_PROPOSALS = frozenset({Proposal.COMMUNITY_ORDER, Proposal.SUSPENDED_SENTENCE_ORDER})


class ReportStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    ALLOCATED = "allocated", "Allocated"
    DELIVERED = "delivered", "Delivered"
