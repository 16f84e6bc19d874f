"""Rules for interventions: the unpaid work ledger and who is alone in a programme group. Pure.

Figures from spec/domain.md (Interventions) and spec/national-standards.md (unpaid work row):
| unpaid work | order made | at least 6 hours a week offered; whole requirement completed within 12 months |
and "credited for skills for life (up to 20%)".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from oms.timescales.calendar import add_months

SKILLS_FOR_LIFE_CREDIT_SHARE = Decimal("0.20")  # domain.md: credited for skills for life, up to 20%
HOURS_TO_OFFER_EACH_WEEK = Decimal(6)  # NS unpaid work: at least 6 hours a week offered
COMPLETION_MONTHS = 12  # NS unpaid work / CJA 2003 s.200: completed within 12 months
COMPLETION_DUE_SOON_DAYS = 56  # shown as "due" in the last eight weeks


@dataclass(frozen=True)
class UnpaidWorkLedger:
    hours_ordered: Decimal
    offered: Decimal = Decimal(0)
    worked: Decimal = Decimal(0)
    stood_down: Decimal = Decimal(0)
    skills_for_life: Decimal = Decimal(0)

    @property
    def credited(self) -> Decimal:
        """Hours that count towards the order: worked and credited for skills for life."""
        return self.worked + self.skills_for_life

    @property
    def remaining(self) -> Decimal:
        return max(Decimal(0), self.hours_ordered - self.credited)

    @property
    def skills_for_life_limit(self) -> Decimal:
        return (self.hours_ordered * SKILLS_FOR_LIFE_CREDIT_SHARE).quantize(Decimal("0.1"))


def entry_refusal(ledger: UnpaidWorkLedger, kind: str, hours: Decimal) -> str | None:
    """Why these hours cannot be recorded, or None. Kinds are UnpaidWorkEntryKind codes."""
    if hours <= 0:
        return "Enter a number of hours greater than 0"
    if kind == "worked" and ledger.credited + hours > ledger.hours_ordered:
        return (
            f"{_hours(hours)} hours worked would take the total beyond the {_hours(ledger.hours_ordered)} "
            f"hours ordered: only {_hours(ledger.remaining)} hours remain"
        )
    if kind == "skills_for_life":
        if ledger.skills_for_life + hours > ledger.skills_for_life_limit:
            return (
                f"Skills for life can be credited for at most 20% of the hours ordered "
                f"({_hours(ledger.skills_for_life_limit)} hours); {_hours(ledger.skills_for_life)} are already credited"
            )
        if ledger.credited + hours > ledger.hours_ordered:
            return f"Only {_hours(ledger.remaining)} hours of the order remain"
    return None


def _hours(value: Decimal) -> str:
    return f"{value.normalize():f}"


def completion_due(order_date: date) -> date:
    return add_months(order_date, COMPLETION_MONTHS)


def completion_status(order_date: date, ledger: UnpaidWorkLedger, as_of: date) -> str:
    """ "completed", "overdue", "due" (within eight weeks) or "in progress"."""
    if ledger.remaining == 0:
        return "completed"
    due = completion_due(order_date)
    if as_of > due:
        return "overdue"
    if (due - as_of).days <= COMPLETION_DUE_SOON_DAYS:
        return "due"
    return "in progress"


def weeks_below_offer(order_date: date, offers: list[tuple[date, Decimal]], as_of: date) -> list[date]:
    """The Mondays of the complete weeks since the order in which fewer than 6 hours were offered."""
    first_monday = order_date - timedelta(days=order_date.weekday()) + timedelta(weeks=1)
    this_monday = as_of - timedelta(days=as_of.weekday())
    totals: dict[date, Decimal] = {}
    for day, hours in offers:
        monday = day - timedelta(days=day.weekday())
        totals[monday] = totals.get(monday, Decimal(0)) + hours
    short = []
    monday = first_monday
    while monday < this_monday:
        if totals.get(monday, Decimal(0)) < HOURS_TO_OFFER_EACH_WEEK:
            short.append(monday)
        monday += timedelta(weeks=1)
    return short


# ---------------------------------------------------------------- programme groups

# The census headings of the 16+1 ethnicity codes (the first letter of the code); "Z" (not stated) is
# nobody's group, so nobody is alone in it.
ETHNIC_HEADINGS = {
    "W": "White",
    "M": "Mixed",
    "A": "Asian or Asian British",
    "B": "Black or Black British",
    "O": "Chinese or other ethnic group",
}
FEMALE = "female"


@dataclass(frozen=True)
class GroupMember:
    gender: str
    ethnicity_code: str = ""

    @property
    def ethnic_heading(self) -> str:
        return ETHNIC_HEADINGS.get(self.ethnicity_code[:1], "")


def isolation_in_group(person: GroupMember, others: list[GroupMember]) -> list[str]:
    """How the person would be alone in the group (the report found consent missing in 3 of 5 cases)."""
    if not others:
        return []
    reasons = []
    if person.gender == FEMALE and all(other.gender != FEMALE for other in others):
        reasons.append("the only woman")
    heading = person.ethnic_heading
    if heading and all(other.ethnic_heading != heading for other in others):
        reasons.append(f"the only person of their ethnic group ({heading})")
    return reasons
