from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from oms.accounts.audit import record_access
from oms.accounts.models import AccessAction
from oms.cases.export import SubjectAccessRefused, dumps, export_area, subject_access
from oms.organisation.models import Area


class Command(BaseCommand):
    help = "Export a whole area (`export area --out FILE`) or everything held on one person (`export subject-access CRN`)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=["area", "subject-access"])
        parser.add_argument("crn", nargs="?", help="For subject-access: the case reference number")
        parser.add_argument("--area", help="For area: the area's name or code (default: the only area)")
        parser.add_argument("--out", type=Path, help="File to write (default: standard output)")
        parser.add_argument(
            "--as",
            dest="username",
            help="For subject-access (required): the operator answering the request, named in the log",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["kind"] == "area":
            areas = Area.objects.all()
            if options["area"]:
                areas = areas.filter(Q(name__iexact=options["area"]) | Q(code__iexact=options["area"]))
            if areas.count() != 1:
                raise CommandError(
                    "--area: name one area (there is more than one, or none matches)", returncode=2
                )
            area = areas.get()
            document = export_area(area)
            record_access(
                None,
                AccessAction.EXPORT,
                f"exported area {area.name}: {sum(document['counts'].values())} records",
            )
            self._write(dumps(document), options["out"])
            self.stderr.write(f"{sum(document['counts'].values())} records, checksum {document['checksum']}")
            return
        crn = options["crn"]
        if not crn:
            raise CommandError("subject-access needs a CRN", returncode=2)
        if not options["username"]:
            raise CommandError("--as: name the operator answering the subject access request", returncode=2)
        operator = get_user_model().objects.filter(username=options["username"], is_active=True).first()
        if operator is None:
            raise CommandError(f"--as: no active user {options['username']!r}", returncode=2)
        try:
            document = subject_access(crn, operator)
        except SubjectAccessRefused as refused:
            raise CommandError(str(refused), returncode=2) from refused
        self._write(dumps(document), options["out"])

    def _write(self, text: str, out: Path | None) -> None:
        if out is None:
            self.stdout.write(text)
        else:
            out.write_text(text, encoding="utf-8")
