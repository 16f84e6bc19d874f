from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from oms.standards.management.commands.actions import parse_as_of
from oms.standards.reminders import send_digests
from oms.standards.tasks import enqueue_digests


class Command(BaseCommand):
    help = "Send each person one digest email of their due-soon and overdue actions (run daily by cron)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", help="Evaluate as on this date (default today)")
        parser.add_argument("--dry-run", action="store_true", help="List who would get what; send nothing")
        parser.add_argument(
            "--enqueue", action="store_true", help="Put the run on the queue for `oms worker`"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = parse_as_of(options["as_of"])
        if options["enqueue"]:
            job = enqueue_digests(as_of, dry_run=options["dry_run"])
            self.stdout.write(f"Enqueued the digests for {as_of.isoformat()} as job {job.id}")
            return
        run = send_digests(as_of, dry_run=options["dry_run"])
        for digest in run.digests:
            self.stdout.write(f"{digest.staff.email or '(no email)'}: {digest.subject}")
        verb = "would send" if options["dry_run"] else "sent"
        self.stdout.write(
            f"{len(run.digests)} digests; {verb} {len(run.digests) if options['dry_run'] else run.sent}"
        )
        for failure in run.failed:
            self.stderr.write(f"not sent: {failure}")
