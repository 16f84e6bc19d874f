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

from django.db import transaction

from oms.cases.constants import EventKind, Gender
from oms.cases.models import EthnicityCode, Event, OffenceCode, Offender, Requirement, RequirementType
from oms.cases.requirement_limits import RequirementType as LimitedRequirement
from oms.cases.requirement_limits import check_requirement
from oms.cases.upkeep import bring_cases_up_to_date
from oms.organisation.models import Area, Staff
from oms.planner_statistics import refresh_planner_statistics

Row = dict[str, str]


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


def _date(value: str, row: int, name: str, errors: list[RowError], required: bool = True) -> date | None:
    if not value:
        if required:
            errors.append(RowError(row, name, "is required"))
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors.append(RowError(row, name, f"{value!r} is not a date (YYYY-MM-DD)"))
        return None


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


def import_offenders(rows: list[Row], *, dry_run: bool) -> ImportResult:
    result = ImportResult("offenders", len(rows), dry_run=dry_run)
    errors = result.errors
    areas = {a.code.lower(): a for a in Area.objects.all()} | {a.name.lower(): a for a in Area.objects.all()}
    ethnicities = set(EthnicityCode.objects.values_list("code", flat=True))
    staff = {
        s.user.username: s for s in Staff.objects.select_related("user").filter(user__isnull=False) if s.user
    }
    existing = {o.crn: o for o in Offender.objects.filter(crn__in=[r.get("crn", "") for r in rows])}
    _duplicates(rows, lambda r: (r.get("crn", ""),), "crn", errors)
    prepared: list[Offender] = []
    for number, row in enumerate(rows, start=1):
        crn = row.get("crn", "")
        if not crn or len(crn) > 10:
            errors.append(RowError(number, "crn", "is required, at most 10 characters"))
        for name in ("first_name", "family_name"):
            if not row.get(name):
                errors.append(RowError(number, name, "is required"))
        born = _date(row.get("date_of_birth", ""), number, "date_of_birth", errors)
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
        prepared.append(
            Offender(
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
        )
    if errors:
        return result
    compared = [
        "pnc_number",
        "first_name",
        "family_name",
        "date_of_birth",
        "gender",
        "ethnicity_id",
        "area_id",
        "offender_manager_id",
        "first_language",
        "interpreter_required",
        "dyslexia",
        "literacy_need",
    ]
    new, changed = [], []
    for offender in prepared:
        current = existing.get(offender.crn)
        if current is None:
            new.append(offender)
        elif any(getattr(current, f) != getattr(offender, f) for f in compared):
            for f in compared:
                setattr(current, f, getattr(offender, f))
            changed.append(current)
        else:
            result.unchanged += 1
    result.created, result.updated = len(new), len(changed)
    if not dry_run:
        with transaction.atomic():
            Offender.objects.bulk_create(new, batch_size=1000)
            Offender.objects.bulk_update(changed, compared, batch_size=1000)
            bring_cases_up_to_date(o.pk for o in changed)
        refresh_planner_statistics()
    return result


EVENT_COLUMNS = ["crn", "event_number", "kind", "court", "offence_code", "sentence_date", "length_months"]


def import_events(rows: list[Row], *, dry_run: bool) -> ImportResult:
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
        sentence = _date(row.get("sentence_date", ""), number, "sentence_date", errors)
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


def import_requirements(rows: list[Row], *, dry_run: bool) -> ImportResult:
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


IMPORTERS: dict[str, tuple[list[str], Callable[..., ImportResult]]] = {
    "offenders": (OFFENDER_COLUMNS, import_offenders),
    "events": (EVENT_COLUMNS, import_events),
    "requirements": (REQUIREMENT_COLUMNS, import_requirements),
}


def import_file(kind: str, path: Path, *, dry_run: bool) -> ImportResult:
    columns, importer = IMPORTERS[kind]
    return importer(read_rows(path, columns), dry_run=dry_run)
