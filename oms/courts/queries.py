"""Reads of pre-sentence reports shared by pages, API and panels: a fixed number of queries each."""

from __future__ import annotations

from django.db.models import QuerySet

from oms.accounts.permissions import AnyUser, visible_cases
from oms.cases.models import Offender
from oms.courts.models import PreSentenceReport


def reports_visible_to(user: AnyUser) -> QuerySet[PreSentenceReport]:
    return PreSentenceReport.objects.filter(offender__in=visible_cases(user).values("pk")).select_related(
        "offender", "author__team", "author__grade", "offence"
    )


def court_report_list(
    user: AnyUser, *, team_id: int | None = None, outstanding_only: bool = False
) -> QuerySet[PreSentenceReport]:
    """The reports of the user's teams or area, soonest due first for outstanding ones."""
    reports = reports_visible_to(user)
    if team_id:
        reports = reports.filter(author__team_id=team_id)
    if outstanding_only:
        reports = reports.filter(delivered_on__isnull=True)
    return reports.order_by("delivered_on", "requested_on", "id")


def reports_for_case(offender: Offender) -> list[PreSentenceReport]:
    return list(PreSentenceReport.objects.filter(offender=offender).select_related("author", "offence"))


def report_record(report: PreSentenceReport) -> dict[str, object]:
    """The report as the API and CLI print it."""
    return {
        "id": report.pk,
        "crn": report.offender.crn,
        "kind": report.kind,
        "court": report.court,
        "court_type": report.court_type,
        "requested_on": report.requested_on,
        "remanded_in_custody": report.remanded_in_custody,
        "offence_code": report.offence_id or "",
        "author": report.author.full_name if report.author else None,
        "due_on": report.due_on,
        "delivered_on": report.delivered_on,
        "working_days_late": report.working_days_late,
        "proposal": report.proposal,
        "sentence_passed": report.sentence_passed,
        "court_followed_proposal": report.court_followed_proposal,
        "sentencer_feedback": report.sentencer_feedback,
        "version": report.version,
    }
