from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db.models import Q

from oms.cases.management.commands._output import usage_error
from oms.cases.management.commands._progress import ProgressBar
from oms.organisation.models import Area
from oms.standards.nightly import run_nightly_work
from oms.standards.stored import sweep_area
from oms.standards.tasks import enqueue_sweep


class Command(BaseCommand):
    help = (
        "The nightly sweep: re-evaluate every case's National Standards actions and store them, then "
        "each area's other nightly work (its performance figures). "
        "Cron runs it with --enqueue (one job per area, for `oms worker`)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--area", help="Area name or code (default: every area)")
        parser.add_argument(
            "--enqueue", action="store_true", help="Put one job per area on the queue instead of running now"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        areas = Area.objects.order_by("name")
        if options["area"]:
            areas = areas.filter(Q(name__iexact=options["area"]) | Q(code__iexact=options["area"]))
            if not areas.exists():
                raise usage_error(f"--area: no area called {options['area']!r}")
        if options["enqueue"]:
            jobs = enqueue_sweep(list(areas))
            self.stdout.write(f"Enqueued {len(jobs)} sweep jobs (one per area) for `oms worker`")
            return
        for area in areas:
            bar = ProgressBar(f"cases of {area.name}")
            written = sweep_area(area.pk, progress=bar)
            bar.finish()
            others = "".join(f", {key} {rows} rows" for key, rows in run_nightly_work(area.pk).items())
            self.stdout.write(f"{area.name}: {written} actions stored{others}")
