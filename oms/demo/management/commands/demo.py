from __future__ import annotations

import subprocess
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from oms.demo.area import DEMO_PASSWORD, seed_area
from oms.organisation.models import Area


class Command(BaseCommand):
    help = "Migrate, seed the demo area if the database is empty, create demo sign-ins, and serve on 127.0.0.1:8000."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", default="8000", help="Port to serve on (default 8000)")
        parser.add_argument("--no-serve", action="store_true", help="Set up only")

    def _progress(self, message: str) -> None:
        self.stdout.write(f"  seeding {message}...")
        self.stdout.flush()

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        if not Area.objects.exists():
            self.stdout.write("Seeding the demo area, once (about a minute and a half)...")
            result = seed_area(
                cases=2338,
                seed=2007,
                area_name="Northamptonshire",
                as_of=timezone.localdate(),
                progress=self._progress,
            )
            self.stdout.write(f"Seeded {result.area.name}: {result.cases:,} cases.")
        self.stdout.write("")
        self.stdout.write("Demo sign-ins (FOR THE DEMO ONLY: every one has the password below):")
        for username in [
            "om",
            "pso",
            "spo",
            "caseadmin",
            "aco",
            "vlo",
            "interventions",
            "partner",
            "prison",
            "inspector",
            "superuser",
        ]:
            self.stdout.write(f"  {username}")
        self.stdout.write(f"  password: {DEMO_PASSWORD}")
        self.stdout.write("")
        if options["no_serve"]:
            return
        self.stdout.write(f"Serving http://127.0.0.1:{options['port']}/ (Ctrl+C to stop)")
        # One background worker beside the server, so a job started from a page (a sweep) runs.
        worker = subprocess.Popen([sys.executable, "-m", "oms.cli", "worker", "--verbosity", "0"])
        try:
            call_command("runserver", f"127.0.0.1:{options['port']}", use_reloader=False)
        finally:
            worker.terminate()
            worker.wait(timeout=30)
