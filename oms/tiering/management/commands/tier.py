"""`oms tier --recalculate-all [--area NAME] [--json]`: recalculate every case's tier from its data."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from oms.cases.management.commands._output import to_json
from oms.organisation.models import Area
from oms.tiering.recalculation import recalculate_all


class Command(BaseCommand):
    help = "Recalculate tiers: prints how many changed, the time taken and the number of queries."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--recalculate-all", action="store_true", help="Recalculate every case")
        parser.add_argument("--area", default=None, help="Only the cases of this area (its name)")
        parser.add_argument("--json", action="store_true", help="Print JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["recalculate_all"]:
            raise CommandError("Say what to do: --recalculate-all", returncode=2)
        area = options["area"]
        if area and not Area.objects.filter(name=area).exists():
            raise CommandError(f"area: no area called {area!r}", returncode=2)
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            result = recalculate_all(area, trigger="oms tier --recalculate-all")
            seconds = time.perf_counter() - started
        figures = {
            "cases": result.cases,
            "tiers_changed": result.tiers_changed,
            "decisions_recorded": result.decisions_recorded,
            "seconds": round(seconds, 3),
            "queries": len(queries),
        }
        if options["json"]:
            self.stdout.write(to_json(figures))
            return
        self.stdout.write(
            f"{figures['cases']} cases recalculated: {figures['tiers_changed']} tiers changed, "
            f"{figures['decisions_recorded']} decisions recorded, in {figures['seconds']} s and {figures['queries']} queries."
        )
