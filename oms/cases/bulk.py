"""Bulk import of offenders, events and requirements from CSV or JSON: all or nothing.

Every row is checked first; the errors name the row number, the field and the reason. Only a file
with no error is written, in one transaction and in bulk. Natural keys (CRN; CRN and event number)
make a second import of the same file change nothing.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.utils import timezone

from oms.accounts.permissions import (
    AnyUser,
    can_administer_case,
    can_edit_personal_details,
    role_of,
    staff_of,
    visible_cases,
)
from oms.accounts.refusals import CaseRefused, record_refusal
from oms.cases.constants import EventKind, Gender
from oms.cases.models import EthnicityCode, Event, OffenceCode, Offender, Requirement, RequirementType
from oms.cases.requirement_limits import RequirementType as LimitedRequirement
from oms.cases.requirement_limits import check_requirement
from oms.cases.services import allocate, allocation_problems, update_personal_details
from oms.cases.upkeep import bring_cases_up_to_date
from oms.organisation.constants import Role
from oms.organisation.models import Area, Staff
from oms.planner_statistics import refresh_planner_statistics
from oms.timescales.date_rules import DateKind, age_problem, date_problem

Row = dict[str, str]
User = AbstractBaseUser | AnonymousUser


@dataclass(frozen=True)
class RowError:
    row: int  # 1 is the first data row (a CSV header is row 0)
    field: str
    reason: str

    def __str__(self) -> str:
        return f"row {self.row}, {self.field}: {self.reason}"


@dataclass
class ImportResult:
    kind: str
    rows: int
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "dry_run": self.dry_run,
            "errors": [{"row": e.row, "field": e.field, "reason": e.reason} for e in self.errors],
        }


class ImportFileError(Exception):
    """The file as a whole cannot be read (encoding, format, missing columns)."""


def read_rows(path: Path, required: Iterable[str]) -> list[Row]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(
            f"{path.name}: the file is not UTF-8 text (byte {error.start}); save it as UTF-8 and try again"
        ) from error
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise ImportFileError(
                f"{path.name}: not valid JSON at line {error.lineno}: {error.msg}"
            ) from error
        if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
            raise ImportFileError(f"{path.name}: a JSON import is a list of objects, one a row")
        rows = [{k: "" if v is None else str(v) for k, v in item.items()} for item in data]
        columns = set().union(*(row.keys() for row in rows)) if rows else set()
    elif path.suffix.lower() == ".csv":
        reader = csv.DictReader(io.StringIO(text))
        columns = set(reader.fieldnames or [])
        rows = [{k: (v or "").strip() for k, v in row.items() if k is not None} for row in reader]
    else:
        raise ImportFileError(f"{path.name}: the file must end .csv or .json")
    missing = [c for c in required if c not in columns]
    if missing and (rows or path.suffix.lower() == ".csv"):
        raise ImportFileError(
            f"{path.name}: missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}"
        )
    return rows


def _date(
    value: str,
    row: int,
    name: str,
    errors: list[RowError],
    required: bool = True,
    kind: DateKind = DateKind.ANY,
) -> date | None:
    if not value:
        if required:
            errors.append(RowError(row, name, "is required"))
        return None
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        errors.append(RowError(row, name, f"{value!r} is not a date (YYYY-MM-DD)"))
        return None
    # The same date rule as every form: no birth in 2030, no sentence in 2099.
    problem = date_problem(parsed, kind, timezone.localdate(), repr(value))
    if problem:
        errors.append(RowError(row, name, problem))
        return None
    return parsed


def _int(value: str, row: int, name: str, errors: list[RowError], required: bool = False) -> int | None:
    if not value:
        if required:
            errors.append(RowError(row, name, "is required"))
        return None
    try:
        number = int(value)
    except ValueError:
        errors.append(RowError(row, name, f"{value!r} is not a whole number"))
        return None
    if number < 0:
        errors.append(RowError(row, name, "must not be negative"))
        return None
    return number


def _duplicates(
    rows: list[Row], key: Callable[[Row], tuple[str, ...]], name: str, errors: list[RowError]
) -> None:
    seen: dict[tuple[str, ...], int] = {}
    for number, row in enumerate(rows, start=1):
        value = key(row)
        if value in seen:
            errors.append(RowError(number, name, f"duplicates row {seen[value]}"))
        else:
            seen[value] = number


OFFENDER_COLUMNS = ["crn", "first_name", "family_name", "date_of_birth", "gender", "area"]
OFFENDER_OPTIONAL = [
    "pnc_number",
    "ethnicity",
    "offender_manager",
    "first_language",
    "interpreter_required",
    "dyslexia",
    "literacy_need",
]


# The columns of an existing case an import may change, as the personal details page does
# (cases.services.update_personal_details: history, version, a log entry naming the case).
PERSONAL_DETAIL_COLUMNS = {
    "pnc_number": "pnc_number",
    "first_name": "first_name",
    "family_name": "family_name",
    "date_of_birth": "date_of_birth",
    "gender": "gender",
    "ethnicity_id": "ethnicity",
    "first_language": "first_language",
    "interpreter_required": "interpreter_required",
    "dyslexia": "dyslexia",
    "literacy_need": "literacy_need",
}
IMPORT_ALLOCATION_REASON = "Allocated by import"


@dataclass(frozen=True)
class _OffenderRow:
    number: int
    offender: Offender
    given: frozenset[str]  # the optional columns the row fills in


def _existing_case_problem(current: Offender, row: _OffenderRow, user: User | None) -> RowError | None:
    """An import may correct an existing case's details and allocate it, never move it elsewhere."""
    number, prepared = row.number, row.offender
    if current.area_id != prepared.area_id:
        return RowError(
            number,
            "area",
            f"case {current.crn} is held by {current.area.name}: moving a case to another area is a "
            "transfer (transfer it out from the case page), never an import",
        )
    manager = prepared.offender_manager
    if (
        manager is not None
        and manager.pk != current.offender_manager_id
        and manager.area_id != current.area_id
    ):
        return RowError(number, "offender_manager", f"{manager} is not in the case's area")
    if manager is not None and manager.pk != current.offender_manager_id and not manager.grade.holds_caseload:
        return RowError(number, "offender_manager", f"{manager} does not hold a caseload")
    if (
        manager is not None
        and user is not None
        and manager.pk != current.offender_manager_id
        and not can_administer_case(user, current)
    ):
        # Who may allocate: cases.services.allocate's own rule, checked before anything is written.
        return RowError(number, "offender_manager", f"you cannot allocate case {current.crn}")
    if manager is not None and user is not None and manager.pk != current.offender_manager_id:
        # The allocation rules by grade and capacity, as the allocation page applies them.
        problems = allocation_problems(user, current, manager)
        if problems:
            return RowError(number, "offender_manager", problems[0][1])
    if user is None and _changes(current, row):
        return RowError(
            number,
            "crn",
            f"changes the existing case {current.crn}: name the operator (--as USERNAME) so the change "
            "is recorded in their name",
        )
    return None


def _changes(current: Offender, row: _OffenderRow) -> dict[str, Any]:
    """What the row changes. An optional column left blank leaves the case's value as it is: an
    import that does not know a case's PNC number or offender manager must not erase them."""
    prepared = row.offender
    changes = {
        column: getattr(prepared, attribute)
        for attribute, column in PERSONAL_DETAIL_COLUMNS.items()
        if (column in OFFENDER_COLUMNS or column in row.given)
        and getattr(current, attribute) != getattr(prepared, attribute)
    }
    if "ethnicity" in changes:
        changes["ethnicity"] = prepared.ethnicity
    if (
        prepared.offender_manager_id is not None
        and prepared.offender_manager_id != current.offender_manager_id
    ):
        changes["offender_manager"] = prepared.offender_manager
    return changes


def import_offenders(rows: list[Row], *, dry_run: bool, user: User | None = None) -> ImportResult:
    """New cases are written in bulk; a change to an existing case goes through the page's services."""
    result = ImportResult("offenders", len(rows), dry_run=dry_run)
    errors = result.errors
    areas = {a.code.lower(): a for a in Area.objects.all()} | {a.name.lower(): a for a in Area.objects.all()}
    ethnicities = set(EthnicityCode.objects.values_list("code", flat=True))
    staff = {
        s.user.username: s
        for s in Staff.objects.select_related("user", "grade").filter(user__isnull=False)
        if s.user
    }
    existing = {
        o.crn: o
        for o in Offender.objects.select_related("area", "ethnicity").filter(
            crn__in=[r.get("crn", "") for r in rows]
        )
    }
    _duplicates(rows, lambda r: (r.get("crn", ""),), "crn", errors)
    prepared: list[_OffenderRow] = []
    for number, row in enumerate(rows, start=1):
        crn = row.get("crn", "")
        if not crn or len(crn) > 10:
            errors.append(RowError(number, "crn", "is required, at most 10 characters"))
        for name in ("first_name", "family_name"):
            if not row.get(name):
                errors.append(RowError(number, name, "is required"))
        born = _date(
            row.get("date_of_birth", ""), number, "date_of_birth", errors, kind=DateKind.DATE_OF_BIRTH
        )
        if row.get("gender") not in Gender.values:
            errors.append(
                RowError(number, "gender", f"{row.get('gender')!r} is not one of {', '.join(Gender.values)}")
            )
        area = areas.get(row.get("area", "").lower())
        if area is None:
            errors.append(RowError(number, "area", f"no area {row.get('area')!r}"))
        ethnicity = row.get("ethnicity", "")
        if ethnicity and ethnicity not in ethnicities:
            errors.append(RowError(number, "ethnicity", f"{ethnicity!r} is not an ethnicity code"))
        manager = None
        if row.get("offender_manager"):
            manager = staff.get(row["offender_manager"])
            if manager is None:
                errors.append(
                    RowError(
                        number,
                        "offender_manager",
                        f"no member of staff with username {row['offender_manager']!r}",
                    )
                )
        if errors and errors[-1].row == number:
            continue
        assert born is not None and area is not None
        offender = Offender(
            crn=crn,
            pnc_number=row.get("pnc_number", ""),
            first_name=row["first_name"],
            family_name=row["family_name"],
            date_of_birth=born,
            gender=row["gender"],
            ethnicity_id=ethnicity or None,
            area=area,
            offender_manager=manager,
            first_language=row.get("first_language") or "English",
            interpreter_required=row.get("interpreter_required", "").lower() in ("1", "true", "yes"),
            dyslexia=row.get("dyslexia", "").lower() in ("1", "true", "yes"),
            literacy_need=row.get("literacy_need", "").lower() in ("1", "true", "yes"),
        )
        given = frozenset(name for name in OFFENDER_OPTIONAL if row.get(name, "").strip())
        prepared.append(_OffenderRow(number, offender, given))
    for prepared_row in prepared:
        current = existing.get(prepared_row.offender.crn)
        problem = _existing_case_problem(current, prepared_row, user) if current else None
        if problem:
            errors.append(problem)
    if errors:
        return result
    new: list[Offender] = []
    changed: list[tuple[Offender, dict[str, Any]]] = []
    for prepared_row in prepared:
        current = existing.get(prepared_row.offender.crn)
        if current is None:
            new.append(prepared_row.offender)
        elif changes := _changes(current, prepared_row):
            changed.append((current, changes))
        else:
            result.unchanged += 1
    result.created, result.updated = len(new), len(changed)
    if not dry_run:
        with transaction.atomic():
            Offender.objects.bulk_create(new, batch_size=1000)
            for current, changes in changed:
                _change_existing_case(user, current, changes)
        refresh_planner_statistics()
    return result


def _change_existing_case(user: User | None, offender: Offender, changes: dict[str, Any]) -> None:
    """One existing case, through the same services as its pages (few cases change in an import)."""
    assert user is not None  # _existing_case_problem refused changes without an operator
    manager = changes.pop("offender_manager", None)
    if changes:
        update_personal_details(user, offender, changes, expected_version=offender.version)
    if manager is not None:
        allocate(
            user,
            offender,
            manager,
            reason=IMPORT_ALLOCATION_REASON,
            on=timezone.localdate(),
            expected_version=offender.version,
        )


EVENT_COLUMNS = ["crn", "event_number", "kind", "court", "offence_code", "sentence_date", "length_months"]


def import_events(rows: list[Row], *, dry_run: bool, user: User | None = None) -> ImportResult:
    result = ImportResult("events", len(rows), dry_run=dry_run)
    errors = result.errors
    crns = {r.get("crn", "") for r in rows}
    offenders = {o.crn: o for o in Offender.objects.filter(crn__in=crns)}
    offences = set(
        OffenceCode.objects.filter(code__in={r.get("offence_code", "") for r in rows}).values_list(
            "code", flat=True
        )
    )
    existing = {
        (e.offender.crn, e.number): e
        for e in Event.objects.filter(offender__crn__in=crns).select_related("offender")
    }
    _duplicates(rows, lambda r: (r.get("crn", ""), r.get("event_number", "")), "event_number", errors)
    prepared: list[Event] = []
    for number, row in enumerate(rows, start=1):
        before = len(errors)
        offender = offenders.get(row.get("crn", ""))
        if offender is None:
            errors.append(RowError(number, "crn", f"no case {row.get('crn')!r} (import offenders first)"))
        event_number = _int(row.get("event_number", ""), number, "event_number", errors, required=True)
        if row.get("kind") not in EventKind.values:
            errors.append(
                RowError(number, "kind", f"{row.get('kind')!r} is not one of {', '.join(EventKind.values)}")
            )
        if not row.get("court"):
            errors.append(RowError(number, "court", "is required"))
        if row.get("offence_code") not in offences:
            errors.append(
                RowError(
                    number, "offence_code", f"{row.get('offence_code')!r} is not a Home Office offence code"
                )
            )
        sentence = _date(
            row.get("sentence_date", ""), number, "sentence_date", errors, kind=DateKind.HAPPENED
        )
        if sentence and offender is not None:
            too_young = age_problem(offender.date_of_birth, sentence, repr(row.get("sentence_date")))
            if too_young:
                errors.append(RowError(number, "sentence_date", too_young))
        release = _date(
            row.get("release_date", ""),
            number,
            "release_date",
            errors,
            required=row.get("kind") == EventKind.LICENCE,
        )
        licence_end = _date(
            row.get("licence_end_date", ""), number, "licence_end_date", errors, required=False
        )
        length = _int(row.get("length_months", ""), number, "length_months", errors, required=True)
        if sentence and release and release < sentence:
            errors.append(RowError(number, "release_date", "is before the sentence date"))
        if len(errors) > before:
            continue
        assert (
            offender is not None and event_number is not None and sentence is not None and length is not None
        )
        prepared.append(
            Event(
                offender=offender,
                number=event_number,
                kind=row["kind"],
                court=row["court"],
                offence_id=row["offence_code"],
                sentence_date=sentence,
                length_months=length,
                prison=row.get("prison", ""),
                release_date=release,
                licence_end_date=licence_end,
            )
        )
    if errors:
        return result
    compared = [
        "kind",
        "court",
        "offence_id",
        "sentence_date",
        "length_months",
        "prison",
        "release_date",
        "licence_end_date",
    ]
    new, changed = [], []
    for event in prepared:
        current = existing.get((event.offender.crn, event.number))
        if current is None:
            new.append(event)
        elif any(getattr(current, f) != getattr(event, f) for f in compared):
            for f in compared:
                setattr(current, f, getattr(event, f))
            changed.append(current)
        else:
            result.unchanged += 1
    result.created, result.updated = len(new), len(changed)
    if not dry_run:
        with transaction.atomic():
            Event.objects.bulk_create(new, batch_size=1000)
            Event.objects.bulk_update(changed, compared, batch_size=1000)
            bring_cases_up_to_date(e.offender_id for e in [*new, *changed])
        refresh_planner_statistics()
    return result


REQUIREMENT_COLUMNS = ["crn", "event_number", "requirement_type"]
REQUIREMENT_FIGURES = ["hours", "hours_per_day", "length_months", "days"]


def import_requirements(rows: list[Row], *, dry_run: bool, user: User | None = None) -> ImportResult:
    result = ImportResult("requirements", len(rows), dry_run=dry_run)
    errors = result.errors
    crns = {r.get("crn", "") for r in rows}
    events = {
        (e.offender.crn, e.number): e
        for e in Event.objects.filter(offender__crn__in=crns).select_related("offender")
    }
    types = set(RequirementType.objects.values_list("code", flat=True))
    existing = {
        (r.event.offender.crn, r.event.number, r.requirement_type_id)
        for r in Requirement.objects.filter(event__offender__crn__in=crns).select_related("event__offender")
    }
    _duplicates(
        rows,
        lambda r: (r.get("crn", ""), r.get("event_number", ""), r.get("requirement_type", "")),
        "requirement_type",
        errors,
    )
    new: list[Requirement] = []
    for number, row in enumerate(rows, start=1):
        before = len(errors)
        event_number = _int(row.get("event_number", ""), number, "event_number", errors, required=True)
        event = events.get((row.get("crn", ""), event_number or 0))
        if event is None:
            errors.append(
                RowError(
                    number, "event_number", f"no event {row.get('event_number')} on case {row.get('crn')!r}"
                )
            )
        code = row.get("requirement_type", "")
        if code not in types:
            errors.append(RowError(number, "requirement_type", f"{code!r} is not a requirement type"))
        figures = {name: _int(row.get(name, ""), number, name, errors) for name in REQUIREMENT_FIGURES}
        if len(errors) > before:
            continue
        assert event is not None
        age = (
            event.offender.age_on(event.sentence_date)
            if code == LimitedRequirement.ATTENDANCE_CENTRE.value
            else None
        )
        for breach in check_requirement(LimitedRequirement(code), age_on_sentence=age, **figures):
            errors.append(RowError(number, breach.field, breach.message))
        if len(errors) > before:
            continue
        if (event.offender.crn, event.number, code) in existing:
            result.unchanged += 1
            continue
        new.append(Requirement(event=event, requirement_type_id=code, **figures))
    if errors:
        return result
    result.created = len(new)
    if not dry_run:
        with transaction.atomic():
            Requirement.objects.bulk_create(new, batch_size=1000)
            bring_cases_up_to_date(r.event.offender_id for r in new)
        refresh_planner_statistics()
    return result


CasePermission = Callable[[AnyUser, Offender], bool]
# The right each kind of row needs on an existing case: the rule of the service that makes the same
# write by hand, so a file never does what the page would refuse. Registered with the importer.
ROW_RIGHTS: dict[str, CasePermission] = {
    "offenders": can_edit_personal_details,
    "events": can_administer_case,
    "requirements": can_administer_case,
}


def can_import(user: AnyUser) -> bool:
    """Bulk import is case administration: case administrators and the service's operator (a
    superuser). The import page and `oms import --as USERNAME` both ask this."""
    return bool(getattr(user, "is_superuser", False)) or role_of(user) == Role.CASE_ADMINISTRATOR


def rows_out_of_reach(user: User, kind: str, rows: list[Row]) -> list[RowError]:
    """Rows naming a case the importer may not make this kind of change to, and new cases outside
    their own area.

    The same rule at both doors: the import page, and `oms import --as USERNAME`. A superuser (the
    service's operator) imports anywhere.
    """
    if getattr(user, "is_superuser", False):
        return []
    crns = {row.get("crn", "") for row in rows}
    held = {o.crn: o for o in Offender.objects.filter(crn__in=crns)}
    readable = set(visible_cases(user).filter(crn__in=held).values_list("crn", flat=True))
    may = ROW_RIGHTS.get(kind)
    writable = {crn for crn in readable if may is None or may(user, held[crn])}
    staff = staff_of(user)
    area = staff.area if staff else None
    own_area = {area.code.lower(), area.name.lower()} if area else set()
    errors = []
    for number, row in enumerate(rows, start=1):
        crn = row.get("crn", "")
        if crn in held and crn not in readable:
            errors.append(RowError(number, "crn", f"case {crn!r} is not one you have access to"))
        elif crn in held and crn not in writable:
            errors.append(RowError(number, "crn", f"you cannot import {kind} into case {crn!r}"))
        elif kind == "offenders" and crn not in held and row.get("area", "").lower() not in own_area:
            errors.append(RowError(number, "area", "you can only add cases to your own area"))
    return errors


def import_as(user: User, kind: str, path: Path, *, dry_run: bool) -> ImportResult:
    """An import by a named person (the page's user, or the command's --as): held to their reach,
    and recorded in their name."""
    columns, _ = IMPORTERS[kind]
    return import_rows_as(user, kind, read_rows(path, columns), dry_run=dry_run)


def import_rows_as(user: User, kind: str, rows: list[Row], *, dry_run: bool) -> ImportResult:
    """`import_as` for rows already read (a background import job reads them once, on the page)."""
    _, importer = IMPORTERS[kind]
    # Assessments have their own operator's permission, checked by their importer.
    if kind != "assessments" and not can_import(user):
        raise CaseRefused("Only case administrators import files")
    refused = rows_out_of_reach(user, kind, rows)
    # Each case refused is one refusal in the access log, whatever the door (page or command line).
    for crn in dict.fromkeys(rows[e.row - 1].get("crn", "") for e in refused):
        record_refusal(user, f"import of {kind}", crn=crn)
    result: ImportResult = importer(rows, dry_run=dry_run or bool(refused), user=user)
    if refused:
        result.errors = sorted([*refused, *result.errors], key=lambda e: e.row)
        result.dry_run = dry_run
        result.created = result.updated = result.unchanged = 0
    return result


IMPORTERS: dict[str, tuple[list[str], Callable[..., ImportResult]]] = {
    "offenders": (OFFENDER_COLUMNS, import_offenders),
    "events": (EVENT_COLUMNS, import_events),
    "requirements": (REQUIREMENT_COLUMNS, import_requirements),
}


def import_file(kind: str, path: Path, *, dry_run: bool) -> ImportResult:
    """An import by the service's operator with no name given (`oms import` without --as): new
    records only; a change to an existing case or an assessment needs a named person (import_as)."""
    columns, importer = IMPORTERS[kind]
    return importer(read_rows(path, columns), dry_run=dry_run)
