from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from oms.accounts.audit import record_access
from oms.accounts.models import AccessAction
from oms.accounts.permissions import visible_cases
from oms.accounts.refusals import record_refusal
from oms.cases.management.commands._output import to_json
from oms.cases.models import Offender
from oms.cases.record import full_case_record
from oms.organisation.constants import Role


class Command(BaseCommand):
    help = "The whole record of one case that the caller (--as USERNAME) may see."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("crn")
        parser.add_argument(
            "--as",
            dest="username",
            default=None,
            help="Apply this user's rights (default: the operator, who sees every case)",
        )
        parser.add_argument("--json", action="store_true", help="Print JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        user = None
        cases = Offender.objects.all()
        if options["username"]:
            user = get_user_model().objects.filter(username=options["username"]).first()
            if user is None:
                raise CommandError(f"--as: no user {options['username']!r}", returncode=2)
            cases = visible_cases(user)
        crn = options["crn"]
        offender = (
            cases.filter(crn=crn)
            .prefetch_related("events__requirements__requirement_type")
            .select_related("offender_manager")
            .first()
        )
        if offender is None:
            exists = Offender.objects.filter(crn=crn).exists()
            if exists:
                record_refusal(user, "CLI: read case", crn=crn)
            raise CommandError(
                f"{options['username']} may not see case {crn}" if exists else f"No case with CRN {crn}",
                returncode=2,
            )
        record_access(user, AccessAction.VIEW, "CLI: read case", crn=crn)
        reader_is_victim_liaison = (
            user is not None
            and getattr(getattr(user, "staff", None), "role", None) == Role.VICTIM_LIAISON_OFFICER
        )
        self.stdout.write(
            to_json(full_case_record(offender, reader_is_victim_liaison=reader_is_victim_liaison))
        )
