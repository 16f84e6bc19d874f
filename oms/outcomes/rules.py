"""Outcomes of the work with a case, computed from its records (report criteria 3.1 and 3.2). Pure.

The report's figures are the shape: "OASys had been rescored in 63% of cases. Where it had been
undertaken, there had been no improvement in two thirds of cases ... 51% of offenders had made progress
in tackling their highest priority factor" (3.2 (d)); "no cases where the interventions delivered
resulted in the offender appropriately moving to a lower tier. None of the 17 cases managed by the
MAPPAs had moved to a lower level" (3.2 (a)); "42% of offenders who started a skills for life course
achieved an award" (3.1 (e)); and the profile of factors linked to offending ("thinking and behaviour,
affecting 71 cases in the sample, followed by ETE (50 cases) ...").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum

from oms.risk.needs import NEED_SCORING, CriminogenicNeed, severity


class Movement(Enum):
    DOWN = "down"
    SAME = "same"
    UP = "up"


class NeedTrend(Enum):
    IMPROVED = "improved"
    SAME = "same"
    WORSE = "worse"


@dataclass(frozen=True)
class NeedScore:
    score: int | None
    linked_to_offending: bool


NeedScores = Mapping[CriminogenicNeed, NeedScore]


def need_scores(payload: Mapping[str, object]) -> dict[CriminogenicNeed, NeedScore]:
    """The ``needs`` JSON of a likelihood-of-reoffending assessment, read for these rules."""
    scores = {}
    for need in CriminogenicNeed:
        entry = payload.get(need.value)
        entry = entry if isinstance(entry, Mapping) else {}
        score = entry.get("score")
        scores[need] = NeedScore(
            score if isinstance(score, int) and not isinstance(score, bool) else None,
            bool(entry.get("linked_to_offending")),
        )
    return scores


@dataclass(frozen=True)
class NeedChange:
    need: CriminogenicNeed
    first: int | None
    latest: int | None

    @property
    def trend(self) -> NeedTrend | None:
        """A lower section score is an improvement; None where either assessment left it unscored."""
        if self.first is None or self.latest is None:
            return None
        if self.latest < self.first:
            return NeedTrend.IMPROVED
        if self.latest > self.first:
            return NeedTrend.WORSE
        return NeedTrend.SAME


def _priority_key(need: CriminogenicNeed, score: NeedScore) -> tuple[int, int, int]:
    points = NEED_SCORING[need].tier_2021_weight * severity(need, score.score or 0).points
    # Weighted severity first (the tier's own weighing), then the raw score, then OASys order.
    return (points, score.score or 0, -need.oasys_section)


def highest_priority_need(scores: NeedScores) -> CriminogenicNeed | None:
    """The factor linked to offending that weighs most at the first assessment; None if none is linked."""
    linked = [(need, s) for need, s in scores.items() if s.linked_to_offending and s.score is not None]
    if not linked:
        return None
    return max(linked, key=lambda item: _priority_key(*item))[0]


@dataclass(frozen=True)
class NeedsProgress:
    """One case: how its needs moved between the first and the latest assessment."""

    rescored: bool
    changes: tuple[NeedChange, ...]  # every need section, in OASys order
    linked: frozenset[CriminogenicNeed]  # the factors linked to offending at the first assessment
    priority_need: CriminogenicNeed | None

    @property
    def improved(self) -> bool:
        """Any factor linked to offending at the first assessment scored lower at the latest."""
        return any(c.need in self.linked and c.trend == NeedTrend.IMPROVED for c in self.changes)

    @property
    def priority_progress(self) -> bool | None:
        if not self.rescored or self.priority_need is None:
            return None
        change = next(c for c in self.changes if c.need == self.priority_need)
        return change.trend == NeedTrend.IMPROVED


def needs_progress(first: NeedScores | None, latest: NeedScores | None) -> NeedsProgress | None:
    """None when the case has no assessment; ``latest`` is None (or the first) when not rescored."""
    if first is None:
        return None
    rescored = latest is not None
    later = latest if latest is not None else first
    linked = frozenset(need for need in CriminogenicNeed if first[need].linked_to_offending)
    changes = tuple(NeedChange(need, first[need].score, later[need].score) for need in CriminogenicNeed)
    return NeedsProgress(rescored, changes, linked, highest_priority_need(first))


_TIER_2021_PROTECT = {"D": 1, "C": 2, "B": 3, "A": 4}


def tier_intensity(tier: str) -> tuple[int, int]:
    """NOMS 2005 tiers 1-4 (4 most intensive); HMPPS 2021 protect level A-D then change level 0-3."""
    if tier.isdigit():
        return (int(tier), 0)
    return (_TIER_2021_PROTECT.get(tier[:1], 0), int(tier[1:]) if tier[1:].isdigit() else 0)


def movement(first: int | tuple[int, int] | None, latest: int | tuple[int, int] | None) -> Movement | None:
    if first is None or latest is None:
        return None
    if latest < first:  # type: ignore[operator]
        return Movement.DOWN
    if latest > first:  # type: ignore[operator]
        return Movement.UP
    return Movement.SAME


def tier_movement(first: str | None, latest: str | None) -> Movement | None:
    if not first or not latest:
        return None
    return movement(tier_intensity(first), tier_intensity(latest))


@dataclass(frozen=True)
class Share:
    """x of n, with the percentage the report prints (whole, half up); None when n is 0."""

    count: int
    of: int

    @property
    def percent(self) -> int | None:
        if not self.of:
            return None
        return int(100 * self.count / self.of + 0.5)

    def as_json(self) -> dict[str, int | None]:
        return {"count": self.count, "of": self.of, "percent": self.percent}


@dataclass(frozen=True)
class NeedsSummary:
    """The area's (or a sample's) needs outcomes, as report 3.2 (d) gives them."""

    assessed: int
    rescored: Share
    no_improvement: Share
    priority_progress: Share
    change_by_need: dict[CriminogenicNeed, dict[NeedTrend, int]] = field(default_factory=dict)


def summarise_needs(progress: Iterable[NeedsProgress | None]) -> NeedsSummary:
    cases = [p for p in progress if p is not None]
    rescored = [p for p in cases if p.rescored]
    with_priority = [p for p in rescored if p.priority_progress is not None]
    by_need: dict[CriminogenicNeed, dict[NeedTrend, int]] = {
        need: {trend: 0 for trend in NeedTrend} for need in CriminogenicNeed
    }
    for case in rescored:
        for change in case.changes:
            if change.trend is not None:
                by_need[change.need][change.trend] += 1
    return NeedsSummary(
        assessed=len(cases),
        rescored=Share(len(rescored), len(cases)),
        no_improvement=Share(sum(1 for p in rescored if not p.improved), len(rescored)),
        priority_progress=Share(sum(1 for p in with_priority if p.priority_progress), len(with_priority)),
        change_by_need=by_need,
    )


def needs_profile(latest: Iterable[NeedScores]) -> dict[CriminogenicNeed, int]:
    """How many cases have each factor linked to offending, most common first (report 3.2 (d))."""
    counts = {need: 0 for need in CriminogenicNeed}
    for scores in latest:
        for need, score in scores.items():
            if score.linked_to_offending:
                counts[need] += 1
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0].oasys_section)))


def movement_counts(movements: Iterable[Movement | None]) -> dict[str, int]:
    counts = {m.value: 0 for m in Movement}
    for m in movements:
        if m is not None:
            counts[m.value] += 1
    return counts
