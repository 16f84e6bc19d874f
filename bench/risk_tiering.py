"""Issue 3: the OGRS3 and tier-2021 calculators over 100,000 inputs, and recalculating every tier."""

from __future__ import annotations

from bench.environment import DEMO_AREA, demo_area


def run() -> list[str]:
    from django.db import connection

    from oms.tiering.recalculation import measure_calculators, measure_recalculate_all

    calculators = measure_calculators(100_000)
    demo_area()
    recalculation = measure_recalculate_all(DEMO_AREA)
    return [
        f"OGRS3: {calculators['ogrs3_cases_per_second']:,} cases a second over {calculators['inputs']:,} inputs",
        f"tier 2021: {calculators['tier_2021_cases_per_second']:,} cases a second over {calculators['inputs']:,} inputs",
        f"oms tier --recalculate-all on the demo area ({connection.vendor}): {recalculation['cases']} cases in "
        f"{recalculation['seconds']} s, {recalculation['queries']} queries, {recalculation['tiers_changed']} tiers changed",
    ]
