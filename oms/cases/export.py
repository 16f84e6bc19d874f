"""Export of a whole area as JSON (and import into an empty database), and subject access exports.

The area file lists every record of the area, model by model, in Django's serialisation, with counts
and a SHA-256 checksum of the records: importing it into an empty database and exporting again gives
the same counts and checksum. Every OMS model is included, found from its foreign keys to the area.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.contrib.auth.models import AbstractBaseUser
from django.core import serializers
from django.core.management.color import no_style
from django.db import connection, models, transaction

from oms.organisation.models import Area
from oms.planner_statistics import refresh_planner_statistics

FORMAT = "oms-area-export/2"

# Not part of an area's records: reference data every database loads itself (a data migration), the
# access log and API tokens (about people's use of the service), and sign-ins; and the stored
# actions, which are derived from the records and evaluated afresh when an area is imported.
NOT_EXPORTED = frozenset(
    {
        "standards.storedaction",
        "organisation.grade",
        "cases.offencecode",
        "cases.requirementtype",
        "cases.contacttype",
        "cases.ethnicitycode",
        "accounts.accesslogentry",
        "accounts.apitoken",
    }
)


def _area_paths() -> dict[str, str]:
    """For every OMS model, the lookup from its rows to their area, found from the foreign keys.

    Breadth first from the area, so each model takes its shortest path (a contact reaches its area
    through its offender, not through the member of staff who booked it).
    """
    models_ = [
        m
        for m in apps.get_models()
        if m.__module__.startswith("oms.")
        and not m.__name__.startswith("Historical")
        and m._meta.label_lower not in NOT_EXPORTED
    ]
    paths: dict[str, str] = {"organisation.area": "pk"}
    changed = True
    while changed:
        changed = False
        for model in models_:
            label = model._meta.label_lower
            if label in paths:
                continue
            for field in model._meta.fields:
                target = (
                    field.related_model._meta.label_lower
                    if field.is_relation and field.related_model
                    else None
                )
                if target in paths and target != "organisation.staff":
                    prefix = paths[target]
                    paths[label] = field.name if prefix == "pk" else f"{field.name}__{prefix}"
                    changed = True
                    break
        if not changed:
            # Staff-only records (sickness, appraisals) reach the area through the member of staff.
            for model in models_:
                label = model._meta.label_lower
                staff_fields = [
                    f
                    for f in model._meta.fields
                    if f.is_relation
                    and f.related_model is not None
                    and f.related_model._meta.label_lower == "organisation.staff"
                ]
                if label not in paths and "organisation.staff" in paths and staff_fields:
                    paths[label] = f"{staff_fields[0].name}__{paths['organisation.staff']}"
                    changed = True
    return dict(sorted(paths.items()))


def _model(label: str) -> type[models.Model]:
    return apps.get_model(label)


def _json_default(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(type(value).__name__)


def _serialise(queryset: models.QuerySet[Any]) -> list[dict[str, Any]]:
    # Content types differ between databases: they travel by their natural key (app, model).
    return serializers.serialize("python", queryset, use_natural_foreign_keys=True)  # type: ignore[no-any-return]


def _records(area: Area) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    referenced_staff: set[int] = set()
    paths = _area_paths()
    region = _model("organisation.region")._default_manager.filter(pk=area.region_id)
    records.extend(
        {"model": "organisation.region", "pk": r["pk"], "fields": r["fields"]} for r in _serialise(region)
    )
    for label, path in paths.items():
        model = _model(label)
        queryset = model._default_manager.filter(**{path: area.pk}).order_by("pk")
        for field in model._meta.fields:
            if (
                field.is_relation
                and field.related_model is not None
                and field.related_model._meta.label_lower == "organisation.staff"
            ):
                referenced_staff.update(i for i in queryset.values_list(field.attname, flat=True) if i)
        for record in _serialise(queryset):
            fields = record["fields"]
            if label == "organisation.staff":
                fields["user"] = None  # sign-ins are not part of an area's records
            records.append({"model": label, "pk": record["pk"], "fields": fields})
    # Staff of other organisations who appear in the area's records (inspectors, prison supervisors)
    # come too, without their own organisation's place in the hierarchy.
    own_staff = set(
        _model("organisation.staff")._default_manager.filter(area=area).values_list("pk", flat=True)
    )
    visiting = (
        _model("organisation.staff")
        ._default_manager.filter(pk__in=referenced_staff - own_staff)
        .order_by("pk")
    )
    for record in _serialise(visiting):
        fields = record["fields"]
        fields.update(user=None, area=None, team=None, manages_teams=[])
        records.append({"model": "organisation.staff", "pk": record["pk"], "fields": fields})
    # As they will read back from the file (dates as ISO text), so the checksum survives the trip.
    normalised: list[dict[str, Any]] = json.loads(json.dumps(records, default=_json_default))
    return normalised


def checksum(records: list[dict[str, Any]]) -> str:
    canonical = json.dumps(records, sort_keys=True, default=_json_default, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def export_area(area: Area) -> dict[str, Any]:
    records = _records(area)
    counts: dict[str, int] = defaultdict(int)
    for record in records:
        counts[record["model"]] += 1
    return {
        "format": FORMAT,
        "area": area.name,
        "counts": dict(counts),
        "checksum": checksum(records),
        "records": records,
    }


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, default=_json_default, indent=1)


class AreaImportError(Exception):
    pass


@transaction.atomic
def import_area(document: dict[str, Any]) -> dict[str, int]:
    """Load an exported area into a database that does not hold it yet; all or nothing."""
    if document.get("format") != FORMAT:
        raise AreaImportError(f"format: expected {FORMAT!r}, found {document.get('format')!r}")
    records = document.get("records")
    if not isinstance(records, list):
        raise AreaImportError("records: missing")
    if checksum(records) != document.get("checksum"):
        raise AreaImportError(
            "checksum: the records do not match the file's checksum (the file was changed or cut short)"
        )
    if Area.objects.filter(name=document.get("area")).exists():
        raise AreaImportError(f"area: {document.get('area')!r} already exists in this database")
    by_model: dict[str, list[Any]] = defaultdict(list)
    for deserialized in serializers.deserialize("python", records, handle_forward_references=True):
        by_model[deserialized.object._meta.label_lower].append(deserialized)
    counts: dict[str, int] = {}
    # Foreign keys are checked at commit (Django declares them deferrable), so the order of the
    # models does not matter inside this one transaction.
    for label in sorted(by_model):
        objects = by_model[label]
        model = _model(label)
        if label == "organisation.region":
            # Regions are shared by areas: one the database already holds is kept as it is.
            objects = [o for o in objects if not model._default_manager.filter(pk=o.object.pk).exists()]
        rows = [o.object for o in objects]
        # auto_now_add fields would take today's time on insert: put the exported times back.
        stamped = [f.attname for f in model._meta.concrete_fields if getattr(f, "auto_now_add", False)]
        kept = [{name: getattr(row, name) for name in stamped} for row in rows]
        model._default_manager.bulk_create(rows, batch_size=1000)
        if stamped and rows:
            for row, values in zip(rows, kept, strict=True):
                for name, value in values.items():
                    setattr(row, name, value)
            model._default_manager.bulk_update(rows, stamped, batch_size=1000)
        for o in objects:
            for field_name, values in (o.m2m_data or {}).items():
                if values:
                    getattr(o.object, field_name).set(values)
        counts[label] = len(by_model[label])
    # The rows kept their ids: move each table's id sequence past them (PostgreSQL).
    statements = connection.ops.sequence_reset_sql(no_style(), [_model(label) for label in by_model])
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    from oms.cases.models import Offender
    from oms.cases.upkeep import bring_cases_up_to_date

    # Rows loaded in bulk send no signals: the area's actions are evaluated once, here.
    bring_cases_up_to_date(
        Offender.objects.filter(area__name=document.get("area")).values_list("pk", flat=True)
    )
    refresh_planner_statistics()
    return counts


class SubjectAccessRefused(Exception):
    """The operator may not export this case (the refusal is logged)."""


def subject_access(crn: str, operator: AbstractBaseUser) -> dict[str, Any]:
    """Everything held on one person for a subject access request, exported by a named operator.

    The offender receives it: nothing about their victims (no identity, no safety considerations, no
    licence conditions a victim asked for). The export is logged in the operator's name.
    """
    from oms.accounts.audit import record_access
    from oms.accounts.models import AccessAction
    from oms.accounts.permissions import can_export_subject_access
    from oms.accounts.refusals import record_refusal
    from oms.cases.models import Offender
    from oms.cases.record import full_case_record

    found = Offender.objects.filter(crn=crn).first()
    if found is None or not can_export_subject_access(operator, found):
        if found is not None:
            record_refusal(operator, "subject access export", crn=crn)
        raise SubjectAccessRefused(
            f"{operator.get_username()} may not export case {crn}" if found else f"No case with CRN {crn}"
        )
    record_access(operator, AccessAction.EXPORT, "subject access export", crn=crn)
    offender = Offender.objects.prefetch_related(
        "events__requirements__requirement_type",
        "addresses",
        "registrations",
        "allocations__offender_manager",
        "transfers",
    ).get(crn=crn)
    return {
        "crn": offender.crn,
        "case": full_case_record(offender, reader_is_victim_liaison=False, for_subject_access=True),
        "personal_details": {
            "first_language": offender.first_language,
            "interpreter_required": offender.interpreter_required,
            "literacy_need": offender.literacy_need,
            "dyslexia": offender.dyslexia,
            "disability": offender.disability,
            "religion": offender.religion,
            "ethnicity": offender.ethnicity_id,
        },
        "addresses": [
            {"lines": a.lines, "postcode": a.postcode, "from": a.from_date, "to": a.to_date}
            for a in offender.addresses.all()
        ],
        "registrations": [
            {"kind": r.kind, "start": r.start_date, "end": r.end_date, "mappa_level": r.mappa_level}
            for r in offender.registrations.all()
        ],
        "allocations": [
            {
                "offender_manager": a.offender_manager.full_name,
                "start": a.start_date,
                "end": a.end_date,
                "reason": a.reason,
            }
            for a in offender.allocations.all()
        ],
        "transfers": [
            {"direction": t.direction, "area": t.other_area, "date": t.transfer_date}
            for t in offender.transfers.all()
        ],
    }
