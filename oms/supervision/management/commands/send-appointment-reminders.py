"""`oms send-appointment-reminders [--as-of DATE] [--dry-run] [--json]`: tomorrow's appointment reminders.

Run daily by cron (see README). Failures are logged per reminder and reported in the count, never fatal.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from oms.cases.management.commands._output import to_json
from oms.supervision.reminders import send_day_before_reminders


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--as-of: {value!r} is not a date (YYYY-MM-DD)", returncode=2) from error


class Command(BaseCommand):
    help = "Send text or email reminders for tomorrow's appointments (GOV.UK Notify, or the console)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--as-of", default=None, help="Today's date (default: today); reminds for the day after"
        )
        parser.add_argument("--dry-run", action="store_true", help="Log what would be sent; send nothing")
        parser.add_argument("--json", action="store_true", help="Print JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = _date(options["as_of"]) if options["as_of"] else timezone.localdate()
        run = send_day_before_reminders(as_of, dry_run=options["dry_run"])
        if options["json"]:
            self.stdout.write(
                to_json(
                    {
                        "day": run.day,
                        "appointments": run.appointments,
                        "sent": run.sent,
                        "failed": run.failed,
                        "skipped": run.skipped,
                        "dry_run": options["dry_run"],
                    }
                )
            )
            return
        self.stdout.write(
            f"Appointments on {run.day:%d %B %Y}: {run.appointments}; reminders sent {run.sent}, "
            f"failed {run.failed}, not sent {run.skipped}{' (dry run)' if options['dry_run'] else ''}"
        )
