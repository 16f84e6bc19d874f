"""Trend charts as SVG written directly: the same picture inline in the page and as the download.

Issue 13: the performance page drew its 18 charts with matplotlib, and that drawing was 95 % of a
2-second page. A month-by-month line against a dashed target needs no plotting library: this module
writes the SVG as text (well under a millisecond a chart), so the charts come with the page. Each
chart carries a <title> and a <desc> naming every month's figure, for screen readers; the page also
lists the figures as a table.

Pure: no Django, so the output is the same bytes for the same data.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from html import escape
from typing import TYPE_CHECKING

from oms.performance.judgement import Unit

if TYPE_CHECKING:  # the measures module reads the database; the chart only needs their shape
    from oms.performance.measures import Measure, MeasureResult

GOVUK_BLUE = "#1d70b8"
GOVUK_BLACK = "#0b0c0c"
GOVUK_GREY = "#505a5f"
GOVUK_MID_GREY = "#b1b4b6"

# The drawing's size in SVG units (it scales to its box on the page) and the room for the axes.
WIDTH = 420
HEIGHT = 220
LEFT = 46
RIGHT = 12
TOP = 24
BOTTOM = 46
# About this many steps on the value axis; the step is rounded to 1, 2, 2.5 or 5 times a power of ten.
VALUE_STEPS = 4


@dataclass(frozen=True)
class Scale:
    low: float
    high: float
    step: float

    def ticks(self) -> list[float]:
        count = round((self.high - self.low) / self.step)
        return [self.low + index * self.step for index in range(count + 1)]


def value_scale(values: list[float], target: float) -> Scale:
    """From zero (or below, for a negative figure) to a round number above the highest value or the
    target, in round steps."""
    low = min([0.0, target, *values])
    high = max([target, *values])
    if high <= low:
        high = low + 1
    rough = (high - low) / VALUE_STEPS
    magnitude = 10 ** math.floor(math.log10(rough))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= rough)
    return Scale(math.floor(low / step) * step, math.ceil(high / step) * step, step)


def _figure(value: float, unit: Unit) -> str:
    shown = f"{value:.1f}".rstrip("0").rstrip(".")
    return f"{shown}%" if unit == Unit.PERCENT else f"{shown} days"


def trend_svg(measure: Measure, target: float, points: list[tuple[date, MeasureResult]]) -> str:
    """One point per month joined by a line, the target as a dashed line; months with no data are gaps."""
    months = [start.strftime("%b %y") for start, _ in points]
    values = [float(result.value) if result.value is not None else None for _, result in points]
    scale = value_scale([v for v in values if v is not None], target)
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    slot = plot_width / max(len(points), 1)

    def x(index: int) -> float:
        return LEFT + slot * (index + 0.5)

    def y(value: float) -> float:
        return TOP + plot_height * (scale.high - value) / (scale.high - scale.low)

    key = escape(measure.key)
    described = "; ".join(
        f"{start:%B %Y}: {'no data' if value is None else _figure(value, measure.unit)}"
        for (start, _), value in zip(points, values, strict=True)
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" width="100%" '
        f'aria-labelledby="chart-title-{key} chart-desc-{key}" class="oms-trend-chart" '
        f'font-family="Arial, sans-serif" font-size="9">',
        f'<title id="chart-title-{key}">{escape(measure.label)}: trend by month against the target of '
        f"{escape(_figure(target, measure.unit))}</title>",
        f'<desc id="chart-desc-{key}">{escape(described) or "No months in the period"}</desc>',
    ]
    for tick in scale.ticks():
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
            f'stroke="{GOVUK_MID_GREY}" stroke-width="0.5"/>'
            f'<text x="{LEFT - 4}" y="{y(tick) + 3:.1f}" text-anchor="end" fill="{GOVUK_GREY}">{tick:g}</text>'
        )
    parts.append(
        f'<text x="10" y="{TOP + plot_height / 2:.1f}" transform="rotate(-90 10 {TOP + plot_height / 2:.1f})" '
        f'text-anchor="middle" fill="{GOVUK_GREY}">{escape(measure.unit.value)}</text>'
    )
    for index, month in enumerate(months):
        parts.append(
            f'<text x="{x(index):.1f}" y="{HEIGHT - BOTTOM + 12}" text-anchor="end" fill="{GOVUK_GREY}" '
            f'transform="rotate(-45 {x(index):.1f} {HEIGHT - BOTTOM + 12})">{escape(month)}</text>'
        )
    parts.append(
        f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(target):.1f}" y2="{y(target):.1f}" '
        f'stroke="{GOVUK_BLACK}" stroke-width="1" stroke-dasharray="4 3"/>'
    )
    # A month with no data breaks the line rather than joining its neighbours across it.
    run: list[str] = []
    runs: list[list[str]] = [run]
    for index, value in enumerate(values):
        if value is None:
            run = []
            runs.append(run)
        else:
            run.append(f"{x(index):.1f},{y(value):.1f}")
    for joined in runs:
        if len(joined) > 1:
            parts.append(
                f'<polyline points="{" ".join(joined)}" fill="none" stroke="{GOVUK_BLUE}" stroke-width="2"/>'
            )
    for index, value in enumerate(values):
        if value is not None:
            parts.append(f'<circle cx="{x(index):.1f}" cy="{y(value):.1f}" r="3" fill="{GOVUK_BLUE}"/>')
    legend_y = 12
    parts.append(
        f'<line x1="{LEFT}" x2="{LEFT + 16}" y1="{legend_y}" y2="{legend_y}" stroke="{GOVUK_BLUE}" stroke-width="2"/>'
        f'<text x="{LEFT + 20}" y="{legend_y + 3}" fill="{GOVUK_BLACK}">Value</text>'
        f'<line x1="{LEFT + 60}" x2="{LEFT + 76}" y1="{legend_y}" y2="{legend_y}" stroke="{GOVUK_BLACK}" '
        f'stroke-dasharray="4 3"/>'
        f'<text x="{LEFT + 80}" y="{legend_y + 3}" fill="{GOVUK_BLACK}">Target {escape(_figure(target, measure.unit))}</text>'
    )
    parts.append("</svg>")
    return "".join(parts)
