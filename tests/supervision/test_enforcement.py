"""Enforcement of community orders under CJA 2003 Schedule 8 (spec/national-standards.md "Enforcement")."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oms.calculation_errors import CalculatorInputError
from oms.supervision.enforcement import (
    Breach,
    EnforcementAction,
    EnforcementHistory,
    FailureToComply,
    add_months,
    compliance_status,
    enforcement_action,
    history_of,
    within_warning_period,
)

WARNING, BREACH = EnforcementAction.WARNING, EnforcementAction.BREACH


def unacceptable(day: date) -> FailureToComply:
    return FailureToComply(day, acceptable=False)


@pytest.mark.parametrize(
    ("warnings", "failure_on", "action"),
    [
        ((), date(2007, 5, 1), WARNING),  # first unacceptable failure: warning
        ((date(2007, 1, 10),), date(2007, 5, 1), BREACH),  # further failure within 12 months of a warning
        ((date(2006, 5, 1),), date(2007, 4, 30), BREACH),  # last day of the 12 months
        ((date(2006, 5, 1),), date(2007, 5, 1), WARNING),  # the anniversary starts a new period
        ((date(2005, 1, 1), date(2006, 1, 1)), date(2007, 5, 1), WARNING),  # old warnings do not count
        ((date(2007, 5, 1),), date(2007, 5, 1), BREACH),  # the period begins with the warning's day
        ((date(2007, 6, 1),), date(2007, 5, 1), WARNING),  # a later warning is not a previous one
    ],
)
def test_warning_or_breach(warnings: tuple[date, ...], failure_on: date, action: EnforcementAction) -> None:
    decision = enforcement_action(unacceptable(failure_on), EnforcementHistory(warnings=warnings))
    assert decision.action is action


def test_breach_names_the_warning_it_relies_on() -> None:
    decision = enforcement_action(
        unacceptable(date(2007, 5, 1)), EnforcementHistory(warnings=(date(2006, 9, 1), date(2007, 2, 3)))
    )
    assert decision.warning_relied_on == date(2007, 2, 3)
    assert "3 February 2007" in decision.reason


def test_acceptable_absences_never_count() -> None:
    history = EnforcementHistory(
        failures=(FailureToComply(date(2007, 1, 5), acceptable=True),) * 3, warnings=()
    )
    decision = enforcement_action(FailureToComply(date(2007, 2, 1), acceptable=True), history)
    assert decision.action is EnforcementAction.NO_ACTION
    assert enforcement_action(unacceptable(date(2007, 2, 1)), history).action is WARNING
    assert compliance_status(history, date(2007, 2, 1)).text == "Complying"


def test_failure_during_a_breach_in_progress_is_added_to_it() -> None:
    history = EnforcementHistory(warnings=(date(2007, 1, 1),), breaches=(Breach(date(2007, 3, 1)),))
    decision = enforcement_action(unacceptable(date(2007, 4, 1)), history)
    assert decision.action is EnforcementAction.ADD_TO_BREACH_IN_PROGRESS


def test_after_a_resolved_breach_the_warning_rule_applies_again() -> None:
    history = EnforcementHistory(
        warnings=(date(2007, 1, 1),), breaches=(Breach(date(2007, 3, 1), resolved=date(2007, 4, 1)),)
    )
    assert enforcement_action(unacceptable(date(2007, 5, 1)), history).action is BREACH
    assert enforcement_action(unacceptable(date(2008, 5, 1)), history).action is WARNING


@pytest.mark.parametrize(
    ("failures", "breaches", "text"),
    [
        ((), (), "Complying"),
        ((unacceptable(date(2007, 3, 1)),), (), "1 failure to comply within 12 months"),
        ((unacceptable(date(2007, 3, 1)), unacceptable(date(2007, 4, 1))), (), "2 failures to comply within 12 months"),
        ((unacceptable(date(2006, 4, 30)),), (), "Complying"),  # more than 12 months before 30 April 2007
        ((unacceptable(date(2006, 5, 1)),), (), "1 failure to comply within 12 months"),
        ((unacceptable(date(2007, 3, 1)),), (Breach(date(2007, 3, 5)),), "Breach in progress"),
        ((unacceptable(date(2007, 3, 1)),), (Breach(date(2007, 3, 5), date(2007, 4, 1)),),
         "1 failure to comply within 12 months"),
    ],
)  # fmt: skip
def test_compliance_status(
    failures: tuple[FailureToComply, ...], breaches: tuple[Breach, ...], text: str
) -> None:
    history = EnforcementHistory(failures=failures, breaches=breaches)
    assert compliance_status(history, date(2007, 4, 30)).text == text


def test_add_months_keeps_the_end_of_february() -> None:
    assert add_months(date(2008, 2, 29), 12) == date(2009, 2, 28)
    assert add_months(date(2007, 1, 31), 1) == date(2007, 2, 28)
    assert add_months(date(2007, 5, 1), -12) == date(2006, 5, 1)


def test_a_breach_resolved_before_it_began_is_refused() -> None:
    with pytest.raises(CalculatorInputError) as caught:
        history_of(breaches=[Breach(date(2007, 3, 1), resolved=date(2007, 2, 1))])
    assert caught.value.fields == ["breaches[0].resolved"]


@settings(max_examples=200)
@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 1, 1)),
    st.integers(min_value=0, max_value=800),
)
def test_breach_exactly_when_a_warning_is_less_than_12_months_old(warning: date, days_later: int) -> None:
    failure_on = warning + timedelta(days=days_later)
    decision = enforcement_action(unacceptable(failure_on), EnforcementHistory(warnings=(warning,)))
    assert (decision.action is BREACH) == within_warning_period(warning, failure_on)
    assert (decision.action is BREACH) == (days_later < (add_months(warning, 12) - warning).days)


# --- boundaries: the days a breach is in progress, the words on the case page, a valid history -----


def test_a_failure_on_the_day_breach_action_is_laid_is_added_to_that_breach() -> None:
    history = EnforcementHistory(breaches=(Breach(date(2007, 3, 1)),))
    decision = enforcement_action(unacceptable(date(2007, 3, 1)), history)
    assert decision.action is EnforcementAction.ADD_TO_BREACH_IN_PROGRESS


def test_a_failure_on_the_day_the_court_resolves_the_breach_is_judged_afresh() -> None:
    history = EnforcementHistory(breaches=(Breach(date(2007, 3, 1), resolved=date(2007, 4, 2)),))
    assert enforcement_action(unacceptable(date(2007, 4, 1)), history).action is (
        EnforcementAction.ADD_TO_BREACH_IN_PROGRESS
    )
    assert enforcement_action(unacceptable(date(2007, 4, 2)), history).action is WARNING


@pytest.mark.parametrize(
    ("failure", "history", "reason"),
    [
        (FailureToComply(date(2007, 5, 1), acceptable=True), EnforcementHistory(),
         "The absence was judged acceptable, so it does not count."),
        (unacceptable(date(2007, 5, 1)), EnforcementHistory(breaches=(Breach(date(2007, 4, 1)),)),
         "A breach is already in progress: add this failure to it."),
        (unacceptable(date(2007, 5, 1)), EnforcementHistory(),
         "The first unacceptable failure in 12 months: a warning must be given."),
        (unacceptable(date(2007, 5, 1)), EnforcementHistory(warnings=(date(2007, 2, 3),)),
         "A further unacceptable failure within 12 months of the warning given on 3 February 2007: "
         "breach action must be taken."),
    ],
)  # fmt: skip
def test_the_case_page_gives_the_reason_for_each_decision(
    failure: FailureToComply, history: EnforcementHistory, reason: str
) -> None:
    assert enforcement_action(failure, history).reason == reason


def test_a_failure_on_the_day_of_the_compliance_line_counts() -> None:
    history = EnforcementHistory(failures=(unacceptable(date(2007, 4, 30)),))
    assert compliance_status(history, date(2007, 4, 30)).text == "1 failure to comply within 12 months"


def test_the_compliance_line_shows_a_breach_from_the_day_it_is_laid() -> None:
    history = EnforcementHistory(breaches=(Breach(date(2007, 4, 30)),))
    assert compliance_status(history, date(2007, 4, 30)).text == "Breach in progress"
    assert compliance_status(history, date(2007, 4, 29)).text == "Complying"


def test_a_history_keeps_every_failure_warning_and_breach_given() -> None:
    failure = unacceptable(date(2007, 3, 1))
    breach = Breach(date(2007, 3, 5), resolved=date(2007, 3, 5))  # resolved the day it was laid: allowed
    history = history_of(failures=[failure], warnings=[date(2007, 3, 2)], breaches=[breach])
    assert history == EnforcementHistory((failure,), (date(2007, 3, 2),), (breach,))
    assert history_of() == EnforcementHistory()


def test_the_refused_breach_is_named_with_the_reason() -> None:
    good = Breach(date(2007, 1, 1))
    with pytest.raises(CalculatorInputError) as caught:
        history_of(breaches=[good, Breach(date(2007, 3, 1), resolved=date(2007, 2, 28))])
    assert caught.value.code == "INVALID_INPUT"
    assert caught.value.message == "A breach cannot be resolved before it was initiated."
    assert caught.value.fields == ["breaches[1].resolved"]
