"""Countersigning rules, free of Django: who must countersign, when the wait is overdue, and on which
days a named deputy may countersign for a team.

`countersigning.py` applies them to the stored documents, the queue and the deputies; keeping the
figures and comparisons here lets them be tested (and mutation-tested) without a database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

# spec/national-standards.md: "countersignature of an assessment or plan | submitted for
# countersigning | 5 WD (flag any that take longer; the report found 2-3 months)".
COUNTERSIGNING_WORKING_DAYS = 5


@dataclass(frozen=True)
class CountersigningConfig:
    """Which work needs a countersignature. spec: "where countersigning is required (high/very high
    RoH, PSO authors, TPOs)"; an area may change either list (`CountersigningPolicy`)."""

    risk_of_harm_levels: frozenset[str] = frozenset({"high", "very_high"})
    author_grades: frozenset[str] = frozenset({"PSO", "TPO"})


DEFAULT_COUNTERSIGNING_CONFIG = CountersigningConfig()


def countersigning_required(
    author_grade: str,
    risk_of_harm_level: str | None,
    config: CountersigningConfig = DEFAULT_COUNTERSIGNING_CONFIG,
) -> bool:
    """Whether a manager must countersign work by an author of this grade on a case at this level."""
    return author_grade in config.author_grades or (
        risk_of_harm_level is not None and risk_of_harm_level in config.risk_of_harm_levels
    )


def countersigning_overdue(working_days_waiting: int) -> bool:
    """Whether work waiting so many working days since its first submission is late: the 5th working
    day is still within the standard ("flag any that take longer"), the 6th is not."""
    return working_days_waiting > COUNTERSIGNING_WORKING_DAYS


def deputy_in_post(valid_from: date, valid_until: date | None, on: date) -> bool:
    """Whether a deputy named from `valid_from` until `valid_until` (both days included; no end date:
    until further notice) may countersign on the day `on`."""
    return valid_from <= on and (valid_until is None or on <= valid_until)
