from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from oms.cases.management.commands._output import to_json, usage_error
from oms.cases.management.commands._scope import add_scope_arguments, scoped_cases
from oms.standards.queries import actions


def parse_as_of(value: str | None) -> date:
    if not value:
        return timezone.localdate()
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise usage_error(f"--as-of: {value!r} is not a date (YYYY-MM-DD)") from error


class Command(BaseCommand):
    help = "National Standards actions due and overdue, for a person, a team or an area."

    def add_arguments(self, parser: CommandParser) -> None:
        add_scope_arguments(parser)
        parser.add_argument("--as-of", help="Evaluate as on this date (default today)")
        parser.add_argument("--json", action="store_true", help="Print JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = parse_as_of(options["as_of"])
        found = actions(scoped_cases(options["area"], options["team"], options["staff"]), as_of)
        if options["json"]:
            self.stdout.write(to_json({"as_of": as_of, "actions": [a.as_json() for a in found]}))
            return
        for action in found:
            row = action.as_json()
            self.stdout.write(
                f"{row['crn']}  {row['status']:<8} {row['deadline']}  {row['description']}  ({row['owner']})"
            )
