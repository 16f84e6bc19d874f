"""Every filter's date is typed in the GOV.UK date input (day, month and year boxes), not a browser
date picker (issue 13 item 6): the actions list's and the enforcement tracker's "As of", the calendar's
"Week of" and the outcomes page's "From" and "To". A wrong date is named in GOV.UK words and the page
still shows, as of its usual date; a link that carries one ISO date keeps working."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from oms.cases.models import ContactType
from oms.supervision.models import Contact
from tests.factories import World, make_case

# "Today" is Friday 27 November 2026 (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("frozen_today")

LONDON = ZoneInfo("Europe/London")
TEMPLATES = Path(__file__).resolve().parents[2] / "oms" / "templates"

# (page, who looks at it, the field's name, its label)
FILTERS = [
    (reverse("standards:actions"), "caseadmin", "as_of", "As of"),
    (reverse("standards:enforcement"), "caseadmin", "as_of", "As of"),
    (reverse("supervision:calendar"), "om", "week", "Week of"),
    (reverse("outcomes:area"), "aco", "from", "From"),
    (reverse("outcomes:area"), "aco", "to", "To"),
]


def _client(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world.user(role))
    return client


def _get(client: Client, url: str, **query: str) -> str:
    response = client.get(url, query)
    assert response.status_code == 200
    return response.content.decode()


def _boxes(name: str, day: int | str, month: int | str, year: int | str) -> dict[str, str]:
    return {f"{name}_day": str(day), f"{name}_month": str(month), f"{name}_year": str(year)}


def _box_values(page: str, name: str) -> tuple[str, str, str]:
    values = [
        re.search(
            rf'id="{name}_{part}" name="{name}_{part}" type="text" inputmode="numeric" value="([^"]*)"', page
        )
        for part in ("day", "month", "year")
    ]
    assert all(values), f"no date boxes for {name}"
    return values[0].group(1), values[1].group(1), values[2].group(1)  # type: ignore[union-attr]


def _main(page: str) -> str:
    """The page's content, without its forms' tokens (which differ on every page)."""
    return re.sub(
        r'name="csrfmiddlewaretoken" value="[^"]*"', "", page[page.index("<main") : page.index("</main>")]
    )


def _absence(case: object, when: datetime) -> Contact:
    return Contact.objects.create(
        offender=case,
        event=case.events.get(),  # type: ignore[attr-defined]
        contact_type=ContactType.objects.get(code="office"),
        starts_at=when,
        ends_at=when,
        outcome="unacceptable_absence",
        outcome_recorded_at=when,
    )


def test_no_page_draws_a_browser_date_picker() -> None:
    pickers = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if 'type="date"' in path.read_text() and "performance" not in path.parts
    ]
    assert pickers == []


@pytest.mark.parametrize(("url", "role", "name", "label"), FILTERS)
def test_each_filter_date_is_three_boxes_with_a_legend_and_a_hint(
    world: World, url: str, role: str, name: str, label: str
) -> None:
    page = _get(_client(world, role), url)
    fieldset = page[page.index(f'aria-describedby="{name}-hint"') :]
    fieldset = fieldset[: fieldset.index("</fieldset>")]
    assert f'<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{label}</legend>' in fieldset
    assert f'<div class="govuk-hint" id="{name}-hint">For example, 27 11 2026</div>' in fieldset
    for part in ("Day", "Month", "Year"):
        assert f'for="{name}_{part.lower()}">{part}</label>' in fieldset


@pytest.mark.parametrize(
    ("boxes", "message"),
    [
        (_boxes("as_of", 20, "", 2026), "As of must include a month"),
        (_boxes("as_of", "", "", 2026), "As of must include a day and a month"),
        (_boxes("as_of", 31, 2, 2026), "As of must be a real date"),
        (_boxes("as_of", "twenty", 11, 2026), "As of must be a real date"),
        (_boxes("as_of", 20, 11, 26), "Year must include 4 numbers"),
        ({"as_of": "not-a-date"}, "As of must be a real date"),
        (_boxes("as_of", 1, 1, 2099), "As of must be on or before 27 November 2056"),
    ],
)
def test_a_wrong_as_of_date_is_named_and_the_actions_are_shown_as_of_today(
    world: World, boxes: dict[str, str], message: str
) -> None:
    page = _get(_client(world, "caseadmin"), reverse("standards:actions"), **boxes)
    assert page.count("<title>Error: ") == 1
    assert f'<li><a href="#as_of_day">{message}</a></li>' in page
    assert (
        f'<p class="govuk-error-message" id="as_of-error"><span class="govuk-visually-hidden">Error:</span> '
        f"{message}</p>" in page
    )
    assert "govuk-form-group govuk-form-group--error" in page
    assert "as of 27 November 2026." in page
    if "as_of_day" in boxes:  # what was typed stays in the boxes, to be corrected
        assert _box_values(page, "as_of") == (boxes["as_of_day"], boxes["as_of_month"], boxes["as_of_year"])


def test_actions_as_of_a_typed_date_are_those_of_that_day(world: World) -> None:
    case = make_case(world.area, world.staff["om"], sentence_date=date(2026, 11, 25))
    client = _client(world, "caseadmin")
    today = _get(client, reverse("standards:actions"))
    assert case.crn in today and "<title>Error" not in today
    assert _box_values(today, "as_of") == ("27", "11", "2026")
    before = _get(client, reverse("standards:actions"), **_boxes("as_of", 20, 11, 2026))
    assert "as of 20 November 2026." in before
    assert case.crn not in before  # sentenced on the 25th: nothing was due on the 20th
    assert _box_values(before, "as_of") == ("20", "11", "2026")


def test_an_iso_as_of_link_shows_the_same_page_as_the_boxes(world: World) -> None:
    make_case(world.area, world.staff["om"], sentence_date=date(2026, 6, 1))
    client = _client(world, "caseadmin")
    for url in (reverse("standards:actions"), reverse("standards:enforcement")):
        linked = _get(client, url, as_of="2026-11-20")
        typed = _get(client, url, **_boxes("as_of", "20", "11", "2026"))
        assert "as of 20 November 2026" in linked and "<title>Error" not in linked
        assert _box_values(linked, "as_of") == ("20", "11", "2026")
        assert _main(linked) == _main(typed)


def test_the_enforcement_tracker_as_of_a_typed_date_shows_that_days_clocks(world: World) -> None:
    case = make_case(world.area, world.staff["om"], sentence_date=date(2026, 6, 1))
    _absence(case, datetime(2026, 11, 24, 10, tzinfo=LONDON))
    client = _client(world, "caseadmin")
    assert case.crn in _get(client, reverse("standards:enforcement"), **_boxes("as_of", 26, 11, 2026))
    before = _get(client, reverse("standards:enforcement"), **_boxes("as_of", 23, 11, 2026))
    assert "as of 23 November 2026" in before and case.crn not in before


def test_a_wrong_enforcement_date_is_named_and_the_tracker_shows_today(world: World) -> None:
    page = _get(_client(world, "caseadmin"), reverse("standards:enforcement"), **_boxes("as_of", 30, 2, 2026))
    assert "<title>Error: Enforcement tracker" in page
    assert '<a href="#as_of_day">As of must be a real date</a>' in page
    assert "as of 27 November 2026:" in page


def test_pages_sorts_and_tabs_keep_the_typed_date_as_one_iso_value(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from oms.standards import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)  # a short page, so that three cases fill two
    for _ in range(3):
        make_case(world.area, world.staff["om"], sentence_date=date(2026, 6, 1))
    client = _client(world, "caseadmin")
    page = _get(client, reverse("standards:actions"), view="list", **_boxes("as_of", 20, 11, 2026))
    links = [link.replace("&amp;", "&") for link in re.findall(r'href="\?([^"]*)"', page)]
    assert len(links) >= 4  # the two tabs, the deadline sort and the next page
    for link in links:
        assert "as_of=2026-11-20" in link and "as_of_day" not in link
    following = next(link for link in links if "page=2" in link)
    second = _get(client, f"{reverse('standards:actions')}?{following}")
    assert "as of 20 November 2026." in second and "Page 2 of" in second
    wrong = _get(client, reverse("standards:actions"), view="list", **_boxes("as_of", 31, 2, 2026))
    for link in re.findall(r'href="\?([^"]*)"', wrong):
        assert "as_of" not in link  # a wrong date is not carried: the links show today, as the page does


def test_the_calendar_shows_the_week_of_the_typed_date(world: World) -> None:
    case = world.cases["own"]
    when = datetime(2026, 12, 16, 10, tzinfo=LONDON)  # a Wednesday three weeks ahead
    Contact.objects.create(
        offender=case,
        event=case.events.get(),
        contact_type=ContactType.objects.get(code="office"),
        staff=world.staff["om"],
        starts_at=when,
        ends_at=when,
    )
    client = _client(world, "om")
    this_week = _get(client, reverse("supervision:calendar"))
    assert "0 appointments in the week of 23 November 2026" in this_week
    assert _box_values(this_week, "week") == ("23", "11", "2026")
    typed = _get(client, reverse("supervision:calendar"), **_boxes("week", 17, 12, 2026))
    assert "1 appointment in the week of 14 December 2026" in typed and case.crn in typed
    assert _box_values(typed, "week") == ("14", "12", "2026")  # the Monday of the week shown
    assert _main(_get(client, reverse("supervision:calendar"), week="2026-12-17")) == _main(typed)


def test_a_wrong_week_is_named_and_the_calendar_shows_this_week(world: World) -> None:
    page = _get(_client(world, "om"), reverse("supervision:calendar"), **_boxes("week", 17, 13, 2026))
    assert "<title>Error: Calendar" in page
    assert '<a href="#week_day">Week of must be a real date</a>' in page
    assert "in the week of 23 November 2026" in page
    assert _box_values(page, "week") == ("17", "13", "2026")


def test_the_outcomes_period_is_typed_in_the_boxes_or_linked_as_iso(world: World) -> None:
    client = _client(world, "aco")
    typed = _get(client, reverse("outcomes:area"), **_boxes("from", 1, 6, 2026), **_boxes("to", 1, 12, 2026))
    assert "outcomes recorded from 1 June 2026 to 1 December 2026" in typed
    assert _box_values(typed, "from") == ("1", "6", "2026") and _box_values(typed, "to") == (
        "1",
        "12",
        "2026",
    )
    linked = _get(client, reverse("outcomes:area"), **{"from": "2026-06-01", "to": "2026-12-01"})
    assert _main(linked) == _main(typed)
    default = _get(client, reverse("outcomes:area"))
    assert "since the start of each order or licence to 27 November 2026" in default
    assert _box_values(default, "from") == ("", "", "") and _box_values(default, "to") == ("27", "11", "2026")


def test_a_wrong_outcomes_date_is_named_for_its_box(world: World) -> None:
    client = _client(world, "aco")
    page = _get(client, reverse("outcomes:area"), **_boxes("from", 1, "", 2026), **_boxes("to", 31, 4, 2026))
    assert "<title>Error: Outcomes" in page
    assert '<a href="#from_day">From must include a month</a>' in page
    assert '<a href="#to_day">To must be a real date</a>' in page
    assert "since the start of each order or licence to 27 November 2026" in page
    backwards = _get(
        client, reverse("outcomes:area"), **_boxes("from", 1, 12, 2026), **_boxes("to", 1, 1, 2026)
    )
    assert '<a href="#from_day">The period must start on or before it ends' in backwards
