"""The pure calculators behind `oms calc NAME`: JSON object in, JSON object out (see spec/)."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any

from oms.calculation_errors import CalculatorInputError

CALCULATORS = {
    "ogrs3": "oms.risk.ogrs3:calculate_ogrs3",
    "tier-2021": "oms.tiering.rules:calculate_tier_2021",
    "tier-2005": "oms.tiering.rules:calculate_tier_2005",
    "add-working-days": "oms.timescales.calendar:calculate_add_working_days",
    "working-days-between": "oms.timescales.calendar:calculate_working_days_between",
    "sample-sizes": "oms.inspection.sampling:calculate_sample_sizes",
}


def calculator(name: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    module_name, function_name = CALCULATORS[name].split(":")
    function: Callable[[dict[str, Any]], dict[str, Any]] = getattr(import_module(module_name), function_name)
    return function


def run(name: str, payload: Any) -> tuple[Any, bool]:
    """The result for one input, or a list of results for a list; and whether every input was valid."""
    function = calculator(name)

    def one(item: Any) -> tuple[dict[str, Any], bool]:
        if not isinstance(item, dict):
            return CalculatorInputError(
                "INVALID_INPUT", "Each input must be a JSON object", []
            ).as_json(), False
        try:
            return function(item), True
        except CalculatorInputError as error:
            return error.as_json(), False

    if isinstance(payload, list):
        results = [one(item) for item in payload]
        return [r for r, _ in results], all(ok for _, ok in results)
    return one(payload)
