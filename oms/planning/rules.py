"""Sentence planning rules: which objectives a plan shows, and when a plan or review is due.

Pure Python over plain values (no Django), so the rules read next to the spec and are tested alone.

The report (criterion 1.5, area for improvement (c)) found "a standard ISP was given to offenders on
unpaid work. This included a number of objectives, which for those in lower tiers, would not be
delivered. This made the document meaningless." The tiering framework the report uses gives each
tier its sentencing purposes (spec/tiering-and-risk.md, NOMS 2005: "Tier 1 punish; tier 2 punish +
help; tier 3 punish + help + change; tier 4 punish + help + change + control"), so a plan whose only
current requirement is unpaid work shows only the objectives whose purpose its tier delivers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any, TypeVar

from oms.timescales.calendar import add_weeks, add_working_days


class SentencePurpose(StrEnum):
    """The four kinds of work the NOMS 2005 tiers are built from (the report's criterion 1.5(a))."""

    PUNISH = "punish"
    HELP = "help"
    CHANGE = "change"
    CONTROL = "control"

    @property
    def label(self) -> str:
        return {
            SentencePurpose.PUNISH: "Punish (the sentence's punitive requirements)",
            SentencePurpose.HELP: "Help (accommodation, work, money, health)",
            SentencePurpose.CHANGE: "Change (offending behaviour)",
            SentencePurpose.CONTROL: "Control (restrictions that manage risk of harm)",
        }[self]


ALL_PURPOSES = frozenset(SentencePurpose)

# spec/tiering-and-risk.md, NOMS 2005: "Tier 1 punish; tier 2 punish + help; tier 3 punish + help +
# change; tier 4 punish + help + change + control".
PURPOSES_BY_TIER_2005: dict[str, frozenset[SentencePurpose]] = {
    "1": frozenset({SentencePurpose.PUNISH}),
    "2": frozenset({SentencePurpose.PUNISH, SentencePurpose.HELP}),
    "3": frozenset({SentencePurpose.PUNISH, SentencePurpose.HELP, SentencePurpose.CHANGE}),
    "4": ALL_PURPOSES,
}
# HMPPS 2021 tiers (protect level A-D x change level 0-3) have no purposes in the spec. Read in the
# same spirit: control work for protect levels A and B; change work from change level 2; help from
# change level 1; change level 0 ("no mandate for change") is punishment only. An assumption, named
# here so an area can see and change it.
CONTROL_PROTECT_LEVELS_2021 = frozenset({"A", "B"})
HELP_FROM_CHANGE_LEVEL_2021 = 1
CHANGE_FROM_CHANGE_LEVEL_2021 = 2

UNPAID_WORK = "unpaid_work"  # the requirement type code (cases reference data)

# spec/national-standards.md: "sentence plan review | last plan or review | every 16 weeks".
REVIEW_WEEKS = 16
# spec/national-standards.md: "initial sentence plan, community | sentence or release | 15 WD (tier
# 4: 5 WD)".
INITIAL_PLAN_WORKING_DAYS = 15
INITIAL_PLAN_WORKING_DAYS_TIER_4 = 5
# spec/national-standards.md: "sentence plan, custody 12 months+ | sentence | 8 weeks if under 2
# years to release/tariff, else 16 weeks".
CUSTODY_PLAN_FROM_MONTHS = 12
CUSTODY_PLAN_SHORT_WEEKS = 8
CUSTODY_PLAN_LONG_WEEKS = 16
CUSTODY_PLAN_SHORT_IF_UNDER_MONTHS_TO_RELEASE = 24


def purposes_for_tier(tier: str | None) -> frozenset[SentencePurpose]:
    """The purposes a tier's work serves. An unknown or missing tier limits nothing: the plan cannot be
    judged against a tier it does not have, so every objective is shown."""
    code = (tier or "").strip().upper()
    if code in PURPOSES_BY_TIER_2005:
        return PURPOSES_BY_TIER_2005[code]
    if len(code) >= 2 and code[0] in "ABCD" and code[1].isdigit():
        change_level = int(code[1])
        purposes = {SentencePurpose.PUNISH}
        if change_level >= HELP_FROM_CHANGE_LEVEL_2021:
            purposes.add(SentencePurpose.HELP)
        if change_level >= CHANGE_FROM_CHANGE_LEVEL_2021:
            purposes.add(SentencePurpose.CHANGE)
        if code[0] in CONTROL_PROTECT_LEVELS_2021:
            purposes.add(SentencePurpose.CONTROL)
        return frozenset(purposes)
    return ALL_PURPOSES


def is_unpaid_work_only(current_requirement_types: Iterable[str]) -> bool:
    """Whether the case's only current requirement is unpaid work (however many UPW requirements)."""
    kinds = set(current_requirement_types)
    return kinds == {UNPAID_WORK}


Item = TypeVar("Item")


@dataclass(frozen=True)
class ObjectivesShown:
    """What a plan shows, and what it leaves out and why (so the author sees it, not the offender)."""

    shown: tuple[Any, ...]
    left_out: tuple[Any, ...]
    unpaid_work_only: bool
    purposes: frozenset[SentencePurpose]

    @property
    def reason_left_out(self) -> str:
        if not self.left_out:
            return ""
        words = ", ".join(p.value for p in SentencePurpose if p in self.purposes)
        return (
            "Unpaid work is the only current requirement: this tier's work is "
            f"{words}, so objectives for other purposes would not be delivered and are not shown."
        )


def objectives_that_apply(
    objectives: Sequence[Item],
    *,
    tier: str | None,
    current_requirement_types: Iterable[str],
    purpose_of: Callable[[Any], str] | None = None,
) -> ObjectivesShown:
    """Split a plan's objectives into those shown and those left out.

    Only an unpaid-work-only plan is filtered; any other plan shows every objective. `purpose_of`
    reads an objective's purpose (default: its `purpose` attribute, a SentencePurpose value); an
    objective with no purpose recorded is always shown.
    """
    read = purpose_of or (lambda objective: getattr(objective, "purpose", ""))
    upw_only = is_unpaid_work_only(current_requirement_types)
    purposes = purposes_for_tier(tier) if upw_only else ALL_PURPOSES
    shown: list[Item] = []
    left_out: list[Item] = []
    for objective in objectives:
        purpose = read(objective)
        if not purpose or SentencePurpose(purpose) in purposes:
            shown.append(objective)
        else:
            left_out.append(objective)
    return ObjectivesShown(tuple(shown), tuple(left_out), upw_only, purposes)


def review_due(last_plan_or_review: date) -> date:
    """The next review: 16 weeks from the last plan or review (sooner on a significant change)."""
    return add_weeks(last_plan_or_review, REVIEW_WEEKS)


def initial_plan_due(
    *,
    event_kind: str,
    start: date,
    tier: str | None,
    custody_months: int | None = None,
    months_to_release: int | None = None,
) -> date | None:
    """When the first plan is due for an event, or None where the standards ask for none (custody
    under 12 months). `event_kind` is the cases app's code."""
    if event_kind == "custody":
        if custody_months is None or custody_months < CUSTODY_PLAN_FROM_MONTHS:
            return None
        short = (
            months_to_release is not None
            and months_to_release < CUSTODY_PLAN_SHORT_IF_UNDER_MONTHS_TO_RELEASE
        )
        return add_weeks(start, CUSTODY_PLAN_SHORT_WEEKS if short else CUSTODY_PLAN_LONG_WEEKS)
    days = INITIAL_PLAN_WORKING_DAYS_TIER_4 if (tier or "").strip() == "4" else INITIAL_PLAN_WORKING_DAYS
    return add_working_days(start, days)
