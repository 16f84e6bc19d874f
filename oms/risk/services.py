"""Writes for risk work: start, change, submit, countersign and roll back each assessment and plan.

One transaction each, recorded in the access log and the record history (through the countersigning
core). Reassessment never edits a locked document: it starts a new version from the last one.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Max

from oms.accounts.audit import record_access
from oms.accounts.models import AccessAction
from oms.accounts.permissions import staff_of
from oms.accounts.refusals import CaseRefused
from oms.cases.models import Event, Offender
from oms.cases.services import CaseRuleError
from oms.cases.upkeep import case_write, note_cases_changed
from oms.risk import countersigning
from oms.risk.countersigning import CountersignedDocument, CountersigningStatus
from oms.risk.levels import RiskOfHarmLevel
from oms.risk.models import DOCUMENT_KINDS, ReoffendingAssessment, RiskOfHarmAnalysis, RiskOfHarmScreening
from oms.risk.permissions import can_write_risk_work

User = AbstractBaseUser | AnonymousUser


def _refuse_unless_assessor(user: User, offender: Offender) -> None:
    if not can_write_risk_work(user, offender):
        raise CaseRefused(
            "Only the offender manager, their senior probation officer or the prison offender "
            "supervisor granted the case write its assessments",
            crn=offender.crn,
        )


def set_case_risk_of_harm_level(user: User, offender: Offender, level: str, *, because: str) -> None:
    """Keep the case's cached RoH level in step with the latest locked assessment, then re-tier."""
    from oms.tiering.recalculation import recalculate_cases

    if offender.risk_of_harm_level != level:
        Offender.objects.filter(pk=offender.pk).update(risk_of_harm_level=level)
        note_cases_changed([offender.pk])
        offender.risk_of_harm_level = level
        record_access(
            user, AccessAction.CHANGE, f"RoH level set to {level}: {because}"[:200], crn=offender.crn
        )
    recalculate_cases([offender.pk], trigger=f"{because} locked", user=user)


@countersigning.when_locked(RiskOfHarmScreening)
def _screening_locked(user: User, screening: RiskOfHarmScreening) -> None:
    # A screening that finds no indicator of serious harm sets the case's level to low; otherwise the
    # full analysis it calls for will set it.
    if not screening.full_analysis_needed:
        set_case_risk_of_harm_level(
            user, screening.offender, RiskOfHarmLevel.LOW.value, because=screening.short_name
        )


@countersigning.when_locked(RiskOfHarmAnalysis)
def _analysis_locked(user: User, analysis: RiskOfHarmAnalysis) -> None:
    set_case_risk_of_harm_level(user, analysis.offender, analysis.overall_level, because=analysis.short_name)


@countersigning.when_locked(ReoffendingAssessment)
def _reoffending_assessment_locked(user: User, assessment: ReoffendingAssessment) -> None:
    # OGRS3 and the needs feed the tier.
    from oms.tiering.recalculation import recalculate_cases

    recalculate_cases([assessment.offender_id], trigger=f"{assessment.short_name} locked", user=user)


def open_draft(offender: Offender, kind: str, event: Event | None = None) -> CountersignedDocument | None:
    """The draft (or rolled-back) document of this kind being worked on, if there is one."""
    model = DOCUMENT_KINDS[kind]
    drafts = model.objects.filter(offender=offender, status__in=countersigning.EDITABLE_STATUSES)
    if event is not None and kind == "screening":
        drafts = drafts.filter(event=event)
    return drafts.order_by("-sequence").first()


@case_write
def start_document(
    user: User, offender: Offender, kind: str, *, event: Event | None = None, **links: Any
) -> CountersignedDocument:
    """Open the draft to work on: an existing one, or a new version that starts from the last version
    (so a reassessment is not keyed again) — never an edit of a locked one."""
    _refuse_unless_assessor(user, offender)
    author = staff_of(user)
    if author is None:
        raise CaseRuleError("Only a member of staff can start an assessment or plan")
    existing = open_draft(offender, kind, event)
    if existing is not None:
        return existing
    model = DOCUMENT_KINDS[kind]
    waiting = model.objects.filter(offender=offender, status=CountersigningStatus.SUBMITTED)
    if kind == "screening" and event is not None:
        waiting = waiting.filter(event=event)
    if waiting.exists():
        raise CaseRuleError(
            f"A {model.document_name} is awaiting countersignature: it must be countersigned or rolled back first"
        )
    previous = model.objects.filter(offender=offender, status=CountersigningStatus.LOCKED)
    if kind == "screening" and event is not None:
        previous = previous.filter(event=event)
    last = previous.order_by("-sequence").first()
    highest = model.objects.filter(offender=offender).aggregate(highest=Max("sequence"))["highest"] or 0
    values: dict[str, Any] = last.copy_for_new_version() if last is not None else {}
    values.update({"offender_id": offender.pk, "author": author, "sequence": highest + 1, "previous": last})
    if event is not None:
        values["event_id"] = event.pk
    elif "event_id" not in values:
        current = offender.events.filter(is_active=True).order_by("-sentence_date").first()
        values["event_id"] = current.pk if current else None
    values.update(links)
    document = model(**values)
    document.refresh_derived()
    document.save()
    what = f"started {model.document_name} {document.sequence}"
    if last is not None:
        what += f" (reassessment of version {last.sequence})"
    record_access(user, AccessAction.CREATE, what, crn=offender.crn)
    return document


@case_write
def update_document(
    user: User, document: CountersignedDocument, changes: dict[str, Any], *, expected_version: int
) -> CountersignedDocument:
    _refuse_unless_assessor(user, document.offender)
    return countersigning.save_draft(user, document, changes, expected_version=expected_version)


@case_write
def submit_document(
    user: User, document: CountersignedDocument, *, expected_version: int
) -> tuple[CountersignedDocument, CountersignedDocument | None]:
    """Submit; a screening that indicates a full analysis opens one at once (report recommendation 1).

    Returns the document and the full analysis opened because of it, if any.
    """
    _refuse_unless_assessor(user, document.offender)
    countersigning.submit(user, document, expected_version=expected_version)
    opened = None
    if isinstance(document, RiskOfHarmScreening) and document.full_analysis_needed:
        already = RiskOfHarmAnalysis.objects.filter(screening=document).first()
        opened = already or start_document(
            user, document.offender, "analysis", event=document.event, screening_id=document.pk
        )
    return document, opened


def countersign_document(
    user: User, document: CountersignedDocument, *, expected_version: int
) -> CountersignedDocument:
    return countersigning.countersign(user, document, expected_version=expected_version)


def roll_back_document(
    user: User, document: CountersignedDocument, *, reason: str, expected_version: int
) -> CountersignedDocument:
    return countersigning.roll_back(user, document, reason=reason, expected_version=expected_version)
