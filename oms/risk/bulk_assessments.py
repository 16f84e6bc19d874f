"""Bulk import of assessments completed in another system: `oms import assessments FILE`.

At go-live an area brings its OASys history over: RoH screenings, full RoH analyses and likelihood
of reoffending assessments that were finished, signed off and acted on elsewhere. They arrive as
history, so they arrive LOCKED — completed on the day the file gives (at noon, Europe/London), with
no countersignature owed, never editable — each a new version after whatever the case already holds
of that kind, with a countersigning event saying "imported" so the case's record shows where it came
from. The rules are the hand-made ones: a level is one of the OASys levels, OGRS3 is scored by
oms/risk/ogrs3.py from the inputs in the file (the offence code is the event's), and its errors keep
their codes.

All or nothing, like every importer (oms/cases/bulk.py): every row is checked first and the errors
name the row, the field and the reason; only a clean file is written, in one transaction and in bulk.
The natural key is (CRN, event number, kind, completed on), so a second import of the same file
changes nothing; a row that names an assessment already held with different answers is refused,
because a locked assessment is never changed (a reassessment is a new row with its own date).

Registered into IMPORTERS by RiskConfig.ready(), so `oms import assessments FILE` and the import page
offer it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from oms.accounts.models import AccessAction, AccessLogEntry
from oms.accounts.permissions import staff_of, visible_cases
from oms.accounts.refusals import CaseRefused
from oms.cases.bulk import IMPORTERS, ImportResult, Row, RowError, _date, _duplicates, _int
from oms.cases.models import Event, Offender
from oms.cases.upkeep import bring_cases_up_to_date
from oms.organisation.models import Staff
from oms.planner_statistics import refresh_planner_statistics
from oms.risk.countersigning import (
    CountersignedDocument,
    CountersigningAction,
    CountersigningEvent,
    CountersigningStatus,
)
from oms.risk.levels import ALL_CELLS, RiskGroup, RiskOfHarmLevel, RiskSetting
from oms.risk.models import ReoffendingAssessment, RiskOfHarmAnalysis, RiskOfHarmScreening
from oms.risk.needs import CriminogenicNeed
from oms.risk.permissions import ASSESSING_ROLES, IMPORT_ASSESSMENTS_PERMISSION, can_import_assessments
from oms.risk.services import set_case_risk_of_harm_level
from oms.timescales.date_rules import DateKind

User = AbstractBaseUser | AnonymousUser

ASSESSMENT_COLUMNS = ["crn", "event_number", "kind", "completed_on", "author"]

# The kinds an import brings over; a risk management plan is written here, against the imported
# analysis, not brought over.
IMPORTED_KINDS: dict[str, type[CountersignedDocument]] = {
    "screening": RiskOfHarmScreening,
    "analysis": RiskOfHarmAnalysis,
    "reoffending": ReoffendingAssessment,
}
# Columns each kind needs (every other kind leaves them blank).
SCREENING_COLUMNS = ["full_analysis_needed"]
ANALYSIS_COLUMNS = ["overall_level"]
REOFFENDING_COLUMNS = [
    "total_sanctions",
    "age_at_first_sanction",
    "date_of_current_conviction",
    "date_of_start_of_follow_up",
]
# Optional per-group levels of an analysis: a cell's own name ("public_community",
# "prisoners_custody"), or the group alone ("public"), which is the group in the community setting.
CELL_COLUMNS = [cell.field_name for cell in ALL_CELLS]
GROUP_COLUMNS = {group.value: f"{group.value}_{RiskSetting.COMMUNITY.value}" for group in RiskGroup}
# Optional need scores of a reoffending assessment: the section's key ("accommodation") holds its
# score, and "<key>_linked" says whether it is linked to offending.
NEED_COLUMNS = [need.value for need in CriminogenicNeed]
LINKED_SUFFIX = "_linked"

# The moment an imported assessment was completed: the day the file gives, at noon in England
# (DESIGN.md: "times are timezone-aware datetime (Europe/London)"); noon keeps the day the same
# whether the clocks have gone forward or not.
COMPLETED_AT = time(12, 0)
LONDON = ZoneInfo("Europe/London")
# What the countersigning event of an imported assessment says, so the record shows where it came from.
IMPORTED_REASON = "imported"
CHANGE_REASON = "bulk import of assessments"

TRUE_WORDS = frozenset({"true", "yes", "1"})
FALSE_WORDS = frozenset({"false", "no", "0"})


def completed_moment(completed_on: date) -> datetime:
    """When an imported assessment counts as submitted and locked."""
    return datetime.combine(completed_on, COMPLETED_AT, tzinfo=LONDON)


@dataclass
class _Prepared:
    """One checked row: the document it would create, and what a held one must match."""

    row: int
    kind: str
    event: Event
    completed_on: date
    document: CountersignedDocument
    # field name → value that a held assessment with the same natural key must have.
    compared: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> tuple[int, int, str, date]:
        return (self.event.offender_id, self.event.pk, self.kind, self.completed_on)


def _boolean(value: str, row: int, name: str, errors: list[RowError]) -> bool | None:
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    errors.append(
        RowError(row, name, "is required (true or false)" if not word else f"{value!r} is not true or false")
    )
    return None


def _level(value: str, row: int, name: str, errors: list[RowError]) -> RiskOfHarmLevel | None:
    try:
        return RiskOfHarmLevel.from_text(value)
    except ValueError:
        allowed = ", ".join(level.value for level in RiskOfHarmLevel)
        errors.append(RowError(row, name, f"{value!r} is not a RoH level ({allowed})"))
        return None


def _required(row: Row, names: list[str], number: int, kind: str, errors: list[RowError]) -> None:
    for name in names:
        if not row.get(name, "").strip():
            errors.append(RowError(number, name, f"is required for {kind_label(kind)}"))


def kind_label(kind: str) -> str:
    return f"a {IMPORTED_KINDS[kind].document_name}"


def _screening(row: Row, number: int, errors: list[RowError]) -> dict[str, Any] | None:
    before = len(errors)
    _required(row, SCREENING_COLUMNS, number, "screening", errors)
    if len(errors) > before:
        return None
    needed = _boolean(row["full_analysis_needed"], number, "full_analysis_needed", errors)
    if needed is None:
        return None
    return {
        "full_analysis_needed": needed,
        "reasons": [f"{IMPORTED_REASON}: a full analysis was {'' if needed else 'not '}indicated"],
    }


def _analysis(row: Row, number: int, errors: list[RowError]) -> dict[str, Any] | None:
    """The overall level, and the per-group levels given; the overall is the highest of them."""
    before = len(errors)
    _required(row, ANALYSIS_COLUMNS, number, "analysis", errors)
    if len(errors) > before:
        return None
    overall = _level(row["overall_level"], number, "overall_level", errors)
    levels: dict[str, str] = {}
    for column in [*CELL_COLUMNS, *GROUP_COLUMNS]:
        text = row.get(column, "").strip()
        if not text:
            continue
        level = _level(text, number, column, errors)
        cell = GROUP_COLUMNS.get(column, column)
        if level is not None and cell not in levels:
            levels[cell] = level.value
    if len(errors) > before or overall is None:
        return None
    if levels:
        highest = max((RiskOfHarmLevel(code) for code in levels.values()), key=lambda level: level.rank)
        if highest is not overall:
            errors.append(
                RowError(
                    number,
                    "overall_level",
                    f"is {overall.value} but the highest group level given is {highest.value}: "
                    "the overall level is the highest of the groups",
                )
            )
            return None
    return {"overall_level": overall.value, "levels": levels}


def _reoffending(
    row: Row, number: int, offender: Offender, event: Event, errors: list[RowError]
) -> dict[str, Any] | None:
    """The OGRS3 inputs and need scores; OGRS3 itself is scored by oms/risk/ogrs3.py."""
    before = len(errors)
    _required(row, REOFFENDING_COLUMNS, number, "reoffending", errors)
    if len(errors) > before:
        return None
    values: dict[str, Any] = {
        "total_sanctions": _int(row["total_sanctions"], number, "total_sanctions", errors),
        "age_at_first_sanction": _int(row["age_at_first_sanction"], number, "age_at_first_sanction", errors),
        "date_of_current_conviction": _date(
            row["date_of_current_conviction"], number, "date_of_current_conviction", errors
        ),
        "date_of_start_of_follow_up": _date(
            row["date_of_start_of_follow_up"], number, "date_of_start_of_follow_up", errors
        ),
        "offence_code": event.offence_id,
    }
    scores: dict[str, dict[str, Any]] = {}
    for need in NEED_COLUMNS:
        score = _int(row.get(need, "").strip(), number, need, errors)
        linked_text = row.get(need + LINKED_SUFFIX, "").strip()
        linked = _boolean(linked_text, number, need + LINKED_SUFFIX, errors) if linked_text else False
        if score is not None:
            scores[need] = {"score": score, "linked_to_offending": bool(linked)}
        elif linked_text:
            errors.append(RowError(number, need, f"is required when {need}{LINKED_SUFFIX} is given"))
    if len(errors) > before:
        return None
    scored = ReoffendingAssessment(offender=offender, **values)
    problem = scored.refresh_ogrs3()
    if problem is not None:
        named = [name for name in problem.fields if name in row] or list(problem.fields) or ["ogrs3"]
        errors.append(RowError(number, named[0], f"OGRS3 {problem.code}: {problem.message}"))
        return None
    values.update(
        ogrs3_one_year=scored.ogrs3_one_year,
        ogrs3_two_year=scored.ogrs3_two_year,
        ogrs3_band=scored.ogrs3_band,
        needs=scores,
    )
    return values


# The answers of each kind a held assessment must share for a row to be "the same assessment".
COMPARED_FIELDS = {
    "screening": ["full_analysis_needed"],
    "analysis": ["overall_level"],
    "reoffending": [*REOFFENDING_COLUMNS],
}


def _check_row(
    number: int,
    row: Row,
    *,
    offenders: dict[str, Offender],
    events: dict[tuple[int, int], Event],
    staff: dict[str, Staff],
    assessable: dict[int, set[int]],
    today: date,
    errors: list[RowError],
) -> _Prepared | None:
    before = len(errors)
    crn = row.get("crn", "")
    offender = offenders.get(crn)
    if offender is None:
        errors.append(RowError(number, "crn", f"no case {crn!r}"))
    event_number = _int(row.get("event_number", ""), number, "event_number", errors, required=True)
    event = None
    if offender is not None and event_number is not None:
        event = events.get((offender.pk, event_number))
        if event is None:
            errors.append(RowError(number, "event_number", f"no event {event_number} on case {crn!r}"))
    kind = row.get("kind", "").strip().lower()
    if kind not in IMPORTED_KINDS:
        errors.append(
            RowError(number, "kind", f"{row.get('kind')!r} is not one of {', '.join(IMPORTED_KINDS)}")
        )
    completed_on = _date(row.get("completed_on", ""), number, "completed_on", errors, kind=DateKind.HAPPENED)
    if completed_on is not None and completed_on > today:
        errors.append(RowError(number, "completed_on", f"{completed_on} is in the future"))
    elif completed_on is not None and event is not None and completed_on < event.sentence_date:
        errors.append(
            RowError(
                number,
                "completed_on",
                f"{completed_on} is before the sentence date of event {event.number} ({event.sentence_date})",
            )
        )
    username = row.get("author", "")
    author = staff.get(username)
    if author is None:
        errors.append(
            RowError(
                number,
                "author",
                f"no member of staff with username {username!r}" if username else "is required",
            )
        )
    elif offender is not None and offender.pk not in assessable.get(author.pk, set()):
        errors.append(
            RowError(
                number,
                "author",
                f"{username} may not author risk work on case {crn}: only an offender manager, senior "
                "probation officer or prison offender supervisor who can see the case",
            )
        )
    if len(errors) > before or kind not in IMPORTED_KINDS:
        return None
    assert offender is not None and event is not None and completed_on is not None and author is not None
    answers = (
        _screening(row, number, errors)
        if kind == "screening"
        else _analysis(row, number, errors)
        if kind == "analysis"
        else _reoffending(row, number, offender, event, errors)
    )
    if answers is None:
        return None
    moment = completed_moment(completed_on)
    document = IMPORTED_KINDS[kind](
        offender=offender,
        event=event,
        author=author,
        status=CountersigningStatus.LOCKED,
        created_at=moment,
        updated_at=timezone.now(),
        submitted_at=moment,
        locked_at=moment,
        countersigning_required=False,
        **answers,
    )
    compared = {name: answers[name] for name in COMPARED_FIELDS[kind]}
    compared["author_id"] = author.pk
    if kind == "analysis" and answers["levels"]:
        compared["levels"] = answers["levels"]
    if kind == "reoffending" and answers["needs"]:
        compared["needs"] = answers["needs"]
    return _Prepared(number, kind, event, completed_on, document, compared)


def _cases_they_may_assess(author: Staff, offender_ids: list[int]) -> set[int]:
    """The file's cases this author may write risk work on (risk.permissions.can_write_risk_work),
    in one query per author rather than one per row."""
    if author.user is None or author.grade.role not in ASSESSING_ROLES:
        return set()
    return set(visible_cases(author.user).filter(pk__in=offender_ids).values_list("pk", flat=True))


def import_assessments(rows: list[Row], *, dry_run: bool, user: User | None = None) -> ImportResult:
    """Check every row, then create the new assessments locked, in bulk; held ones stay as they are.

    Only the migration's named operator imports (can_import_assessments); each row's author must be
    someone who may write risk work on the case, as by hand; the operator is recorded as the one who
    brought the assessments in (history, countersigning event, access log)."""
    if user is None or not can_import_assessments(user):
        raise CaseRefused(
            "Importing assessments is for the migration's named operator (the permission "
            f"{IMPORT_ASSESSMENTS_PERMISSION!r}, given in the admin)"
        )
    result = ImportResult("assessments", len(rows), dry_run=dry_run)
    errors = result.errors
    today = timezone.localdate()
    crns = {r.get("crn", "") for r in rows}
    offenders = {o.crn: o for o in Offender.objects.filter(crn__in=crns)}
    by_pk = {o.pk: o for o in offenders.values()}
    events: dict[tuple[int, int], Event] = {}
    for event in Event.objects.filter(offender__in=offenders.values()):
        event.offender = by_pk[event.offender_id]  # the case already loaded: no query per row
        events[(event.offender_id, event.number)] = event
    usernames = {r.get("author", "") for r in rows} - {""}
    staff = {
        s.user.username: s
        for s in Staff.objects.select_related("user", "grade").filter(user__username__in=usernames)
        if s.user
    }
    offender_ids = [o.pk for o in offenders.values()]
    assessable = {s.pk: _cases_they_may_assess(s, offender_ids) for s in staff.values()}
    _duplicates(
        rows,
        lambda r: (
            r.get("crn", ""),
            r.get("event_number", ""),
            r.get("kind", "").lower(),
            r.get("completed_on", ""),
        ),
        "completed_on",
        errors,
    )
    prepared: list[_Prepared] = []
    for number, row in enumerate(rows, start=1):
        item = _check_row(
            number,
            row,
            offenders=offenders,
            events=events,
            staff=staff,
            assessable=assessable,
            today=today,
            errors=errors,
        )
        if item is not None:
            prepared.append(item)
    held = _held(prepared)
    new: list[_Prepared] = []
    for item in prepared:
        same = held.by_key.get(item.key)
        if same is None:
            new.append(item)
            continue
        different = [name for name, value in item.compared.items() if getattr(same, name) != value]
        if different:
            errors.append(
                RowError(
                    item.row,
                    different[0].removesuffix("_id"),
                    f"{same.short_name} completed on {item.completed_on} is already held, locked, with a "
                    f"different {different[0].removesuffix('_id').replace('_', ' ')}: a locked assessment "
                    "is never changed (a reassessment is a new row with its own completed_on date)",
                )
            )
        else:
            result.unchanged += 1
    if errors:
        errors.sort(key=lambda e: e.row)
        return result
    result.created = len(new)
    if not dry_run and new:
        _write(new, held, user)
        refresh_planner_statistics()
    return result


@dataclass
class _Held:
    """The assessments the file's cases already hold, by natural key, and each kind's latest version."""

    by_key: dict[tuple[int, int, str, date], CountersignedDocument]
    highest_sequence: dict[tuple[int, str], int]
    # (offender, kind) → the latest locked version (for a screening: per event, keyed by event id too).
    latest_locked: dict[tuple[int, str, int | None], CountersignedDocument]
    latest_analysis_locked_at: dict[int, datetime]


def _held(prepared: list[_Prepared]) -> _Held:
    """One query per kind, whatever the length of the file."""
    held = _Held({}, {}, {}, {})
    offender_ids = {item.event.offender_id for item in prepared}
    if not offender_ids:
        return held
    for kind, model in IMPORTED_KINDS.items():
        for document in model.objects.filter(offender_id__in=offender_ids).order_by("sequence"):
            case = document.offender_id
            held.highest_sequence[(case, kind)] = max(
                held.highest_sequence.get((case, kind), 0), document.sequence
            )
            if document.status != CountersigningStatus.LOCKED or document.locked_at is None:
                continue
            completed_on = timezone.localtime(document.locked_at, LONDON).date()
            held.by_key.setdefault((case, document.event_id or 0, kind, completed_on), document)
            held.latest_locked[(case, kind, document.event_id if kind == "screening" else None)] = document
            if kind == "analysis":
                latest = held.latest_analysis_locked_at.get(case)
                if latest is None or document.locked_at > latest:
                    held.latest_analysis_locked_at[case] = document.locked_at
    return held


def _write(new: list[_Prepared], held: _Held, user: User) -> None:
    """Everything in one transaction and in bulk: the assessments (with their history) in waves, the
    countersigning events, one access log entry per case; then each case's RoH follows its latest
    analysis.

    Within a case, the file's assessments of a kind become versions in the order they were completed,
    each after the last version held; each points at the one it replaces, so they are created in
    waves (first new version of every case, then the second...) to know the pk to point at.
    """
    authenticated = user is not None and user.is_authenticated
    history_user = user if authenticated else None
    extra: dict[str, Any] = {"default_user": history_user} if history_user else {}
    chains: dict[tuple[int, str], list[_Prepared]] = defaultdict(list)
    for item in sorted(new, key=lambda i: (i.completed_on, i.row)):
        chains[(item.event.offender_id, item.kind)].append(item)
    latest = dict(held.latest_locked)
    for (case, kind), chain in chains.items():
        for position, item in enumerate(chain, start=1):
            item.document.sequence = held.highest_sequence.get((case, kind), 0) + position
    with transaction.atomic():
        waves = max(len(chain) for chain in chains.values())
        for wave in range(waves):
            for kind, model in IMPORTED_KINDS.items():
                batch = []
                for (case, chain_kind), chain in chains.items():
                    if chain_kind != kind or wave >= len(chain):
                        continue
                    item = chain[wave]
                    place = (case, kind, item.event.pk if kind == "screening" else None)
                    item.document.previous = latest.get(place)
                    latest[place] = item.document
                    batch.append(item.document)
                if batch:
                    bulk_create_with_history(
                        batch, model, batch_size=1000, default_change_reason=CHANGE_REASON, **extra
                    )
        content_types = ContentType.objects.get_for_models(*IMPORTED_KINDS.values())
        importer = staff_of(user)
        CountersigningEvent.objects.bulk_create(
            [
                CountersigningEvent(
                    content_type=content_types[IMPORTED_KINDS[item.kind]],
                    object_id=item.document.pk,
                    offender_id=item.event.offender_id,
                    document=item.document.title[:100],
                    action=CountersigningAction.COMPLETED,
                    # The operator brought it in; the assessment's author stays on the assessment.
                    by=importer,
                    at=completed_moment(item.completed_on),
                    reason=IMPORTED_REASON,
                )
                for item in new
            ],
            batch_size=1000,
        )
        imported: dict[str, list[str]] = defaultdict(list)
        for item in new:
            imported[item.event.offender.crn].append(item.document.short_name)
        AccessLogEntry.objects.bulk_create(
            [
                AccessLogEntry(
                    user_id=user.pk if authenticated and user else None,
                    username=user.get_username() if authenticated and user else "(system)",
                    action=AccessAction.CREATE,
                    crn=crn,
                    what=f"imported assessments (locked): {', '.join(names)}"[:200],
                )
                for crn, names in sorted(imported.items())
            ],
            batch_size=1000,
        )
        _follow_latest_analyses(chains, held, user)
        bring_cases_up_to_date(case for case, _ in chains)


def _follow_latest_analyses(
    chains: dict[tuple[int, str], list[_Prepared]], held: _Held, user: User | None
) -> None:
    """A case's RoH level follows its latest imported analysis if no analysis held was locked later.

    Uses the risk services' own set_case_risk_of_harm_level (which re-tiers the case), one case at a
    time: only the cases whose level the file decides.
    """
    for (case, kind), chain in chains.items():
        if kind != "analysis":
            continue
        last = chain[-1].document
        assert last.locked_at is not None and isinstance(last, RiskOfHarmAnalysis)
        held_latest = held.latest_analysis_locked_at.get(case)
        if held_latest is not None and held_latest > last.locked_at:
            continue
        set_case_risk_of_harm_level(
            user or AnonymousUser(), last.offender, last.overall_level, because=last.short_name
        )


IMPORTERS["assessments"] = (ASSESSMENT_COLUMNS, import_assessments)
