"""The import page: `oms import KIND FILE` for case administrators who do not use a terminal.

The same importers as the command (oms/cases/bulk.py IMPORTERS), so the same rows are accepted and
the same errors named; all or nothing, with a dry run. A case administrator imports only into the
cases they may read and only new cases of their own area (a superuser anywhere); every import, dry run
and refusal is in the access log.
"""

from __future__ import annotations

import re
import secrets
import tempfile
from pathlib import Path

from django import forms
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from oms.accounts.audit import record_access
from oms.accounts.models import AccessAction
from oms.accounts.refusals import note_refusal
from oms.cases.bulk import (
    IMPORTERS,
    ImportFileError,
    ImportResult,
    Row,
    can_import,
    import_as,
    import_rows_as,
    read_rows,
)
from oms.cases.radios import offer_choices

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


# What each kind of file holds, shown on the page (the same as the README's "Bulk import formats").
COLUMNS = {
    "offenders": (
        "crn, first_name, family_name, date_of_birth (YYYY-MM-DD), gender (male, female, not_recorded), "
        "area (name or code)",
        "pnc_number, ethnicity (census code, e.g. W1), offender_manager (username), first_language, "
        "interpreter_required, dyslexia, literacy_need",
    ),
    "events": (
        "crn, event_number, kind (community_order, suspended_sentence_order, custody, licence), court, "
        "offence_code (5 digits), sentence_date, length_months",
        "release_date (required for a licence), licence_end_date, prison",
    ),
    "requirements": (
        "crn, event_number, requirement_type (unpaid_work, supervision, curfew, ...)",
        "hours, hours_per_day, length_months, days (checked against the CJA 2003 limits)",
    ),
    "contacts": (
        "crn, contact_type (office, home_visit, telephone, drug_test, ...), starts_at (date and time), "
        "and ends_at or duration_minutes",
        "outcome, absence_reason (for an acceptable absence), staff (username), notes, location, event_number",
    ),
    "assessments": (
        "crn, event_number, kind (screening, analysis, reoffending), completed_on, author (username)",
        "screening: full_analysis_needed; analysis: overall_level and each group's level; reoffending: "
        "total_sanctions, age_at_first_sanction, date_of_current_conviction, date_of_start_of_follow_up "
        "and need scores",
    ),
}
# A clean dry run is kept this long for "Import these records", in the shared cache (any server).
CHECKED_FILE_SECONDS = 30 * 60
CHECKED_FILE_LARGEST_BYTES = 5 * 1024 * 1024


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
        offer_choices(
            kind,
            [("", "Choose what the file holds")]
            + [(name, KIND_LABELS.get(name, name.title())) for name in IMPORTERS],
        )
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


def _safe_name(name: str) -> str:
    """The uploaded file's own name (the errors quote it), without any path or odd characters."""
    stem = re.sub(r"[^A-Za-z0-9_.-]", "_", Path(name).name)[:100]
    return stem or "upload.csv"


def import_view(request: HttpRequest) -> HttpResponse:
    if not can_import(request.user):
        note_refusal(request, "bulk import page")
        raise PermissionDenied("Only case administrators import files")
    posted = request.method == "POST"
    if posted and request.POST.get("checked"):
        return _import_checked_file(request, request.POST["checked"])
    form = ImportForm(request.POST if posted else None, request.FILES if posted else None)
    result = None
    file_error = ""
    checked = ""
    is_csv = True
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
            is_csv = path.suffix.lower() == ".csv"
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
                result = import_rows_as(request.user, kind, rows, dry_run=dry_run)
                if result.dry_run and not result.errors and upload.size <= CHECKED_FILE_LARGEST_BYTES:
                    checked = _keep_checked_file(request, kind, name, path.read_bytes())
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
            "columns": [(KIND_LABELS.get(k, k), *COLUMNS.get(k, ("", ""))) for k in IMPORTERS],
            "checked": checked,
            # A spreadsheet numbers the header row 1, so the importers' row 1 is its row 2.
            "row_offset": 1 if is_csv else 0,
        },
    )


def _keep_checked_file(request: HttpRequest, kind: str, name: str, content: bytes) -> str:
    """Keep a file that passed its dry run so "Import these records" needs no second upload."""
    token = secrets.token_urlsafe(16)
    cache.set(
        f"import-checked:{token}",
        {"user": request.user.pk, "kind": kind, "name": name, "content": content},
        CHECKED_FILE_SECONDS,
    )
    return token


def _import_checked_file(request: HttpRequest, token: str) -> HttpResponse:
    kept = cache.get(f"import-checked:{token}")
    if not kept or kept["user"] != request.user.pk:
        messages.error(request, "That check has expired: choose the file again")
        return redirect("cases:import")
    cache.delete(f"import-checked:{token}")
    with tempfile.TemporaryDirectory(prefix="oms-import-") as folder:
        path = Path(folder) / kept["name"]
        path.write_bytes(kept["content"])
        result = import_as(request.user, kept["kind"], path, dry_run=False)
    record_access(request.user, *audit_entry(kept["kind"], kept["name"], result, ""), request=request)
    return render(
        request,
        "cases/import.html",
        {
            "form": ImportForm(),
            "result": result,
            "errors_shown": result.errors[:ERRORS_SHOWN],
            "extra_errors": [("errors", _error_count(result))] if result.errors else [],
            "kinds": IMPORTERS,
            "columns": [(KIND_LABELS.get(k, k), *COLUMNS.get(k, ("", ""))) for k in IMPORTERS],
            "checked": "",
            "row_offset": 1 if path.suffix.lower() == ".csv" else 0,
        },
    )


def _error_count(result: ImportResult) -> str:
    count = len(result.errors)
    return f"{count:,} error{'s' if count != 1 else ''} in the file: nothing was imported"


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
