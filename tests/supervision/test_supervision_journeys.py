"""Contacts, enforcement (CJA 2003 Sch 8), recall sign-off, reception and reminders, through the services
and the web client, with the permission rules and fixed query counts the issue asks for."""

from __future__ import annotations

import itertools
import re
import zlib
from datetime import date, datetime, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from oms.cases.constants import EventKind
from oms.cases.models import Address, ContactType, Offender
from oms.supervision import reminders, services
from oms.supervision.constants import (
    ContactOutcome,
    RecallStatus,
    RecallType,
    ReminderChannel,
    ReminderStatus,
)
from oms.supervision.models import Breach, Contact, EnforcementWarning, ReminderLog, ReminderPreference
from oms.supervision.queries import compliance_for
from tests.factories import World, make_case

pytestmark = pytest.mark.django_db


def past_appointment(offender: Offender, days_ago: int, hour: int = 10, code: str = "office") -> Contact:
    """An appointment that has happened (booking refuses the past, so tests set history up directly)."""
    day = timezone.localdate() - timedelta(days=days_ago)
    start = timezone.make_aware(datetime.combine(day, time(hour, 0)))
    return Contact.objects.create(
        offender=offender,
        event=offender.events.get(number=1),
        contact_type=ContactType.objects.get(code=code),
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        staff=offender.offender_manager,
    )


def judge(world: World, contact: Contact, outcome: str, reason: str = "") -> services.EnforcementResult:
    """The offender manager records the outcome, confirming breach action where it starts."""
    contact.refresh_from_db()
    return services.record_outcome(
        world.user("om"),
        contact,
        services.OutcomeInput(outcome=outcome, absence_reason=reason, confirm_breach=True),
        expected_version=contact.version,
        on=timezone.localtime(contact.starts_at).date(),  # judged on the day, as the standard asks
    )


def signed_in(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world.user(role))
    return client


def tomorrow_at(hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(days=1), time(hour, minute)))


# ---------------------------------------------------------------- the statute's words


def test_acceptable_absences_never_count(world: World) -> None:
    case = world.cases["own"]
    for days_ago in (30, 20, 10):
        result = judge(
            world, past_appointment(case, days_ago), ContactOutcome.ACCEPTABLE_ABSENCE, "Doctor's note"
        )
        assert result.warning is None and result.breach is None
    assert compliance_for(case, timezone.localdate()).status.text == "Complying"


def test_first_unacceptable_failure_in_12_months_gives_a_warning_the_next_starts_breach(world: World) -> None:
    case = world.cases["own"]
    first = judge(world, past_appointment(case, 40), ContactOutcome.UNACCEPTABLE_ABSENCE)
    assert first.warning is not None and first.breach is None
    assert compliance_for(case, timezone.localdate()).status.text == "1 failure to comply within 12 months"
    second = judge(world, past_appointment(case, 5), ContactOutcome.FAILED_TO_COMPLY)
    assert second.breach is not None and second.warning is None
    assert second.breach.warning_relied_on == first.warning
    assert compliance_for(case, timezone.localdate()).status.text == "Breach in progress"
    # A third failure while the breach is before the court is added to it, not a second breach.
    third = judge(world, past_appointment(case, 2), ContactOutcome.UNACCEPTABLE_ABSENCE)
    assert third.breach == second.breach and Breach.objects.count() == 1


def test_a_warning_more_than_12_months_old_leads_to_a_new_warning_not_breach(world: World) -> None:
    case = world.cases["own"]
    old = past_appointment(case, 400)
    judge(world, old, ContactOutcome.UNACCEPTABLE_ABSENCE)
    EnforcementWarning.objects.filter(failure=old).update(
        issued_on=timezone.localdate() - timedelta(days=400)
    )
    result = judge(world, past_appointment(case, 3), ContactOutcome.UNACCEPTABLE_ABSENCE)
    assert result.warning is not None and result.breach is None


def test_licence_failures_are_not_warned_under_schedule_8(world: World) -> None:
    licence = make_case(world.area, world.staff["om"], kind=EventKind.LICENCE)
    result = judge(world, past_appointment(licence, 3), ContactOutcome.UNACCEPTABLE_ABSENCE)
    assert result.warning is None and result.breach is None


# ---------------------------------------------------------------- refusals


def test_outcome_for_a_future_appointment_is_refused(world: World) -> None:
    case = world.cases["own"]
    [booked] = services.book_appointments(
        world.user("om"), case, services.AppointmentInput("office", tomorrow_at(10), 60)
    )
    with pytest.raises(services.CaseRuleError, match="has not happened yet"):
        judge(world, booked, ContactOutcome.ATTENDED_COMPLIED)


def test_acceptable_absence_needs_its_reason(world: World) -> None:
    with pytest.raises(services.CaseRuleError, match="reason the absence was acceptable") as refused:
        judge(world, past_appointment(world.cases["own"], 2), ContactOutcome.ACCEPTABLE_ABSENCE)
    assert refused.value.field == "absence_reason"


def test_overlapping_appointments_for_the_same_person_are_refused_naming_the_clash(world: World) -> None:
    case = world.cases["own"]
    om = world.user("om")
    services.book_appointments(om, case, services.AppointmentInput("office", tomorrow_at(10), 60))
    with pytest.raises(
        services.CaseRuleError, match="already has an appointment at that time: office appointment"
    ):
        services.book_appointments(om, case, services.AppointmentInput("telephone", tomorrow_at(10, 30), 30))
    # A weekly series whose third week clashes is refused whole: nothing half-booked.
    services.book_appointments(
        om, case, services.AppointmentInput("office", tomorrow_at(14) + timedelta(days=14), 60)
    )
    with pytest.raises(services.CaseRuleError):
        services.book_appointments(
            om, case, services.AppointmentInput("office", tomorrow_at(14), 60, repeat="weekly", occurrences=4)
        )
    assert Contact.objects.filter(offender=case).count() == 2


def test_repeating_appointments_are_booked_weekly_and_fortnightly(world: World) -> None:
    case = world.cases["own"]
    booked = services.book_appointments(
        world.user("om"),
        case,
        services.AppointmentInput("office", tomorrow_at(9), 45, repeat="fortnightly", occurrences=3),
    )
    gaps = [(b.starts_at.date() - a.starts_at.date()).days for a, b in itertools.pairwise(booked)]
    assert gaps == [14, 14] and len({c.series for c in booked}) == 1


def test_breach_without_a_required_prior_warning_is_refused(world: World) -> None:
    case = world.cases["own"]
    failure = past_appointment(case, 3)
    failure.outcome, failure.enforceable = ContactOutcome.UNACCEPTABLE_ABSENCE, False
    failure.save()
    with pytest.raises(services.CaseRuleError, match="no warning was given in the 12 months"):
        services.initiate_breach(world.user("om"), failure)
    assert not Breach.objects.exists()
    client = signed_in(world, "om")
    response = client.post(f"/supervision/contacts/{failure.pk}/enforce/", {"action": "breach"})
    assert (
        response.status_code == 400 and "no warning was given in the 12 months" in response.content.decode()
    )


def _recommend(world: World) -> services.RecallRecommendation:  # type: ignore[name-defined]
    licence = make_case(world.area, world.staff["om"], kind=EventKind.LICENCE)
    return services.recommend_recall(
        world.user("om"),
        licence.events.get(),
        recall_type=RecallType.STANDARD,
        emergency=True,
        reason="Threats to partner",
    )


def test_recall_sign_off_out_of_order_or_by_the_wrong_role_is_refused(world: World) -> None:
    recommendation = _recommend(world)
    with pytest.raises(
        services.CaseRuleError, match="senior probation officer must sign this recommendation off before"
    ):
        services.sign_off_recall(world.user("aco"), recommendation, expected_version=recommendation.version)
    # A role that gives neither sign-off is refused (a 403 at every door, logged), not told a rule.
    with pytest.raises(PermissionDenied, match="Only a senior probation officer and then"):
        services.sign_off_recall(world.user("om"), recommendation, expected_version=recommendation.version)
    services.sign_off_recall(world.user("spo"), recommendation, expected_version=1)
    assert recommendation.status == RecallStatus.AWAITING_ACO
    with pytest.raises(services.CaseRuleError, match="Only an assistant chief officer"):
        services.sign_off_recall(world.user("spo"), recommendation, expected_version=2)
    services.sign_off_recall(world.user("aco"), recommendation, expected_version=2)
    assert recommendation.status == RecallStatus.SIGNED_OFF
    services.record_recall_outcome(
        world.user("om"), recommendation, outcome="recalled", on=timezone.localdate(), expected_version=3
    )
    recommendation.event.refresh_from_db()
    assert recommendation.event.termination_reason == "recalled" and not recommendation.event.is_active


def test_stale_outcome_is_refused(world: World) -> None:
    contact = past_appointment(world.cases["own"], 2)
    services.record_outcome(
        world.user("om"), contact, services.OutcomeInput(ContactOutcome.ATTENDED_COMPLIED), expected_version=1
    )
    with pytest.raises(services.StaleRecordError):
        services.record_outcome(
            world.user("om"),
            contact,
            services.OutcomeInput(ContactOutcome.ATTENDED_COMPLIED),
            expected_version=1,
        )


# ---------------------------------------------------------------- permissions


def test_partner_agency_records_contacts_only_on_granted_cases(world: World) -> None:
    partner = signed_in(world, "partner")
    own, team = world.cases["own"], world.cases["team"]
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    form = {
        "contact_type": "partner_agency",
        "day": yesterday,
        "start_time": "11:00",
        "duration_minutes": "30",
        "outcome": "attended_complied",
        "notes": "Police home check",
        "enforceable": "on",
    }
    response = partner.post(f"/supervision/cases/{own.crn}/contacts/new/", form)
    assert response.status_code == 302
    assert Contact.objects.get(offender=own).notes == "Police home check"
    assert partner.post(f"/supervision/cases/{team.crn}/contacts/new/", form).status_code == 403
    assert partner.get(f"/supervision/cases/{team.crn}/timeline/").status_code == 403
    # Granted, but still only their own kind of contact and no booking.
    office = partner.post(f"/supervision/cases/{own.crn}/contacts/new/", {**form, "contact_type": "office"})
    assert "Select a type of contact from the list" in office.content.decode()
    assert partner.get(f"/supervision/cases/{own.crn}/appointments/new/").status_code == 403
    assert partner.get("/supervision/calendar/").status_code == 403


def test_interventions_staff_record_delivery_contacts_on_their_area_cases(world: World) -> None:
    staff = signed_in(world, "interventions")
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    form = {
        "contact_type": "unpaid_work_session",
        "day": yesterday,
        "start_time": "09:00",
        "duration_minutes": "420",
        "outcome": "attended_complied",
    }
    assert (
        staff.post(f"/supervision/cases/{world.cases['other_team'].crn}/contacts/new/", form).status_code
        == 302
    )
    assert (
        staff.post(f"/supervision/cases/{world.cases['other_area'].crn}/contacts/new/", form).status_code
        == 403
    )


@pytest.mark.parametrize(
    ("role", "calendar", "reception", "own_timeline", "other_area_timeline"),
    [
        ("om", 200, 403, 200, 403),
        ("spo", 200, 403, 200, 403),
        ("caseadmin", 200, 200, 200, 403),
        ("aco", 403, 403, 200, 403),
        ("vlo", 403, 403, 200, 403),
        ("interventions", 403, 403, 200, 403),
        ("partner", 403, 403, 200, 403),
        ("prison", 403, 403, 200, 403),
        ("inspector", 403, 403, 200, 403),
    ],
)
def test_permission_matrix_of_supervision_pages(
    world: World, role: str, calendar: int, reception: int, own_timeline: int, other_area_timeline: int
) -> None:
    client = signed_in(world, role)
    assert client.get("/supervision/calendar/").status_code == calendar
    assert client.get("/supervision/reception/").status_code == reception
    assert client.get(f"/supervision/cases/{world.cases['own'].crn}/timeline/").status_code == own_timeline
    assert (
        client.get(f"/supervision/cases/{world.cases['other_area'].crn}/timeline/").status_code
        == other_area_timeline
    )
    assert client.get(f"/supervision/cases/{world.cases['limited'].crn}/timeline/").status_code == 403


def test_spo_sees_team_calendars_but_not_other_teams(world: World) -> None:
    client = signed_in(world, "spo")
    assert client.get(f"/supervision/calendar/?staff={world.teammate.pk}").status_code == 200
    other = world.cases["other_team"].offender_manager
    assert client.get(f"/supervision/calendar/?staff={other.pk}").status_code == 403
    bad = client.get("/supervision/calendar/?week=not-a-date")
    assert bad.status_code == 200 and "Week of must be a real date" in bad.content.decode()


# ---------------------------------------------------------------- fixed query counts


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _fill(offender: Offender, count: int, start: date) -> None:
    office = ContactType.objects.get(code="office")
    rows = []
    for index in range(count):
        moment = timezone.make_aware(
            datetime.combine(start + timedelta(days=index // 8), time(9 + index % 8))
        )
        rows.append(
            Contact(
                offender=offender,
                contact_type=office,
                starts_at=moment,
                ends_at=moment + timedelta(minutes=30),
                staff=offender.offender_manager,
                outcome=ContactOutcome.ATTENDED_COMPLIED,
            )
        )
    Contact.objects.bulk_create(rows)


def test_timeline_runs_the_same_queries_for_500_entries_as_for_20(world: World) -> None:
    small, large = world.cases["own"], make_case(world.area, world.staff["om"])
    _fill(small, 18, date(2026, 1, 5))
    _fill(large, 498, date(2026, 1, 5))
    client = signed_in(world, "om")
    small_count = _queries(client, f"/supervision/cases/{small.crn}/timeline/")
    large_count = _queries(client, f"/supervision/cases/{large.crn}/timeline/")
    assert small_count == large_count
    page = client.get(f"/supervision/cases/{large.crn}/timeline/?kind=contacts").content.decode()
    assert "498 entries" in page


def test_calendar_and_reception_run_a_fixed_number_of_queries(world: World) -> None:
    client = signed_in(world, "om")
    monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday())
    url = f"/supervision/calendar/?week={monday.isoformat()}"
    _fill(world.cases["own"], 2, monday)
    few = _queries(client, url)
    _fill(make_case(world.area, world.staff["om"]), 40, monday)
    assert _queries(client, url) == few
    admin = signed_in(world, "caseadmin")
    today = timezone.localdate()
    _fill(world.cases["team"], 1, today)
    few = _queries(admin, "/supervision/reception/")
    _fill(world.cases["other_team"], 8, today)
    assert _queries(admin, "/supervision/reception/") == few


def test_case_page_panel_runs_a_fixed_number_of_queries(world: World) -> None:
    client = signed_in(world, "om")
    small, large = world.cases["own"], make_case(world.area, world.staff["om"])
    _fill(small, 3, date(2026, 1, 5))
    _fill(large, 200, date(2026, 1, 5))
    for section in ("", "contacts/", "enforcement/"):
        assert _queries(client, f"/cases/{small.crn}/{section}") == _queries(
            client, f"/cases/{large.crn}/{section}"
        )
    assert (
        'id="supervision-heading">Contacts</h2>'
        in client.get(f"/cases/{small.crn}/contacts/").content.decode()
    )


# ---------------------------------------------------------------- reception and reminders


def test_reception_checks_in_and_records_the_wait(world: World) -> None:
    case = world.cases["team"]
    start = timezone.now() + timedelta(minutes=1)
    if timezone.localtime(start).date() != timezone.localdate():
        pytest.skip("too close to midnight")
    contact = Contact.objects.create(
        offender=case,
        contact_type=ContactType.objects.get(code="office"),
        starts_at=start,
        ends_at=start + timedelta(minutes=30),
    )
    arrived = timezone.now()
    services.check_in(world.user("caseadmin"), contact, at=arrived)
    services.mark_seen(world.user("caseadmin"), contact, at=arrived + timedelta(minutes=23))
    contact.refresh_from_db()
    assert contact.waiting_minutes == 23
    page = signed_in(world, "caseadmin").get("/supervision/reception/").content.decode()
    assert "23 min" in page and "average wait 23 minutes" in page


class FailingBackend:
    name = "failing"

    def send(self, message: reminders.Message) -> str:
        raise ConnectionError("Notify is down")


class RecordingBackend:
    name = "recording"

    def __init__(self) -> None:
        self.sent: list[reminders.Message] = []

    def send(self, message: reminders.Message) -> str:
        self.sent.append(message)
        return "ref-1"


def test_a_failed_reminder_is_logged_and_never_blocks_the_booking(
    world: World, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    case = world.cases["own"]
    ReminderPreference.objects.create(
        offender=case, channel=ReminderChannel.TEXT, mobile_number="07700 900123"
    )
    reminders.use_backend(FailingBackend())
    try:
        with django_capture_on_commit_callbacks(execute=True):
            booked = services.book_appointments(
                world.user("om"), case, services.AppointmentInput("office", tomorrow_at(11), 60)
            )
    finally:
        reminders.use_backend(None)
    assert Contact.objects.filter(pk=booked[0].pk).exists()
    log = ReminderLog.objects.get()
    assert log.status == ReminderStatus.FAILED and "Notify is down" in log.error


def test_day_before_reminders_command(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    case = world.cases["own"]
    ReminderPreference.objects.create(
        offender=case, channel=ReminderChannel.EMAIL, email_address="p@example.com"
    )
    start = tomorrow_at(10)
    Contact.objects.create(
        offender=case,
        contact_type=ContactType.objects.get(code="office"),
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        location="Campbell House",
    )
    call_command("send-appointment-reminders", "--dry-run", "--json")
    assert '"appointments": 1' in capsys.readouterr().out
    backend = RecordingBackend()
    reminders.use_backend(backend)
    try:
        call_command("send-appointment-reminders", "--json")
        call_command("send-appointment-reminders", "--json")  # a second run sends nothing twice
    finally:
        reminders.use_backend(None)
    assert len(backend.sent) == 1 and "Campbell House" in backend.sent[0].body
    with pytest.raises(Exception, match="--as-of"):
        call_command("send-appointment-reminders", "--as-of", "31-02-2027")


def test_warning_letter_honours_large_print_and_paper_colour_and_prints_as_pdf(world: World) -> None:
    case = world.cases["own"]
    Offender.objects.filter(pk=case.pk).update(large_print=True, paper_colour="yellow", dyslexia=True)
    result = judge(world, past_appointment(case, 3), ContactOutcome.UNACCEPTABLE_ABSENCE)
    assert result.warning is not None
    client = signed_in(world, "om")
    page = client.get(f"/supervision/warnings/{result.warning.pk}/letter/").content.decode()
    assert 'data-large-print="yes"' in page and 'data-paper-colour="yellow"' in page
    assert "not acceptable" in page and "back to court" in page  # plain English version
    pdf = client.get(f"/supervision/warnings/{result.warning.pk}/letter.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_warning_letter_carries_the_office_letterhead_the_recipients_address_and_plain_grammar(
    world: World,
) -> None:
    case = world.cases["own"]
    unit = world.team.unit
    unit.address, unit.telephone = "Campbell House\nCampbell Square\nNorthampton", "01632 960001"
    unit.save()
    Address.objects.create(
        offender=case, lines="4 Elm Road\nKettering", postcode="NN16 8AA", from_date=date(2020, 1, 1)
    )
    result = judge(
        world, past_appointment(case, 3, code="unpaid_work_session"), ContactOutcome.UNACCEPTABLE_ABSENCE
    )
    assert result.warning is not None
    page = signed_in(world, "om").get(f"/supervision/warnings/{result.warning.pk}/letter/").content.decode()
    letterhead = page[page.index('id="letterhead"') : page.index("</address>")]
    assert (
        "Campbell House<br>Campbell Square<br>Northampton" in letterhead
        and "Telephone 01632 960001" in letterhead
    )
    recipient = page[page.index('id="recipient"') :]
    assert "4 Elm Road<br>Kettering<br>NN16 8AA" in recipient[: recipient.index("</address>")]
    assert "attend an unpaid work session on" in page
    assert "a unpaid" not in page


def test_the_printed_warning_letter_is_a_tagged_pdf(world: World) -> None:
    case = world.cases["own"]
    result = judge(world, past_appointment(case, 3), ContactOutcome.UNACCEPTABLE_ABSENCE)
    assert result.warning is not None
    pdf = signed_in(world, "om").get(f"/supervision/warnings/{result.warning.pk}/letter.pdf").content
    # The PDF's objects are compressed: read every stream to find the structure tree and PDF/UA mark.
    streams = b"".join(
        zlib.decompressobj().decompress(match.group(1))
        for match in re.finditer(rb"stream\r?\n(.*?)endstream", pdf, re.DOTALL)
        if match.group(1)[:1] == b"x"
    )
    assert b"/StructTreeRoot" in streams and b"pdfuaid" in streams


def test_a_wrong_role_signing_off_a_recall_is_refused_with_403_and_logged(world: World) -> None:
    from oms.accounts.models import AccessAction, AccessLogEntry

    recommendation = _recommend(world)
    client = Client()
    client.force_login(world.user("om"))  # may read the case, may not sign off recall
    response = client.post(
        f"/supervision/recalls/{recommendation.pk}/", {"action": "sign", "version": recommendation.version}
    )
    assert response.status_code == 403
    assert AccessLogEntry.objects.filter(
        username="om", action=AccessAction.REFUSED, crn=recommendation.offender.crn
    ).exists()
    recommendation.refresh_from_db()
    assert recommendation.status == RecallStatus.AWAITING_SPO


def test_a_case_administrator_chooses_whose_calendar_from_offender_managers_grouped_by_team(
    world: World,
) -> None:
    page = signed_in(world, "caseadmin").get("/supervision/calendar/").content.decode()
    picker = page[page.index('<select class="govuk-select" id="staff"') : page.index("</select>")]
    team_a = picker[picker.index(f'<optgroup label="{world.team.name}">') :].split("</optgroup>")[0]
    team_b = picker[picker.index(f'<optgroup label="{world.other_team.name}">') :].split("</optgroup>")[0]
    assert world.staff["om"].full_name in team_a and world.staff["om"].full_name not in team_b
    other = world.cases["other_team"].offender_manager
    assert other.full_name in team_b
