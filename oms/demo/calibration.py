"""What the demo area is calibrated to, and the steady flows that get it there.

The report's criterion 4.2 table gives Northamptonshire's April-December 2006 performance (the
"Area" column). The demo's history is written by following the rules with a compliance rate set for
each measure, so that measuring the records over that period gives the report's figure: a 2007-dated
area (`oms seed --as-of 2007-02-15`) measured from 2006-04-01 to 2006-12-31 lands within tolerance
of the table, whatever the seed.

A random draw per record is too noisy for that (a count of 60 varies by 13% from seed to seed), so
the demo uses two tools here: a **steady flow** (dates spaced evenly at an annual rate, so any period
holds the rate's share of them, give or take one) and a **quota** (a yes/no sequence whose running
share never strays more than one item from the rate, so any run of records in date order meets it).
Which records get which date is still chosen by each app's seeded generator.
"""

from __future__ import annotations

import heapq
import random
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from math import floor

# The report's criterion 4.2 table, "April-December 2006", column "Area" (measure keys of
# oms/performance/measures.py). Sickness and breach resolution are days; the rest per cent.
REPORT_PERIOD = (date(2006, 4, 1), date(2006, 12, 31))
REPORT_AS_OF = date(2007, 2, 15)  # the inspection's fieldwork month
REPORT_AREA_COLUMN: dict[str, Decimal] = {
    "breach_within_ten_working_days": Decimal(85),
    "compliance_first_26_weeks": Decimal(82),
    "programme_completions": Decimal(105),
    "unpaid_work_completions": Decimal(123),
    "drr_starts": Decimal(98),
    "drr_completions": Decimal(97),
    "skills_for_life_starts": Decimal(112),
    "sickness_absence": Decimal(11),
    "court_report_timeliness": Decimal(90),
    "ethnicity_data": Decimal(98),
    "minority_ethnic_staff": Decimal("11.1"),
    "victim_contact_within_eight_weeks": Decimal(98),
    "roh_high_within_five_working_days": Decimal(99),
    "roh_ppo_within_five_working_days": Decimal(97),
    "into_employment": Decimal(164),
    "employment_retained_four_weeks": Decimal(97),
    "breach_resolution_average_days": Decimal(39),
    "breaches_resolved_within_25_working_days": Decimal(51),
}
# The report's status for each (an asterisk is "met target or near miss"; the two in days missed).
REPORT_STATUS: dict[str, str] = {
    key: "near_miss"
    for key in (
        "breach_within_ten_working_days",
        "compliance_first_26_weeks",
        "drr_starts",
        "drr_completions",
        "employment_retained_four_weeks",
    )
} | {key: "missed" for key in ("sickness_absence", "breach_resolution_average_days")}
REPORT_STATUS = {key: REPORT_STATUS.get(key, "met") for key in REPORT_AREA_COLUMN}
DAY_TOLERANCE = {"sickness_absence": Decimal(1), "breach_resolution_average_days": Decimal(3)}
PERCENT_TOLERANCE = Decimal(5)
ABOVE_TARGET_NUMBER_TOLERANCE = Decimal(10)  # "% of target" measures above 100


def tolerance(key: str) -> Decimal:
    """How far the demo's figure may be from the report's (issue 10's calibration targets)."""
    if key in DAY_TOLERANCE:
        return DAY_TOLERANCE[key]
    if REPORT_AREA_COLUMN[key] > 100:
        return ABOVE_TARGET_NUMBER_TOLERANCE
    return PERCENT_TOLERANCE


# Annual target numbers for the measures judged "against the area's target number" (demo figures of
# the size an area of 2,338 cases was set in 2006/07; the performance enricher stores them).
DEMO_ANNUAL_COUNTS = {
    "programme_completions": 90,
    "unpaid_work_completions": 260,
    "drr_starts": 200,
    "drr_completions": 100,
    "skills_for_life_starts": 160,
    "into_employment": 150,
    "employment_retained_four_weeks": 150,
}

# What each generator aims at: the report's figure, moved inside the status band where the band is
# narrow (a near miss is 85-90 for a 90% target: aim at its middle, not at its edge).
AIM: dict[str, Decimal] = {
    **REPORT_AREA_COLUMN,
    "breach_within_ten_working_days": Decimal("87.5"),
    "compliance_first_26_weeks": Decimal("82.5"),
    "programme_completions": Decimal(107),
    "drr_starts": Decimal("97.5"),
    "drr_completions": Decimal("97.5"),
    "court_report_timeliness": Decimal("92.5"),
    "employment_retained_four_weeks": Decimal("97.5"),
    "roh_high_within_five_working_days": Decimal("98.5"),
    "breaches_resolved_within_25_working_days": Decimal(53),
}


def share(key: str) -> float:
    """The aim of a percentage measure as a share (0.875 for 87.5%)."""
    return float(AIM[key]) / 100


def per_year(key: str) -> float:
    """How many a year the demo writes for a measure against a target number."""
    return DEMO_ANNUAL_COUNTS[key] * float(AIM[key]) / 100


def steady_days(rng: random.Random, a_year: float, first: date, last: date) -> list[date]:
    """Dates from first to last at `a_year` a year, evenly spaced from a random phase.

    Any period holds its share of the year's number, give or take one.
    """
    if a_year <= 0 or last < first:
        return []
    spacing = 365 / a_year
    days, offset = [], rng.random() * spacing
    span = (last - first).days
    while offset <= span:
        days.append(first + timedelta(days=floor(offset)))
        offset += spacing
    return days


class Quota:
    """Yes for `rate` of the calls: over any run of calls the yes count is within one of rate x run."""

    def __init__(self, rate: float, rng: random.Random) -> None:
        self.rate = rate
        self.level = rng.random()

    def __call__(self) -> bool:
        before = floor(self.level)
        self.level += self.rate
        return floor(self.level) > before


class Spread:
    """Fractions in [0, 1) that cover the interval evenly over any run (golden-ratio sequence), so a
    value drawn from a distribution through them has the distribution's mean over any run."""

    GOLDEN = 0.6180339887498949

    def __init__(self, rng: random.Random) -> None:
        self.value = rng.random()

    def __call__(self) -> float:
        self.value = (self.value + self.GOLDEN) % 1.0
        return self.value


@dataclass(frozen=True)
class Candidate:
    key: int  # the record (a requirement, a person) that would take the slot
    earliest: date
    latest: date


def fill_slots(slots: Iterable[date], candidates: Iterable[Candidate], rng: random.Random) -> dict[int, date]:
    """Give each dated slot to a candidate whose window holds it (earliest deadline first).

    Returns candidate key -> its slot; a slot no candidate can take stays empty.
    """
    pool = sorted(candidates, key=lambda c: (c.earliest, rng.random()))
    waiting: list[tuple[date, float, Candidate]] = []
    chosen: dict[int, date] = {}
    index = 0
    for slot in sorted(slots):
        while index < len(pool) and pool[index].earliest <= slot:
            heapq.heappush(waiting, (pool[index].latest, rng.random(), pool[index]))
            index += 1
        while waiting and waiting[0][0] < slot:
            heapq.heappop(waiting)
        if waiting:
            chosen[heapq.heappop(waiting)[2].key] = slot
    return chosen
