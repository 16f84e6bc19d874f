"""Countersigning: the management oversight the report found taking two or three months.

An assessment or plan is written (draft), submitted, then either countersigned and locked by the
author's manager, or rolled back with a reason, as many times as it takes. Work that does not need a
countersignature is locked when it is submitted. A locked document is never edited again: a
reassessment is a new document (a new `sequence` number pointing at the one it replaces), so the
case keeps every version and can show what changed.

Everything that is countersigned inherits `CountersignedDocument` (risk assessments and plans here,
sentence plans in planning/); every submit, countersignature and rollback is logged in
`CountersigningEvent`, the access log and the record history. Subclasses override three hooks:
`submission_problems()` (what stops a submission), `risk_of_harm_level_for_countersigning()` (the
level the rule reads) and `refresh_derived()`. What a locked document changes elsewhere (the case's RoH
level, its tier) is the owning app's service, registered with `when_locked` (oms/risk/services.py), so
the models never call the tiering services (which read the risk models).

The rules themselves (who must countersign, when the wait is overdue, a deputy's dates) are pure
functions in `countersigning_rules.py`; the default is the spec's: high and very high RoH cases, and
work by PSOs and TPOs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, ClassVar

from django.apps import apps
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from oms.accounts.audit import record_access
from oms.accounts.models import AccessAction
from oms.accounts.permissions import limited_access_filter, staff_of
from oms.accounts.refusals import CaseRefused
from oms.cases.models import Offender
from oms.cases.services import CaseRuleError, StaleRecordError
from oms.cases.upkeep import case_write
from oms.organisation.constants import Role
from oms.organisation.models import Staff
from oms.risk.countersigning_rules import (
    DEFAULT_COUNTERSIGNING_CONFIG,
    CountersigningConfig,
    countersigning_overdue,
    countersigning_required,
    deputy_in_post,
)
from oms.timescales.calendar import working_days_between

User = AbstractBaseUser | AnonymousUser


# ------------------------------------------------------------------------------------------ models
class CountersigningStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Awaiting countersignature"
    ROLLED_BACK = "rolled_back", "Rolled back"
    LOCKED = "locked", "Locked"


EDITABLE_STATUSES = frozenset({CountersigningStatus.DRAFT, CountersigningStatus.ROLLED_BACK})


class CountersigningAction(models.TextChoices):
    SUBMITTED = "submitted", "Submitted for countersigning"
    COUNTERSIGNED = "countersigned", "Countersigned and locked"
    ROLLED_BACK = "rolled_back", "Rolled back"
    COMPLETED = "completed", "Completed and locked (no countersignature needed)"


class CountersignedDocument(models.Model):
    """An assessment or plan that goes draft → submitted → countersigned and locked (or rolled back)."""

    document_name: ClassVar[str] = "document"

    offender = models.ForeignKey(
        "cases.Offender", on_delete=models.CASCADE, related_name="%(app_label)s_%(class)s_set"
    )
    event = models.ForeignKey(
        "cases.Event", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    author = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=20, choices=CountersigningStatus.choices, default=CountersigningStatus.DRAFT, db_index=True
    )
    sequence = models.PositiveIntegerField(default=1, help_text="1 for the first of its kind on the case")
    previous = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The version replaced",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # The countersigning clock runs from here: a roll-back and resubmission does not restart it
    # (report 1.2(b): work "countersigned two or three months later").
    first_submitted_at = models.DateTimeField(null=True, blank=True)
    countersigning_required = models.BooleanField(null=True, blank=True)
    countersigned_by = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    countersigned_at = models.DateTimeField(null=True, blank=True)
    locked_at = models.DateTimeField(null=True, blank=True)
    rollback_count = models.PositiveSmallIntegerField(default=0)
    last_rollback_reason = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    objects: ClassVar[models.Manager[Any]] = models.Manager()
    history = HistoricalRecords(inherit=True, excluded_fields=["version", "updated_at"])

    class Meta:
        abstract = True
        ordering = ["offender", "-sequence"]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display().lower()})"

    # -- hooks for subclasses
    def submission_problems(self) -> list[tuple[str, str]]:
        """(field, message) for everything that stops this document being submitted."""
        return []

    def risk_of_harm_level_for_countersigning(self) -> str | None:
        return self.offender.risk_of_harm_level or None

    def refresh_derived(self) -> None:
        """Recompute what is derived from the answers (overall level, OGRS3...) before each save."""

    def copy_for_new_version(self) -> dict[str, Any]:
        """The answers a reassessment starts from, so nothing is keyed twice."""
        base = CountersignedDocument._meta.local_fields
        skip = {f.name for f in base} | {f.attname for f in base} | {"id"}
        keep_links = {"offender", "event"}
        return {
            f.attname: getattr(self, f.attname)
            for f in type(self)._meta.concrete_fields
            if f.name in keep_links or f.name not in skip
        }

    # -- state
    @property
    def title(self) -> str:
        """ "Full RoH analysis 2": the short name as a heading."""
        return self.short_name[:1].upper() + self.short_name[1:]

    @property
    def short_name(self) -> str:
        """ "full RoH analysis 2": what the access log and the tier history call it."""
        return f"{self.document_name} {self.sequence}"

    @property
    def clock_started_at(self) -> datetime | None:
        """When the countersigning clock started: the first submission (older rows: the latest)."""
        return self.first_submitted_at or self.submitted_at

    def working_days_to_lock(self, today: date | None = None) -> int | None:
        """Working days from the first submission to the lock, or to `today` while it waits.

        None for work never submitted; work that needed no countersignature is locked at once (0).
        """
        started = self.clock_started_at
        if started is None:
            return None
        end = timezone.localdate(self.locked_at) if self.locked_at else (today or timezone.localdate())
        return working_days_between(timezone.localdate(started), end)

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def is_locked(self) -> bool:
        return self.status == CountersigningStatus.LOCKED


class CountersigningEvent(models.Model):
    """Each submit, countersignature and rollback of any countersigned document: who, when, why."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    offender = models.ForeignKey(
        "cases.Offender", on_delete=models.CASCADE, related_name="countersigning_events"
    )
    document = models.CharField(max_length=100)
    action = models.CharField(max_length=20, choices=CountersigningAction.choices)
    by = models.ForeignKey(Staff, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(blank=True)
    working_days_waiting = models.IntegerField(null=True, blank=True)

    class Meta:
        app_label = "risk"
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.document}: {self.get_action_display()}"


class CountersigningPolicy(models.Model):
    """An area's own countersigning rule; without one, the spec's default applies."""

    area = models.OneToOneField(
        "organisation.Area", on_delete=models.CASCADE, related_name="countersigning_policy"
    )
    risk_of_harm_levels = models.JSONField(default=list, help_text='e.g. ["high", "very_high"]')
    author_grades = models.JSONField(default=list, help_text='e.g. ["PSO", "TPO"]')
    history = HistoricalRecords()

    class Meta:
        app_label = "risk"
        verbose_name_plural = "countersigning policies"

    def as_config(self) -> CountersigningConfig:
        return CountersigningConfig(frozenset(self.risk_of_harm_levels), frozenset(self.author_grades))


class CountersigningDeputy(models.Model):
    """Someone who may countersign for a team while its manager is away (dated, like a grant)."""

    team = models.ForeignKey(
        "organisation.Team", on_delete=models.CASCADE, related_name="countersigning_deputies"
    )
    deputy = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="countersigning_deputy_for")
    valid_from = models.DateField()
    valid_until = models.DateField(null=True, blank=True)
    reason = models.CharField(max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        app_label = "risk"
        verbose_name_plural = "countersigning deputies"


def config_for_area(area_id: int | None) -> CountersigningConfig:
    policy = CountersigningPolicy.objects.filter(area_id=area_id).first() if area_id else None
    return policy.as_config() if policy else DEFAULT_COUNTERSIGNING_CONFIG


# ----------------------------------------------------------------------------------- who may sign
def deputised_team_ids(staff: Staff, on: date | None = None) -> list[int]:
    """The teams this person is named deputy for on the day `on` (one query; a person is named for
    few teams, so the dates are compared here, by the pure rule)."""
    on = on or timezone.localdate()
    named = CountersigningDeputy.objects.filter(deputy=staff).values_list(
        "team_id", "valid_from", "valid_until"
    )
    return [
        team_id for team_id, valid_from, valid_until in named if deputy_in_post(valid_from, valid_until, on)
    ]


def countersignable_filter(staff: Staff, on: date | None = None) -> Q:
    """Documents this person may countersign: their teams' authors' work (and, for an author with no
    team, such as a prison offender supervisor, the work on their teams' cases), and the teams they
    deputise for. Never their own."""
    team_ids = (
        list(staff.manages_teams.values_list("pk", flat=True))
        if staff.grade.role == Role.SENIOR_PROBATION_OFFICER
        else []
    )
    team_ids += deputised_team_ids(staff, on)
    if not team_ids:
        return Q(pk__in=[])
    # Limited access holds here too: an SPO or deputy excluded from a case never sees its work queued.
    case_not_kept_from_them = Exists(
        Offender.objects.filter(pk=OuterRef("offender_id")).filter(limited_access_filter(staff))
    )
    return (
        (
            Q(author__team_id__in=team_ids)
            | Q(author__team__isnull=True, offender__offender_manager__team_id__in=team_ids)
        )
        & ~Q(author=staff)
        & Q(case_not_kept_from_them)
    )


def may_countersign(user: User, document: CountersignedDocument) -> bool:
    staff = staff_of(user)
    if staff is None or not staff.is_active:
        return False
    return type(document).objects.filter(pk=document.pk).filter(countersignable_filter(staff)).exists()


def document_models() -> list[type[CountersignedDocument]]:
    """Every concrete countersigned document, from every app (sentence plans included)."""
    return [
        model
        for model in apps.get_models()
        if issubclass(model, CountersignedDocument) and not model._meta.abstract
    ]


# ------------------------------------------------------------------------------------------ writes
def _bump(document: CountersignedDocument, expected_version: int) -> None:
    updated = (
        type(document)
        .objects.filter(pk=document.pk, version=expected_version)
        .update(version=expected_version + 1)
    )
    if not updated:
        raise StaleRecordError(f"This {document.document_name}")
    document.version = expected_version + 1


def _log(
    user: User,
    document: CountersignedDocument,
    action: CountersigningAction,
    *,
    reason: str = "",
    waited: int | None = None,
) -> None:
    CountersigningEvent.objects.create(
        content_type=ContentType.objects.get_for_model(type(document)),
        object_id=document.pk,
        offender_id=document.offender_id,
        document=document.title[:100],
        action=action,
        by=staff_of(user),
        reason=reason,
        working_days_waiting=waited,
    )
    words = f"{document.short_name}: {CountersigningAction(action).label.lower()}"
    if reason:
        words += f" ({reason})"
    record_access(user, AccessAction.CHANGE, words[:200], crn=document.offender.crn)


LockedHandler = Callable[[User, Any], None]
_WHEN_LOCKED: list[tuple[type[CountersignedDocument], LockedHandler]] = []


def when_locked(model: type[CountersignedDocument]) -> Callable[[LockedHandler], LockedHandler]:
    """Register the service that brings other records up to date once a document of `model` is
    locked; it runs in the locking transaction."""

    def register(handler: LockedHandler) -> LockedHandler:
        _WHEN_LOCKED.append((model, handler))
        return handler

    return register


def _lock(user: User, document: CountersignedDocument, now: datetime) -> None:
    document.status = CountersigningStatus.LOCKED
    document.locked_at = now
    document.updated_at = now
    document.save()
    for model, handler in _WHEN_LOCKED:
        if isinstance(document, model):
            handler(user, document)


@case_write
def submit(user: User, document: CountersignedDocument, *, expected_version: int) -> CountersignedDocument:
    """Submit a draft. The submitter becomes its author (ownership passes with the work, e.g. from the
    prison offender supervisor to the offender manager at release); countersigning is decided now."""
    author = staff_of(user)
    if author is None:
        raise CaseRuleError("Only a member of staff can submit an assessment or plan")
    if not document.is_editable:
        raise CaseRuleError(
            f"This {document.document_name} is {document.get_status_display().lower()}: it cannot be submitted"
        )
    problems = document.submission_problems()
    if problems:
        field, message = problems[0]
        raise CaseRuleError(message, field=field, problems=list(problems))
    _bump(document, expected_version)
    now = timezone.now()
    document.author = author
    document.submitted_at = now
    if document.first_submitted_at is None:
        document.first_submitted_at = now
    document.countersigning_required = countersigning_required(
        author.grade_id,
        document.risk_of_harm_level_for_countersigning(),
        config_for_area(document.offender.area_id),
    )
    if document.countersigning_required:
        document.status = CountersigningStatus.SUBMITTED
        document.updated_at = now
        document.save()
        _log(user, document, CountersigningAction.SUBMITTED)
    else:
        _log(user, document, CountersigningAction.COMPLETED)
        _lock(user, document, now)
    return document


def _waiting(document: CountersignedDocument) -> int | None:
    started = document.clock_started_at
    if started is None:
        return None
    return working_days_between(timezone.localdate(started), timezone.localdate())


def _check_countersigner(user: User, document: CountersignedDocument) -> None:
    if document.status != CountersigningStatus.SUBMITTED:
        raise CaseRuleError(f"This {document.document_name} is not awaiting countersignature")
    staff = staff_of(user)
    # Whoever may not countersign is refused (a 403 at every door, logged), as the pages refuse them.
    if staff is not None and staff.pk == document.author_id:
        raise CaseRefused("You cannot countersign your own work", crn=document.offender.crn)
    if not may_countersign(user, document):
        raise CaseRefused(
            "Only the author's manager, or a deputy named for their team, can countersign this",
            crn=document.offender.crn,
        )


@case_write
def countersign(
    user: User, document: CountersignedDocument, *, expected_version: int
) -> CountersignedDocument:
    _check_countersigner(user, document)
    _bump(document, expected_version)
    now = timezone.now()
    waited = _waiting(document)
    document.countersigned_by = staff_of(user)
    document.countersigned_at = now
    _log(user, document, CountersigningAction.COUNTERSIGNED, waited=waited)
    _lock(user, document, now)
    return document


@case_write
def roll_back(
    user: User, document: CountersignedDocument, *, reason: str, expected_version: int
) -> CountersignedDocument:
    """Send the work back to its author with what must improve; it may be resubmitted any number of times."""
    _check_countersigner(user, document)
    if not reason.strip():
        raise CaseRuleError("Enter what must be improved before this can be countersigned", field="reason")
    _bump(document, expected_version)
    document.status = CountersigningStatus.ROLLED_BACK
    document.rollback_count += 1
    document.last_rollback_reason = reason.strip()
    document.updated_at = timezone.now()
    document.save()
    _log(user, document, CountersigningAction.ROLLED_BACK, reason=reason.strip(), waited=_waiting(document))
    return document


def save_draft(
    user: User, document: CountersignedDocument, changes: dict[str, Any], *, expected_version: int
) -> CountersignedDocument:
    """Change a draft (never a submitted or locked one). Call inside the caller's transaction."""
    if not document.is_editable:
        raise CaseRuleError(
            f"This {document.document_name} is {document.get_status_display().lower()} and cannot be changed"
            + ("; start a new version to reassess" if document.is_locked else "")
        )
    _bump(document, expected_version)
    for name, value in changes.items():
        setattr(document, name, value)
    document.refresh_derived()
    document.updated_at = timezone.now()
    document.save()
    record_access(
        user,
        AccessAction.CHANGE,
        f"{document.document_name} {document.sequence}: changed {', '.join(sorted(changes))}"[:200],
        crn=document.offender.crn,
    )
    return document


# ----------------------------------------------------------------------------------------- queue
@dataclass(frozen=True)
class AwaitingCountersignature:
    document: CountersignedDocument
    working_days_waiting: int
    overdue: bool


def awaiting_countersignature(staff: Staff, today: date | None = None) -> list[AwaitingCountersignature]:
    """The work this person may countersign, oldest first: one query per kind of document."""
    today = today or timezone.localdate()
    condition = countersignable_filter(staff, today)
    rows: list[AwaitingCountersignature] = []
    for model in document_models():
        documents: Iterable[CountersignedDocument] = model.objects.filter(
            condition, status=CountersigningStatus.SUBMITTED
        ).select_related("offender", "author__grade", "event")
        for document in documents:
            started = document.clock_started_at
            assert started is not None
            waited = working_days_between(timezone.localdate(started), today)
            rows.append(AwaitingCountersignature(document, waited, countersigning_overdue(waited)))
    rows.sort(key=lambda row: (row.document.clock_started_at, row.document.pk))
    return rows
