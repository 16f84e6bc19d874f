"""Every write to a pre-sentence report: one transaction each, audit recorded, stale saves refused."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from oms.accounts.audit import record_access
from oms.accounts.models import AccessAction
from oms.cases.models import Offender
from oms.cases.services import CaseRuleError, StaleRecordError, User
from oms.cases.upkeep import case_write
from oms.courts import rules
from oms.courts.constants import COMMUNITY_PROPOSALS, CourtType, Proposal, ReportKind
from oms.courts.models import PreSentenceReport
from oms.organisation.models import Staff
from oms.risk.queries import has_completed_roh_screening

# The sections every written report must have before it is delivered (report criterion 1.1).
REQUIRED_SECTIONS = {
    "risk_of_harm": "Enter the risk of harm (RoH) section",
    "likelihood_of_reoffending": "Enter the likelihood of reoffending section",
    "victim_information": "Enter the victim information section",
    "self_harm": "Enter the risk of self-harm section",
}
REPORT_SECTIONS = (*REQUIRED_SECTIONS, "outline_sentence_plan")


@dataclass(frozen=True)
class ReportRequest:
    kind: str
    court: str
    court_type: str
    requested_on: date
    offence_code: str = ""
    remanded_in_custody: bool = False
    hearing_date: date | None = None


def _bump(report: PreSentenceReport, expected_version: int) -> None:
    updated = PreSentenceReport.objects.filter(pk=report.pk, version=expected_version).update(
        version=expected_version + 1
    )
    if not updated:
        raise StaleRecordError("This report")
    report.version = expected_version + 1


@case_write
def request_report(user: User, offender: Offender, request: ReportRequest) -> PreSentenceReport:
    if request.kind not in ReportKind.values:
        raise CaseRuleError("Choose the type of report", field="kind")
    if request.court_type not in CourtType.values:
        raise CaseRuleError("Choose the type of court", field="court_type")
    if not request.court.strip():
        raise CaseRuleError("Enter the court", field="court")
    if request.hearing_date and request.hearing_date < request.requested_on:
        raise CaseRuleError(
            "The hearing date must be on or after the date of the request", field="hearing_date"
        )
    report = PreSentenceReport.objects.create(
        offender=offender,
        kind=request.kind,
        court=request.court.strip(),
        court_type=request.court_type,
        requested_on=request.requested_on,
        hearing_date=request.hearing_date,
        offence_id=request.offence_code or None,
        remanded_in_custody=request.remanded_in_custody,
    )
    record_access(user, AccessAction.CREATE, f"requested {report}", crn=offender.crn)
    return report


@case_write
def allocate_author(
    user: User, report: PreSentenceReport, author: Staff, *, expected_version: int
) -> PreSentenceReport:
    if report.delivered_on:
        raise CaseRuleError("This report has already been delivered", field="author")
    if not author.grade.holds_caseload:
        raise CaseRuleError(f"{author} does not write reports: choose an offender manager", field="author")
    if author.area_id != report.offender.area_id:
        raise CaseRuleError("Choose an author from the case's area", field="author")
    _bump(report, expected_version)
    report.author = author
    report.save(update_fields=["author"])
    record_access(user, AccessAction.CHANGE, f"allocated {report} to {author}", crn=report.offender.crn)
    return report


@case_write
def write_report(
    user: User, report: PreSentenceReport, sections: dict[str, str], proposal: str, *, expected_version: int
) -> list[str]:
    """Save the sections and the proposal. Returns the PPO labels found in the text, to warn the author."""
    if report.delivered_on:
        raise CaseRuleError("A delivered report is not changed", field="risk_of_harm")
    if proposal and proposal not in Proposal.values:
        raise CaseRuleError("Choose the proposal", field="proposal")
    _bump(report, expected_version)
    for name in REPORT_SECTIONS:
        setattr(report, name, sections.get(name, "").strip())
    report.proposal = proposal
    report.save(update_fields=[*REPORT_SECTIONS, "proposal"])
    record_access(user, AccessAction.CHANGE, f"wrote {report}", crn=report.offender.crn)
    return rules.ppo_labels_in(report.written_text) if report.offender.is_ppo else []


def delivery_problems(report: PreSentenceReport) -> list[tuple[str, str]]:
    """(field, message) for each part a report must have before it goes to court."""
    problems: list[tuple[str, str]] = []
    if not report.author_id:
        problems.append(("author", "Allocate an author before the report is delivered"))
    if report.kind != ReportKind.ORAL:
        problems += [
            (name, message) for name, message in REQUIRED_SECTIONS.items() if not getattr(report, name)
        ]
    if not has_completed_roh_screening(report.offender):
        problems.append(
            (
                "risk_of_harm",
                "Complete an RoH screening of this person before the report goes to court: "
                "the report's RoH section rests on it",
            )
        )
    # The label is for agencies, never for the sentencer (report criterion 1.1): the report cannot
    # go to court while its text calls the person a PPO.
    labels = rules.ppo_labels_in(report.written_text)
    if labels:
        quoted = ", ".join(f"“{label}”" for label in dict.fromkeys(labels))
        problems.append(
            ("risk_of_harm", f"Remove {quoted}: a pre-sentence report does not label the person a PPO")
        )
    if not report.proposal:
        problems.append(("proposal", "Choose the proposal"))
    elif report.proposal in COMMUNITY_PROPOSALS and not report.outline_sentence_plan:
        problems.append(("outline_sentence_plan", "Enter an outline sentence plan for a community proposal"))
    return problems


@case_write
def deliver_report(
    user: User, report: PreSentenceReport, delivered_on: date, *, expected_version: int
) -> PreSentenceReport:
    if report.delivered_on:
        raise CaseRuleError("This report has already been delivered", field="delivered_on")
    if delivered_on < report.requested_on:
        raise CaseRuleError(
            "The delivery date must be on or after the date of the request", field="delivered_on"
        )
    problems = delivery_problems(report)
    if problems:
        raise CaseRuleError("; ".join(message for _, message in problems), field="delivered_on")
    _bump(report, expected_version)
    report.delivered_on = delivered_on
    report.save(update_fields=["delivered_on"])
    late = report.working_days_late
    record_access(
        user,
        AccessAction.CHANGE,
        f"delivered {report} " + ("on time" if not late else f"{late} working days late"),
        crn=report.offender.crn,
    )
    return report


@case_write
def record_outcome(
    user: User,
    report: PreSentenceReport,
    *,
    sentence_passed: str,
    feedback: str,
    feedback_received_on: date | None,
    expected_version: int,
) -> PreSentenceReport:
    """The sentence passed (so whether the court followed the proposal) and the sentencers' feedback."""
    if not report.delivered_on:
        raise CaseRuleError("Record the delivery before the court's decision", field="sentence_passed")
    if sentence_passed not in Proposal.values:
        raise CaseRuleError("Choose the sentence the court passed", field="sentence_passed")
    if feedback_received_on and feedback_received_on < report.delivered_on:
        raise CaseRuleError(
            "Feedback cannot be received before the report was delivered", field="feedback_received_on"
        )
    _bump(report, expected_version)
    report.sentence_passed = sentence_passed
    report.court_followed_proposal = sentence_passed == report.proposal
    report.sentencer_feedback = feedback.strip()
    report.feedback_received_on = feedback_received_on
    report.save(
        update_fields=[
            "sentence_passed",
            "court_followed_proposal",
            "sentencer_feedback",
            "feedback_received_on",
        ]
    )
    record_access(
        user, AccessAction.CHANGE, f"recorded the court's decision on {report}", crn=report.offender.crn
    )
    return report
