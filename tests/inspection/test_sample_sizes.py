"""The proportional split, `oms calc sample-sizes` (spec "Sampling" 2, Stratum sizes)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oms.calculation_errors import CalculatorInputError
from oms.inspection.sampling import calculate_sample_sizes


def test_spec_example_follows_the_rule_not_the_printed_figures():
    """The spec's example prints A as "initial 55", "with buffer 66" for size 148 and groups A 454, B 138.

    Its own rule gives base = round(148 x 454 / 592) = round(113.5) = 114 (half up), buffer
    round(114 x 20%) = 23, so 137; B: round(34.5) = 35, + 7 = 42. Total 179 against a target of
    148 + round(29.6) = 178, so one case comes off the largest group. The rule wins over the example.
    """
    result = calculate_sample_sizes({"size": 148, "buffer_percent": 20, "groups": {"A": 454, "B": 138}})
    assert result["target"] == 178
    assert result["total"] == 178
    assert result["groups"]["A"] == {
        "cases": 454,
        "percent": 76.69,
        "count": 136,
        "changes": ["initial 114", "with buffer 137", "decreased for rounding to 136"],
    }
    assert result["groups"]["B"] == {
        "cases": 138,
        "percent": 23.31,
        "count": 42,
        "changes": ["initial 35", "with buffer 42"],
    }


def test_target_is_size_plus_buffer_and_buffer_defaults_to_20():
    result = calculate_sample_sizes({"size": 100, "groups": {"A": 500, "B": 500}})
    assert result["target"] == 120
    assert [g["count"] for g in result["groups"].values()] == [60, 60]


def test_groups_keep_their_order():
    result = calculate_sample_sizes({"size": 10, "groups": {"Z": 5, "A": 5, "M": 5}})
    assert list(result["groups"]) == ["Z", "A", "M"]


def test_short_total_is_topped_up_round_robin_in_ascending_order_of_count():
    # each base round(20 x 30 / 180) = round(3.33) = 3: 18 of 20, so the first two groups get one each
    result = calculate_sample_sizes({"size": 20, "buffer_percent": 0, "groups": {k: 30 for k in "ABCDEF"}})
    assert [g["count"] for g in result["groups"].values()] == [4, 4, 3, 3, 3, 3]
    assert result["groups"]["A"]["changes"] == ["initial 3", "increased for rounding to 4"]
    assert result["groups"]["C"]["changes"] == ["initial 3"]


def test_top_up_goes_first_to_the_smallest_group_with_spare_cases():
    # A: round(10 x 1 / 301) = 0, B-D: round(3.32) = 3 each; 9 of 10, A (smallest count) has a spare case
    result = calculate_sample_sizes(
        {"size": 10, "buffer_percent": 0, "groups": {"A": 1, "B": 100, "C": 100, "D": 100}}
    )
    assert [g["count"] for g in result["groups"].values()] == [1, 3, 3, 3]


def test_over_total_is_reduced_in_descending_order_of_count():
    # A: round(11 x 1 / 301) = 0, B-D: round(3.65) = 4 each; 12 of 11, B (first of the largest) loses one
    result = calculate_sample_sizes(
        {"size": 11, "buffer_percent": 0, "groups": {"A": 1, "B": 100, "C": 100, "D": 100}}
    )
    assert [g["count"] for g in result["groups"].values()] == [0, 3, 4, 4]
    assert result["groups"]["B"]["changes"][-1] == "decreased for rounding to 3"


def test_never_more_than_a_group_has():
    result = calculate_sample_sizes({"size": 10, "groups": {"A": 5, "B": 5}})
    assert result["target"] == 12
    assert [g["count"] for g in result["groups"].values()] == [5, 5]
    assert result["total"] == 10


@pytest.mark.parametrize(
    ("payload", "fields"),
    [
        ({"groups": {"A": 1}}, ["size"]),
        ({"size": -1, "groups": {"A": 1}}, ["size"]),
        ({"size": 10, "groups": {"A": 1, "B": -2, "C": "x"}}, ["groups.B", "groups.C"]),
        ({"size": 10, "groups": {}}, ["groups"]),
        ({"size": 10, "buffer_percent": "20", "groups": {"A": 1}, "extra": 1}, ["extra", "buffer_percent"]),
    ],
)
def test_invalid_input_names_every_bad_field(payload, fields):
    with pytest.raises(CalculatorInputError) as caught:
        calculate_sample_sizes(payload)
    assert caught.value.code == "sample_sizes_invalid"
    assert caught.value.fields == fields


@settings(max_examples=200)
@given(
    st.integers(min_value=0, max_value=300),
    st.integers(min_value=0, max_value=50),
    st.lists(st.integers(min_value=0, max_value=400), min_size=1, max_size=8),
)
def test_split_reaches_the_target_when_it_can_and_never_exceeds_a_group(size, buffer_percent, sizes):
    groups = {f"G{i}": n for i, n in enumerate(sizes)}
    result = calculate_sample_sizes({"size": size, "buffer_percent": buffer_percent, "groups": groups})
    counts = [g["count"] for g in result["groups"].values()]
    assert all(0 <= count <= n for count, n in zip(counts, sizes, strict=True))
    assert sum(counts) == min(result["target"], sum(sizes))
