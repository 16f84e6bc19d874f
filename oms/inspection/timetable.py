"""The inspection's timetable (the report's Appendix 2) and the dates a published report states.

Pure: dates in, dates out. Appendix 2: "Summary verbal feedback is given to the area at the end of the
inspection week. A draft report is sent to the area for comment four to six weeks later. Publication
follows approximately 12 weeks after inspection." The improvement plan is "needed four weeks after
publication". A published report states the day its Appendix 1 counts the caseload ("Caseload at end of
September 2006": the month end before fieldwork) and the period of its performance table (the
financial year to date, as the report's "April-December 2006").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from oms.inspection.programme import DRAFT_WEEKS, IMPROVEMENT_PLAN_WEEKS, PUBLICATION_WEEKS

# Appendix 2's figures are defined once, with HMI Probation's programme (oms/inspection/programme.py).
DRAFT_FROM_WEEKS, DRAFT_BY_WEEKS = DRAFT_WEEKS
# The NPS performance year starts in April (the report's table: "April-December 2006").
FINANCIAL_YEAR_FIRST_MONTH = 4
# A step of the timetable is reminded this many days before it is due.
REMINDER_DAYS = 7


@dataclass(frozen=True)
class TimetableStep:
    key: str
    label: str
    due: date
    due_by: date | None = None  # a window's last day (the draft: four to six weeks)
    done_on: date | None = None

    @property
    def last_day(self) -> date:
        return self.due_by or self.due

    def state(self, today: date) -> str:
        """done, overdue, due soon (within REMINDER_DAYS of its last day) or to come."""
        if self.done_on is not None:
            return "done"
        if today > self.last_day:
            return "overdue"
        if today >= self.last_day - timedelta(days=REMINDER_DAYS):
            return "due soon"
        return "to come"


def month_end_before(day: date) -> date:
    """The last day of the month before ``day``'s month."""
    return day.replace(day=1) - timedelta(days=1)


def financial_year_start(day: date) -> date:
    year = day.year if day.month >= FINANCIAL_YEAR_FIRST_MONTH else day.year - 1
    return date(year, FINANCIAL_YEAR_FIRST_MONTH, 1)


def caseload_date(fieldwork_start: date) -> date:
    """Appendix 1's stated day: the end of the month before fieldwork began."""
    return month_end_before(fieldwork_start)


def performance_period(published_on: date) -> tuple[date, date]:
    """The performance table's period: the financial year to the end of the month before publication.

    Publishing in April or May still reports a whole month: the period never ends before it starts.
    """
    end = month_end_before(published_on)
    return financial_year_start(end), end


def timetable(
    fieldwork_end: date,
    published_on: date | None,
    *,
    draft_sent_on: date | None = None,
    plan_submitted_on: date | None = None,
) -> list[TimetableStep]:
    """Feedback, draft, publication and improvement plan, each with its date (Appendix 2).

    Feedback is given at the end of fieldwork, so it counts as done once the draft is sent.
    """
    expected_publication = fieldwork_end + timedelta(weeks=PUBLICATION_WEEKS)
    plan_base = published_on or expected_publication
    return [
        TimetableStep(
            "feedback",
            "Summary verbal feedback to the area",
            fieldwork_end,
            done_on=fieldwork_end if (draft_sent_on or published_on) else None,
        ),
        TimetableStep(
            "draft",
            "Draft report sent to the area for comment",
            fieldwork_end + timedelta(weeks=DRAFT_FROM_WEEKS),
            fieldwork_end + timedelta(weeks=DRAFT_BY_WEEKS),
            done_on=draft_sent_on or published_on,
        ),
        TimetableStep("publication", "Publication", expected_publication, done_on=published_on),
        TimetableStep(
            "improvement_plan",
            "Improvement plan addressing the recommendations",
            plan_base + timedelta(weeks=IMPROVEMENT_PLAN_WEEKS),
            done_on=plan_submitted_on,
        ),
    ]
