"""Enforcement of community orders: warning or breach, under CJA 2003 Schedule 8.

Schedule 8 paragraph 5: for an unacceptable failure to comply the responsible officer must give a
warning, unless a warning has already been given within the previous twelve months; paragraph 6: a
further unacceptable failure within the twelve months beginning with the day of a warning must be
taken back to court (breach). Acceptable absences never count. `spec/national-standards.md`
("Enforcement") times these actions; the deadlines are worked out elsewhere, from the decision here.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import Enum

from oms.calculation_errors import CalculatorInputError

INVALID_INPUT = "INVALID_INPUT"

WARNING_PERIOD_MONTHS = 12  # CJA 2003 Sch 8 para 5(1)(b) and para 6(1): "twelve months"


def add_months(day: date, months: int) -> date:
    """The same day so many months later (or earlier); 29 February becomes the 28th in other years."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def within_warning_period(warning_date: date, failure_date: date) -> bool:
    """Whether a failure falls in the twelve months beginning with the day of the warning
    (the warning's day itself included, its anniversary not)."""
    return warning_date <= failure_date < add_months(warning_date, WARNING_PERIOD_MONTHS)


@dataclass(frozen=True)
class FailureToComply:
    """A recorded failure (missed appointment or failure to comply) and how it was judged."""

    date: date
    acceptable: bool


@dataclass(frozen=True)
class Breach:
    """Breach action on the order: initiated (laid) on a date, resolved by the court on a later one."""

    initiated: date
    resolved: date | None = None

    def in_progress_on(self, day: date) -> bool:
        return self.initiated <= day and (self.resolved is None or self.resolved > day)


@dataclass(frozen=True)
class EnforcementHistory:
    failures: tuple[FailureToComply, ...] = ()
    warnings: tuple[date, ...] = ()
    breaches: tuple[Breach, ...] = ()


class EnforcementAction(Enum):
    NO_ACTION = "no_action"
    WARNING = "warning"
    BREACH = "breach"
    # A breach already before the court: the new failure is added to it, not a second breach.
    ADD_TO_BREACH_IN_PROGRESS = "add_to_breach_in_progress"

    @property
    def label(self) -> str:
        return {
            EnforcementAction.NO_ACTION: "No enforcement action",
            EnforcementAction.WARNING: "Give a warning",
            EnforcementAction.BREACH: "Take breach action",
            EnforcementAction.ADD_TO_BREACH_IN_PROGRESS: "Add to the breach in progress",
        }[self]


@dataclass(frozen=True)
class EnforcementDecision:
    action: EnforcementAction
    reason: str
    warning_relied_on: date | None = None


def enforcement_action(failure: FailureToComply, history: EnforcementHistory) -> EnforcementDecision:
    """What a newly recorded failure calls for, with the reason in words for the case page.

    Only warnings matter for the choice between warning and breach (that is the statute's test); the
    earlier failures themselves decide nothing, because each unacceptable one already produced its own
    warning or breach.
    """
    if failure.acceptable:
        return EnforcementDecision(
            EnforcementAction.NO_ACTION, "The absence was judged acceptable, so it does not count."
        )
    if any(breach.in_progress_on(failure.date) for breach in history.breaches):
        return EnforcementDecision(
            EnforcementAction.ADD_TO_BREACH_IN_PROGRESS,
            "A breach is already in progress: add this failure to it.",
        )
    recent_warnings = [w for w in history.warnings if within_warning_period(w, failure.date)]
    if recent_warnings:
        latest = max(recent_warnings)
        return EnforcementDecision(
            EnforcementAction.BREACH,
            f"A further unacceptable failure within 12 months of the warning given on "
            f"{latest.day} {latest:%B %Y}: breach action must be taken.",
            warning_relied_on=latest,
        )
    return EnforcementDecision(
        EnforcementAction.WARNING,
        "The first unacceptable failure in 12 months: a warning must be given.",
    )


@dataclass(frozen=True)
class ComplianceStatus:
    breach_in_progress: bool
    unacceptable_failures_in_last_12_months: int

    @property
    def text(self) -> str:
        if self.breach_in_progress:
            return "Breach in progress"
        count = self.unacceptable_failures_in_last_12_months
        if count == 0:
            return "Complying"
        return f"{count} failure{'s' if count != 1 else ''} to comply within 12 months"


def compliance_status(history: EnforcementHistory, as_of: date) -> ComplianceStatus:
    """The compliance line of the case page: a breach in progress, else the count of unacceptable
    failures in the twelve months up to and including `as_of`, else "Complying"."""
    window_start = add_months(as_of, -WARNING_PERIOD_MONTHS)
    count = sum(
        1 for failure in history.failures if not failure.acceptable and window_start < failure.date <= as_of
    )
    in_progress = any(breach.in_progress_on(as_of) for breach in history.breaches)
    return ComplianceStatus(in_progress, count)


def history_of(
    failures: Iterable[FailureToComply] = (), warnings: Iterable[date] = (), breaches: Iterable[Breach] = ()
) -> EnforcementHistory:
    """Build a history, refusing a breach resolved before it was initiated."""
    breaches = tuple(breaches)
    bad = [
        f"breaches[{i}].resolved" for i, b in enumerate(breaches) if b.resolved and b.resolved < b.initiated
    ]
    if bad:
        raise CalculatorInputError(INVALID_INPUT, "A breach cannot be resolved before it was initiated.", bad)
    return EnforcementHistory(tuple(failures), tuple(warnings), breaches)
