"""Every refusal is logged by one path: each refused request leaves exactly one entry, naming who and,
where there is one, the case.

The issue counted 13 refused requests that left 3 log entries (victims pages, performance, read-only
token writes and 401s went unrecorded). This test makes each kind of refusal, at every door, and
counts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.test.client import Client as ClientType
from django.utils import timezone

from oms.accounts.models import AccessAction, AccessLogEntry
from oms.accounts.tokens import create_token
from oms.cases.models import ContactType
from oms.supervision.models import Contact
from tests.factories import World

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Refusal:
    door: str
    who: str  # the username the entry must name
    crn: str  # the case the entry must name, or ""
    status: int
    send: Callable[[], int]


def _signed_in(world: World, role: str) -> ClientType:
    client = Client()
    client.force_login(world.user(role))
    return client


def _refusals(world: World) -> list[Refusal]:
    team, own = world.cases["team"].crn, world.cases["own"].crn
    start = timezone.make_aware(datetime.combine(timezone.localdate() - timedelta(days=1), time(10)))
    appointment = Contact.objects.create(
        offender=world.cases["own"],
        event=world.cases["own"].events.get(number=1),
        contact_type=ContactType.objects.get(code="office"),
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        staff=world.staff["om"],
        booked_by=world.staff["om"],
    )
    read_only = create_token(world.user("om"), name="feed", scope="read", lifetime_days=30).plaintext
    om, partner, caseadmin = (_signed_in(world, r) for r in ("om", "partner", "caseadmin"))
    anonymous = Client()
    outcome = {"outcome": "unacceptable_absence", "version": 1}

    def api_post(client: ClientType, url: str, body: dict[str, object], **headers: str) -> int:
        return client.post(url, body, content_type="application/json", **headers).status_code

    return [
        Refusal("case page", "om", team, 403, lambda: om.get(f"/cases/{team}/").status_code),
        Refusal("case API", "om", team, 403, lambda: om.get(f"/api/v1/cases/{team}").status_code),
        Refusal("victims page", "om", own, 403, lambda: om.get(f"/victims/cases/{own}/").status_code),
        Refusal("victims list", "om", "", 403, lambda: om.get("/victims/").status_code),
        Refusal("performance", "om", "", 403, lambda: om.get("/performance/").status_code),
        Refusal("import page", "om", "", 403, lambda: om.get("/cases/import/").status_code),
        Refusal("queue", "caseadmin", "", 403, lambda: caseadmin.get("/risk/countersigning/").status_code),
        Refusal(
            "outcome page",
            "partner",
            own,
            403,
            lambda: partner.post(f"/supervision/contacts/{appointment.pk}/", outcome).status_code,
        ),
        Refusal(
            "outcome API",
            "partner",
            own,
            403,
            lambda: api_post(partner, f"/api/v1/supervision/contacts/{appointment.pk}/outcome", outcome),
        ),
        Refusal(
            "read-only token write",
            "om",
            "",
            403,
            lambda: api_post(
                anonymous,
                f"/api/v1/supervision/contacts/{appointment.pk}/outcome",
                outcome,
                HTTP_AUTHORIZATION=f"Bearer {read_only}",
            ),
        ),
        Refusal(
            "no credentials", "(anonymous)", "", 401, lambda: anonymous.get("/api/v1/cases/").status_code
        ),
        Refusal(
            "unknown token",
            "(anonymous)",
            "",
            401,
            lambda: anonymous.get("/api/v1/cases/", HTTP_AUTHORIZATION="Bearer oms_not-a-token").status_code,
        ),
        Refusal(
            "risk API of another area's case",
            "om",
            world.cases["other_area"].crn,
            403,
            lambda: om.get(f"/api/v1/risk/cases/{world.cases['other_area'].crn}").status_code,
        ),
    ]


def test_every_refused_request_leaves_exactly_one_entry_naming_who_and_which_case(world: World) -> None:
    refusals = _refusals(world)
    assert len(refusals) == 13
    for refusal in refusals:
        before = AccessLogEntry.objects.filter(action=AccessAction.REFUSED).count()
        assert refusal.send() == refusal.status, refusal.door
        entries = list(AccessLogEntry.objects.filter(action=AccessAction.REFUSED).order_by("pk")[before:])
        assert len(entries) == 1, (refusal.door, [e.what for e in entries])
        (entry,) = entries
        assert (entry.username, entry.crn) == (refusal.who, refusal.crn), refusal.door
        assert entry.what.startswith(("refused: ", "refused: API: ")), entry.what
    assert AccessLogEntry.objects.filter(action=AccessAction.REFUSED).count() == 13


def test_a_refusal_says_what_was_refused(world: World) -> None:
    _signed_in(world, "om").get(f"/cases/{world.cases['team'].crn}/")
    entry = AccessLogEntry.objects.get(action=AccessAction.REFUSED)
    assert entry.what == "refused: no right to this case"
    assert entry.path == f"/cases/{world.cases['team'].crn}/"


def test_the_cli_logs_its_refusal_through_the_same_writer(world: World) -> None:
    with pytest.raises(CommandError):
        call_command("case", world.cases["team"].crn, "--as", "om", "--json")
    entry = AccessLogEntry.objects.get(action=AccessAction.REFUSED)
    assert (entry.username, entry.crn, entry.what) == (
        "om",
        world.cases["team"].crn,
        "refused: CLI: read case",
    )
