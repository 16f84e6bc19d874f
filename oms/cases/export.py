"""Export of a whole area as JSON (and import into an empty database), and subject access exports.

The area file lists every record of the area, model by model, in Django's serialisation, with counts
and a SHA-256 checksum of the records: importing it into an empty database and exporting again gives
the same counts and checksum. Apps add their own records with `register_area_export`.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.core import serializers
from django.db import models, transaction

from oms.organisation.models import Area

FORMAT = "oms-area-export/1"

# Model label → how to find that model's rows belonging to an area. In dependency order.
AreaScope = Callable[[Area], models.QuerySet[Any]]
_AREA_EXPORTS: dict[str, AreaScope] = {}


def register_area_export(label: str, scope: AreaScope) -> None:
    _AREA_EXPORTS[label] = scope


def _model(label: str) -> type[models.Model]:
    return apps.get_model(label)


register_area_export(
    "organisation.region",
    lambda area: _model("organisation.region")._default_manager.filter(pk=area.region_id),
)
register_area_export(
    "organisation.area", lambda area: _model("organisation.area")._default_manager.filter(pk=area.pk)
)
register_area_export(
    "organisation.unit", lambda area: _model("organisation.unit")._default_manager.filter(area=area)
)
register_area_export(
    "organisation.team", lambda area: _model("organisation.team")._default_manager.filter(unit__area=area)
)
register_area_export(
    "organisation.approvedpremises",
    lambda area: _model("organisation.approvedpremises")._default_manager.filter(area=area),
)
register_area_export(
    "organisation.staff", lambda area: _model("organisation.staff")._default_manager.filter(area=area)
)
register_area_export(
    "cases.offender", lambda area: _model("cases.offender")._default_manager.filter(area=area)
)
register_area_export(
    "cases.address", lambda area: _model("cases.address")._default_manager.filter(offender__area=area)
)
register_area_export(
    "cases.event", lambda area: _model("cases.event")._default_manager.filter(offender__area=area)
)
register_area_export(
    "cases.requirement",
    lambda area: _model("cases.requirement")._default_manager.filter(event__offender__area=area),
)
register_area_export(
    "cases.registration",
    lambda area: _model("cases.registration")._default_manager.filter(offender__area=area),
)
register_area_export(
    "cases.allocation", lambda area: _model("cases.allocation")._default_manager.filter(offender__area=area)
)
register_area_export(
    "cases.transfer", lambda area: _model("cases.transfer")._default_manager.filter(offender__area=area)
)


def _json_default(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(type(value).__name__)


def _records(area: Area) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    for label, scope in _AREA_EXPORTS.items():
        queryset = scope(area).order_by("pk")
        for record in serializers.serialize("python", queryset):
            fields = record["fields"]
            # Sign-ins are not part of an area's records: staff come across without their user.
            if label == "organisation.staff":
                fields["user"] = None
            records.append({"model": label, "pk": record["pk"], "fields": fields})
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
    # Regions are shared between areas: reuse one that exists.
    by_model: dict[str, list[Any]] = defaultdict(list)
    for deserialized in serializers.deserialize("python", records, handle_forward_references=True):
        by_model[deserialized.object._meta.label_lower].append(deserialized)
    counts: dict[str, int] = {}
    for label in _AREA_EXPORTS:
        objects = by_model.get(label, [])
        model = _model(label)
        if label == "organisation.region":
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
        if label in by_model:
            counts[label] = len(by_model[label])
    return counts


def subject_access(crn: str) -> dict[str, Any]:
    """Everything held on one person for a subject access request. Never a victim's identity."""
    from oms.cases.models import Offender
    from oms.cases.record import full_case_record

    offender = Offender.objects.prefetch_related(
        "events__requirements__requirement_type",
        "addresses",
        "registrations",
        "allocations__offender_manager",
        "transfers",
    ).get(crn=crn)
    return {
        "crn": offender.crn,
        # Victims appear only as the summary an offender manager sees: never who or where they are.
        "case": full_case_record(offender, reader_is_victim_liaison=False),
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
