"""The actions list a person triages (issue 13 item 4): by case or as one list, filtered by action,
owner, deadline and case, sorted by deadline, each row opening the task itself."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from oms.cases.models import ContactType, Offender
from oms.cases.upkeep import flush_case_upkeep
from oms.interventions.models import MappaAction, MappaMeeting
from oms.standards.models import StoredAction
from oms.standards.rules import RecordKind
from oms.standards.task_links import TASK_LINKS
from oms.supervision.models import Contact
from tests.factories import World, make_case

# "Today" is Friday 27 November 2026 (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("frozen_today")

LONDON = ZoneInfo("Europe/London")
FIRST_CONTACT = "first_contact_with_offender_manager"
ACTIONS = reverse("standards:actions")


def _page(client: Client, **query: str) -> str:
    response = client.get(ACTIONS, query)
    assert response.status_code == 200
    return response.content.decode()


def _case_admin(world: World) -> Client:
    client = Client()
    client.force_login(world.user("caseadmin"))
    return client


def _missed(case: Offender, day: int) -> Contact:
    """An office appointment on that day of November 2026 with no outcome yet: an absence to judge."""
    when = datetime(2026, 11, day, 10, tzinfo=LONDON)
    return Contact.objects.create(
        offender=case,
        event=case.events.get(),
        contact_type=ContactType.objects.get(code="office"),
        starts_at=when,
        ends_at=when,
    )


def _group(page: str, crn: str) -> str:
    """The rows under one case's header."""
    start = page.index(f'id="case-{crn}"')
    return page[start : page.index("</tbody>", start)]


def test_the_list_groups_each_cases_actions_under_its_name_crn_tier_and_roh(world: World) -> None:
    case = make_case(world.area, world.staff["om"], sentence_date=date(2026, 6, 1), tier="B2")
    page = _page(_case_admin(world))
    group = _group(page, case.crn)
    header = group[: group.index("</th>")]
    assert case.family_name.upper() in header and case.crn in header
    assert "Tier B2" in header and "Low RoH" in header
    shown = group.count('class="govuk-link oms-task-link"')
    assert shown >= 2 and f"{shown} actions" in header
    assert "First contact with the offender manager" in group


def test_one_list_shows_the_case_on_every_row(world: World) -> None:
    case = make_case(world.area, world.staff["om"], sentence_date=date(2026, 6, 1))
    page = _page(_case_admin(world), view="list", rule=FIRST_CONTACT)
    assert 'id="case-' not in page
    table = page[page.index('id="actions-table"') :]
    assert table.count(f'<span class="govuk-body-s">{case.crn}</span>') == 1
    assert "First contact with the offender manager" in table


def test_the_action_type_filter_shows_that_rule_only(world: World) -> None:
    case = make_case(world.area, world.staff["om"], sentence_date=date(2026, 6, 1))
    _missed(case, 25)
    page = _page(_case_admin(world), rule="judge_absence", view="list")
    table = page[page.index('id="actions-table"') :]
    assert "Absence judged acceptable or unacceptable" in table
    assert "First contact with the offender manager" not in table
    assert '<option value="judge_absence" selected>' in page


def test_the_case_filter_finds_a_case_by_crn_or_name(world: World) -> None:
    wanted = make_case(world.area, world.staff["om"], sentence_date=date(2026, 6, 1))
    other = make_case(world.area, world.staff["om"], sentence_date=date(2026, 6, 1))
    client = _case_admin(world)
    for search in (wanted.crn.lower(), wanted.family_name):
        page = _page(client, case=search)
        assert f'id="case-{wanted.crn}"' in page and f'id="case-{other.crn}"' not in page


def test_the_owner_filter_shows_one_persons_work(world: World) -> None:
    own = make_case(world.area, world.staff["om"], sentence_date=date(2026, 6, 1))
    teammates = make_case(world.area, world.teammate, sentence_date=date(2026, 6, 1))
    page = _page(_case_admin(world), owner=f"staff:{world.staff['om'].pk}")
    assert f'id="case-{own.crn}"' in page and f'id="case-{teammates.crn}"' not in page


def test_the_status_filter_splits_overdue_due_this_week_and_due_later(world: World) -> None:
    # Sentenced Tuesday 24 November, unallocated: the allocation is due in 3 working days, on
    # Friday 27th (this week); the first contact in 5, on Tuesday 1 December (later).
    recent = make_case(world.area, None, sentence_date=date(2026, 11, 24))
    old = make_case(world.area, world.staff["om"], sentence_date=date(2026, 6, 1))
    client = _case_admin(world)

    def rules(status: str) -> set[tuple[str, str]]:
        page = _page(client, status=status, view="list")
        table = page[page.index('id="actions-table"') :]
        found = set()
        for case in (recent, old):
            for name in ("Allocate an offender manager", "First contact with the offender manager"):
                row = re.search(rf"{case.crn}</span></td>\s*<td[^>]*>{name}", table)
                if row:
                    found.add((case.crn, name))
        return found

    assert rules("this_week") == {(recent.crn, "Allocate an offender manager")}
    assert (recent.crn, "First contact with the offender manager") in rules("later")
    assert (recent.crn, "Allocate an offender manager") not in rules("later")
    overdue = rules("overdue")
    assert (old.crn, "First contact with the offender manager") in overdue
    assert not {row for row in overdue if row[0] == recent.crn}


def test_the_list_is_sorted_most_overdue_first_unless_asked_otherwise(world: World) -> None:
    older = make_case(world.area, world.staff["om"], sentence_date=date(2026, 3, 2))
    newer = make_case(world.area, world.staff["om"], sentence_date=date(2026, 9, 1))
    client = _case_admin(world)
    page = _page(client, rule=FIRST_CONTACT)
    assert page.index(f'id="case-{older.crn}"') < page.index(f'id="case-{newer.crn}"')
    page = _page(client, rule=FIRST_CONTACT, sort="-deadline", view="list")
    assert page.index(newer.crn) < page.index(older.crn)
    assert '<option value="-deadline" selected>' in page


def test_the_deadline_column_says_how_the_list_is_sorted_and_sorts_the_other_way(world: World) -> None:
    older = make_case(world.area, world.staff["om"], sentence_date=date(2026, 3, 2))
    newer = make_case(world.area, world.staff["om"], sentence_date=date(2026, 9, 1))
    client = _case_admin(world)
    page = _page(client, rule=FIRST_CONTACT, view="list")
    header = re.search(r'<th[^>]*aria-sort="(\w+)"><a class="govuk-link" href="\?([^"]*)">Deadline', page)
    assert header and header.group(1) == "ascending", "most overdue first is the deadline ascending"
    assert "sort=-deadline" in header.group(2) and f"rule={FIRST_CONTACT}" in header.group(2)
    page = client.get(ACTIONS + "?" + header.group(2).replace("&amp;", "&")).content.decode()
    assert 'aria-sort="descending"' in page and page.index(newer.crn) < page.index(older.crn)
    page = _page(client, rule=FIRST_CONTACT, sort="case")
    assert 'aria-sort="none"' in page


def test_each_row_opens_the_task_itself(world: World) -> None:
    case = make_case(world.area, world.staff["om"], sentence_date=date(2026, 6, 1))
    missed = _missed(case, 25)
    page = _page(_case_admin(world), view="list")
    book = reverse("supervision:book", args=[case.crn])
    judge = reverse("supervision:contact", args=[missed.pk]) + "#outcome"
    screening = reverse("cases:section", args=[case.crn, "risk"]) + "#risk-panel"
    assert re.search(rf'First contact with the offender manager.*?href="{book}"', page, re.S)
    assert f'href="{judge}"' in page and "Judge the absence" in page
    assert re.search(rf'RoH screening within.*?href="{screening}"', page, re.S)


def test_every_kind_of_record_that_completes_a_rule_has_a_task_link() -> None:
    assert set(TASK_LINKS) == set(RecordKind)


def test_filters_survive_pagination(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    from oms.standards import views

    monkeypatch.setattr(views, "PAGE_SIZE", 5)  # a short page, so that six cases fill two
    for _ in range(6):
        make_case(world.area, world.staff["om"], sentence_date=date(2026, 6, 1))
    page = _page(_case_admin(world), rule=FIRST_CONTACT, status="overdue", case="Test")
    assert "Page 1 of 2" in page
    following = re.search(r'href="\?([^"]*)" rel="next"', page)
    assert following is not None
    link = following.group(1).replace("&amp;", "&")
    assert f"rule={FIRST_CONTACT}" in link and "status=overdue" in link and "case=Test" in link
    assert "page=2" in link
    second = _case_admin(world).get(f"{ACTIONS}?{link}").content.decode()
    assert "Page 2 of 2" in second and '<option value="overdue" selected>' in second


@pytest.mark.parametrize("view", ["cases", "list"])
def test_the_list_runs_the_same_queries_for_one_action_and_for_sixty(world: World, view: str) -> None:
    client = _case_admin(world)

    def count() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as captured:
            page = _page(client, rule=FIRST_CONTACT, view=view)
        return len(captured), page

    Offender.objects.filter(area=world.area).update(area=world.other_area)  # the world's cases out of sight
    make_case(world.area, world.staff["om"], sentence_date=date(2026, 6, 1))
    one, page = count()
    assert page.count('class="govuk-link oms-task-link"') == 1
    for _ in range(59):
        make_case(world.area, world.teammate, sentence_date=date(2026, 6, 1))
    sixty, page = count()
    assert page.count('class="govuk-link oms-task-link"') == 60
    assert sixty == one


def test_no_page_abbreviates_working_days() -> None:
    templates = Path(__file__).resolve().parents[2] / "oms" / "templates"
    offending = [
        str(path.relative_to(templates))
        for path in templates.rglob("*.html")
        if re.search(r"\bWD\b", path.read_text())
    ]
    assert offending == []


def test_an_overdue_action_says_working_days_in_full(world: World) -> None:
    make_case(world.area, world.staff["om"], sentence_date=date(2026, 6, 1))
    page = _page(_case_admin(world))
    assert re.search(r"Overdue by \d+ working days?<", page)


def test_another_date_is_filtered_grouped_and_linked_the_same_way(world: World) -> None:
    case = make_case(world.area, world.staff["om"], sentence_date=date(2026, 6, 1))
    client = _case_admin(world)
    page = _page(client, as_of="2026-11-20", rule=FIRST_CONTACT, case=case.crn)
    group = _group(page, case.crn)
    assert "First contact with the offender manager" in group and "1 action" in group
    assert f'href="{reverse("supervision:book", args=[case.crn])}"' in group
    flat = _page(client, as_of="2026-11-20", rule=FIRST_CONTACT, case=case.crn, view="list")
    assert f'<span class="govuk-body-s">{case.crn}</span>' in flat


def test_nonsense_in_the_filters_shows_a_page_not_an_error(world: World) -> None:
    client = _case_admin(world)
    page = _page(client, rule="no_such_rule", status="whenever", sort="sideways", view="upside", page="x")
    assert "Nothing is due or overdue." in page
    assert _page(client, case="x" * 500, page="999").count("<h1") == 1


def test_a_countersignature_action_opens_the_document_everyone_who_sees_it_may_read(world: World) -> None:
    """The OM sees the countersignature their submitted screening waits for; its link opens the
    document (not the countersigning form, which answers 403 to them), and the SPO finds the
    countersigning button there."""
    from oms.risk import services as risk_services

    case = world.cases["own"]
    Offender.objects.filter(pk=case.pk).update(risk_of_harm_level="high")
    case.refresh_from_db()
    document = risk_services.start_document(world.user("om"), case, "screening", event=case.events.get())
    risk_services.submit_document(world.user("om"), document, expected_version=document.version)
    om = Client()
    om.force_login(world.user("om"))
    table = _page(om, view="list", rule="countersignature")
    link = re.search(r'href="([^"]*/screening/\d+/)"', table)
    assert link, "the row opens the submitted screening"
    assert "/countersign/" not in link.group(1)
    assert om.get(link.group(1)).status_code == 200
    spo = Client()
    spo.force_login(world.user("spo"))
    assert "Countersign or roll back" in spo.get(link.group(1)).content.decode()


def _mappa_meeting_with_an_action(case: Offender, world: World) -> MappaMeeting:
    meeting = MappaMeeting.objects.create(offender=case, held_on=date(2026, 11, 2), level=2)
    MappaAction.objects.create(
        meeting=meeting,
        description="Police home visit",
        owner_staff=world.staff["om"],
        due_on=date(2026, 11, 16),
    )
    return meeting


def test_a_mappa_action_opens_the_meeting_that_set_it_where_each_action_is_recorded_done(
    world: World,
) -> None:
    case = make_case(world.area, world.staff["om"], sentence_date=date(2026, 6, 1))
    meeting = _mappa_meeting_with_an_action(case, world)
    page = _page(_case_admin(world), view="list", rule="mappa_meeting_action")
    where = reverse("interventions:case", args=[case.crn]) + f"#mappa-meeting-{meeting.pk}"
    assert f'href="{where}"' in page and "The meeting&#x27;s actions" in page
    meeting_page = _case_admin(world).get(where.split("#")[0]).content.decode()
    assert f'id="mappa-meeting-{meeting.pk}"' in meeting_page and "Record done" in meeting_page


@pytest.mark.parametrize("role", ["om", "spo", "caseadmin", "aco", "vlo"])
def test_every_task_link_a_person_is_offered_opens_for_them(world: World, role: str) -> None:
    """A row never sends someone to a form that refuses them: an ACO overseeing the area or a victim
    liaison officer is sent to the case, the people who do the work to the form itself."""
    case = make_case(world.area, world.staff["om"], sentence_date=date(2026, 6, 1))
    _missed(case, 25)
    _mappa_meeting_with_an_action(case, world)
    make_case(world.area, None, sentence_date=date(2026, 11, 24))  # unallocated: "Allocate"
    client = Client()
    client.force_login(world.user(role))
    page = _page(client, view="list")
    links = set(re.findall(r'class="govuk-link oms-task-link" href="([^"]+)"', page))
    assert links, f"{role} has actions to open"
    refused = {
        link: status
        for link in links
        if (status := client.get(link.split("#")[0].replace("&amp;", "&")).status_code) != 200
    }
    assert refused == {}
    book = reverse("supervision:book", args=[case.crn])
    assert (f'href="{book}"' in page) is (role in {"om", "spo", "caseadmin"})


def test_the_case_page_links_each_action_to_its_task_for_whoever_may_do_it(world: World) -> None:
    case = make_case(world.area, world.staff["om"], sentence_date=date(2026, 6, 1))
    missed = _missed(case, 25)
    book = reverse("supervision:book", args=[case.crn])
    judge = reverse("supervision:contact", args=[missed.pk]) + "#outcome"
    for role, offered in (("om", True), ("aco", False)):
        client = Client()
        client.force_login(world.user(role))
        page = client.get(reverse("cases:detail", args=[case.crn])).content.decode()
        panel = page[
            page.index('id="actions-due"') : page.index("</section>", page.index('id="actions-due"'))
        ]
        assert (f'href="{book}"' in panel) is offered
        assert f'href="{judge}"' in panel  # the absence itself opens for anyone who sees the case
        assert "#actions-due" not in panel  # never a link to the panel it is in


def _many_actions(world: World, rule_key: str, overdue: int, due: int) -> Offender:
    """One case carrying `overdue` actions past their deadline and `due` still in time, and no other
    case any: stored rows written in bulk, as an area's nightly sweep leaves them."""
    case = make_case(world.area, world.staff["om"], sentence_date=date(2026, 6, 1))
    flush_case_upkeep()
    StoredAction.objects.all().delete()
    row = {
        "offender": case,
        "area": world.area,
        "rule_key": rule_key,
        "description": "Warning issued",
        "trigger_date": date(2026, 10, 1),
        "status": "due",
        "evaluated_on": date(2026, 11, 27),
        "owner_kind": "offender_manager",
        "owner_staff": world.staff["om"],
    }
    StoredAction.objects.bulk_create(
        [StoredAction(**row, deadline=date(2026, 11, 2)) for _ in range(overdue)]
        + [StoredAction(**row, deadline=date(2026, 12, 30)) for _ in range(due)]
    )
    return case


def test_counts_over_a_thousand_have_thousands_separators(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from oms.standards import views

    monkeypatch.setattr(views, "PAGE_SIZE", 1)  # one row a page, so that the pages pass a thousand too
    case = _many_actions(world, "warning", overdue=1242, due=1120)
    page = _page(_case_admin(world), view="cases")
    text = re.sub(r"<[^>]+>", "", page)
    assert "1,242 overdue and 1,120 due, as of 27 November 2026." in text
    assert "Page 1 of 2,362" in text
    assert "2,362 actions, 1 on this page" in _group(page, case.crn)
    tracker = Client()
    tracker.force_login(world.user("caseadmin"))
    enforcement = tracker.get(reverse("standards:enforcement")).content.decode()
    assert "Warning (2,362 open)" in enforcement
    assert re.search(r'id="enforcement-overdue">1,242<', enforcement)


def test_the_home_page_counts_an_offender_managers_actions_with_thousands_separators(world: World) -> None:
    _many_actions(world, "warning", overdue=1242, due=1120)
    client = Client()
    client.force_login(world.user("om"))
    queue = client.get("/").content.decode()
    queue = queue[queue.index('id="queue-overdue-actions"') :]
    assert (
        'id="overdue-actions">1,242</span>overdue, and 0 due by Sunday 29 November (2,362 open in all)'
        in queue
    )


@pytest.mark.parametrize("role", ["om", "partner", "prison", "vlo"])
def test_every_task_link_on_the_case_page_opens_for_its_reader(world: World, role: str) -> None:
    """A partner agency worker reads the case but not its sentence plans: the plan's actions are not
    linked for them (the planning pages would refuse them)."""
    case = world.cases["own"]
    client = Client()
    client.force_login(world.user(role))
    page = client.get(reverse("cases:detail", args=[case.crn])).content.decode()
    start = page.index('id="actions-due"')
    panel = page[start : page.index("</section>", start)]
    assert "Initial sentence plan within" in panel, "the case has a sentence plan action due"
    links = set(re.findall(r'class="govuk-link oms-task-link" href="([^"#]+)', panel))
    assert (reverse("planning:case", args=[case.crn]) in links) is (role != "partner")
    assert {link: client.get(link).status_code for link in links} == dict.fromkeys(links, 200)
