"""The outcome rules read beside report 3.2: needs change between the first and the latest assessment,
the highest-priority factor, tier movement, and shares printed as the report prints them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oms.outcomes import rules
from oms.outcomes.rules import Movement, NeedScore, NeedTrend
from oms.risk.needs import CriminogenicNeed as Need


def scores(**given_scores: tuple[int, bool]) -> dict[Need, NeedScore]:
    return {need: NeedScore(*given_scores.get(need.value, (0, False))) for need in Need}


def test_the_highest_priority_factor_is_the_linked_need_that_weighs_most() -> None:
    # Thinking and behaviour weighs 2 in the tier: a standard need there (5) outweighs a standard
    # accommodation need (6), which weighs 1; an unlinked severe drug need does not count.
    first = scores(thinking_behaviour=(5, True), accommodation=(6, True), drug_misuse=(9, False))
    assert rules.highest_priority_need(first) == Need.THINKING_BEHAVIOUR
    assert rules.highest_priority_need(scores(drug_misuse=(9, False))) is None


def test_a_rescored_case_improved_when_a_factor_linked_to_offending_scored_lower() -> None:
    first = scores(thinking_behaviour=(6, True), alcohol_misuse=(5, True), relationships=(4, False))
    latest = scores(thinking_behaviour=(6, True), alcohol_misuse=(3, True), relationships=(1, False))
    progress = rules.needs_progress(first, latest)
    assert progress is not None and progress.rescored and progress.improved
    assert progress.priority_need == Need.THINKING_BEHAVIOUR
    assert progress.priority_progress is False  # the alcohol score fell, the priority factor did not
    trends = {c.need: c.trend for c in progress.changes}
    assert trends[Need.ALCOHOL_MISUSE] == NeedTrend.IMPROVED
    assert trends[Need.THINKING_BEHAVIOUR] == NeedTrend.SAME
    # An unlinked need that fell shows as improved but is not counted as progress on offending.
    assert trends[Need.RELATIONSHIPS] == NeedTrend.IMPROVED
    only_unlinked = rules.needs_progress(
        first, scores(thinking_behaviour=(6, True), alcohol_misuse=(5, True))
    )
    assert only_unlinked is not None and not only_unlinked.improved


def test_a_case_assessed_once_is_not_rescored_and_has_no_progress_to_judge() -> None:
    progress = rules.needs_progress(scores(attitudes=(4, True)), None)
    assert progress is not None and not progress.rescored
    assert progress.priority_progress is None
    assert rules.needs_progress(None, None) is None


def test_the_summary_gives_rescored_no_improvement_and_priority_progress_as_the_report_does() -> None:
    first = scores(thinking_behaviour=(6, True))
    better = scores(thinking_behaviour=(3, True))
    cases = [rules.needs_progress(first, better)] + [rules.needs_progress(first, first)] * 2
    cases += [rules.needs_progress(first, None)]
    summary = rules.summarise_needs(cases)
    assert summary.rescored.as_json() == {"count": 3, "of": 4, "percent": 75}
    assert summary.no_improvement.as_json() == {"count": 2, "of": 3, "percent": 67}
    assert summary.priority_progress.as_json() == {"count": 1, "of": 3, "percent": 33}
    assert summary.change_by_need[Need.THINKING_BEHAVIOUR] == {
        NeedTrend.IMPROVED: 1, NeedTrend.SAME: 2, NeedTrend.WORSE: 0,
    }  # fmt: skip


def test_the_needs_profile_counts_factors_linked_to_offending_most_common_first() -> None:
    profile = rules.needs_profile(
        [scores(thinking_behaviour=(5, True), drug_misuse=(3, True)), scores(thinking_behaviour=(4, True))]
    )
    assert list(profile.items())[:2] == [(Need.THINKING_BEHAVIOUR, 2), (Need.DRUG_MISUSE, 1)]


@pytest.mark.parametrize(
    ("first", "latest", "moved"),
    [
        ("3", "2", Movement.DOWN), ("2", "4", Movement.UP), ("2", "2", Movement.SAME),
        ("B2", "C2", Movement.DOWN), ("C3", "C1", Movement.DOWN), ("D0", "A1", Movement.UP),
        ("", "2", None),
    ],
)  # fmt: skip
def test_tier_movement_in_either_framework(first: str, latest: str, moved: Movement | None) -> None:
    assert rules.tier_movement(first, latest) == moved


def test_a_share_of_nothing_has_no_percentage_and_halves_round_up() -> None:
    assert rules.Share(0, 0).percent is None
    assert rules.Share(1, 8).percent == 13  # 12.5


need_scores = st.fixed_dictionaries(
    {need: st.builds(NeedScore, st.integers(0, 12), st.booleans()) for need in Need}
)


@given(need_scores, need_scores)
def test_improved_means_some_factor_linked_at_the_start_scored_lower(first, latest) -> None:  # type: ignore[no-untyped-def]
    progress = rules.needs_progress(first, latest)
    assert progress is not None
    expected = any(first[n].linked_to_offending and latest[n].score < first[n].score for n in Need)  # type: ignore[operator]
    assert progress.improved == expected
    if progress.priority_progress:
        assert progress.improved
