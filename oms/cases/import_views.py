"""The import page: `oms import KIND FILE` for case administrators who do not use a terminal.

The same importers as the command (oms/cases/bulk.py IMPORTERS), so the same rows are accepted and
the same errors named; all or nothing, with a dry run. A case administrator imports only into the
cases they may read and only new cases of their own area (a superuser anywhere); every import, dry run
and refusal is in the access log.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from oms.accounts.audit import record_access
from oms.accounts.models import AccessAction
from oms.accounts.permissions import AnyUser, role_of, staff_of, visible_cases
from oms.cases.bulk import IMPORTERS, ImportFileError, ImportResult, Row, RowError, read_rows
from oms.cases.models import Offender
from oms.organisation.constants import Role

# A file bigger than this is a whole-area load: that is `oms import` on the server, not an upload.
LARGEST_UPLOAD_BYTES = 20 * 1024 * 1024
# Files with more rows than this are imported by a background job (issue 12 item 3).
LARGE_IMPORT_ROWS = 2000
# The errors table shows this many rows; the summary gives the full count.
ERRORS_SHOWN = 500
KIND_LABELS = {
    "offenders": "Offenders (people)",
    "events": "Events (orders and licences)",
    "requirements": "Requirements of community orders",
    "contacts": "Contacts and appointments",
    "assessments": "Assessments (RoH screening, full analysis, likelihood of reoffending)",
}


def can_import(user: AnyUser) -> bool:
    """Bulk import is case administration: case administrators and superusers."""
    return bool(getattr(user, "is_superuser", False)) or role_of(user) == Role.CASE_ADMINISTRATOR


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label="What the file holds", choices=())
    file = forms.FileField(
        label="File",
        help_text="A CSV file with a header row, or a JSON list of objects, in UTF-8",
        error_messages={"required": "Choose a file to import", "empty": "The file is empty"},
    )
    dry_run = forms.BooleanField(
        label="Check the file only (dry run): write nothing", required=False, initial=True
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [("", "Choose what the file holds")] + [
            (name, KIND_LABELS.get(name, name.title())) for name in IMPORTERS
        ]
        kind.error_messages["required"] = "Choose what the file holds"

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > LARGEST_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"The file must be smaller than {LARGEST_UPLOAD_BYTES // (1024 * 1024)} MB: "
                "import a larger file with `oms import` on the server"
            )
        if Path(upload.name).suffix.lower() not in (".csv", ".json"):
            raise forms.ValidationError("The file must be a .csv or .json file")
        return upload


def _rows_out_of_reach(user: AnyUser, kind: str, rows: list[Row]) -> list[RowError]:
    """Rows about cases this person may not read, or new cases outside their own area.

    The command line is run by the service's operators and imports anywhere; a page is used by one
    area's staff, so it holds them to the cases their role gives them.
    """
    if getattr(user, "is_superuser", False):
        return []
    crns = {row.get("crn", "") for row in rows}
    held = set(Offender.objects.filter(crn__in=crns).values_list("crn", flat=True))
    readable = set(visible_cases(user).filter(crn__in=held).values_list("crn", flat=True))
    staff = staff_of(user)
    area = staff.area if staff else None
    own_area = {area.code.lower(), area.name.lower()} if area else set()
    errors = []
    for number, row in enumerate(rows, start=1):
        crn = row.get("crn", "")
        if crn in held and crn not in readable:
            errors.append(RowError(number, "crn", f"case {crn!r} is not one you have access to"))
        elif kind == "offenders" and crn not in held and row.get("area", "").lower() not in own_area:
            errors.append(RowError(number, "area", "you can only add cases to your own area"))
    return errors


def _run_import(user: AnyUser, kind: str, path: Path, dry_run: bool) -> ImportResult:
    columns, _ = IMPORTERS[kind]
    return run_import_rows(user, kind, read_rows(path, columns), dry_run)


def run_import_rows(user: AnyUser, kind: str, rows: list[Row], dry_run: bool) -> ImportResult:
    """Check and import rows already read from a file, held to what this user may import."""
    _, importer = IMPORTERS[kind]
    refused = _rows_out_of_reach(user, kind, rows)
    # The importers that record who did it (history, access log) take the user.
    extra = {"user": user} if kind in ("contacts", "assessments") else {}
    result: ImportResult = importer(rows, dry_run=dry_run or bool(refused), **extra)
    if refused:
        result.errors = sorted([*refused, *result.errors], key=lambda e: e.row)
        result.dry_run = dry_run
        result.created = result.updated = result.unchanged = 0
    return result


def _safe_name(name: str) -> str:
    """The uploaded file's own name (the errors quote it), without any path or odd characters."""
    stem = re.sub(r"[^A-Za-z0-9_.-]", "_", Path(name).name)[:100]
    return stem or "upload.csv"


def import_view(request: HttpRequest) -> HttpResponse:
    if not can_import(request.user):
        record_access(request.user, AccessAction.REFUSED, "refused: bulk import page", request=request)
        raise PermissionDenied("Only case administrators import files")
    posted = request.method == "POST"
    form = ImportForm(request.POST if posted else None, request.FILES if posted else None)
    result = None
    file_error = ""
    if posted and form.is_valid():
        kind, upload, dry_run = (
            form.cleaned_data["kind"],
            form.cleaned_data["file"],
            form.cleaned_data["dry_run"],
        )
        name = _safe_name(upload.name)
        rows: list[Row] | None = None
        with tempfile.TemporaryDirectory(prefix="oms-import-") as folder:
            path = Path(folder) / name
            with path.open("wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            try:
                rows = read_rows(path, IMPORTERS[kind][0])
            except ImportFileError as error:
                file_error = f"{error}; nothing was imported"
                form.add_error("file", file_error)
        if rows is not None and len(rows) > LARGE_IMPORT_ROWS:
            # A long import runs as a background job; the page that started it shows its progress.
            from oms.cases.tasks import enqueue_import

            job = enqueue_import(request.user, kind, name, rows, dry_run)
            return redirect("jobs:job", task_id=str(job.id))
        if rows is not None:
            result = run_import_rows(request.user, kind, rows, dry_run)
        record_access(request.user, *audit_entry(kind, name, result, file_error), request=request)
    return render(
        request,
        "cases/import.html",
        {
            "form": form,
            "result": result,
            "errors_shown": result.errors[:ERRORS_SHOWN] if result else [],
            "extra_errors": [("errors", _error_count(result))] if result and result.errors else [],
            "kinds": IMPORTERS,
        },
    )


def _error_count(result: ImportResult) -> str:
    count = len(result.errors)
    return f"{count} error{'s' if count != 1 else ''} in the file: nothing was imported"


def audit_entry(
    kind: str, name: str, result: ImportResult | None, file_error: str
) -> tuple[AccessAction, str]:
    """Every attempt is recorded: what was written, or that nothing was and why."""
    if result is None:
        return AccessAction.VIEW, f"import of {kind} from {name} refused: {file_error}"
    if result.errors:
        return AccessAction.VIEW, f"import of {kind} from {name} refused: {len(result.errors)} errors"
    if result.dry_run:
        return (
            AccessAction.VIEW,
            f"checked {kind} from {name} (dry run): {result.created} new, {result.updated} changed",
        )
    return (
        AccessAction.CREATE,
        f"imported {kind} from {name}: {result.created} new, {result.updated} changed",
    )
