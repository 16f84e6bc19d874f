"""Actions due on real case records: hand-computed deadlines, pages, CLI, and the daily digest."""

from __future__ import annotations

import json
from datetime import date
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from oms.cases.models import Allocation, Offender
from oms.standards.models import AreaStandards
from oms.standards.queries import actions
from oms.standards.rules import DEFAULT_RULES_PATH
from tests.factories import World, make_case

# Thursday 5 April 2007: + 3 WD over Easter (Good Friday 6th, Easter Monday 9th) = Thursday 12 April.
SENTENCED = date(2007, 4, 5)


def _allocation_action(offender: Offender, as_of: date) -> dict[str, object]:
    found = [a.as_json() for a in actions(Offender.objects.filter(pk=offender.pk), as_of, open_only=False)]
    return next(a for a in found if a["rule"] == "allocate_offender_manager")


def test_allocation_deadline_is_three_working_days_over_easter(world: World) -> None:
    case = make_case(world.area, None, sentence_date=SENTENCED)
    assert _allocation_action(case, date(2007, 4, 11))["status"] == "due"
    assert _allocation_action(case, date(2007, 4, 11))["deadline"] == "2007-04-12"
    late = _allocation_action(case, date(2007, 4, 16))
    assert (late["status"], late["working_days_overdue"]) == ("overdue", 2)


def test_a_late_allocation_is_met_late_and_the_past_is_unchanged(world: World) -> None:
    case = make_case(world.area, None, sentence_date=SENTENCED)
    Allocation.objects.create(
        offender=case,
        offender_manager=world.staff["om"],
        start_date=date(2007, 4, 13),
        reason="Initial allocation",
    )
    assert _allocation_action(case, date(2007, 4, 20))["status"] == "met_late"
    # As of the 12th the allocation had not happened yet: the same answer as on that day.
    assert _allocation_action(case, date(2007, 4, 12))["status"] == "due"


def test_tier_4_cases_must_be_allocated_in_one_working_day(world: World) -> None:
    case = make_case(world.area, None, sentence_date=SENTENCED, tier="4")
    assert _allocation_action(case, date(2007, 4, 10))["deadline"] == "2007-04-10"


def test_an_area_changes_a_figure_without_a_code_change(world: World) -> None:
    case = make_case(world.area, None, sentence_date=SENTENCED)
    rules = DEFAULT_RULES_PATH.read_text().replace(
        "  - key: allocate_offender_manager\n    spec_row: allocate offender manager\n    name: Allocate an offender manager\n    trigger: sentence_or_release\n    deadline: {amount: 3, unit: working_days}",
        "  - key: allocate_offender_manager\n    spec_row: allocate offender manager\n    name: Allocate an offender manager\n    trigger: sentence_or_release\n    deadline: {amount: 2, unit: working_days}",
    )
    assert "amount: 2, unit: working_days}" in rules
    AreaStandards.objects.create(area=world.area, rules_yaml=rules)
    assert _allocation_action(case, date(2007, 4, 10))["deadline"] == "2007-04-11"


def test_a_broken_rule_file_is_refused_naming_the_rule(world: World) -> None:
    from django.core.exceptions import ValidationError

    broken = DEFAULT_RULES_PATH.read_text().replace(
        "deadline: {amount: 3, unit: working_days}", "deadline: {amount: -3, unit: working_days}", 1
    )
    with pytest.raises(ValidationError, match="allocate_offender_manager"):
        AreaStandards.objects.create(area=world.area, rules_yaml=broken)


def test_actions_cli_prints_the_contract(world: World) -> None:
    make_case(world.area, world.staff["om"], sentence_date=SENTENCED)
    out = StringIO()
    call_command("actions", "--staff", "om", "--as-of", "2007-04-20", "--json", stdout=out)
    printed = json.loads(out.getvalue())
    assert printed["as_of"] == "2007-04-20"
    assert printed["actions"], "a case never seen has its first contact overdue"
    assert set(printed["actions"][0]) == {
        "crn",
        "rule",
        "description",
        "deadline",
        "status",
        "owner",
        "owner_role",
        "working_days_overdue",
    }
    screening = next(a for a in printed["actions"] if a["rule"] == "first_contact_with_offender_manager")
    # 5 WD from Thursday 5 April 2007 over Easter is Monday 16 April; as of Friday 20th, 4 WD overdue.
    assert (
        screening["deadline"],
        screening["status"],
        screening["working_days_overdue"],
        screening["owner"],
    ) == ("2007-04-16", "overdue", 4, "om")


def test_my_actions_page_shows_only_cases_the_user_may_see(world: World) -> None:
    client = Client()
    client.force_login(world.user("om"))
    page = client.get(reverse("standards:actions")).content.decode()
    assert "Actions on my cases" in page
    assert world.cases["own"].crn in page
    assert world.cases["team"].crn not in page
    client.force_login(world.user("spo"))
    page = client.get(reverse("standards:actions")).content.decode()
    assert world.cases["team"].crn in page and world.cases["other_team"].crn not in page


def test_actions_page_runs_the_same_queries_for_few_and_many_cases(world: World) -> None:
    client = Client()
    client.force_login(world.user("aco"))

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("standards:actions")).status_code == 200
        return len(captured)

    few = count()
    for _ in range(30):
        make_case(world.area, world.teammate)
    assert count() == few


def test_case_page_says_what_happens_next(world: World) -> None:
    client = Client()
    client.force_login(world.user("om"))
    page = client.get(reverse("cases:detail", args=[world.cases["own"].crn])).content.decode()
    assert "What happens next" in page and "First contact with the offender manager" in page


def test_remind_sends_one_digest_per_person_and_escalates_to_the_manager(world: World) -> None:
    make_case(world.area, world.staff["om"], sentence_date=SENTENCED)
    out = StringIO()
    call_command("remind", "--as-of", "2007-05-30", stdout=out)
    recipients = sorted(m.to[0] for m in mail.outbox)
    # The team's SPO and the area's ACO hear of what is overdue beyond the escalation figure.
    assert recipients == sorted({world.staff["om"].email, world.staff["spo"].email, world.staff["aco"].email})
    om_mail = next(m for m in mail.outbox if m.to == [world.staff["om"].email])
    assert "OVERDUE" in om_mail.body and "First contact with the offender manager" in om_mail.body
    spo_mail = next(m for m in mail.outbox if m.to == [world.staff["spo"].email])
    assert "escalated" in spo_mail.subject


def test_remind_dry_run_sends_nothing(world: World) -> None:
    make_case(world.area, world.staff["om"], sentence_date=SENTENCED)
    out = StringIO()
    call_command("remind", "--as-of", "2007-05-30", "--dry-run", stdout=out)
    assert mail.outbox == []
    assert "would send" in out.getvalue()


def test_a_contact_recorded_meets_the_first_contact_rule(world: World) -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from oms.cases.models import ContactType
    from oms.supervision.models import Contact

    case = make_case(world.area, world.staff["om"], sentence_date=SENTENCED)
    seen = datetime(2007, 4, 11, 10, 0, tzinfo=ZoneInfo("Europe/London"))
    Contact.objects.create(
        offender=case,
        contact_type=ContactType.objects.get(code="office"),
        starts_at=seen,
        ends_at=seen,
        outcome="attended_complied",
    )
    found = [
        a.as_json() for a in actions(Offender.objects.filter(pk=case.pk), date(2007, 4, 20), open_only=False)
    ]
    first = next(a for a in found if a["rule"] == "first_contact_with_offender_manager")
    assert first["status"] == "met_on_time"


def test_rules_without_a_record_in_oms_are_not_judged(world: World) -> None:
    from oms.standards.queries import judged_rules, unjudged_rules
    from oms.standards.rules import default_rules

    judged = {r.completed_by for r in judged_rules(default_rules())}
    assert "allocation" in judged and "contact" in judged
    assert all(r.completed_by not in judged for r in unjudged_rules(default_rules()))


def test_a_submitted_roh_screening_meets_the_screening_rule_and_its_lateness_counts(world: World) -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from oms.risk.models import RiskOfHarmScreening

    on_time = make_case(world.area, world.staff["om"], sentence_date=SENTENCED)
    late = make_case(world.area, world.staff["om"], sentence_date=SENTENCED)
    london = ZoneInfo("Europe/London")
    for case, submitted in (
        (on_time, datetime(2007, 4, 16, 15, tzinfo=london)),
        (late, datetime(2007, 4, 17, 9, tzinfo=london)),
    ):
        RiskOfHarmScreening.objects.create(
            offender=case,
            event=case.events.get(),
            author=world.staff["om"],
            status="submitted",
            submitted_at=submitted,
        )
    statuses = {
        a.offender.crn: a.status.status
        for a in actions(
            Offender.objects.filter(pk__in=[on_time.pk, late.pk]), date(2007, 4, 20), open_only=False
        )
        if a.status.rule_key == "roh_screening"
    }
    # 5 WD from Thursday 5 April 2007 over Easter is Monday 16 April.
    assert statuses == {on_time.crn: "met_on_time", late.crn: "met_late"}


def test_the_home_page_tells_an_offender_manager_what_is_overdue(world: World) -> None:
    make_case(world.area, world.staff["om"], sentence_date=SENTENCED)
    client = Client()
    client.force_login(world.user("om"))
    page = client.get("/").content.decode()
    overdue = len(
        [
            a
            for a in actions(
                Offender.objects.filter(offender_manager=world.staff["om"]), timezone.localdate()
            )
            if a.status.status == "overdue"
        ]
    )
    assert overdue > 0
    assert f'id="overdue-actions">{overdue}</span>overdue' in page
