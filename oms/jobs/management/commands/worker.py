from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = (
        "Run background jobs (the nightly sweep, digests, large imports) from the database queue. "
        "Start several, on one machine or many: each claims a job no other worker holds."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", action="store_true", help="Run every job waiting, then exit")
        parser.add_argument("--queue", default="default", help="The queue to take jobs from")
        parser.add_argument(
            "--interval", type=float, default=1, help="Seconds between looks at an empty queue"
        )
        parser.add_argument("--max-jobs", type=int, default=None, help="Exit after this many jobs")

    def handle(self, *args: Any, **options: Any) -> None:
        arguments = ["--queue-name", options["queue"], "--interval", str(options["interval"]), "--no-reload"]
        arguments.append("--no-startup-delay")
        if options["batch"]:
            arguments.append("--batch")
        if options["max_jobs"]:
            arguments += ["--max-tasks", str(options["max_jobs"])]
        call_command("db_worker", *arguments, verbosity=options["verbosity"])
