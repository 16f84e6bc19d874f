"""Both sampling methods (spec "Sampling"): reproducible, rule by rule, with their adjustments recorded."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oms.calculation_errors import CalculatorInputError
from oms.inspection.sampling import (
    SamplingCandidate,
    calculate_sample_sizes,
    candidates_from_json,
    months_before,
    sample_omi,
    sample_stratified,
)

AS_OF = date(2007, 2, 1)


def candidate(number: int, **overrides: Any) -> SamplingCandidate:
    values: dict[str, Any] = {
        "crn": f"X{number:05d}",
        "first_name": f"First{number}",
        "family_name": f"Family{number}",
        "date_of_birth": date(1970, 1, 1) + timedelta(days=number),
        "pnc": f"PNC{number}",
        "gender": "male",
        "start_date": AS_OF - timedelta(days=180),
        "event_kind": "community",
        "risk_of_harm_level": "low",
        "officer": "Officer A",
        "unit": "Unit 1",
        "cluster": "North",
    }
    values.update(overrides)
    return SamplingCandidate(**values)


def population(count: int, seed: int = 1, flag_rate: float = 0.15) -> list[SamplingCandidate]:
    """A synthetic caseload: 3 clusters x 2 units x 5 officers, mixed strata, some of each flag."""
    rng = random.Random(seed)
    people = []
    for number in range(count):
        cluster = rng.choice(["North", "South", "West"])
        unit = f"{cluster} {rng.choice(['1', '2'])}"
        people.append(
            candidate(
                number,
                gender=rng.choice(["male"] * 8 + ["female"] * 2),
                event_kind=rng.choice(["community", "community", "licence", "custody"]),
                risk_of_harm_level=rng.choice(["low", "low", "medium", "high", "very_high"]),
                start_date=AS_OF - timedelta(days=rng.randint(100, 260)),
                officer=f"{unit} officer {rng.randint(1, 5)}",
                unit=unit,
                cluster=cluster,
                is_ppo=rng.random() < flag_rate,
                in_approved_premises=rng.random() < flag_rate / 3,
                statutory_victim_contact=rng.random() < flag_rate,
                is_minority_ethnic=rng.random() < flag_rate,
            )
        )
    return people


CASELOAD = population(1500)


# --- OMI (Appendix 2) -----------------------------------------------------------------------------


def test_omi_same_seed_gives_the_same_sample_whatever_the_input_order():
    first = sample_omi(CASELOAD, 100, seed=7, as_of=AS_OF)
    shuffled = list(CASELOAD)
    random.Random(3).shuffle(shuffled)
    assert sample_omi(shuffled, 100, seed=7, as_of=AS_OF) == first


def test_omi_different_seed_gives_a_different_sample():
    first = {c["crn"] for c in sample_omi(CASELOAD, 100, seed=7, as_of=AS_OF)["cases"]}
    second = {c["crn"] for c in sample_omi(CASELOAD, 100, seed=8, as_of=AS_OF)["cases"]}
    assert first != second


def test_omi_draws_community_orders_and_licences_4_to_8_months_old():
    result = sample_omi(CASELOAD, 100, seed=1, as_of=AS_OF)
    by_crn = {c.crn: c for c in CASELOAD}
    assert len(result["cases"]) == 100
    for row in result["cases"]:
        case = by_crn[row["crn"]]
        assert case.event_kind.value in ("community", "licence")
        assert months_before(AS_OF, 8) <= case.start_date <= months_before(AS_OF, 4)


def test_omi_minima_are_met_by_recorded_replacements():
    minima = {
        "high_roh": 40,
        "ppo": 20,
        "approved_premises": 8,
        "statutory_victim_contact": 20,
        "minority_ethnic": 20,
    }
    result = sample_omi(CASELOAD, 100, seed=5, as_of=AS_OF, minima=minima)
    by_crn = {c.crn: c for c in CASELOAD}
    sampled = [by_crn[row["crn"]] for row in result["cases"]]
    assert len(sampled) == 100
    assert sum(c.is_high_risk_of_harm for c in sampled) >= 40
    assert sum(c.is_ppo for c in sampled) >= 20
    assert sum(c.in_approved_premises for c in sampled) >= 8
    assert sum(c.statutory_victim_contact for c in sampled) >= 20
    assert sum(c.is_minority_ethnic for c in sampled) >= 20
    assert result["shortfalls"] == []
    assert result["adjustments"]
    crns = {row["crn"] for row in result["cases"]}
    for adjustment in result["adjustments"]:
        assert adjustment["added"] in crns
        assert adjustment["replaced"] not in crns
    topped_up = {row["crn"] for row in result["cases"] if row["stratum"].startswith("minimum:")}
    assert topped_up == {a["added"] for a in result["adjustments"]}


def test_omi_minimum_that_cannot_be_met_gives_a_clear_message():
    caseload = [candidate(n, in_approved_premises=n < 2) for n in range(150)]
    result = sample_omi(caseload, 100, seed=1, as_of=AS_OF)
    assert sum(1 for row in result["cases"] if row["crn"] in {"X00000", "X00001"}) == 2
    assert any(
        "approved premises" in message and "only 2 eligible" in message and "3" in message
        for message in result["shortfalls"]
    )


def test_omi_too_few_eligible_cases_is_reported():
    result = sample_omi(CASELOAD[:50], 100, seed=1, as_of=AS_OF, minima={})
    assert len(result["cases"]) == result["eligible"] < 100
    assert "months before 1 February 2007; " in result["shortfalls"][0]  # the service's one date format
    assert "not 100" in result["shortfalls"][0]


def test_omi_assigns_about_a_third_to_area_assessors():
    result = sample_omi(CASELOAD, 100, seed=2, as_of=AS_OF)
    roles = Counter(row["assessor_role"] for row in result["cases"])
    assert roles == {"area_assessor": 33, "inspector": 67}
    assert result["method"] == "omi" and result["seed"] == 2 and result["size"] == 100


def test_omi_unknown_minimum_is_named():
    with pytest.raises(CalculatorInputError) as caught:
        sample_omi(CASELOAD, 100, seed=1, as_of=AS_OF, minima={"sex_offender": 3})
    assert caught.value.fields == ["minima.sex_offender"]


# --- Stratified -----------------------------------------------------------------------------------


def test_stratified_same_seed_same_sample_different_seed_differs():
    first = sample_stratified(CASELOAD, 100, seed=11, as_of=AS_OF)
    assert sample_stratified(CASELOAD, 100, seed=11, as_of=AS_OF) == first
    other = sample_stratified(CASELOAD, 100, seed=12, as_of=AS_OF)
    assert {r["crn"] for r in other["cases"]} != {r["crn"] for r in first["cases"]}


def test_stratified_takes_the_target_with_buffer_and_strata_in_proportion():
    result = sample_stratified(CASELOAD, 100, seed=1, as_of=AS_OF)
    assert result["target"] == 120
    assert len(result["cases"]) == 120
    strata = {name: group["cases"] for name, group in result["groups"].items()}
    expected = calculate_sample_sizes({"size": 100, "buffer_percent": 20, "groups": strata})
    sampled = Counter(row["stratum"] for row in result["cases"])
    total = sum(strata.values())
    for name, cases in strata.items():
        assert sampled[name] == expected["groups"][name]["count"]
        assert abs(sampled[name] - 120 * cases / total) <= 2


def test_stratified_no_officer_holds_more_than_six_cases():
    result = sample_stratified(CASELOAD, 300, seed=3, as_of=AS_OF)
    per_officer = Counter(row["officer"] for row in result["cases"])
    assert max(per_officer.values()) <= 6


def test_stratified_rows_are_numbered_by_stratum_cluster_unit_officer():
    result = sample_stratified(CASELOAD, 100, seed=4, as_of=AS_OF)
    rows = result["cases"]
    assert [r["row"] for r in rows] == [f"{i:03d}" for i in range(1, len(rows) + 1)]
    order = [
        "female",
        "male_community_low",
        "male_community_non_low",
        "male_post_custody_low",
        "male_post_custody_non_low",
    ]
    keys = [(order.index(r["stratum"]), r["cluster"], r["unit"], r["officer"]) for r in rows]
    assert keys == sorted(keys)
    assert len({r["crn"] for r in rows}) == len(rows)


def test_stratified_audit_trail_covers_every_level():
    result = sample_stratified(CASELOAD, 100, seed=4, as_of=AS_OF)
    female = result["groups"]["female"]
    assert female["changes"][:2] == [f"initial {female['changes'][0].split()[1]}", female["changes"][1]]
    assert female["changes"][1].startswith("with buffer")
    cluster = next(iter(female["clusters"].values()))
    unit = next(iter(cluster["units"].values()))
    officer = next(iter(unit["officers"].values()))
    for group in (cluster, unit, officer):
        assert set(group) >= {"cases", "percent", "count", "changes"}
        assert group["changes"][0].startswith("initial")
        assert not any(change.startswith("with buffer") for change in group["changes"])
    assert sum(c["count"] for c in female["clusters"].values()) == female["count"]


def test_officer_cap_moves_cases_to_colleagues_in_the_unit_and_records_it():
    busy = [candidate(n, officer="Busy", gender="female") for n in range(30)]
    quiet = [candidate(100 + n, officer="Quiet", gender="female") for n in range(10)]
    result = sample_stratified(busy + quiet, 10, seed=1, as_of=AS_OF)
    per_officer = Counter(row["officer"] for row in result["cases"])
    # target 12: Busy's proportional 9 is cut to 6 and Quiet takes 3 more (3 + 3 = 6)
    assert per_officer == {"Busy": 6, "Quiet": 6}
    officers = result["groups"]["female"]["clusters"]["North"]["units"]["Unit 1"]["officers"]
    assert officers["Busy"]["changes"][-1] == "decreased for officer cap to 6"
    assert officers["Quiet"]["changes"][-1] == "increased for officer cap to 6"
    moved = [a for a in result["adjustments"] if a["kind"] == "officer_cap_moved"]
    assert len(moved) == 3


def test_officer_cap_drops_a_case_no_one_can_take_and_reports_it():
    busy = [candidate(n, officer="Busy", gender="female") for n in range(30)]
    result = sample_stratified(busy, 10, seed=1, as_of=AS_OF)
    assert len(result["cases"]) == 6
    assert len(result["shortfalls"]) == 6
    assert "dropped" in result["shortfalls"][0]
    assert result["groups"]["female"]["changes"][-1] == "decreased for officer cap to 6"


def eligible_crns(caseload: list[SamplingCandidate]) -> set[str]:
    result = sample_stratified(caseload, 1000, seed=1, as_of=AS_OF, officer_cap=1000)
    return {row["crn"] for row in result["cases"]}


def test_exclusions_redacted_not_started_and_no_gender():
    caseload = [
        candidate(1),
        candidate(2, first_name="J*"),
        candidate(3, family_name="*****"),
        candidate(4, start_date=AS_OF + timedelta(days=1)),
        candidate(5, start_date=AS_OF),
        candidate(6, gender=None),
        candidate(7, gender="other"),
        candidate(8, gender="F"),
    ]
    assert eligible_crns(caseload) == {"X00001", "X00005", "X00008"}
    reasons = {a["crn"]: a["reason"] for a in sample_stratified(caseload, 10, 1, AS_OF)["adjustments"]}
    assert reasons == {
        "X00002": "redacted",
        "X00003": "redacted",
        "X00004": "not yet started",
        "X00006": "neither male nor female recorded",
        "X00007": "neither male nor female recorded",
    }


def test_same_person_keeps_only_the_earliest_case():
    older = AS_OF - timedelta(days=300)
    caseload = [
        candidate(1, pnc="99/1A"),
        candidate(2, pnc="99/1a ", start_date=older),  # same PNC, earlier: kept
        candidate(3, pnc=None, first_name="Ann", family_name="Lee", date_of_birth=date(1980, 5, 5)),
        candidate(
            4, pnc=None, first_name="ann", family_name="LEE", date_of_birth=date(1980, 5, 5)
        ),  # tie: first kept
        candidate(
            5, pnc=None, first_name="Ann", family_name="Lee", date_of_birth=date(1981, 5, 5)
        ),  # other DOB
    ]
    assert eligible_crns(caseload) == {"X00002", "X00003", "X00005"}


def test_same_person_whose_earliest_case_is_excluded_is_left_out():
    caseload = [
        candidate(1, pnc="P1", first_name="B*b", start_date=AS_OF - timedelta(days=400)),
        candidate(2, pnc="P1"),
        candidate(3),
    ]
    assert eligible_crns(caseload) == {"X00003"}
    reasons = {a["crn"]: a["reason"] for a in sample_stratified(caseload, 10, 1, AS_OF)["adjustments"]}
    assert reasons["X00002"] == "same person as X00001, whose earliest case is excluded"


def test_candidates_from_json_names_every_bad_field():
    good = {
        "crn": "X1",
        "first_name": "A",
        "family_name": "B",
        "start_date": "2006-09-01",
        "event_kind": "licence",
        "risk_of_harm_level": "very high",
        "gender": "M",
        "officer": "O",
        "unit": "U",
        "cluster": "C",
        "is_ppo": True,
    }
    [built] = candidates_from_json([good])
    assert built.is_high_risk_of_harm and built.is_ppo and built.gender == "male"
    bad = dict(good, start_date="someday", event_kind="prison", is_ppo="yes", colour="red")
    del bad["officer"]
    with pytest.raises(CalculatorInputError) as caught:
        candidates_from_json([good, bad])
    assert set(caught.value.fields) == {
        "candidates[1].colour",
        "candidates[1].officer",
        "candidates[1].start_date",
        "candidates[1].is_ppo",
    }


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=1, max_value=10_000), st.integers(min_value=0, max_value=150))
def test_stratified_properties_hold_for_any_seed_and_size(seed, size):
    caseload = CASELOAD[:400]
    result = sample_stratified(caseload, size, seed=seed, as_of=AS_OF)
    per_officer = Counter(row["officer"] for row in result["cases"])
    assert not per_officer or max(per_officer.values()) <= 6
    assert len(result["cases"]) <= result["target"]
    assert len({r["crn"] for r in result["cases"]}) == len(result["cases"])
    excluded = {a["crn"] for a in result["adjustments"] if a["kind"] == "excluded"}
    assert not excluded & {r["crn"] for r in result["cases"]}
