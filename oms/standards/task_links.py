"""Where each action is done: the form or record a row of the actions pages opens (issue 13 item 4).

Every rule is completed by a kind of record (`Rule.completed_by`), so the link sits next to that
record kind here, in one place, and covers an area's own rule file as well as the shipped one. Most
open a form of the case (book an appointment, the risk section's screening form); the enforcement
ones open the very record to act on (the absence to judge, the breach to resolve), found from the
action's trigger date with one query per kind of record on the page, whatever the page's length.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from oms.standards.rules import RecordKind

if TYPE_CHECKING:
    from oms.accounts.permissions import AnyUser


class Subject(StrEnum):
    """What a link needs besides the case: nothing, or the record the action is about."""

    CASE = "case"  # a page or form of the case: reverse(url_name, args=[crn, *args])
    ABSENCE = "absence"  # the contact not kept, on the trigger date
    BREACH = "breach"  # the breach whose failure was on the trigger date
    RECALL = "recall"  # the recall recommended on the trigger date
    DOCUMENT = "document"  # the assessment or plan submitted for countersigning on the trigger date
    REPORT = "report"  # the pre-sentence report requested on the trigger date
    MAPPA_MEETING = "mappa_meeting"  # the MAPPA meeting held on the trigger date, with its actions


class Doers(StrEnum):
    """Who may use a link that opens a form: the roles of the form's own permission rule. Everyone
    else who sees the action (an ACO overseeing the area, a victim liaison officer) is sent to the
    case instead of to a form that would refuse them."""

    EVERYONE = "everyone"  # a page, not a form: whoever sees the action may open it
    PLAN_READERS = "plan_readers"  # planning.permissions.can_read_plans: not partner agencies
    CASE_MANAGERS = "case_managers"  # supervision.permissions.can_manage_supervision
    CONTACT_RECORDERS = "contact_recorders"  # supervision.permissions.can_record_contact
    CASE_ADMINISTRATORS = "case_administrators"  # accounts.permissions.can_administer_case
    DELIVERY = "delivery"  # interventions.permissions.can_record_interventions
    MULTI_AGENCY = "multi_agency"  # interventions.permissions.can_manage_mappa_and_ppo


@dataclass(frozen=True)
class TaskLink:
    """The link text (what the person does) and where it goes."""

    label: str
    url_name: str
    args: tuple[str, ...] = ()
    fragment: str = ""
    subject: Subject = Subject.CASE
    doers: Doers = Doers.EVERYONE


_BOOK = TaskLink("Book an appointment", "supervision:book", doers=Doers.CASE_MANAGERS)
_RISK_PANEL = TaskLink("Start the RoH screening", "cases:section", ("risk",), "risk-panel")
_PLANS = TaskLink("Sentence plans", "planning:case", doers=Doers.PLAN_READERS)
_UNPAID_WORK = TaskLink("Record unpaid work", "interventions:record", ("unpaid-work",), doers=Doers.DELIVERY)
# The victims panel of the case, which everyone who sees the action may open: it links a victim
# liaison officer on to the victim contact page, which answers 403 to everyone else.
_VICTIMS = TaskLink("Victim contact", "cases:section", ("risk",), "victims-panel")

TASK_LINKS: dict[RecordKind, TaskLink] = {
    RecordKind.ALLOCATION: TaskLink("Allocate", "tiering:allocate", doers=Doers.CASE_ADMINISTRATORS),
    RecordKind.OFFENDER_SUPERVISOR_ALLOCATION: TaskLink(
        "Allocate", "cases:allocate", doers=Doers.CASE_ADMINISTRATORS
    ),
    RecordKind.FIRST_CONTACT: _BOOK,
    RecordKind.INDUCTION: TaskLink(
        "Record the induction", "supervision:record-contact", doers=Doers.CONTACT_RECORDERS
    ),
    RecordKind.ROH_SCREENING: _RISK_PANEL,
    RecordKind.ROH_REVIEW: _RISK_PANEL,
    RecordKind.FULL_ROH_ANALYSIS: TaskLink("Full RoH analysis", "risk:case", (), "analysis-versions"),
    RecordKind.RISK_MANAGEMENT_PLAN: TaskLink("Risk management plan", "risk:case", (), "plan-versions"),
    RecordKind.OASYS_ASSESSMENT: TaskLink("OASys assessment", "risk:case", (), "reoffending-versions"),
    RecordKind.COMPLETE_OASYS_RECEIVED: TaskLink("Assessments and plans", "risk:case"),
    RecordKind.INITIAL_SENTENCE_PLAN: _PLANS,
    RecordKind.SENTENCE_PLAN_REVIEW: _PLANS,
    # The document itself, not its countersigning form: everyone who sees the action may open the
    # document, and it offers "Countersign or roll back" to whoever may do so.
    # A document may be a sentence plan, which partner agencies may not read.
    RecordKind.COUNTERSIGNATURE: TaskLink(
        "The document to countersign", "", subject=Subject.DOCUMENT, doers=Doers.PLAN_READERS
    ),
    RecordKind.HOME_VISIT: TaskLink("Book a home visit", "supervision:book", doers=Doers.CASE_MANAGERS),
    RecordKind.CONTACT: _BOOK,
    RecordKind.PRE_RELEASE_CONTACT: _BOOK,
    RecordKind.TRANSFER_IN_APPOINTMENT: _BOOK,
    RecordKind.SKILLS_FOR_LIFE_SCREENING: TaskLink(
        "Record the screening", "interventions:record", ("skills-screening",), doers=Doers.DELIVERY
    ),
    RecordKind.UNPAID_WORK_OFFERED: _UNPAID_WORK,
    RecordKind.UNPAID_WORK_COMPLETED: _UNPAID_WORK,
    RecordKind.DRR_REVIEW: TaskLink(
        "Record the DRR review", "interventions:record", ("drr-review",), doers=Doers.DELIVERY
    ),
    RecordKind.MAPPA_REFERRAL_DECIDED: TaskLink(
        "Record the MAPPA decision", "interventions:record", ("mappa-referral",), doers=Doers.MULTI_AGENCY
    ),
    # The meeting that set the action, on the case's MAPPA page: each of its actions has its own
    # "Record done" there (a meeting may set several, all dated by the meeting).
    RecordKind.MAPPA_ACTION_DONE: TaskLink(
        "The meeting's actions", "interventions:case", subject=Subject.MAPPA_MEETING
    ),
    RecordKind.MAPPA_REVIEW_HELD: TaskLink(
        "Record the meeting", "interventions:record", ("mappa-meeting",), doers=Doers.MULTI_AGENCY
    ),
    RecordKind.ABSENCE_JUDGED: TaskLink(
        "Judge the absence", "supervision:contact", (), "outcome", Subject.ABSENCE
    ),
    RecordKind.WARNING: TaskLink(
        "Give the warning", "supervision:contact", (), "enforcement", Subject.ABSENCE
    ),
    RecordKind.BREACH_LAID: TaskLink(
        "Start breach action", "supervision:contact", (), "enforcement", Subject.ABSENCE
    ),
    RecordKind.BREACH_RESOLVED: TaskLink("Record the breach", "supervision:breach", subject=Subject.BREACH),
    RecordKind.RECALL_REQUESTED: TaskLink("Request the recall", "supervision:recall", subject=Subject.RECALL),
    RecordKind.VICTIM_CONTACT_OFFER: _VICTIMS,
    RecordKind.VICTIM_WRITTEN_OFFER: _VICTIMS,
    RecordKind.VICTIM_TOLD_OF_RELEASE: _VICTIMS,
    RecordKind.VICTIM_ASKED_ABOUT_LICENCE_CONDITIONS: _VICTIMS,
    RecordKind.SDR_DELIVERED: TaskLink("The report", "courts:report", subject=Subject.REPORT),
    RecordKind.FDR_DELIVERED: TaskLink("The report", "courts:report", subject=Subject.REPORT),
    RecordKind.ORAL_REPORT_DELIVERED: TaskLink("The report", "courts:report", subject=Subject.REPORT),
}


@dataclass(frozen=True)
class Task:
    """One row's link: its words and its address."""

    label: str
    url: str
    case_url: str  # the case page, for the row's case name
    # No page of its own to open (or none this person may use): the row opens the case's actions,
    # which the case page itself need not link to.
    opens_the_case: bool = False


@dataclass(frozen=True)
class _Row:
    """What a link needs of one action: its case, its rule's record kind and its trigger date."""

    offender_id: int
    crn: str
    kind: RecordKind | None
    trigger_date: date | None


_Found = dict[tuple[int, date], str]  # (case, trigger date) -> the record's address


def _absences(rows: Sequence[_Row]) -> _Found:
    from oms.supervision.constants import ABSENCE_OUTCOMES
    from oms.supervision.models import Contact

    found: _Found = {}
    days = {row.trigger_date for row in rows if row.trigger_date}
    # Bounds as times, not a date of each time: the (offender, starts_at) index answers them.
    zone = timezone.get_current_timezone()
    contacts = Contact.objects.filter(
        Q(outcome__in=list(ABSENCE_OUTCOMES)) | Q(outcome=""),
        offender_id__in={row.offender_id for row in rows},
        starts_at__gte=datetime.combine(min(days), time.min, tzinfo=zone),
        starts_at__lt=datetime.combine(max(days) + timedelta(days=1), time.min, tzinfo=zone),
    ).order_by("starts_at", "pk")
    for pk, offender_id, starts_at in contacts.values_list("pk", "offender_id", "starts_at"):
        found.setdefault(
            (offender_id, timezone.localdate(starts_at)), reverse("supervision:contact", args=[pk])
        )
    return found


def _first_of_each_day(
    rows: Sequence[_Row], model: Any, day_field: str, url_name: str, *, is_time: bool = False
) -> _Found:
    """The first record of `model` of each (case, day of `day_field`) among the page's cases, at its
    page: one query. `is_time`: the field is a time, taken as its day in London."""
    found: _Found = {}
    for pk, offender_id, when in (
        model.objects.filter(offender_id__in={row.offender_id for row in rows})
        .order_by("pk")
        .values_list("pk", "offender_id", day_field)
    ):
        day = timezone.localdate(when) if is_time else when
        found.setdefault((offender_id, day), reverse(url_name, args=[pk]))
    return found


def _breaches(rows: Sequence[_Row]) -> _Found:
    from oms.supervision.models import Breach

    return _first_of_each_day(rows, Breach, "failure__starts_at", "supervision:breach", is_time=True)


def _recalls(rows: Sequence[_Row]) -> _Found:
    from oms.supervision.models import RecallRecommendation

    return _first_of_each_day(rows, RecallRecommendation, "recommended_on", "supervision:recall")


def _reports(rows: Sequence[_Row]) -> _Found:
    from oms.courts.models import PreSentenceReport

    return _first_of_each_day(rows, PreSentenceReport, "requested_on", "courts:report")


def _mappa_meetings(rows: Sequence[_Row]) -> _Found:
    """The MAPPA meeting held on each (case, trigger day), on the case's MAPPA page: one query."""
    from oms.interventions.models import MappaMeeting

    crns = {row.offender_id: row.crn for row in rows}
    found: _Found = {}
    for pk, offender_id, held_on in (
        MappaMeeting.objects.filter(offender_id__in=set(crns))
        .order_by("pk")
        .values_list("pk", "offender_id", "held_on")
    ):
        found.setdefault(
            (offender_id, held_on),
            f"{case_url('interventions:case', crns[offender_id])}#mappa-meeting-{pk}",
        )
    return found


def _documents(rows: Sequence[_Row]) -> _Found:
    """The documents waiting for a countersignature, each at its own page (the clock
    runs from the first submission, as the rule's trigger does): one query per kind of document."""
    from oms.risk.countersigning import document_models
    from oms.risk.models import DOCUMENT_KINDS

    kind_of = {model: kind for kind, model in DOCUMENT_KINDS.items()}
    crns = {row.offender_id: row.crn for row in rows}
    found: _Found = {}
    for model in document_models():
        documents = model.objects.filter(
            offender_id__in=set(crns), countersigning_required=True, submitted_at__isnull=False
        ).order_by("-pk")
        for pk, offender_id, submitted_at, first_submitted_at in documents.values_list(
            "pk", "offender_id", "submitted_at", "first_submitted_at"
        ):
            day = timezone.localdate(first_submitted_at or submitted_at)
            kind = kind_of.get(model)
            if kind:
                url = reverse("risk:document", args=[crns[offender_id], kind, pk])
            else:
                url = reverse("planning:plan", args=[crns[offender_id], pk])
            found.setdefault((offender_id, day), url)
    return found


_FINDERS = {
    Subject.ABSENCE: _absences,
    Subject.BREACH: _breaches,
    Subject.RECALL: _recalls,
    Subject.REPORT: _reports,
    Subject.DOCUMENT: _documents,
    Subject.MAPPA_MEETING: _mappa_meetings,
}


def may_use(doers: Doers, user: AnyUser) -> bool:
    """Whether the user's role is one the link's form lets in. The rows on an actions page are all
    cases the user can see, and each form's rule is its role set and seeing the case, so the role
    decides: no query per row."""
    from oms.accounts.permissions import role_of
    from oms.interventions.permissions import DELIVERY_ROLES, MULTI_AGENCY_ROLES
    from oms.organisation.constants import CASE_ADMINISTRATION_ROLES
    from oms.supervision.permissions import CASE_MANAGING_ROLES, CONTACT_RECORDING_ROLES

    if doers is Doers.EVERYONE or getattr(user, "is_superuser", False):
        return True
    if doers is Doers.PLAN_READERS:
        from oms.planning.permissions import NO_PLAN_ACCESS_ROLES

        return role_of(user) not in NO_PLAN_ACCESS_ROLES
    roles = {
        Doers.CASE_MANAGERS: CASE_MANAGING_ROLES,
        Doers.CONTACT_RECORDERS: CONTACT_RECORDING_ROLES,
        Doers.CASE_ADMINISTRATORS: CASE_ADMINISTRATION_ROLES,
        Doers.DELIVERY: DELIVERY_ROLES,
        Doers.MULTI_AGENCY: MULTI_AGENCY_ROLES,
    }[doers]
    return role_of(user) in roles


_CRN = "CRN0PLACE0HOLDER"


@lru_cache(maxsize=256)
def _pattern(url_name: str, args: tuple[str, ...]) -> str:
    """A case URL with a stand-in for the CRN, reversed once: a page of a hundred rows would
    otherwise spend more time in `reverse` than in the database."""
    return reverse(url_name, args=[_CRN, *args])


def case_url(url_name: str, crn: str, *args: str) -> str:
    """`reverse(url_name, args=[crn, *args])` for a case (a CRN is letters and digits)."""
    return _pattern(url_name, args).replace(_CRN, crn, 1)


def _case_url(link: TaskLink, crn: str) -> str:
    url = case_url(link.url_name, crn, *link.args)
    return f"{url}#{link.fragment}" if link.fragment else url


def tasks_for(actions: Iterable[Any], user: AnyUser) -> list[Task]:
    """The link of each action (`queries.Action`) for this user, in order. The rules' record kinds
    come from their areas' rule files (one query); each kind of record the page's actions are about
    is read once. A form the user's role may not use is not offered: the row opens the case."""
    from oms.standards.queries import rules_for_areas

    actions = list(actions)
    rules = rules_for_areas({action.offender.area_id for action in actions})
    kinds = {
        (area_id, rule.key): rule.completed_by for area_id, area_rules in rules.items() for rule in area_rules
    }
    rows = [
        _Row(
            action.offender.pk,
            action.offender.crn,
            kinds.get((action.offender.area_id, action.status.rule_key)),
            action.status.trigger_date,
        )
        for action in actions
    ]
    # The role decides, so each kind of link is judged once for the page, not once a row; records
    # are looked up only for links this person will be offered.
    usable = {doers for doers in Doers if may_use(doers, user)}
    by_subject: dict[Subject, list[_Row]] = defaultdict(list)
    for row in rows:
        link = TASK_LINKS.get(row.kind) if row.kind else None
        if (
            link is not None
            and link.doers in usable
            and link.subject is not Subject.CASE
            and row.trigger_date
        ):
            by_subject[link.subject].append(row)
    found = {subject: _FINDERS[subject](chosen) for subject, chosen in by_subject.items()}
    tasks = []
    for row in rows:
        link = TASK_LINKS.get(row.kind) if row.kind else None
        case_page = case_url("cases:detail", row.crn)
        if link is None or link.doers not in usable:
            tasks.append(Task("Open the case", f"{case_page}#actions-due", case_page, opens_the_case=True))
        elif link.subject is Subject.CASE:
            tasks.append(Task(link.label, _case_url(link, row.crn), case_page))
        else:
            url = (
                found.get(link.subject, {}).get((row.offender_id, row.trigger_date))
                if row.trigger_date
                else None
            )
            if url and link.fragment:
                url = f"{url}#{link.fragment}"
            # A record not found (changed since the sweep) falls back to the case page's actions.
            if url:
                tasks.append(Task(link.label, url, case_page))
            else:
                tasks.append(Task(link.label, f"{case_page}#actions-due", case_page, opens_the_case=True))
    return tasks
