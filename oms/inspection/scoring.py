"""Scoring an inspection from its case answers: the report's Appendix 3, made exact.

Why exact arithmetic: the band and the priority line are judged on the *shown* (rounded) figure, and a
criterion at 69.5 must show 70 and be "good". Binary floats turn 69.5-ish means into 69.4999..., so
every proportion and mean here is a ``Fraction`` and rounding is half up on the exact value; floats
appear only in the JSON output.

The rules (spec/inspection.md, "Scoring (Appendix 3, made exact)"):

- ``p(q) = yes / (yes + no)``; ``na`` (and an unanswered question) does not count; a question with no
  relevant case has no ``p`` and is left out of every mean.
- criterion = ``(1 - w) * mean(p of individual questions) + w * p(summary)``, falling back to the mean
  alone, or to ``p(summary)`` alone, or "not scored" (``None``, never 0).
- section = mean of its scored criteria (unrounded); thread = mean of ``p`` over tagged questions in
  the thread's sections, summary questions included when tagged.
- re-inspection when a thread's rounded score is below its ``reinspection_below``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from oms.calculation_errors import CalculatorInputError
from oms.inspection.framework import (
    ANSWER_NO,
    ANSWER_NOT_RELEVANT,
    ANSWER_YES,
    Criterion,
    Framework,
    Question,
)

ANSWERS_INVALID = "answers_invalid"

# spec "Scoring": percentages 0-100.
PERCENT = 100
_PAYLOAD_KEYS = ("cases", "ratings")
_CASE_KEYS = ("case", "answers")

# spec "Scoring", re-inspection: the wording of the report's "Next steps".
REINSPECTION_SENTENCE = (
    "A further focused inspection will be carried out in {area} approximately 12 months after the "
    "original Offender Management Inspection."
)
NO_REINSPECTION_SENTENCE = "There will not be a further focused inspection in {area}."


@dataclass(frozen=True)
class QuestionCounts:
    """How the sample answered one question; ``p`` is None when no case was relevant."""

    yes: int = 0
    no: int = 0
    na: int = 0

    @property
    def relevant(self) -> int:
        return self.yes + self.no

    @property
    def proportion(self) -> Fraction | None:
        """Exact share of relevant cases judged sufficient, as a percentage."""
        if self.relevant == 0:
            return None
        return Fraction(self.yes * PERCENT, self.relevant)


def round_half_up(value: Fraction | Decimal | float | int) -> int:
    """Round a percentage half up to a whole number, as the report shows it (69.5 -> 70, 64.4 -> 64).

    A float is read through its shortest decimal form so 69.5 is exactly 69.5, not 69.4999...
    """
    if isinstance(value, Fraction):
        return math.floor(value + Fraction(1, 2))
    decimal_value = value if isinstance(value, Decimal) else Decimal(str(value))
    return int(decimal_value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _mean(values: Iterable[Fraction]) -> Fraction | None:
    items = list(values)
    if not items:
        return None
    return sum(items, Fraction(0)) / len(items)


def criterion_score(
    individual: Iterable[Fraction | None], summary: Fraction | None, summary_weight: Fraction
) -> Fraction | None:
    """The criterion score with the spec's fallbacks; ``None`` means "not scored", never 0."""
    individual_mean = _mean(p for p in individual if p is not None)
    if individual_mean is not None and summary is not None:
        return (1 - summary_weight) * individual_mean + summary_weight * summary
    if individual_mean is not None:
        return individual_mean
    return summary


def _as_float(value: Fraction | None) -> float | None:
    return None if value is None else float(value)


def _validate_payload(framework: Framework, payload: Any) -> tuple[list[Mapping[str, str]], dict[str, str]]:
    """Check the answers payload and name every bad key, answer or case in one error."""
    problems: list[tuple[str, str]] = []
    if not isinstance(payload, Mapping):
        raise CalculatorInputError(ANSWERS_INVALID, "answers: must be a JSON object", ["answers"])
    for key in payload:
        if key not in _PAYLOAD_KEYS:
            problems.append((str(key), "unknown key"))
    raw_cases = payload.get("cases")
    answers_by_case: list[Mapping[str, str]] = []
    if "cases" not in payload:
        problems.append(("cases", "missing"))
    elif not isinstance(raw_cases, list):
        problems.append(("cases", "must be a list"))
    else:
        seen_cases: dict[str, int] = {}
        for index, raw_case in enumerate(raw_cases):
            path = f"cases[{index}]"
            if not isinstance(raw_case, Mapping):
                problems.append((path, "must be an object with case and answers"))
                continue
            for key in raw_case:
                if key not in _CASE_KEYS:
                    problems.append((f"{path}.{key}", "unknown key"))
            case_id = raw_case.get("case")
            if not isinstance(case_id, str) or not case_id.strip():
                problems.append(
                    (f"{path}.case", "missing" if case_id is None else "must be a non-empty string")
                )
            elif case_id in seen_cases:
                problems.append(
                    (f"{path}.case", f"duplicate case {case_id!r} (also cases[{seen_cases[case_id]}])")
                )
            else:
                seen_cases[case_id] = index
            answers = raw_case.get("answers")
            if not isinstance(answers, Mapping):
                problems.append((f"{path}.answers", "missing" if answers is None else "must be an object"))
                continue
            for question_id, value in answers.items():
                answer_path = f"{path}.answers.{question_id}"
                if question_id not in framework.questions_by_id:
                    problems.append((answer_path, "unknown question"))
                elif not isinstance(value, str) or value not in framework.answer_values:
                    allowed = ", ".join(framework.answer_values)
                    problems.append(
                        (answer_path, f"unknown answer value {value!r} (expected one of {allowed})")
                    )
            answers_by_case.append(answers)
    ratings = _validate_ratings(framework, payload.get("ratings", {}), problems)
    if problems:
        raise CalculatorInputError(
            ANSWERS_INVALID,
            "answers: " + "; ".join(f"{path}: {problem}" for path, problem in problems),
            [path for path, _ in problems],
        )
    return answers_by_case, ratings


def _validate_ratings(framework: Framework, raw: Any, problems: list[tuple[str, str]]) -> dict[str, str]:
    """Section 4 judgements must be one of the section's ``rated`` values, for a rated criterion."""
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        problems.append(("ratings", "must be an object"))
        return {}
    ratings: dict[str, str] = {}
    for criterion_id, value in raw.items():
        path = f"ratings.{criterion_id}"
        section = framework.section_of_criterion.get(criterion_id)
        if section is None:
            problems.append((path, "unknown criterion"))
        elif section.rated is None:
            problems.append((path, "criterion is scored from cases, not rated"))
        elif value is None:
            continue
        elif value not in section.rated:
            problems.append((path, f"unknown rating {value!r} (expected one of {', '.join(section.rated)})"))
        else:
            ratings[criterion_id] = value
    return ratings


def count_answers(
    framework: Framework, answers_by_case: Iterable[Mapping[str, str]]
) -> dict[str, QuestionCounts]:
    """Per-question yes/no/na counts over the sample, for every question of the scored sections."""
    tallies = {question_id: [0, 0, 0] for question_id in framework.questions_by_id}
    slot = {ANSWER_YES: 0, ANSWER_NO: 1, ANSWER_NOT_RELEVANT: 2}
    for answers in answers_by_case:
        for question_id, value in answers.items():
            tallies[question_id][slot[value]] += 1
    return {qid: QuestionCounts(yes=t[0], no=t[1], na=t[2]) for qid, t in tallies.items()}


def score_answers(framework: Framework, answers_payload: Any) -> dict[str, Any]:
    """Score a sample's answers against a framework: the JSON of ``oms inspection score``.

    Raises ``CalculatorInputError`` naming every unknown question id, answer value, rating or
    malformed case (e.g. ``cases[3].answers.1.9.z: unknown question``) so nothing is scored from a
    payload the framework does not fully understand.
    """
    answers_by_case, ratings = _validate_payload(framework, answers_payload)
    counts = count_answers(framework, answers_by_case)
    proportions = {qid: c.proportion for qid, c in counts.items()}
    weight = Fraction(framework.summary_weight)

    questions_out = {
        qid: {"yes": c.yes, "no": c.no, "na": c.na, "p": _as_float(c.proportion)} for qid, c in counts.items()
    }
    criteria_out: dict[str, Any] = {}
    sections_out: dict[str, Any] = {}
    for section in framework.scored_sections:
        section_scores: list[Fraction] = []
        for criterion in section.criteria:
            score = _criterion_fraction(criterion, proportions, weight)
            criteria_out[criterion.id] = _scored(framework, score, with_band=True)
            if score is not None:
                section_scores.append(score)
        sections_out[section.id] = _scored(framework, _mean(section_scores), with_band=False)

    threads_out: dict[str, Any] = {}
    for thread in framework.threads:
        thread_score = _mean(
            p
            for section in framework.sections
            if section.id in thread.sections
            for criterion in section.criteria
            for question in criterion.all_questions
            if thread.id in question.threads and (p := proportions[question.id]) is not None
        )
        result = _scored(framework, thread_score, with_band=False)
        if thread_score is None:
            result["reinspection"] = None
        else:
            below = thread.reinspection_below
            result["reinspection"] = below is not None and result["rounded"] < below
        threads_out[thread.id] = result

    ratings_out = {
        criterion.id: ratings.get(criterion.id)
        for section in framework.rated_sections
        for criterion in section.criteria
    }
    return {
        "framework": framework.id,
        "questions": questions_out,
        "criteria": criteria_out,
        "sections": sections_out,
        "threads": threads_out,
        "ratings": ratings_out,
    }


def _criterion_fraction(
    criterion: Criterion, proportions: Mapping[str, Fraction | None], weight: Fraction
) -> Fraction | None:
    summary = proportions[criterion.summary.id] if criterion.summary is not None else None
    return criterion_score((proportions[q.id] for q in criterion.questions), summary, weight)


def _scored(framework: Framework, score: Fraction | None, with_band: bool) -> dict[str, Any]:
    if score is None:
        result: dict[str, Any] = {"score": None, "rounded": None}
        if with_band:
            result.update(band=None, conclusion=None)
        return result
    rounded = round_half_up(score)
    result = {"score": float(score), "rounded": rounded}
    if with_band:
        band = framework.band_for(rounded)
        result.update(band=band.key, conclusion=band.conclusion)
    return result


def below_priority_line(framework: Framework, rounded_score: int) -> bool:
    """Chart 1's line: a criterion whose shown score is under it is a primary focus for improvement."""
    return Decimal(rounded_score) < framework.priority_line


def reinspection_sentence(scores: Mapping[str, Any], area: str) -> str:
    """The report's "Next steps" sentence from the thread results of ``score_answers``."""
    if any(thread.get("reinspection") for thread in scores.get("threads", {}).values()):
        return REINSPECTION_SENTENCE.format(area=area)
    return NO_REINSPECTION_SENTENCE.format(area=area)


def _counts_of(counts: QuestionCounts | Mapping[str, Any]) -> QuestionCounts:
    if isinstance(counts, QuestionCounts):
        return counts
    return QuestionCounts(yes=int(counts["yes"]), no=int(counts["no"]), na=int(counts.get("na", 0)))


def strength_sentence(question: Question, counts: QuestionCounts | Mapping[str, Any]) -> str:
    """A finding in the report's words: "A RoH screening had been completed in 85% of cases (51 of 60)".

    Uses the question's ``finding`` phrase when the framework gives one, else its text; the figure is
    the shown (rounded half up) percentage of relevant cases, with the counts so a reader can check it.
    """
    tally = _counts_of(counts)
    proportion = tally.proportion
    if proportion is None:
        subject = question.finding or question.text
        return f"No case in the sample was relevant: {subject}"
    figures = f"{round_half_up(proportion)}% of cases ({tally.yes} of {tally.relevant})"
    if question.finding:
        return f"{question.finding} in {figures}"
    return f"{question.text} Yes in {figures}"


# The inspector's call on each finding (report practice: a figure of 74% can be an area for
# improvement, as 1.2 (c)'s "risks to children ... 74%" is; no score line decides it).
CALL_STRENGTH = "strength"
CALL_AREA_FOR_IMPROVEMENT = "area"
CALL_LEFT_OUT = "omit"
FINDING_CALLS = (CALL_STRENGTH, CALL_AREA_FOR_IMPROVEMENT, CALL_LEFT_OUT)


def criterion_findings(
    framework: Framework,
    scores: Mapping[str, Any],
    criterion_id: str,
    calls: Mapping[str, str] | None = None,
) -> dict[str, list[str]]:
    """A criterion's findings from ``score_answers`` output, each with its percentage beside it.

    Whether a finding is a strength or an area for improvement is the inspector's call (``calls``:
    question id to strength, area or omit); a finding not yet called stays in ``to_call``. Questions
    with no relevant case are left out.
    """
    criterion = framework.criterion(criterion_id)
    calls = calls or {}
    found: dict[str, list[str]] = {"strengths": [], "areas_for_improvement": [], "to_call": []}
    for question in criterion.questions:
        tally = _counts_of(scores["questions"][question.id])
        if tally.proportion is None:
            continue
        sentence = strength_sentence(question, tally)
        call = calls.get(question.id)
        if call == CALL_STRENGTH:
            found["strengths"].append(sentence)
        elif call == CALL_AREA_FOR_IMPROVEMENT:
            found["areas_for_improvement"].append(sentence)
        elif call != CALL_LEFT_OUT:
            found["to_call"].append(sentence)
    return found
