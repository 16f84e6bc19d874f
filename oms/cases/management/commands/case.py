from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from oms.accounts.audit import record_access
from oms.accounts.models import AccessAction
from oms.accounts.permissions import visible_cases
from oms.api.cases import case_record
from oms.cases.management.commands._output import to_json
from oms.cases.models import Offender


class Command(BaseCommand):
    help = "The whole record of one case that the caller (--as USERNAME) may see."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("crn")
        parser.add_argument("--as", dest="username", default="superuser", help="Whose rights to apply (default: superuser)")
        parser.add_argument("--json", action="store_true", help="Print JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"--as: no user {options['username']!r}", returncode=2)
        crn = options["crn"]
        offender = visible_cases(user).filter(crn=crn).prefetch_related("events__requirements__requirement_type").select_related("offender_manager").first()
        if offender is None:
            exists = Offender.objects.filter(crn=crn).exists()
            if exists:
                record_access(user, AccessAction.REFUSED, "CLI: refused", crn=crn)
            raise CommandError(f"{user.username} may not see case {crn}" if exists else f"No case with CRN {crn}", returncode=2)
        record_access(user, AccessAction.VIEW, "CLI: read case", crn=crn)
        self.stdout.write(to_json(case_record(offender)))
