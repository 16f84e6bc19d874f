"""The enforcement tracker: every unacceptable absence, warning and breach with its clock."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from oms.cases.models import ContactType
from oms.supervision.models import Contact, EnforcementWarning
from tests.factories import World, make_case

# Fixed dates in November 2026 must be in the past: "today" is frozen (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("frozen_today")

LONDON = ZoneInfo("Europe/London")


def _failure(world: World, case: object, when: datetime) -> Contact:
    return Contact.objects.create(
        offender=case,
        event=case.events.get(),  # type: ignore[attr-defined]
        contact_type=ContactType.objects.get(code="office"),
        starts_at=when,
        ends_at=when,
        outcome="unacceptable_absence",
        outcome_recorded_at=when,
    )


def test_a_warning_not_given_is_on_the_tracker_with_its_clock(world: World) -> None:
    case = make_case(world.area, world.staff["om"], sentence_date=date(2026, 6, 1))
    _failure(world, case, datetime(2026, 11, 16, 10, tzinfo=LONDON))  # Monday: warning due in 2 WD
    client = Client()
    client.force_login(world.user("caseadmin"))
    page = client.get(reverse("standards:enforcement") + "?as_of=2026-11-27").content.decode()
    row = page[page.index(case.crn) :]
    assert "Warning" in row[:600] and "Overdue by" in row[:900]


def test_a_warning_given_on_time_shows_done(world: World) -> None:
    case = make_case(world.area, world.staff["om"], sentence_date=date(2026, 6, 1))
    failure = _failure(world, case, datetime(2026, 11, 16, 10, tzinfo=LONDON))
    EnforcementWarning.objects.create(
        offender=case, event=case.events.get(), failure=failure, issued_on=date(2026, 11, 17)
    )
    client = Client()
    client.force_login(world.user("caseadmin"))
    page = client.get(reverse("standards:enforcement") + "?as_of=2026-11-27&rule=warning").content.decode()
    assert case.crn in page and "Done on time" in page


def test_the_tracker_shows_only_cases_the_user_may_see_in_a_fixed_number_of_queries(world: World) -> None:
    far = make_case(world.other_area, None, sentence_date=date(2026, 6, 1))
    _failure(world, far, datetime(2026, 11, 16, 10, tzinfo=LONDON))
    client = Client()
    client.force_login(world.user("caseadmin"))

    def count() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as captured:
            page = client.get(reverse("standards:enforcement") + "?as_of=2026-11-27").content.decode()
        return len(captured), page

    # One case the user may see to begin with: the page logs its listed cases in one INSERT.
    _failure(
        world,
        make_case(world.area, world.teammate, sentence_date=date(2026, 6, 1)),
        datetime(2026, 11, 18, 10, tzinfo=LONDON),
    )
    few, page = count()
    assert far.crn not in page
    for _ in range(12):
        _failure(
            world,
            make_case(world.area, world.teammate, sentence_date=date(2026, 6, 1)),
            datetime(2026, 11, 18, 10, tzinfo=LONDON),
        )
    many, _ = count()
    assert few == many


def test_each_row_opens_the_absence_to_act_on_not_the_case_page(world: World) -> None:
    case = make_case(world.area, world.staff["om"], sentence_date=date(2026, 6, 1))
    failure = _failure(world, case, datetime(2026, 11, 16, 10, tzinfo=LONDON))
    client = Client()
    client.force_login(world.user("caseadmin"))
    page = client.get(reverse("standards:enforcement") + "?rule=warning").content.decode()
    row = page[page.index(f'<span class="govuk-body-s">{case.crn}</span>') :]
    row = row[: row.index("</tr>")]
    contact = reverse("supervision:contact", args=[failure.pk])
    assert f'href="{contact}#enforcement"' in row and "Warning issued" in row
    # The contact page it opens offers the warning.
    opened = client.get(contact).content.decode()
    assert 'id="enforcement"' in opened


def test_a_breach_row_opens_the_breach_to_record(world: World) -> None:
    from oms.supervision.models import Breach

    case = make_case(world.area, world.staff["om"], sentence_date=date(2026, 6, 1))
    failure = _failure(world, case, datetime(2026, 11, 2, 10, tzinfo=LONDON))
    breach = Breach.objects.create(
        offender=case, event=case.events.get(), failure=failure, initiated_on=date(2026, 11, 3)
    )
    client = Client()
    client.force_login(world.user("caseadmin"))
    page = client.get(reverse("standards:enforcement") + "?rule=breach_resolved").content.decode()
    assert f'href="{reverse("supervision:breach", args=[breach.pk])}"' in page
    assert f'href="{reverse("cases:detail", args=[case.crn])}"' in page  # the case itself stays a link too
