from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from oms.accounts.audit import record_access
from oms.accounts.models import AccessAction
from oms.accounts.refusals import record_refusal
from oms.cases.bulk import IMPORTERS, ImportFileError, import_as, import_file
from oms.cases.export import AreaImportError, import_area
from oms.cases.management.commands._output import to_json


class Command(BaseCommand):
    help = "Bulk import from CSV or JSON, all or nothing: offenders, events, requirements, or a whole exported area."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=[*IMPORTERS, "area"])
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Check every row and report; write nothing"
        )
        parser.add_argument("--json", action="store_true", help="Print the result as JSON")
        parser.add_argument(
            "--as",
            dest="username",
            help=(
                "The person importing: held to the cases they may reach, as on the import page, and "
                "named in the log. Needed to change existing cases and to import assessments"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"file: {path} does not exist", returncode=2)
        if options["kind"] == "area":
            try:
                counts = import_area(json.loads(path.read_text(encoding="utf-8")))
            except (AreaImportError, json.JSONDecodeError, UnicodeDecodeError) as error:
                raise CommandError(f"{path.name}: {error}; nothing was imported", returncode=2) from error
            record_access(None, AccessAction.CREATE, f"imported area file {path.name}")
            self.stdout.write(
                to_json({"imported": counts})
                if options["json"]
                else f"Imported {sum(counts.values())} records"
            )
            return
        operator = None
        if options["kind"] == "assessments" and not options["username"]:
            raise CommandError(
                "--as: importing assessments needs the migration's named operator (--as USERNAME); "
                "nothing was imported",
                returncode=2,
            )
        if options["username"]:
            operator = get_user_model().objects.filter(username=options["username"], is_active=True).first()
            if operator is None:
                raise CommandError(f"--as: no active user {options['username']!r}", returncode=2)
        try:
            if operator is not None:
                result = import_as(operator, options["kind"], path, dry_run=options["dry_run"])
            else:
                result = import_file(options["kind"], path, dry_run=options["dry_run"])
        except ImportFileError as error:
            raise CommandError(f"{error}; nothing was imported", returncode=2) from error
        except PermissionDenied as refused:
            record_refusal(operator, f"CLI: import {options['kind']} from {path.name}")
            raise CommandError(f"{refused}; nothing was imported", returncode=2) from refused
        if options["json"]:
            self.stdout.write(to_json(result.as_json()))
        else:
            mode = "checked (dry run, nothing written)" if result.dry_run else "imported"
            self.stdout.write(
                f"{result.rows} {result.kind} rows {mode}: {result.created} new, {result.updated} changed, {result.unchanged} unchanged"
            )
        if result.errors:
            for row_error in result.errors:
                self.stderr.write(f"{path.name}: {row_error}")
            raise CommandError(
                f"{len(result.errors)} error(s) in {path.name}; nothing was imported", returncode=2
            )
        if not result.dry_run:
            record_access(
                operator,
                AccessAction.CREATE,
                f"imported {result.kind} from {path.name}: {result.created} new, {result.updated} changed",
            )
