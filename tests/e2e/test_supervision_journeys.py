"""In the browser: book and record appointments; an unacceptable absence to a warning, then breach
(confirmed first);
a recall recommendation signed off by an SPO and then an ACO."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from oms.cases.constants import EventKind
from oms.cases.models import ContactType, Offender
from oms.supervision.models import Breach, Contact, EnforcementWarning, RecallRecommendation
from oms.timescales.date_rules import long_date
from tests.e2e.conftest import choose, fill_date, screenshot, sign_in
from tests.factories import PASSWORD, World, make_case

pytestmark = pytest.mark.django_db(transaction=True)


def past_appointment(offender: Offender, days_ago: int) -> Contact:
    start = timezone.make_aware(datetime.combine(timezone.localdate() - timedelta(days=days_ago), time(10)))
    return Contact.objects.create(
        offender=offender,
        event=offender.events.get(number=1),
        contact_type=ContactType.objects.get(code="office"),
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        staff=offender.offender_manager,
    )


def next_weekday() -> object:
    """Tomorrow, or Monday: a weekend booking asks to be confirmed (appointments out of office hours)."""
    day = timezone.localdate() + timedelta(days=1)
    while day.weekday() > 4:
        day += timedelta(days=1)
    return day


def sign_out(page) -> None:  # type: ignore[no-untyped-def]
    page.click("button:has-text('Sign out')")


def test_book_and_record_appointments(page, world: World) -> None:  # type: ignore[no-untyped-def]
    case = world.cases["own"]
    done = past_appointment(case, 1)
    sign_in(page, "om", PASSWORD)
    page.goto(f"/cases/{case.crn}/contacts/")
    page.click("text=Book an appointment")
    page.select_option("#id_contact_type", "office")
    fill_date(page, "#id_day", next_weekday())
    page.fill("#id_start_time", "10:30")
    page.fill("#id_location", "Campbell House, room 2")
    choose(page, "repeat", "weekly")
    page.fill("#id_occurrences", "3")
    page.click("button:has-text('Book')")
    assert "3 appointments booked" in page.locator(".govuk-notification-banner").inner_text()
    assert page.locator("#next-appointments tr").count() >= 3
    screenshot(page, "supervision-booked")
    # The same slot again is refused, naming the clash.
    page.click("text=Book an appointment")
    page.select_option("#id_contact_type", "telephone")
    fill_date(page, "#id_day", next_weekday())
    page.fill("#id_start_time", "11:00")
    page.click("button:has-text('Book')")
    assert "already has an appointment at that time" in page.locator(".govuk-error-summary").inner_text()
    screenshot(page, "supervision-clash-refused")
    page.goto(f"/supervision/contacts/{done.pk}/")
    choose(page, "outcome", "attended_complied")
    page.fill("#id_notes", "Discussed the job search plan.")
    page.click("button:has-text('Save outcome')")
    assert "Outcome recorded" in page.content()
    assert Contact.objects.get(pk=done.pk).outcome == "attended_complied"
    page.goto("/supervision/calendar/")
    assert "Office appointment" in page.locator("#calendar").inner_text() or "appointment" in page.content()
    screenshot(page, "supervision-calendar")
    # The week of the third appointment, typed in the date boxes: that week starts on its Monday.
    third = next_weekday() + timedelta(days=14)  # type: ignore[operator]
    monday = third - timedelta(days=third.weekday())
    fill_date(page, "#week", third)
    page.click("#main-content button:has-text('Show')")
    assert (
        f"1 appointment in the week of {long_date(monday)}" in page.locator("#appointment-count").inner_text()
    )
    assert "Office appointment" in page.locator("#calendar").inner_text()
    assert page.input_value("#week_day") == str(monday.day)
    # A date that does not exist is named, and this week is shown meanwhile.
    page.fill("#week_day", "31")
    page.fill("#week_month", "2")
    page.click("#main-content button:has-text('Show')")
    assert page.title().startswith("Error: Calendar")
    assert "Week of must be a real date" in page.locator(".govuk-error-summary").inner_text()
    page.click(".govuk-error-summary a")
    assert page.evaluate("document.activeElement.id") == "week_day"
    screenshot(page, "supervision-calendar-wrong-week")


def test_unacceptable_absence_to_warning_to_breach(page, world: World) -> None:  # type: ignore[no-untyped-def]
    case = world.cases["own"]
    Offender.objects.filter(pk=case.pk).update(large_print=True, paper_colour="cream")
    first, second = past_appointment(case, 2), past_appointment(case, 1)
    # The further failure comes after the warning (given today, when the first is judged): earlier today.
    moment = timezone.now() - timedelta(minutes=20)
    if timezone.localtime(moment).date() != timezone.localdate():
        pytest.skip("too close to midnight for a failure after today's warning")
    Contact.objects.filter(pk=second.pk).update(starts_at=moment, ends_at=moment + timedelta(minutes=10))
    sign_in(page, "om", PASSWORD)
    page.goto(f"/supervision/contacts/{first.pk}/")
    choose(page, "outcome", "unacceptable_absence")
    page.check("#id_enforceable")
    page.click("button:has-text('Save outcome')")
    assert "A warning has been given" in page.content()
    assert page.locator("#warning-letter").get_attribute("data-large-print") == "yes"
    assert "unacceptable" in page.locator("#warning-letter").inner_text()
    screenshot(page, "supervision-warning-letter")
    assert EnforcementWarning.objects.filter(failure=first).exists()
    page.goto(f"/supervision/contacts/{second.pk}/")
    choose(page, "outcome", "failed_to_comply")
    page.check("#id_enforceable")
    page.click("button:has-text('Save outcome')")
    # Starting breach action is confirmed first; nothing is recorded until then.
    assert page.locator("h1").inner_text() == "This will start breach action"
    screenshot(page, "supervision-confirm-breach")
    assert not Breach.objects.exists()
    page.click("button:has-text('Confirm and start breach action')")
    assert "breach action must be taken" in page.content()
    fill_date(page, "#id_laid_before_court_on", timezone.localdate().isoformat())
    fill_date(page, "#id_hearing_date", (timezone.localdate() + timedelta(days=14)).isoformat())
    page.click("button:has-text('Save')")
    assert "Breach updated" in page.content()
    screenshot(page, "supervision-breach")
    assert Breach.objects.get().laid_before_court_on == timezone.localdate()
    page.goto(f"/cases/{case.crn}/enforcement/")
    assert page.locator("#compliance-status").inner_text() == "Breach in progress"
    screenshot(page, "supervision-case-breach-in-progress")


def test_recall_with_two_sign_offs(page, world: World) -> None:  # type: ignore[no-untyped-def]
    licence = make_case(world.area, world.staff["om"], kind=EventKind.LICENCE)
    sign_in(page, "om", PASSWORD)
    page.goto(f"/cases/{licence.crn}/enforcement/")
    page.click("text=Recommend recall")
    choose(page, "recall_type", "fixed_term")
    page.check("#id_emergency")
    page.fill("#id_reason", "Arrested for a further offence; address no longer approved.")
    page.click("button:has-text('Recommend')")
    assert page.locator("#recall-status").inner_text().startswith("Awaiting senior probation officer")
    sign_out(page)
    sign_in(page, "aco", PASSWORD)
    recommendation = RecallRecommendation.objects.get()
    page.goto(f"/supervision/recalls/{recommendation.pk}/")
    page.check("#id_decision")  # "Sign off this recommendation"
    page.click("button:has-text('Record my decision')")
    assert "must sign this recommendation off before" in page.locator(".govuk-error-summary").inner_text()
    screenshot(page, "supervision-recall-aco-first-refused")
    sign_out(page)
    sign_in(page, "spo", PASSWORD)
    page.goto(f"/supervision/recalls/{recommendation.pk}/")
    page.check("#id_decision")  # "Sign off this recommendation"
    page.click("button:has-text('Record my decision')")
    assert "Signed by" in page.locator("#spo-sign-off").inner_text()
    sign_out(page)
    sign_in(page, "aco", PASSWORD)
    page.goto(f"/supervision/recalls/{recommendation.pk}/")
    page.check("#id_decision")  # "Sign off this recommendation"
    page.click("button:has-text('Record my decision')")
    assert page.locator("#recall-status").inner_text() == "Signed off"
    screenshot(page, "supervision-recall-signed-off")
