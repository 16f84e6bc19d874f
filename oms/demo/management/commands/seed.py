from __future__ import annotations

import time
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from oms.demo.area import SeedResult, seed_area
from oms.demo.national import seed_nation
from oms.organisation.national import NationalArea


def _scale(text: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation:
        raise CommandError(f"--scale: {text!r} is not a number (e.g. 0.05)", returncode=2) from None


class Command(BaseCommand):
    help = (
        "Create a synthetic probation area, or with --national the 42 areas of England and Wales "
        "(reproducible: the same seed gives the same data)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--cases", type=int, default=None, help="Current cases (default 2,338, as the report)"
        )
        parser.add_argument("--seed", type=int, default=2007, help="Random seed")
        parser.add_argument("--area", default=None, help="Area name (default Northamptonshire)")
        parser.add_argument(
            "--as-of", type=date.fromisoformat, default=None, help="The area's 'today' (default: today)"
        )
        parser.add_argument("--no-logins", action="store_true", help="Do not create the demo sign-ins")
        parser.add_argument(
            "--no-history",
            action="store_true",
            help="Only the caseload: no assessments, contacts or inspections",
        )
        parser.add_argument(
            "--national",
            action="store_true",
            help="The 42 areas in their 10 regions, each sized by its population (spec/national.md)",
        )
        parser.add_argument(
            "--scale", default=None, help="With --national: multiplies every area's caseload (default 1)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = options["as_of"] or timezone.localdate()
        if options["national"]:
            self._national(options, as_of)
            return
        if options["scale"] is not None:
            raise CommandError("--scale: only with --national", returncode=2)
        cases = 2338 if options["cases"] is None else options["cases"]
        if cases < 1:
            raise CommandError("--cases must be at least 1", returncode=2)
        started = time.perf_counter()
        try:
            result = seed_area(
                cases=cases,
                seed=options["seed"],
                area_name=options["area"] or "Northamptonshire",
                as_of=as_of,
                with_logins=not options["no_logins"],
                with_history=not options["no_history"],
                progress=lambda message: self.stderr.write(f"  seeding {message}..."),
            )
        except ValueError as error:
            raise CommandError(str(error), returncode=2) from error
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"Seeded {result.area.name}: {result.cases:,} current cases, {result.former_cases:,} former cases, "
            f"{result.staff} staff in {elapsed:.1f} s"
        )
        for login in result.logins:
            self.stdout.write(f"  {login.username:<14} {login.who}")

    def _national(self, options: dict[str, Any], as_of: date) -> None:
        for option in ("cases", "area"):
            if options[option] is not None:
                raise CommandError(
                    f"--{option}: not with --national (every area is sized by its population; use --scale)",
                    returncode=2,
                )
        if options["no_logins"]:
            raise CommandError("--no-logins: not with --national", returncode=2)
        scale = _scale(options["scale"] or "1")

        def progress(done: int, total: int, area: NationalArea, seeded: SeedResult, seconds: float) -> None:
            self.stdout.write(
                f"[{done:>2}/{total}] {area.name} ({area.region}): {seeded.cases} cases in {seconds:.1f} s"
            )
            self.stdout.flush()

        started = time.perf_counter()
        try:
            result = seed_nation(
                scale=scale,
                seed=options["seed"],
                as_of=as_of,
                with_history=not options["no_history"],
                progress=progress,
            )
        except ValueError as error:
            raise CommandError(str(error), returncode=2) from error
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"Seeded England and Wales: {len(result.areas)} areas, {result.cases:,} current cases in {elapsed:.1f} s"
        )
        for login in result.logins:
            self.stdout.write(f"  {login.username:<14} {login.who}")
