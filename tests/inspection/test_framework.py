"""Framework YAML: the shipped omi-2007 and the schema errors an author sees (spec "Frameworks are data")."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import pytest
import yaml

from oms.calculation_errors import CalculatorInputError
from oms.inspection.framework import (
    list_shipped_frameworks,
    load_framework,
    parse_framework,
    parse_framework_yaml,
)

SUMMARY_TEXT = "Overall, was the work on this criterion sufficient?"

# The report's Appendix 3 list of general criteria, titles as the report gives them.
REPORT_CRITERIA = {
    "1.1": "Preparing for sentence",
    "1.2": "Assessment of risk of harm",
    "1.3": "Assessment of likelihood of reoffending",
    "1.4": "Assessment of offender engagement",
    "1.5": "Sentence planning",
    "2.1": "Delivering the sentence plan",
    "2.2": "Protecting the public by minimising risk of harm",
    "2.3": "Victims",
    "2.4": "Ensuring containment and promoting compliance (Punish)",
    "2.5": "Constructive interventions (Help and Change)",
    "2.6": "Restrictive interventions (Control)",
    "2.7": "Diversity issues",
    "3.1": "Achievement of initial outcomes",
    "3.2": "Sustainability of progress",
    "4.1": "Leadership and planning",
    "4.2": "Performance against national and regional targets",
    "4.3": "Resource deployment",
    "4.4": "Workforce planning and development",
    "4.5": "Review and evaluation",
    "4.6": "Commissioning of services",
}

# The report's published criterion scores with the conclusion printed under each.
PUBLISHED_SCORES = [
    ("1.1", 80, "good"),
    ("1.2", 69, "priority"),
    ("1.3", 71, "good"),
    ("1.4", 74, "good"),
    ("1.5", 72, "good"),
    ("2.1", 61, "urgent"),
    ("2.2", 59, "urgent"),
    ("2.3", 68, "priority"),
    ("2.4", 79, "good"),
    ("2.5", 67, "priority"),
    ("2.6", 75, "good"),
    ("3.1", 58, "urgent"),
    ("3.2", 60, "urgent"),
]

PREFILL_CODES_FROM_THE_BRIEF = {
    "roh_screening_at_start",
    "rmp_within_5_wd",
    "sentence_plan_review_16_weeks",
    "victim_written_offer_40_wd",
    "initial_sentence_plan_on_time",
    "full_analysis_where_indicated",
    "home_visit_high_roh_10_wd",
    "breach_within_10_wd",
    "warning_on_first_failure",
    "court_report_on_time",
    "ogrs3_recorded",
    "needs_assessed",
    "countersigned_within_5_wd",
}


@pytest.fixture(scope="module")
def omi():
    return load_framework("omi-2007")


def test_omi_2007_is_shipped_and_loads_by_id(omi):
    assert "omi-2007" in list_shipped_frameworks()
    assert omi.id == "omi-2007"
    assert omi.answer_values == ("yes", "no", "na")
    assert omi.summary_weight == Decimal("0.2")
    assert omi.priority_line == 70
    assert [b.key for b in omi.bands] == ["good", "priority", "urgent"]
    roh = omi.threads[0]
    assert (roh.id, roh.sections, roh.reinspection_below) == ("roh", ("1", "2"), 60)


def test_every_shipped_framework_id_matches_its_file_name():
    for framework_id in list_shipped_frameworks():
        assert load_framework(framework_id).id == framework_id


def test_criteria_carry_the_report_titles(omi):
    titles = {c.id: c.title for s in omi.sections for c in s.criteria}
    assert titles == REPORT_CRITERIA


def test_section_4_is_rated_not_scored(omi):
    section_4 = omi.sections[3]
    assert section_4.rated == ("well met", "satisfactorily met", "partly met", "not met")
    assert all(not c.questions and c.summary is None for c in section_4.criteria)


def test_every_scored_criterion_has_a_summary_question_and_6_to_16_questions(omi):
    for section in omi.scored_sections:
        for criterion in section.criteria:
            assert criterion.summary is not None, criterion.id
            assert criterion.summary.id == f"{criterion.id}.s"
            assert criterion.summary.text == SUMMARY_TEXT
            assert 6 <= len(criterion.questions) <= 16, criterion.id
            assert criterion.statement


def test_question_ids_are_unique_and_stable(omi):
    ids = [q.id for s in omi.sections for c in s.criteria for q in c.all_questions]
    assert len(ids) == len(set(ids))
    for section in omi.scored_sections:
        for criterion in section.criteria:
            for question in criterion.questions:
                assert question.id.startswith(criterion.id + ".")


def test_risk_of_harm_questions_are_tagged(omi):
    for criterion_id in ("1.2", "2.2"):
        assert all("roh" in q.threads for q in omi.criterion(criterion_id).all_questions)
    for question in omi.questions_by_id.values():
        if "RoH" in question.text or "risk of harm" in question.text.lower():
            assert "roh" in question.threads, question.id


# Figures the report prints separately, each "in x% of cases": every one has its own question (issue 14).
SEPARATE_FIGURES = [
    ("1.2.f", "children"), ("1.2.g", "known adults"), ("1.2.m", "staff"),
    ("1.5.g", "contact levels"), ("1.5.m", "enforceable"), ("1.5.n", "who would deliver"),
    ("2.1.a", "prepared thoroughly"), ("2.1.m", "reinforced"),
    ("3.1.k", "punishment"), ("3.1.m", "helped"), ("3.1.n", "controlled"), ("3.1.o", "change"),
]  # fmt: skip


@pytest.mark.parametrize(("question_id", "words"), SEPARATE_FIGURES)
def test_each_figure_the_report_prints_separately_has_its_own_question(omi, question_id, words):
    question = omi.questions_by_id[question_id]
    assert words in question.text.lower()
    others = [w for q, w in SEPARATE_FIGURES if q != question_id and q[:3] == question_id[:3]]
    assert not any(other in question.text.lower() for other in others)


def test_the_statement_the_report_lost_is_marked_as_written_by_the_project(omi):
    assert omi.criterion("2.7").statement_written_by_project
    written = [c.id for s in omi.sections for c in s.criteria if c.statement_written_by_project]
    assert written == ["2.7"]


def test_a_statement_source_other_than_report_or_project_is_named():
    data = minimal()
    data["sections"][0]["criteria"][0]["statement_source"] = "guess"
    assert errors_of(data).fields == ["sections[0].criteria[0].statement_source"]


def test_prefill_rule_codes_named_in_the_brief_are_all_used(omi):
    used = {q.prefill for q in omi.questions_by_id.values() if q.prefill}
    assert used >= PREFILL_CODES_FROM_THE_BRIEF


@pytest.mark.parametrize(("criterion_id", "published", "band"), PUBLISHED_SCORES)
def test_bands_reproduce_the_reports_published_conclusions(omi, criterion_id, published, band):
    assert omi.band_for(published).key == band


# --- schema errors --------------------------------------------------------------------------------


def minimal() -> dict[str, Any]:
    return {
        "id": "audit",
        "name": "Area audit",
        "answer_values": ["yes", "no", "na"],
        "summary_weight": 0.2,
        "priority_line": 70,
        "bands": [
            {"min": 70, "key": "good", "conclusion": "Good."},
            {"min": 0, "key": "urgent", "conclusion": "Urgent."},
        ],
        "threads": {"roh": {"name": "Risk of Harm", "sections": ["1"], "reinspection_below": 60}},
        "sections": [
            {
                "id": "1",
                "title": "Assessment",
                "criteria": [
                    {
                        "id": "1.1",
                        "title": "One",
                        "statement": "Statement.",
                        "questions": [
                            {"id": "1.1.a", "text": "A?", "threads": ["roh"]},
                            {"id": "1.1.b", "text": "B?", "prefill": "rmp_within_5_wd"},
                        ],
                        "summary": {"id": "1.1.s", "text": "Overall?"},
                    }
                ],
            }
        ],
    }


def errors_of(data: Any) -> CalculatorInputError:
    with pytest.raises(CalculatorInputError) as caught:
        parse_framework(data)
    assert caught.value.code == "framework_invalid"
    return caught.value


def test_minimal_framework_is_valid():
    framework = parse_framework(minimal())
    assert framework.questions_by_id["1.1.b"].prefill == "rmp_within_5_wd"


def test_missing_question_id_names_its_path():
    data = minimal()
    del data["sections"][0]["criteria"][0]["questions"][1]["id"]
    error = errors_of(data)
    assert error.fields == ["sections[0].criteria[0].questions[1].id"]
    assert "sections[0].criteria[0].questions[1].id: missing" in error.message


def test_unknown_keys_are_named_at_every_level():
    data = minimal()
    data["colour"] = "red"
    data["sections"][0]["criteria"][0]["weight"] = 2
    data["sections"][0]["criteria"][0]["questions"][0]["hint"] = "x"
    error = errors_of(data)
    assert set(error.fields) == {
        "colour",
        "sections[0].criteria[0].weight",
        "sections[0].criteria[0].questions[0].hint",
    }


def test_duplicate_question_ids_are_named_with_the_first_occurrence():
    data = minimal()
    data["sections"][0]["criteria"][0]["summary"]["id"] = "1.1.a"
    error = errors_of(data)
    assert error.fields == ["sections[0].criteria[0].summary.id"]
    assert "duplicate question id '1.1.a'" in error.message
    assert "sections[0].criteria[0].questions[0]" in error.message


def test_thread_naming_an_unknown_section():
    data = minimal()
    data["threads"]["roh"]["sections"] = ["1", "9"]
    assert errors_of(data).fields == ["threads.roh.sections[1]"]


def test_question_tagged_with_an_unknown_thread():
    data = minimal()
    data["sections"][0]["criteria"][0]["questions"][0]["threads"] = ["rho"]
    assert errors_of(data).fields == ["sections[0].criteria[0].questions[0].threads[0]"]


def test_bands_not_descending():
    data = minimal()
    data["bands"] = [
        {"min": 0, "key": "urgent", "conclusion": "Urgent."},
        {"min": 70, "key": "good", "conclusion": "Good."},
    ]
    error = errors_of(data)
    assert "bands[1].min" in error.fields
    assert "descending" in error.message


def test_lowest_band_must_start_at_zero():
    data = minimal()
    data["bands"][1]["min"] = 10
    assert errors_of(data).fields == ["bands[1].min"]


@pytest.mark.parametrize("values", [["yes", "no"], ["yes", "na"], ["no", "na"]])
def test_answer_values_must_contain_yes_no_and_na(values):
    data = minimal()
    data["answer_values"] = values
    assert errors_of(data).fields == ["answer_values"]


def test_rated_section_rejects_questions_and_needs_ratings():
    data = minimal()
    data["sections"].append(
        {
            "id": "4",
            "title": "Leadership",
            "rated": [],
            "criteria": [{"id": "4.1", "title": "L", "statement": "S.", "questions": []}],
        }
    )
    assert set(errors_of(data).fields) == {"sections[1].rated", "sections[1].criteria[0].questions"}


def test_every_error_is_reported_at_once():
    data = copy.deepcopy(minimal())
    del data["name"]
    data["summary_weight"] = 2
    data["sections"][0]["criteria"][0]["summary"] = {"text": "Overall?"}
    error = errors_of(data)
    assert set(error.fields) == {"name", "summary_weight", "sections[0].criteria[0].summary.id"}


def test_unquoted_numeric_id_is_refused_not_misread():
    text = yaml.safe_dump(minimal()).replace("id: '1.1'", "id: 1.10")
    with pytest.raises(CalculatorInputError) as caught:
        parse_framework_yaml(text)
    assert "sections[0].criteria[0].id" in caught.value.fields


def test_bare_yes_and_no_in_yaml_are_answer_values_not_booleans():
    text = yaml.safe_dump(minimal()).replace("- 'yes'", "- yes").replace("- 'no'", "- no")
    assert "- yes" in text
    assert parse_framework_yaml(text).answer_values == ("yes", "no", "na")


def test_broken_yaml_syntax_names_the_source():
    with pytest.raises(CalculatorInputError) as caught:
        parse_framework_yaml("id: [unclosed", "area.yaml")
    assert "area.yaml" in caught.value.message


def test_broken_yaml_file_names_key_and_path(tmp_path):
    data = minimal()
    del data["sections"][0]["criteria"][0]["questions"][0]["text"]
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(CalculatorInputError) as caught:
        load_framework(path)
    assert caught.value.fields == ["sections[0].criteria[0].questions[0].text"]
    assert str(path) in caught.value.message


def test_unknown_framework_id():
    with pytest.raises(CalculatorInputError) as caught:
        load_framework("omi-1999")
    assert caught.value.code == "framework_unknown"
    assert caught.value.fields == ["framework"]
    assert "omi-2007" in caught.value.message
