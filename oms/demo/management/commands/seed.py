from __future__ import annotations

import time
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from oms.demo.area import seed_area


class Command(BaseCommand):
    help = "Create a synthetic probation area (reproducible: the same seed gives the same area)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--cases", type=int, default=2338, help="Current cases (default 2,338, as the report)"
        )
        parser.add_argument("--seed", type=int, default=2007, help="Random seed")
        parser.add_argument("--area", default="Northamptonshire", help="Area name")
        parser.add_argument(
            "--as-of", type=date.fromisoformat, default=None, help="The area's 'today' (default: today)"
        )
        parser.add_argument("--no-logins", action="store_true", help="Do not create the demo sign-ins")
        parser.add_argument(
            "--no-history",
            action="store_true",
            help="Only the caseload: no assessments, contacts or inspections",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["cases"] < 1:
            raise CommandError("--cases must be at least 1", returncode=2)
        started = time.perf_counter()
        try:
            result = seed_area(
                cases=options["cases"],
                seed=options["seed"],
                area_name=options["area"],
                as_of=options["as_of"] or timezone.localdate(),
                with_logins=not options["no_logins"],
                with_history=not options["no_history"],
            )
        except ValueError as error:
            raise CommandError(str(error), returncode=2) from error
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"Seeded {result.area.name}: {result.cases} current cases, {result.former_cases} former cases, "
            f"{result.staff} staff in {elapsed:.1f} s"
        )
        for login in result.logins:
            self.stdout.write(f"  {login.username:<14} {login.who}")
