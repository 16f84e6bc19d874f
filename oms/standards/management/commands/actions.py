from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from oms.cases.management.commands._output import to_json, usage_error
from oms.cases.management.commands._progress import ProgressBar
from oms.cases.management.commands._scope import add_scope_arguments, scoped_cases
from oms.organisation.models import Staff
from oms.standards.queries import Action, actions, iter_actions, open_only, owned_by, owns, stored_actions
from oms.standards.stored import verify


def parse_as_of(value: str | None) -> date:
    if not value:
        return timezone.localdate()
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise usage_error(f"--as-of: {value!r} is not a date (YYYY-MM-DD)") from error


class Command(BaseCommand):
    help = (
        "National Standards actions due and overdue, for a person, a team or an area. Today's come "
        "from the stored actions; --as-of another date evaluates every rule afresh."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        add_scope_arguments(parser)
        parser.add_argument("--owner", help="Only the actions this person owns (username)")
        parser.add_argument("--as-of", help="Evaluate as on this date (default today)")
        parser.add_argument("--json", action="store_true", help="Print JSON")
        parser.add_argument(
            "--verify",
            action="store_true",
            help="Check the stored actions equal a fresh evaluation today; exit 1 on any difference",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = parse_as_of(options["as_of"])
        cases = scoped_cases(options["area"], options["team"], options["staff"])
        owner = None
        if options["owner"]:
            owner = Staff.objects.select_related("grade").filter(user__username=options["owner"]).first()
            if owner is None:
                raise usage_error(f"--owner: no member of staff with the username {options['owner']!r}")
        if options["verify"]:
            self._verify(cases, options)
            return
        found: Any
        if as_of == timezone.localdate():
            rows = open_only(stored_actions(cases, as_of))
            if owner is not None:
                rows = rows.filter(owned_by(owner))
            found = iter_actions(rows, as_of)
        else:
            found = actions(cases, as_of)
            if owner is not None:
                found = [a for a in found if owns(owner, a.owner)]
        if options["json"]:
            # Written an action at a time: a national list never sits in memory as one document.
            self.stdout.write('{"as_of": ' + to_json(as_of) + ', "actions": [', ending="")
            for number, action in enumerate(found):
                self.stdout.write((", " if number else "") + to_json(action.as_json()), ending="")
            self.stdout.write("]}")
            return
        for action in found:
            self.stdout.write(self._line(action))

    @staticmethod
    def _line(action: Action) -> str:
        row = action.as_json()
        return (
            f"{row['crn']}  {row['status']:<8} {row['deadline']}  {row['description']}  "
            f"({row['owner'] or 'nobody staffed'}, {row['owner_role']})"
        )

    def _verify(self, cases: Any, options: dict[str, Any]) -> None:
        if options["as_of"]:
            raise usage_error("--verify checks today's stored actions: leave out --as-of")
        ids = list(cases.order_by("pk").values_list("pk", flat=True))
        bar = ProgressBar("cases verified")
        differences = verify(ids, progress=bar)
        bar.finish()
        for difference in differences:
            self.stdout.write(str(difference))
        if differences:
            raise CommandError(
                f"{len(differences)} stored actions differ from a fresh evaluation of {len(ids)} cases",
                returncode=1,
            )
        self.stdout.write(f"The stored actions of {len(ids)} cases equal a fresh evaluation.")
