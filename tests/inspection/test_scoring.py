"""Scoring, as the spec's "Scoring (Appendix 3, made exact)" states it, rule by rule."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oms.calculation_errors import CalculatorInputError
from oms.inspection.framework import Question, load_framework, parse_framework
from oms.inspection.scoring import (
    QuestionCounts,
    below_priority_line,
    criterion_findings,
    reinspection_sentence,
    round_half_up,
    score_answers,
    strength_sentence,
)


def build_framework():
    """Two scored sections sharing the RoH thread, a third outside it, and a rated section."""
    return parse_framework(
        {
            "id": "test",
            "name": "Test framework",
            "answer_values": ["yes", "no", "na"],
            "summary_weight": 0.2,
            "priority_line": 70,
            "bands": [
                {"min": 70, "key": "good", "conclusion": "Performance against this criterion was good."},
                {"min": 65, "key": "priority", "conclusion": "Priority."},
                {"min": 0, "key": "urgent", "conclusion": "Urgent."},
            ],
            "threads": {"roh": {"name": "Risk of Harm", "sections": ["1", "2"], "reinspection_below": 60}},
            "sections": [
                {
                    "id": "1",
                    "title": "One",
                    "criteria": [
                        {
                            "id": "1.1",
                            "title": "A",
                            "statement": "S.",
                            "questions": [
                                {"id": "1.1.a", "text": "A?", "threads": ["roh"]},
                                {"id": "1.1.b", "text": "B?"},
                            ],
                            "summary": {"id": "1.1.s", "text": "Overall?"},
                        },
                        {
                            "id": "1.2",
                            "title": "B",
                            "statement": "S.",
                            "questions": [{"id": "1.2.a", "text": "A?"}],
                            "summary": {"id": "1.2.s", "text": "Overall?", "threads": ["roh"]},
                        },
                    ],
                },
                {
                    "id": "2",
                    "title": "Two",
                    "criteria": [
                        {
                            "id": "2.1",
                            "title": "C",
                            "statement": "S.",
                            "questions": [{"id": "2.1.a", "text": "A?", "threads": ["roh"]}],
                            "summary": {"id": "2.1.s", "text": "Overall?"},
                        }
                    ],
                },
                {
                    "id": "3",
                    "title": "Three",
                    "criteria": [
                        {
                            "id": "3.1",
                            "title": "D",
                            "statement": "S.",
                            "questions": [{"id": "3.1.a", "text": "A?", "threads": ["roh"]}],
                            "summary": {"id": "3.1.s", "text": "Overall?"},
                        }
                    ],
                },
                {
                    "id": "4",
                    "title": "Four",
                    "rated": ["well met", "satisfactorily met", "partly met", "not met"],
                    "criteria": [
                        {"id": "4.1", "title": "L", "statement": "S."},
                        {"id": "4.2", "title": "P", "statement": "S."},
                    ],
                },
            ],
        }
    )


FRAMEWORK = build_framework()


def cases_from(columns: dict[str, list[str]]) -> dict[str, Any]:
    """Answers given per question as a column of values; case n answers the n-th value of each column."""
    length = max(len(values) for values in columns.values())
    cases = []
    for index in range(length):
        answers = {qid: values[index] for qid, values in columns.items() if index < len(values)}
        cases.append({"case": f"X{index:03d}", "answers": answers})
    return {"cases": cases}


def answers(yes: int, no: int, na: int = 0) -> list[str]:
    return ["yes"] * yes + ["no"] * no + ["na"] * na


def test_question_p_is_yes_over_yes_plus_no_and_na_does_not_count():
    result = score_answers(FRAMEWORK, cases_from({"1.1.a": answers(40, 10, 5)}))
    assert result["questions"]["1.1.a"] == {"yes": 40, "no": 10, "na": 5, "p": 80.0}


def test_criterion_weights_individual_questions_80_and_summary_20():
    # mean of individual questions (50 + 100) / 2 = 75; summary 50 -> 0.8 x 75 + 0.2 x 50 = 70
    result = score_answers(
        FRAMEWORK, cases_from({"1.1.a": answers(1, 1), "1.1.b": answers(2, 0), "1.1.s": answers(1, 1)})
    )
    assert result["criteria"]["1.1"]["score"] == pytest.approx(70.0)
    assert result["criteria"]["1.1"]["band"] == "good"


def test_question_with_no_relevant_case_is_left_out_of_the_mean():
    # 1.1.b is all na: the mean is 1.1.a alone (50), not (50 + 0) / 2
    result = score_answers(
        FRAMEWORK, cases_from({"1.1.a": answers(1, 1), "1.1.b": answers(0, 0, 2), "1.1.s": answers(1, 1)})
    )
    assert result["questions"]["1.1.b"]["p"] is None
    assert result["criteria"]["1.1"]["score"] == pytest.approx(50.0)


def test_no_relevant_summary_scores_the_mean_of_individual_questions():
    result = score_answers(FRAMEWORK, cases_from({"1.1.a": answers(3, 1), "1.1.s": answers(0, 0, 4)}))
    assert result["criteria"]["1.1"]["score"] == pytest.approx(75.0)


def test_no_relevant_individual_question_scores_the_summary():
    result = score_answers(FRAMEWORK, cases_from({"1.1.a": answers(0, 0, 3), "1.1.s": answers(2, 1)}))
    assert result["criteria"]["1.1"]["score"] == pytest.approx(200 / 3)


def test_criterion_with_nothing_relevant_is_not_scored_never_zero():
    result = score_answers(FRAMEWORK, cases_from({"1.1.a": answers(0, 0, 3), "1.2.a": answers(1, 0)}))
    assert result["criteria"]["1.1"] == {"score": None, "rounded": None, "band": None, "conclusion": None}
    # the section mean leaves the unscored criterion out
    assert result["sections"]["1"] == {"score": 100.0, "rounded": 100}
    assert result["sections"]["2"] == {"score": None, "rounded": None}


def test_section_score_is_the_unrounded_mean_of_its_criteria():
    result = score_answers(FRAMEWORK, cases_from({"1.1.a": answers(2, 1), "1.2.a": answers(1, 1)}))
    assert result["sections"]["1"]["score"] == pytest.approx((200 / 3 + 50) / 2)
    assert result["sections"]["1"]["rounded"] == 58


@pytest.mark.parametrize(
    ("score", "shown"),
    [
        (Fraction(139, 2), 70),
        (Decimal("69.5"), 70),
        (69.5, 70),
        (64.5, 65),
        (64.4, 64),
        (Fraction(129, 2), 65),
    ],
)
def test_rounding_is_half_up(score, shown):
    assert round_half_up(score) == shown


@pytest.mark.parametrize(
    ("yes", "no", "shown", "band"),
    [(139, 61, 70, "good"), (129, 71, 65, "priority"), (161, 89, 64, "urgent")],
)
def test_band_is_judged_on_the_shown_rounded_figure(yes, no, shown, band):
    # 139/200 = 69.5% shows 70 and is good; 129/200 = 64.5% shows 65 (priority); 161/250 = 64.4% shows 64
    result = score_answers(FRAMEWORK, cases_from({"1.2.s": answers(yes, no)}))
    assert result["criteria"]["1.2"]["rounded"] == shown
    assert result["criteria"]["1.2"]["band"] == band


def test_thread_score_is_the_mean_over_tagged_questions_in_its_sections_only():
    # roh: 1.1.a (section 1), 1.2.s (summary, section 1), 2.1.a (section 2); 3.1.a is tagged but in section 3
    result = score_answers(
        FRAMEWORK,
        cases_from(
            {
                "1.1.a": answers(1, 0),
                "1.2.s": answers(1, 1),
                "2.1.a": answers(0, 1),
                "3.1.a": answers(0, 5),
                "1.1.b": answers(0, 9),
            }
        ),
    )
    assert result["threads"]["roh"]["score"] == pytest.approx(50.0)


@pytest.mark.parametrize(
    ("yes", "no", "rounded", "reinspection"),
    [(59, 41, 59, True), (60, 40, 60, False), (119, 81, 60, False)],
)
def test_reinspection_when_the_rounded_roh_thread_is_below_60(yes, no, rounded, reinspection):
    # 119/200 = 59.5% shows 60: no re-inspection
    result = score_answers(FRAMEWORK, cases_from({"1.1.a": answers(yes, no)}))
    assert result["threads"]["roh"]["rounded"] == rounded
    assert result["threads"]["roh"]["reinspection"] is reinspection
    sentence = reinspection_sentence(result, "Northamptonshire")
    if reinspection:
        assert "approximately 12 months" in sentence
    else:
        assert sentence == "There will not be a further focused inspection in Northamptonshire."


def test_output_has_the_spec_shape_and_section_4_ratings():
    payload = cases_from({"1.1.a": answers(1, 0)})
    payload["ratings"] = {"4.1": "satisfactorily met"}
    result = score_answers(FRAMEWORK, payload)
    assert set(result) == {"framework", "questions", "criteria", "sections", "threads", "ratings"}
    assert result["framework"] == "test"
    assert result["ratings"] == {"4.1": "satisfactorily met", "4.2": None}
    assert set(result["sections"]) == {"1", "2", "3"}
    assert set(result["criteria"]["1.1"]) == {"score", "rounded", "band", "conclusion"}
    assert result["criteria"]["1.1"]["conclusion"] == "Performance against this criterion was good."


def rejected(payload: Any) -> CalculatorInputError:
    with pytest.raises(CalculatorInputError) as caught:
        score_answers(FRAMEWORK, payload)
    assert caught.value.code == "answers_invalid"
    return caught.value


def test_unknown_question_ids_and_answer_values_are_all_named():
    payload = {
        "cases": [
            {"case": "A", "answers": {"1.1.a": "yes"}},
            {"case": "B", "answers": {"1.1.a": "maybe"}},
            {"case": "C", "answers": {}},
            {"case": "D", "answers": {"1.9.z": "yes", "1.1.b": True}},
        ]
    }
    error = rejected(payload)
    assert error.fields == ["cases[1].answers.1.1.a", "cases[3].answers.1.9.z", "cases[3].answers.1.1.b"]
    assert "cases[3].answers.1.9.z: unknown question" in error.message
    assert "'maybe'" in error.message


def test_malformed_cases_and_ratings_are_named():
    payload = {
        "cases": [{"case": "A", "answers": {}}, {"case": "A", "answers": {}}, {"answers": {}}, {"case": "Z"}],
        "ratings": {"4.1": "brilliant", "1.1": "well met", "4.9": "well met"},
        "notes": "x",
    }
    error = rejected(payload)
    assert set(error.fields) == {
        "notes",
        "cases[1].case",
        "cases[2].case",
        "cases[3].answers",
        "ratings.4.1",
        "ratings.1.1",
        "ratings.4.9",
    }


def test_strength_sentence_reads_like_the_report():
    question = Question(
        id="1.2.a", text="Was a RoH screening completed?", finding="A RoH screening had been completed"
    )
    assert strength_sentence(question, QuestionCounts(yes=51, no=9, na=4)) == (
        "A RoH screening had been completed in 85% of cases (51 of 60)"
    )
    assert strength_sentence(question, {"yes": 51, "no": 9, "na": 0, "p": 85.0}).endswith("(51 of 60)")
    plain = Question(id="x", text="Was it done?")
    assert (
        strength_sentence(plain, QuestionCounts(yes=1, no=1)) == "Was it done? Yes in 50% of cases (1 of 2)"
    )


def test_a_finding_is_a_strength_or_an_area_for_improvement_by_the_inspectors_call_not_a_line():
    omi = load_framework("omi-2007")
    result = score_answers(
        omi,
        cases_from({"1.2.a": answers(51, 9), "1.2.i": answers(3, 1) + ["na"] * 56, "1.2.f": answers(23, 8)}),
    )
    screening = "A RoH screening had been completed at the start of the sentence or on release in 85% of cases (51 of 60)"
    children = "Risk to children had been adequately considered in 74% of cases (23 of 31)"
    plan = "The risk management plan had been completed within five working days in 75% of cases (3 of 4)"
    draft = criterion_findings(omi, result, "1.2")
    assert draft == {"strengths": [], "areas_for_improvement": [], "to_call": [screening, children, plan]}
    # As the report does: 74% for children is an area for improvement, above the priority line.
    called = criterion_findings(omi, result, "1.2", {"1.2.a": "strength", "1.2.f": "area", "1.2.i": "omit"})
    assert called == {"strengths": [screening], "areas_for_improvement": [children], "to_call": []}


def test_shipped_framework_scores_a_sample():
    omi = load_framework("omi-2007")
    payload = {
        "cases": [
            {
                "case": f"C{i}",
                "answers": {
                    qid: ("yes" if (i + n) % 3 else "no") for n, qid in enumerate(omi.questions_by_id)
                },
            }
            for i in range(30)
        ],
        "ratings": {"4.1": "satisfactorily met", "4.2": "well met"},
    }
    result = score_answers(omi, payload)
    assert set(result["criteria"]) == {c.id for s in omi.scored_sections for c in s.criteria}
    assert set(result["ratings"]) == {"4.1", "4.2", "4.3", "4.4", "4.5", "4.6"}
    assert all(0 <= c["score"] <= 100 for c in result["criteria"].values())


# --- properties ------------------------------------------------------------------------------------

QUESTION_IDS = sorted(FRAMEWORK.questions_by_id)
answer_maps = st.dictionaries(st.sampled_from(QUESTION_IDS), st.sampled_from(["yes", "no", "na"]))
samples = st.lists(answer_maps, max_size=12)


def payload_of(answer_list: list[dict[str, str]], names: list[str] | None = None) -> dict[str, Any]:
    names = names or [f"case{i}" for i in range(len(answer_list))]
    return {"cases": [{"case": n, "answers": a} for n, a in zip(names, answer_list, strict=True)]}


def scores_only(result: dict[str, Any]) -> dict[str, Any]:
    return {
        "questions": {qid: q["p"] for qid, q in result["questions"].items()},
        "criteria": result["criteria"],
        "sections": result["sections"],
        "threads": result["threads"],
    }


@settings(max_examples=200)
@given(samples)
def test_every_score_is_within_0_and_100(answer_list):
    result = score_answers(FRAMEWORK, payload_of(answer_list))
    for group in ("criteria", "sections", "threads"):
        for item in result[group].values():
            if item["score"] is not None:
                assert 0 <= item["score"] <= 100
                assert 0 <= item["rounded"] <= 100
    for question in result["questions"].values():
        assert question["p"] is None or 0 <= question["p"] <= 100


@settings(max_examples=150)
@given(samples, st.randoms(use_true_random=False))
def test_relabelling_and_permuting_cases_changes_nothing(answer_list, rng):
    shuffled = list(answer_list)
    rng.shuffle(shuffled)
    names = [f"other-{rng.random()}-{i}" for i in range(len(shuffled))]
    assert score_answers(FRAMEWORK, payload_of(answer_list)) == score_answers(
        FRAMEWORK, payload_of(shuffled, names)
    )


@settings(max_examples=150)
@given(samples, st.sampled_from(QUESTION_IDS), st.booleans())
def test_adding_a_not_relevant_answer_changes_no_score(answer_list, question_id, as_new_case):
    before = score_answers(FRAMEWORK, payload_of(answer_list))
    extended = [dict(a) for a in answer_list]
    if as_new_case or not extended or question_id in extended[0]:
        extended.append({question_id: "na"})
    else:
        extended[0][question_id] = "na"
    after = score_answers(FRAMEWORK, payload_of(extended))
    assert scores_only(after) == scores_only(before)


# --- boundaries: Chart 1's priority line, the next-steps sentence, counts without N/A -----------------


@pytest.mark.parametrize(("shown", "below"), [(69, True), (70, False), (71, False)])
def test_a_criterion_shown_at_the_priority_line_is_not_below_it(shown, below):
    assert below_priority_line(build_framework(), shown) is below


def test_the_next_steps_sentence_names_the_area_either_way():
    assert reinspection_sentence({"threads": {"roh": {"reinspection": True}}}, "Northamptonshire") == (
        "A further focused inspection will be carried out in Northamptonshire approximately 12 months after "
        "the original Offender Management Inspection."
    )
    assert reinspection_sentence({"threads": {"roh": {"reinspection": False}}}, "Northamptonshire") == (
        "There will not be a further focused inspection in Northamptonshire."
    )
    assert reinspection_sentence({}, "Northamptonshire") == (
        "There will not be a further focused inspection in Northamptonshire."
    )


def test_counts_given_without_not_applicable_answers_have_none():
    question = Question(id="x", text="Was it done?")
    assert strength_sentence(question, {"yes": 3, "no": 1}) == "Was it done? Yes in 75% of cases (3 of 4)"


def test_a_question_with_no_relevant_case_says_so_in_its_own_words():
    found = Question(id="x", text="Was it done?", finding="It had been done")
    assert strength_sentence(found, QuestionCounts(yes=0, no=0, na=5)) == (
        "No case in the sample was relevant: It had been done"
    )
    plain = Question(id="y", text="Was it done?")
    assert (
        strength_sentence(plain, {"yes": 0, "no": 0, "na": 2})
        == "No case in the sample was relevant: Was it done?"
    )


# --- bad answers: each kind names its field, in the message the command prints and the form shows ----


@pytest.mark.parametrize("payload", [[], None, "cases", 3])
def test_answers_that_are_not_an_object_are_refused_as_a_whole(payload):
    error = rejected(payload)
    assert error.message == "answers: must be a JSON object"
    assert error.fields == ["answers"]


@pytest.mark.parametrize(
    ("payload", "message", "fields"),
    [
        ({}, "answers: cases: missing", ["cases"]),
        ({"cases": "X001"}, "answers: cases: must be a list", ["cases"]),
        ({"cases": {"case": "X001"}}, "answers: cases: must be a list", ["cases"]),
        ({"cases": [], "notes": "x"}, "answers: notes: unknown key", ["notes"]),
        ({"cases": [], "ratings": ["4.1"]}, "answers: ratings: must be an object", ["ratings"]),
    ],
)
def test_a_bad_top_level_key_is_named(payload, message, fields):
    error = rejected(payload)
    assert error.message == message
    assert error.fields == fields


def test_each_malformed_case_is_named_by_its_position_and_the_cases_after_it_are_still_checked():
    error = rejected(
        {
            "cases": [
                "X001",
                {"case": "X002", "answers": {}, "notes": "x"},
                {"case": "", "answers": {}},
                {"case": 3, "answers": {}},
                {"answers": {}},
                {"case": "X006", "answers": ["yes"]},
                {"case": "X007"},
                {"case": "X008", "answers": {"1.9.z": "yes"}},
            ]
        }
    )
    assert error.message == (
        "answers: cases[0]: must be an object with case and answers; "
        "cases[1].notes: unknown key; "
        "cases[2].case: must be a non-empty string; "
        "cases[3].case: must be a non-empty string; "
        "cases[4].case: missing; "
        "cases[5].answers: must be an object; "
        "cases[6].answers: missing; "
        "cases[7].answers.1.9.z: unknown question"
    )
    assert error.fields == [
        "cases[0]",
        "cases[1].notes",
        "cases[2].case",
        "cases[3].case",
        "cases[4].case",
        "cases[5].answers",
        "cases[6].answers",
        "cases[7].answers.1.9.z",
    ]


def test_a_case_given_twice_names_both_places():
    error = rejected(
        {
            "cases": [
                {"case": "X001", "answers": {}},
                {"case": "X002", "answers": {}},
                {"case": "X001", "answers": {}},
            ]
        }
    )
    assert error.message == "answers: cases[2].case: duplicate case 'X001' (also cases[0])"
    assert error.fields == ["cases[2].case"]


def test_an_unknown_answer_value_lists_the_values_the_framework_allows():
    error = rejected({"cases": [{"case": "X001", "answers": {"1.1.a": "maybe"}}]})
    assert error.message == (
        "answers: cases[0].answers.1.1.a: unknown answer value 'maybe' (expected one of yes, no, na)"
    )


def test_each_bad_rating_is_named_and_a_criterion_not_yet_rated_is_allowed():
    error = rejected(
        {
            "cases": [],
            "ratings": {"4.1": None, "4.2": "brilliant", "1.1": "well met", "4.9": "well met"},
        }
    )
    assert error.message == (
        "answers: ratings.4.2: unknown rating 'brilliant' "
        "(expected one of well met, satisfactorily met, partly met, not met); "
        "ratings.1.1: criterion is scored from cases, not rated; "
        "ratings.4.9: unknown criterion"
    )
    assert error.fields == ["ratings.4.2", "ratings.1.1", "ratings.4.9"]
    result = score_answers(FRAMEWORK, {"cases": [], "ratings": {"4.1": None, "4.2": "partly met"}})
    assert result["ratings"] == {"4.1": None, "4.2": "partly met"}


def test_a_thread_with_no_relevant_answer_is_not_scored_and_calls_for_no_reinspection_either_way():
    result = score_answers(FRAMEWORK, cases_from({"1.1.b": answers(3, 1)}))
    assert result["threads"]["roh"] == {"score": None, "rounded": None, "reinspection": None}


def test_a_scored_thread_and_section_have_no_band_only_criteria_do():
    result = score_answers(FRAMEWORK, cases_from({"1.1.a": answers(3, 1)}))
    assert result["threads"]["roh"] == {"score": 75.0, "rounded": 75, "reinspection": False}
    assert result["sections"]["1"] == {"score": 75.0, "rounded": 75}
