"""Choosing the cases an inspection reads: the report's OMI sample and the later stratified sampler.

Both methods are reproducible from a seed (``random.Random(seed)`` over candidates put in CRN order,
so the database's row order cannot change a sample) and both record every adjustment they make: an
inspector must be able to defend why each case is in the sample and why others are not.

``calculate_sample_sizes`` is the proportional split on its own, the ``oms calc sample-sizes``
calculator; the stratified sampler uses the same arithmetic at every level.
"""

from __future__ import annotations

import calendar
import random
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Any

from oms.calculation_errors import CalculatorInputError
from oms.inspection.scoring import round_half_up
from oms.risk.levels import RiskOfHarmLevel
from oms.timescales.date_rules import long_date

SAMPLING_INVALID = "sampling_invalid"
SAMPLE_SIZES_INVALID = "sample_sizes_invalid"

# spec "Sampling" 1 (Appendix 2): "a random sample of about 100 offenders".
OMI_DEFAULT_SIZE = 100
# spec "Sampling" 1: "sentence or release 4 to 8 months before the sample date".
OMI_DEFAULT_WINDOW_MONTHS = (4, 8)
# spec "Sampling" 1: minima "high/very high RoH, PPO, approved premises residents, statutory victim
# contact, black and minority ethnic offenders (defaults 12, 10, 3, 10, 10; configurable)".
OMI_DEFAULT_MINIMA: Mapping[str, int] = {
    "high_roh": 12,
    "ppo": 10,
    "approved_premises": 3,
    "statutory_victim_contact": 10,
    "minority_ethnic": 10,
}
# spec "Sampling" 1: "About a third of sampled cases are assigned to area assessors".
DEFAULT_ASSESSOR_SHARE = Fraction(1, 3)
# spec "Sampling" 2: "buffer = round(base x buffer% / 100) (default buffer 20%)".
DEFAULT_BUFFER_PERCENT = 20
# spec "Sampling" 2: "no officer holds more than 6 sampled cases across the whole sample".
DEFAULT_OFFICER_CAP = 6
# spec "Sampling" 2: "a `*` in either name" marks a redacted case.
REDACTION_MARK = "*"

ASSESSOR_INSPECTOR = "inspector"
ASSESSOR_AREA = "area_assessor"


class EventKind(StrEnum):
    COMMUNITY = "community"
    LICENCE = "licence"
    CUSTODY = "custody"


class Gender(StrEnum):
    MALE = "male"
    FEMALE = "female"
    OTHER = "other"


class Stratum(StrEnum):
    """spec "Sampling" 2, Strata, in the spec's order (which is also the row-numbering order)."""

    FEMALE = "female"
    MALE_COMMUNITY_LOW = "male_community_low"
    MALE_COMMUNITY_NON_LOW = "male_community_non_low"
    MALE_POST_CUSTODY_LOW = "male_post_custody_low"
    MALE_POST_CUSTODY_NON_LOW = "male_post_custody_non_low"


_GENDER_ALIASES = {"m": Gender.MALE, "f": Gender.FEMALE}
_HIGH_LEVELS = (RiskOfHarmLevel.HIGH, RiskOfHarmLevel.VERY_HIGH)


def _coerce_enum(
    enum_type: Any, value: Any, field_name: str, aliases: Mapping[str, Any] | None = None
) -> Any:
    if value is None or isinstance(value, enum_type):
        return value
    if isinstance(value, str):
        key = value.strip().lower().replace(" ", "_").replace("-", "_")
        if aliases and key in aliases:
            return aliases[key]
        try:
            return enum_type(key)
        except ValueError:
            pass
    allowed = ", ".join(member.value for member in enum_type)
    raise CalculatorInputError(
        SAMPLING_INVALID, f"{field_name}: {value!r} is not one of {allowed}", [field_name]
    )


@dataclass(frozen=True)
class SamplingCandidate:
    """One case that may be sampled, with what both methods need to know about it.

    Strings given for the enum fields are read as their values ("very high" reads as very_high) so a
    JSON export can be fed straight in. A missing ``risk_of_harm_level`` (no screening yet) counts as
    not high and, for stratification, as low: the spec's "non-low" is medium, high or very high.
    """

    crn: str
    first_name: str
    family_name: str
    date_of_birth: date | None
    pnc: str | None
    gender: Gender | None
    start_date: date
    event_kind: EventKind
    risk_of_harm_level: RiskOfHarmLevel | None
    officer: str
    unit: str
    cluster: str
    is_ppo: bool = False
    in_approved_premises: bool = False
    statutory_victim_contact: bool = False
    is_minority_ethnic: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "gender", _coerce_enum(Gender, self.gender, "gender", _GENDER_ALIASES))
        object.__setattr__(self, "event_kind", _coerce_enum(EventKind, self.event_kind, "event_kind"))
        object.__setattr__(
            self,
            "risk_of_harm_level",
            _coerce_enum(RiskOfHarmLevel, self.risk_of_harm_level, "risk_of_harm_level"),
        )
        if self.event_kind is None:
            raise CalculatorInputError(SAMPLING_INVALID, "event_kind: missing", ["event_kind"])

    @property
    def is_high_risk_of_harm(self) -> bool:
        return self.risk_of_harm_level in _HIGH_LEVELS


_CANDIDATE_REQUIRED = (
    "crn",
    "first_name",
    "family_name",
    "start_date",
    "event_kind",
    "officer",
    "unit",
    "cluster",
)
_CANDIDATE_FLAGS = ("is_ppo", "in_approved_premises", "statutory_victim_contact", "is_minority_ethnic")
_CANDIDATE_OPTIONAL = ("date_of_birth", "pnc", "gender", "risk_of_harm_level", *_CANDIDATE_FLAGS)


def candidates_from_json(items: Any) -> list[SamplingCandidate]:
    """Build candidates from JSON-like dicts (dates as ISO strings), naming every bad field at once."""
    if not isinstance(items, list):
        raise CalculatorInputError(SAMPLING_INVALID, "candidates: must be a list", ["candidates"])
    problems: list[tuple[str, str]] = []
    candidates: list[SamplingCandidate] = []
    for index, item in enumerate(items):
        path = f"candidates[{index}]"
        if not isinstance(item, Mapping):
            problems.append((path, "must be an object"))
            continue
        item_problems: list[tuple[str, str]] = []
        values: dict[str, Any] = {}
        for key in item:
            if key not in _CANDIDATE_REQUIRED and key not in _CANDIDATE_OPTIONAL:
                item_problems.append((f"{path}.{key}", "unknown key"))
        for key in (*_CANDIDATE_REQUIRED, *_CANDIDATE_OPTIONAL):
            value = item.get(key)
            if value in (None, ""):
                if key in _CANDIDATE_REQUIRED:
                    item_problems.append((f"{path}.{key}", "missing"))
                values[key] = False if key in _CANDIDATE_FLAGS else None
            elif key in ("start_date", "date_of_birth"):
                try:
                    values[key] = value if isinstance(value, date) else date.fromisoformat(str(value))
                except ValueError:
                    item_problems.append((f"{path}.{key}", f"not a date: {value!r}"))
            elif key in _CANDIDATE_FLAGS and not isinstance(value, bool):
                item_problems.append((f"{path}.{key}", "must be true or false"))
            else:
                values[key] = value
        if not item_problems:
            try:
                candidates.append(SamplingCandidate(**values))
            except CalculatorInputError as error:
                item_problems.extend((f"{path}.{name}", error.message) for name in error.fields)
        problems.extend(item_problems)
    if problems:
        raise CalculatorInputError(
            SAMPLING_INVALID,
            "candidates: " + "; ".join(f"{p}: {m}" for p, m in problems),
            [p for p, _ in problems],
        )
    return candidates


# ---------------------------------------------------------------------------------------------------
# Shared helpers


def months_before(day: date, months: int) -> date:
    """The same day of the month ``months`` earlier, clamped to the month's end (31 Aug -> 30 Apr)."""
    index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _person_keys(candidate: SamplingCandidate) -> list[tuple[str, ...]]:
    keys: list[tuple[str, ...]] = []
    if candidate.pnc and candidate.pnc.strip():
        keys.append(("pnc", candidate.pnc.strip().upper()))
    if candidate.date_of_birth is not None and candidate.first_name.strip() and candidate.family_name.strip():
        keys.append(
            (
                "name",
                candidate.first_name.strip().casefold(),
                candidate.family_name.strip().casefold(),
                candidate.date_of_birth.isoformat(),
            )
        )
    return keys


def group_same_person(candidates: Sequence[SamplingCandidate]) -> list[list[int]]:
    """Indices of cases that are the same person: equal PNC, or equal first name, family name and DOB.

    Linked transitively (A shares a PNC with B, B a name and DOB with C: one person). Each group is in
    list order; groups are ordered by their first index.
    """
    parent = list(range(len(candidates)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_with_key: dict[tuple[str, ...], int] = {}
    for index, candidate in enumerate(candidates):
        for key in _person_keys(candidate):
            if key in first_with_key:
                a, b = find(first_with_key[key]), find(index)
                if a != b:
                    parent[max(a, b)] = min(a, b)
            else:
                first_with_key[key] = index
    groups: dict[int, list[int]] = {}
    for index in range(len(candidates)):
        groups.setdefault(find(index), []).append(index)
    return [groups[root] for root in sorted(groups)]


def _earliest(candidates: Sequence[SamplingCandidate], indices: list[int]) -> int:
    """A person's earliest case; ties go to the first in the list."""
    return min(indices, key=lambda i: (candidates[i].start_date, i))


def _check_unique_crns(candidates: Sequence[SamplingCandidate]) -> None:
    seen: dict[str, int] = {}
    problems: list[str] = []
    for index, candidate in enumerate(candidates):
        if candidate.crn in seen:
            problems.append(f"candidates[{index}].crn")
        seen.setdefault(candidate.crn, index)
    if problems:
        raise CalculatorInputError(SAMPLING_INVALID, "duplicate CRN at " + ", ".join(problems), problems)


def _check_arguments(size: int, share: Fraction | float) -> None:
    problems: list[str] = []
    if isinstance(size, bool) or not isinstance(size, int) or size < 0:
        problems.append("size")
    if not 0 <= Fraction(share) <= 1:
        problems.append("assessor_share")
    if problems:
        raise CalculatorInputError(
            SAMPLING_INVALID,
            "invalid " + ", ".join(problems) + " (size a whole number >= 0, share 0-1)",
            problems,
        )


def _assign_assessor_roles(
    crns: Sequence[str], rng: random.Random, share: Fraction | float
) -> dict[str, str]:
    """About a third of the cases to area assessors (Appendix 2), chosen at random, the rest to inspectors."""
    order = list(crns)
    rng.shuffle(order)
    area_count = round_half_up(Fraction(share) * len(order))
    return {
        crn: (ASSESSOR_AREA if position < area_count else ASSESSOR_INSPECTOR)
        for position, crn in enumerate(order)
    }


# ---------------------------------------------------------------------------------------------------
# (a) OMI sample, the report's Appendix 2

_MINIMUM_TESTS: dict[str, Callable[[SamplingCandidate], bool]] = {
    "high_roh": lambda c: c.is_high_risk_of_harm,
    "ppo": lambda c: c.is_ppo,
    "approved_premises": lambda c: c.in_approved_premises,
    "statutory_victim_contact": lambda c: c.statutory_victim_contact,
    "minority_ethnic": lambda c: c.is_minority_ethnic,
}
MINIMUM_LABELS = {
    "high_roh": "high or very high RoH",
    "ppo": "PPO",
    "approved_premises": "approved premises resident",
    "statutory_victim_contact": "statutory victim contact",
    "minority_ethnic": "black and minority ethnic",
}
_OMI_EVENT_KINDS = (EventKind.COMMUNITY, EventKind.LICENCE)


def sample_omi(
    candidates: Sequence[SamplingCandidate],
    size: int,
    seed: int | str,
    as_of: date,
    minima: Mapping[str, int] = OMI_DEFAULT_MINIMA,
    window: tuple[int, int] = OMI_DEFAULT_WINDOW_MONTHS,
    assessor_share: Fraction | float = DEFAULT_ASSESSOR_SHARE,
) -> dict[str, Any]:
    """The report's Appendix 2 sample: random, then topped up by replacing ordinary cases to meet minima.

    Eligible: community orders and licences (custody cases are not yet under supervision in the
    community) that started ``window`` months before ``as_of`` (inclusive), one case per person (the
    earliest eligible). A top-up replaces a random case that was drawn at random and whose removal
    breaks no minimum, preferring "ordinary" cases that count towards none. A minimum that cannot be
    met is reported in ``shortfalls`` in words; the sample is never padded with ineligible cases.
    """
    _check_arguments(size, assessor_share)
    _check_unique_crns(candidates)
    unknown = [key for key in minima if key not in _MINIMUM_TESTS]
    bad_minima = [
        key
        for key, value in minima.items()
        if isinstance(value, bool) or not isinstance(value, int) or value < 0
    ]
    if unknown or bad_minima or not 0 <= window[0] <= window[1]:
        fields = [f"minima.{key}" for key in [*unknown, *bad_minima]] + (
            ["window"] if not 0 <= window[0] <= window[1] else []
        )
        raise CalculatorInputError(
            SAMPLING_INVALID,
            "invalid sampling options: " + ", ".join(fields) + f" (minima: {', '.join(_MINIMUM_TESTS)})",
            fields,
        )

    earliest_start, latest_start = months_before(as_of, window[1]), months_before(as_of, window[0])
    in_window = [
        c
        for c in candidates
        if c.event_kind in _OMI_EVENT_KINDS and earliest_start <= c.start_date <= latest_start
    ]
    pool = sorted(
        (in_window[_earliest(in_window, group)] for group in group_same_person(in_window)),
        key=lambda c: c.crn,
    )
    rng = random.Random(seed)
    shortfalls: list[str] = []
    if len(pool) < size:
        shortfalls.append(
            f"Only {len(pool):,} cases started {window[0]} to {window[1]} months before {long_date(as_of)}; "
            f"the sample has {len(pool):,} cases, not {size:,}."
        )
    sample = rng.sample(pool, min(size, len(pool)))
    reason = {c.crn: "random" for c in sample}
    adjustments: list[dict[str, Any]] = []

    def count(key: str) -> int:
        return sum(1 for c in sample if _MINIMUM_TESTS[key](c))

    for key, minimum in minima.items():
        test = _MINIMUM_TESTS[key]
        label = MINIMUM_LABELS[key]
        while count(key) < minimum:
            in_sample = {c.crn for c in sample}
            additions = [c for c in pool if c.crn not in in_sample and test(c)]
            if not additions:
                available = sum(1 for c in pool if test(c))
                shortfalls.append(
                    f"Minimum of {minimum} {label} cases not met: only {available} eligible, all in the sample."
                )
                break
            counts = {k: count(k) for k in minima}
            removable = [
                c
                for c in sample
                if reason[c.crn] == "random"
                and all(counts[k] > minima[k] for k in minima if _MINIMUM_TESTS[k](c))
            ]
            ordinary = [c for c in removable if not any(_MINIMUM_TESTS[k](c) for k in minima)]
            choices = ordinary or removable
            if not choices:
                shortfalls.append(
                    f"Minimum of {minimum} {label} cases not met: the sample has {count(key)} and no case can be "
                    "replaced without breaking another minimum."
                )
                break
            added = rng.choice(additions)
            removed = rng.choice(choices)
            sample[sample.index(removed)] = added
            del reason[removed.crn]
            reason[added.crn] = f"minimum:{key}"
            adjustments.append(
                {
                    "kind": "top_up",
                    "minimum": key,
                    "added": added.crn,
                    "replaced": removed.crn,
                    "reason": f"{added.crn} added to reach the minimum of {minimum} {label} cases, replacing {removed.crn}",
                }
            )

    roles = _assign_assessor_roles(sorted(c.crn for c in sample), rng, assessor_share)
    ordered = sorted(sample, key=lambda c: (c.officer, c.crn))
    return {
        "method": "omi",
        "seed": seed,
        "size": size,
        "as_of": as_of.isoformat(),
        "eligible": len(pool),
        "cases": [
            {"crn": c.crn, "officer": c.officer, "stratum": reason[c.crn], "assessor_role": roles[c.crn]}
            for c in ordered
        ],
        "adjustments": adjustments,
        "shortfalls": shortfalls,
    }


# ---------------------------------------------------------------------------------------------------
# Proportional split (spec "Stratum sizes"), the `oms calc sample-sizes` calculator


@dataclass(frozen=True)
class GroupAllocation:
    """One group's share of a sample and every change made to it: the audit trail of the split."""

    name: str
    cases: int
    percent: Decimal
    count: int
    changes: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "cases": self.cases,
            "percent": float(self.percent),
            "count": self.count,
            "changes": list(self.changes),
        }


@dataclass(frozen=True)
class SampleSplit:
    target: int
    groups: tuple[GroupAllocation, ...]

    @property
    def total(self) -> int:
        return sum(g.count for g in self.groups)


def _percent_of(part: int, whole: int) -> Decimal:
    if whole == 0:
        return Decimal("0.00")
    return (Decimal(part * 100) / Decimal(whole)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _correct_rounding(counts: list[int], capacities: Sequence[int], target: int) -> None:
    """spec "Stratum sizes": fix the total by one case at a time, round-robin.

    Short: groups in ascending order of count (stable), each missing case going to the next group with
    spare cases, at most one full cycle per case (a cycle with no spare case ends the correction).
    Over: groups in descending order of count (stable), removing one at a time. Never more than a
    group has, never below none.
    """
    total = sum(counts)
    if total == target or not counts:
        return
    growing = total < target
    # sorted() is stable, and stays stable with reverse=True, as the rule requires.
    order = sorted(range(len(counts)), key=lambda i: counts[i], reverse=not growing)
    pointer = 0
    while total != target:
        for step in range(len(order)):
            i = order[(pointer + step) % len(order)]
            if (growing and counts[i] < capacities[i]) or (not growing and counts[i] > 0):
                counts[i] += 1 if growing else -1
                total += 1 if growing else -1
                pointer = (pointer + step + 1) % len(order)
                break
        else:
            return


def proportional_split(
    size: int, groups: Sequence[tuple[str, int]], buffer_percent: Fraction | Decimal | int = 0
) -> SampleSplit:
    """Split ``size`` across groups in proportion to their cases, with a buffer and rounding correction.

    spec "Stratum sizes": ``base = min(n, round(size x n / N))``, ``buffer = round(base x buffer% / 100)``,
    ``count = min(n, base + buffer)``, target ``size + round(size x buffer% / 100)``, rounding half up.
    With no buffer (the within-stratum splits) the "with buffer" step is not recorded.
    """
    buffer = (
        Fraction(str(buffer_percent)) if isinstance(buffer_percent, Decimal) else Fraction(buffer_percent)
    )
    whole = sum(n for _, n in groups)
    target = size + round_half_up(Fraction(size) * buffer / 100)
    counts: list[int] = []
    changes: list[list[str]] = []
    for _, n in groups:
        base = min(n, round_half_up(Fraction(size * n, whole))) if whole else 0
        group_changes = [f"initial {base}"]
        count = base
        if buffer:
            count = min(n, base + round_half_up(base * buffer / 100))
            group_changes.append(f"with buffer {count}")
        counts.append(count)
        changes.append(group_changes)
    before = list(counts)
    _correct_rounding(counts, [n for _, n in groups], target)
    for index, (old, new) in enumerate(zip(before, counts, strict=True)):
        if new > old:
            changes[index].append(f"increased for rounding to {new}")
        elif new < old:
            changes[index].append(f"decreased for rounding to {new}")
    return SampleSplit(
        target=target,
        groups=tuple(
            GroupAllocation(
                name=name, cases=n, percent=_percent_of(n, whole), count=counts[i], changes=tuple(changes[i])
            )
            for i, (name, n) in enumerate(groups)
        ),
    )


def calculate_sample_sizes(payload: Any) -> dict[str, Any]:
    """``oms calc sample-sizes``: ``{"size", "buffer_percent"?, "groups": {name: cases}}`` to the split.

    Groups keep their input order. Output ``{"target", "total", "groups": {name: {"cases", "percent",
    "count", "changes"}}}``; ``total`` is below ``target`` only when the groups have too few cases.
    """
    problems: list[tuple[str, str]] = []
    if not isinstance(payload, Mapping):
        raise CalculatorInputError(SAMPLE_SIZES_INVALID, "input must be a JSON object", [])
    for key in payload:
        if key not in ("size", "buffer_percent", "groups"):
            problems.append((str(key), "unknown key"))
    size = payload.get("size")
    if size is None:
        problems.append(("size", "missing"))
    elif isinstance(size, bool) or not isinstance(size, int) or size < 0:
        problems.append(("size", f"must be a whole number of cases >= 0, got {size!r}"))
    buffer_percent = payload.get("buffer_percent", DEFAULT_BUFFER_PERCENT)
    if (
        isinstance(buffer_percent, bool)
        or not isinstance(buffer_percent, int | float)
        or not 0 <= buffer_percent <= 100
    ):
        problems.append(("buffer_percent", f"must be a number from 0 to 100, got {buffer_percent!r}"))
    groups = payload.get("groups")
    if groups is None:
        problems.append(("groups", "missing"))
    elif not isinstance(groups, Mapping) or not groups:
        problems.append(("groups", "must be a non-empty object of group name to number of cases"))
    else:
        for name, cases in groups.items():
            if isinstance(cases, bool) or not isinstance(cases, int) or cases < 0:
                problems.append((f"groups.{name}", f"must be a whole number of cases >= 0, got {cases!r}"))
    if problems:
        raise CalculatorInputError(
            SAMPLE_SIZES_INVALID,
            "; ".join(f"{path}: {problem}" for path, problem in problems),
            [path for path, _ in problems],
        )
    assert isinstance(groups, Mapping) and isinstance(size, int)
    split = proportional_split(
        size, [(str(k), int(v)) for k, v in groups.items()], Decimal(str(buffer_percent))
    )
    return {
        "target": split.target,
        "total": split.total,
        "groups": {g.name: g.as_json() for g in split.groups},
    }


# ---------------------------------------------------------------------------------------------------
# (b) Stratified sample, the inspectorate's later case sampler


def stratum_of(candidate: SamplingCandidate) -> Stratum:
    """spec "Strata": female; then male by community / post-custody and low / non-low RoH."""
    if candidate.gender is Gender.FEMALE:
        return Stratum.FEMALE
    community = candidate.event_kind is EventKind.COMMUNITY
    low = candidate.risk_of_harm_level in (None, RiskOfHarmLevel.LOW)
    if community:
        return Stratum.MALE_COMMUNITY_LOW if low else Stratum.MALE_COMMUNITY_NON_LOW
    return Stratum.MALE_POST_CUSTODY_LOW if low else Stratum.MALE_POST_CUSTODY_NON_LOW


def exclusion_reason(candidate: SamplingCandidate, as_of: date) -> str | None:
    """spec "Exclude": redacted, not yet started (today is kept), neither male nor female recorded."""
    if REDACTION_MARK in candidate.first_name or REDACTION_MARK in candidate.family_name:
        return "redacted"
    if candidate.start_date > as_of:
        return "not yet started"
    if candidate.gender not in (Gender.MALE, Gender.FEMALE):
        return "neither male nor female recorded"
    return None


def stratified_eligible(
    candidates: Sequence[SamplingCandidate], as_of: date
) -> tuple[list[SamplingCandidate], list[dict[str, str]]]:
    """Apply the exclusions and the same-person rule; returns the eligible cases and why others left.

    Same person: only the earliest case is kept (ties: first in the list); if that earliest case is
    itself excluded, the whole person is left out.
    """
    removed: dict[int, str] = {}
    for index, candidate in enumerate(candidates):
        reason = exclusion_reason(candidate, as_of)
        if reason:
            removed[index] = reason
    for group in group_same_person(candidates):
        if len(group) < 2:
            continue
        keep = _earliest(candidates, group)
        kept_crn = candidates[keep].crn
        for index in group:
            if index == keep or index in removed:
                continue
            if keep in removed:
                removed[index] = f"same person as {kept_crn}, whose earliest case is excluded"
            else:
                removed[index] = f"same person as {kept_crn} (earliest case kept)"
    eligible = [c for i, c in enumerate(candidates) if i not in removed]
    excluded = [{"crn": candidates[i].crn, "reason": reason} for i, reason in sorted(removed.items())]
    return eligible, excluded


@dataclass
class _Node:
    """A group in the stratified audit trail (stratum, cluster, unit or officer); mutable while built."""

    name: str
    cases: int
    percent: Decimal
    count: int
    changes: list[str]
    children: dict[str, _Node] = field(default_factory=dict)
    members: list[SamplingCandidate] = field(default_factory=list)

    def as_json(self, child_key: str | None, next_keys: Sequence[str]) -> dict[str, Any]:
        result: dict[str, Any] = {
            "cases": self.cases,
            "percent": float(self.percent),
            "count": self.count,
            "changes": list(self.changes),
        }
        if child_key is not None:
            following = next_keys[0] if next_keys else None
            result[child_key] = {
                name: node.as_json(following, next_keys[1:]) for name, node in self.children.items()
            }
        return result


def _split_into(parent: _Node, key: Callable[[SamplingCandidate], str]) -> None:
    """Divide a group's count across its sub-groups (alphabetical), with no buffer."""
    members: dict[str, list[SamplingCandidate]] = {}
    for candidate in sorted(parent.members, key=lambda c: c.crn):
        members.setdefault(key(candidate), []).append(candidate)
    names = sorted(members)
    split = proportional_split(parent.count, [(name, len(members[name])) for name in names], 0)
    for allocation in split.groups:
        parent.children[allocation.name] = _Node(
            name=allocation.name,
            cases=allocation.cases,
            percent=allocation.percent,
            count=allocation.count,
            changes=list(allocation.changes),
            members=members[allocation.name],
        )


def sample_stratified(
    candidates: Sequence[SamplingCandidate],
    size: int,
    seed: int | str,
    as_of: date,
    buffer_percent: int | Decimal = DEFAULT_BUFFER_PERCENT,
    officer_cap: int = DEFAULT_OFFICER_CAP,
    assessor_share: Fraction | float = DEFAULT_ASSESSOR_SHARE,
) -> dict[str, Any]:
    """The stratified case sampler, applying the spec's rules in order.

    Exclusions and same person; strata sized in proportion with a buffer and rounding correction; each
    stratum split across clusters, then units, then officers (no buffer); the officer cap applied unit
    by unit across the whole sample; each officer's cases shuffled with the seeded generator and the
    first ``count`` taken; rows numbered 001.. by stratum, cluster, unit, officer. ``groups`` is the
    audit trail of every group at every level.
    """
    _check_arguments(size, assessor_share)
    _check_unique_crns(candidates)
    if isinstance(officer_cap, bool) or not isinstance(officer_cap, int) or officer_cap < 1:
        raise CalculatorInputError(
            SAMPLING_INVALID, "officer_cap: must be a whole number >= 1", ["officer_cap"]
        )
    if not 0 <= Decimal(str(buffer_percent)) <= 100:
        raise CalculatorInputError(SAMPLING_INVALID, "buffer_percent: must be 0 to 100", ["buffer_percent"])

    eligible, excluded = stratified_eligible(candidates, as_of)
    adjustments: list[dict[str, Any]] = [{"kind": "excluded", **item} for item in excluded]
    shortfalls: list[str] = []

    by_stratum: dict[Stratum, list[SamplingCandidate]] = {s: [] for s in Stratum}
    for candidate in eligible:
        by_stratum[stratum_of(candidate)].append(candidate)
    split = proportional_split(
        size, [(s.value, len(by_stratum[s])) for s in Stratum], Decimal(str(buffer_percent))
    )
    if split.total < split.target:
        shortfalls.append(
            f"Only {split.total} cases can be sampled against a target of {split.target} "
            f"({size} plus a {buffer_percent}% buffer): too few eligible cases."
        )
    strata: dict[str, _Node] = {}
    for allocation, stratum_kind in zip(split.groups, Stratum, strict=True):
        node = _Node(
            name=allocation.name,
            cases=allocation.cases,
            percent=allocation.percent,
            count=allocation.count,
            changes=list(allocation.changes),
            members=by_stratum[stratum_kind],
        )
        _split_into(node, lambda c: c.cluster)
        for cluster in node.children.values():
            _split_into(cluster, lambda c: c.unit)
            for unit in cluster.children.values():
                _split_into(unit, lambda c: c.officer)
        strata[allocation.name] = node

    _apply_officer_cap(strata, officer_cap, adjustments, shortfalls)

    rng = random.Random(seed)
    rows: list[dict[str, Any]] = []
    for stratum_name, stratum_node in strata.items():
        for cluster_name, cluster in stratum_node.children.items():
            for unit_name, unit in cluster.children.items():
                for officer_name, officer in unit.children.items():
                    pool = list(officer.members)
                    rng.shuffle(pool)
                    for candidate in pool[: officer.count]:
                        rows.append(
                            {
                                "row": f"{len(rows) + 1:03d}",
                                "crn": candidate.crn,
                                "officer": officer_name,
                                "unit": unit_name,
                                "cluster": cluster_name,
                                "stratum": stratum_name,
                            }
                        )
    roles = _assign_assessor_roles([row["crn"] for row in rows], rng, assessor_share)
    for row in rows:
        row["assessor_role"] = roles[row["crn"]]
    return {
        "method": "stratified",
        "seed": seed,
        "size": size,
        "as_of": as_of.isoformat(),
        "target": split.target,
        "eligible": len(eligible),
        "cases": rows,
        "adjustments": adjustments,
        "shortfalls": shortfalls,
        "groups": {name: node.as_json("clusters", ["units", "officers"]) for name, node in strata.items()},
    }


def _apply_officer_cap(
    strata: Mapping[str, _Node], cap: int, adjustments: list[dict[str, Any]], shortfalls: list[str]
) -> None:
    """spec "Officer cap": no officer holds more than ``cap`` sampled cases across the whole sample.

    Unit by unit (cluster, unit alphabetical), officers alphabetical: an officer over the cap is cut to
    it, one case at a time from the stratum where they hold the most sampled cases (ties: the first
    stratum). Each cut case is offered round-robin, in ascending order of officers' sampled counts, to
    the unit's other officers under the cap with cases left in that stratum; if no one can take it, it
    is dropped and reported.
    """
    totals: dict[str, int] = {}
    # (cluster, unit) -> officer -> stratum -> node
    units: dict[tuple[str, str], dict[str, dict[str, _Node]]] = {}
    parents: dict[int, list[_Node]] = {}
    for stratum_name, stratum in strata.items():
        for cluster_name, cluster in stratum.children.items():
            for unit_name, unit in cluster.children.items():
                for officer_name, officer in unit.children.items():
                    totals[officer_name] = totals.get(officer_name, 0) + officer.count
                    units.setdefault((cluster_name, unit_name), {}).setdefault(officer_name, {})[
                        stratum_name
                    ] = officer
                    parents[id(officer)] = [stratum, cluster, unit]
    before = {id(node): node.count for node in _all_nodes(strata)}

    for (cluster_name, unit_name), officers in sorted(units.items()):
        for officer_name in sorted(officers):
            if totals[officer_name] <= cap:
                continue
            # Ascending order of count, fixed when the officer is cut; ties alphabetical (stable sort).
            recipients = sorted(
                (name for name in officers if name != officer_name), key=lambda name: totals[name]
            )
            pointer = 0
            while totals[officer_name] > cap:
                held = [(name, node) for name, node in officers[officer_name].items() if node.count > 0]
                if not held:
                    break
                stratum_name, giver = max(held, key=lambda item: item[1].count)
                giver.count -= 1
                totals[officer_name] -= 1
                taker: str | None = None
                for step in range(len(recipients)):
                    candidate_name = recipients[(pointer + step) % len(recipients)]
                    node = officers[candidate_name].get(stratum_name)
                    if totals[candidate_name] < cap and node is not None and node.count < len(node.members):
                        taker = candidate_name
                        pointer = (pointer + step + 1) % len(recipients)
                        break
                if taker is None:
                    for parent in parents[id(giver)]:
                        parent.count -= 1
                    shortfalls.append(
                        f"A {stratum_name} case of {officer_name} ({cluster_name}, {unit_name}) was dropped: "
                        f"no other officer in the unit under the cap of {cap} had a case left to take it."
                    )
                    adjustments.append(
                        {
                            "kind": "officer_cap_dropped",
                            "officer": officer_name,
                            "stratum": stratum_name,
                            "cluster": cluster_name,
                            "unit": unit_name,
                        }
                    )
                    continue
                officers[taker][stratum_name].count += 1
                totals[taker] += 1
                adjustments.append(
                    {
                        "kind": "officer_cap_moved",
                        "from_officer": officer_name,
                        "to_officer": taker,
                        "stratum": stratum_name,
                        "cluster": cluster_name,
                        "unit": unit_name,
                    }
                )
    for node in _all_nodes(strata):
        old = before[id(node)]
        if node.count < old:
            node.changes.append(f"decreased for officer cap to {node.count}")
        elif node.count > old:
            node.changes.append(f"increased for officer cap to {node.count}")


def _all_nodes(strata: Mapping[str, _Node]) -> Iterable[_Node]:
    for stratum in strata.values():
        yield stratum
        for cluster in stratum.children.values():
            yield cluster
            for unit in cluster.children.values():
                yield unit
                yield from unit.children.values()
