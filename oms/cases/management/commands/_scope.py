"""--area / --team / --staff, shared by the commands that list cases or actions."""

from __future__ import annotations

from django.core.management.base import CommandParser
from django.db.models import Q, QuerySet

from oms.cases.management.commands._output import usage_error
from oms.cases.models import Offender
from oms.organisation.models import Area, Staff, Team


def add_scope_arguments(parser: CommandParser) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--area", help="Area name or code")
    group.add_argument("--team", help="Team name")
    group.add_argument("--staff", help="Username, or staff id, of an offender manager")


def scoped_cases(area: str | None, team: str | None, staff: str | None) -> QuerySet[Offender]:
    cases = Offender.objects.all()
    if area:
        found = Area.objects.filter(Q(name__iexact=area) | Q(code__iexact=area)).first()
        if found is None:
            raise usage_error(f"--area: no area called {area!r}")
        return cases.filter(area=found)
    if team:
        teams = Team.objects.filter(name__iexact=team)
        if not teams.exists():
            raise usage_error(f"--team: no team called {team!r}")
        return cases.filter(offender_manager__team__in=teams)
    if staff:
        lookup = Q(user__username=staff) | (Q(pk=int(staff)) if staff.isdigit() else Q(pk__in=[]))
        person = Staff.objects.filter(lookup).first()
        if person is None:
            raise usage_error(f"--staff: no member of staff {staff!r}")
        return cases.filter(offender_manager=person)
    return cases
