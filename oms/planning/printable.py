"""The offender's own copy of their plan, in plain English, honouring their recorded needs.

The issue asks for "letters people can read": large print, a chosen paper colour for dyslexia, plain
English, and an interpreter flagged. The report found most offenders "were not aware of a sentence
plan" (offenders' views) and the plan's continuing ownership by the offender sought in 45% of cases
(2.1(a)): the copy is written to them, in their words, with only the objectives that apply.
"""

from __future__ import annotations

from typing import Any

from oms.planning.constants import ContactLevel
from oms.planning.models import SentencePlan
from oms.planning.queries import (
    applicable,
    current_requirement_types,
    objective_rows,
    objectives_of,
    plan_date,
)
from oms.planning.rules import review_due
from oms.risk.needs import CriminogenicNeed

# Body text size. GOV.UK and the RNIB's clear print guidance: at least 12pt; large print at least 16pt.
STANDARD_PRINT_POINTS = 12
LARGE_PRINT_POINTS = 18
# Paper colours offered for dyslexia (the colour a person chose is recorded on the case).
PAPER_COLOURS = {
    "cream": "#fdf6e3",
    "yellow": "#fff7bf",
    "blue": "#dbe9f6",
    "green": "#e3f2e1",
    "pink": "#fbe4ec",
    "white": "#ffffff",
}

# The need sections in the words of the person the plan is for.
PLAIN_NEED_WORDS = {
    CriminogenicNeed.ACCOMMODATION: "Somewhere safe to live",
    CriminogenicNeed.EDUCATION_TRAINING_EMPLOYABILITY: "Work, training and learning",
    CriminogenicNeed.FINANCIAL_MANAGEMENT: "Money and debts",
    CriminogenicNeed.RELATIONSHIPS: "Family and relationships",
    CriminogenicNeed.LIFESTYLE_ASSOCIATES: "How you spend your time and who with",
    CriminogenicNeed.DRUG_MISUSE: "Drugs",
    CriminogenicNeed.ALCOHOL_MISUSE: "Alcohol",
    CriminogenicNeed.EMOTIONAL_WELLBEING: "How you feel",
    CriminogenicNeed.THINKING_BEHAVIOUR: "How you think and act",
    CriminogenicNeed.ATTITUDES: "Your attitudes to offending",
}
PLAIN_STATUS_WORDS = {
    "not_started": "Not started yet",
    "in_progress": "Started",
    "achieved": "Done",
    "partly_achieved": "Partly done",
    "not_achieved": "Not done",
    "withdrawn": "No longer needed",
}

# The person's copy speaks to them: how often we meet, not the standard's name for it.
PLAIN_CONTACT_LEVEL = {
    ContactLevel.STANDARD: (
        "We will meet 12 times in the first 12 weeks, 6 times in the next 12 weeks, then once a month."
    ),
    ContactLevel.ENHANCED: "We will meet every week.",
    ContactLevel.WEEKLY: "We will meet every week.",
    ContactLevel.FORTNIGHTLY: "We will meet every two weeks.",
    ContactLevel.MONTHLY: "We will meet once a month.",
}


def paper_colour_hex(colour: str) -> str:
    """The colour a person chose, as a colour the printer can use; an unknown name prints white."""
    return (
        PAPER_COLOURS.get(colour.strip().lower(), PAPER_COLOURS["white"])
        if colour
        else PAPER_COLOURS["white"]
    )


def printable_context(plan: SentencePlan) -> dict[str, Any]:
    offender = plan.offender
    rows = objective_rows(objectives_of(plan))
    applies = applicable(plan, rows, current_requirement_types(offender))
    plain = offender.literacy_need or offender.dyslexia
    items = [
        {
            "number": index,
            "objective": row.objective.objective,
            "area": PLAIN_NEED_WORDS[CriminogenicNeed(row.objective.need)]
            if row.objective.need
            else ("Keeping other people safe" if row.objective.linked_to_risk_management_plan else ""),
            "intervention": row.objective.intervention,
            "who": row.objective.deliverer_words(),
            "by": row.objective.target_date,
            "status": PLAIN_STATUS_WORDS.get(row.status, row.status_label) if plain else row.status_label,
        }
        for index, row in enumerate(applies.shown, start=1)
    ]
    return {
        "plan": plan,
        "offender": offender,
        "officer": offender.offender_manager,
        "items": items,
        "large_print": offender.large_print,
        "font_points": LARGE_PRINT_POINTS if offender.large_print else STANDARD_PRINT_POINTS,
        "paper_colour": offender.paper_colour,
        "paper_hex": paper_colour_hex(offender.paper_colour),
        "plain_english": plain,
        "dyslexia": offender.dyslexia,
        "interpreter": offender.interpreter_required,
        "review_due": review_due(made) if (made := plan_date(plan)) else None,
        "contact_level": PLAIN_CONTACT_LEVEL.get(ContactLevel(plan.planned_contact_level), "")
        if plan.planned_contact_level
        else "",
    }
