"""The trend chart is SVG written directly: named and described for screen readers, gaps for months
with no data, the same bytes for the same figures."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from oms.performance.charts import trend_svg, value_scale
from oms.performance.judgement import Status
from oms.performance.measures import MEASURES_BY_KEY, MeasureResult

ETHNICITY = MEASURES_BY_KEY["ethnicity_data"]


def _month(start: date, value: str | None) -> tuple[date, MeasureResult]:
    figure = Decimal(value) if value is not None else None
    return start, MeasureResult(
        measure=ETHNICITY,
        target=ETHNICITY.target,
        value=figure,
        numerator=figure or Decimal(0),
        denominator=Decimal(100),
        status=Status.NO_DATA,
    )


def test_the_chart_names_the_measure_and_describes_every_month() -> None:
    svg = trend_svg(ETHNICITY, 95.0, [_month(date(2026, 4, 1), "80"), _month(date(2026, 5, 1), None)])
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"') and svg.endswith("</svg>")
    assert (
        'role="img"' in svg
        and 'aria-labelledby="chart-title-ethnicity_data chart-desc-ethnicity_data"' in svg
    )
    assert "against the target of 95%</title>" in svg
    assert '<desc id="chart-desc-ethnicity_data">April 2026: 80%; May 2026: no data</desc>' in svg
    assert "Target 95%" in svg


def test_a_month_with_no_data_breaks_the_line() -> None:
    joined = trend_svg(ETHNICITY, 95.0, [_month(date(2026, m, 1), "90") for m in (4, 5, 6, 7)])
    broken = trend_svg(
        ETHNICITY,
        95.0,
        [
            _month(date(2026, 4, 1), "90"),
            _month(date(2026, 5, 1), "91"),
            _month(date(2026, 6, 1), None),
            _month(date(2026, 7, 1), "92"),
            _month(date(2026, 8, 1), "93"),
        ],
    )
    assert joined.count("<polyline") == 1 and joined.count("<circle") == 4
    assert broken.count("<polyline") == 2 and broken.count("<circle") == 4


def test_the_same_figures_give_the_same_bytes() -> None:
    months = [_month(date(2026, 4, 1), "70.5"), _month(date(2026, 5, 1), "99")]
    assert trend_svg(ETHNICITY, 95.0, months) == trend_svg(ETHNICITY, 95.0, months)


def test_the_value_axis_runs_from_zero_in_round_steps_past_the_target_and_the_highest_value() -> None:
    scale = value_scale([12.0, 37.0], 90.0)
    assert scale.ticks() == [0, 25, 50, 75, 100]
    assert value_scale([3.0, 11.0], 9.0).ticks() == [0, 5, 10, 15]
    assert value_scale([], 0.0).high > 0, "an empty chart still has an axis"
