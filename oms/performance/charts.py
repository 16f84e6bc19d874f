"""Trend charts as SVG from matplotlib (Agg, no external fonts): the same picture on the page and in exports."""

from __future__ import annotations

import io
from datetime import date

import matplotlib
from matplotlib.figure import Figure

from oms.performance.measures import Measure, MeasureResult

# SVG text stays text (readable by screen readers and search), in a font every browser has.
matplotlib.rcParams["svg.fonttype"] = "none"
matplotlib.rcParams["font.family"] = "sans-serif"
matplotlib.rcParams["svg.hashsalt"] = "oms-performance"  # the same data gives the same bytes

matplotlib.use("Agg")

GOVUK_BLUE = "#1d70b8"
GOVUK_BLACK = "#0b0c0c"
GOVUK_GREY = "#505a5f"


def trend_svg(measure: Measure, target: float, points: list[tuple[date, MeasureResult]]) -> str:
    """One line per month, the target as a dashed line; months with no data are gaps."""
    # A Figure without pyplot: no global state, safe under several server threads.
    figure = Figure(figsize=(4.2, 2.2), dpi=96)
    axes = figure.add_subplot(1, 1, 1)
    labels = [start.strftime("%b %y") for start, _ in points]
    values = [float(result.value) if result.value is not None else float("nan") for _, result in points]
    axes.plot(range(len(values)), values, marker="o", color=GOVUK_BLUE, linewidth=2, label="Value")
    axes.axhline(target, color=GOVUK_BLACK, linestyle="--", linewidth=1, label=f"Target {target:g}")
    axes.set_xticks(range(len(labels)))
    axes.set_xticklabels(labels, rotation=45, ha="right", fontsize=7, color=GOVUK_GREY)
    axes.tick_params(axis="y", labelsize=7)
    axes.set_ylabel(measure.unit.value, fontsize=8)
    axes.spines[["top", "right"]].set_visible(False)
    axes.legend(fontsize=7, frameon=False, loc="best")
    figure.tight_layout()
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    svg = buffer.getvalue()
    # Drop the XML prologue so the SVG can be inlined in the page as well as served on its own.
    start = svg.find("<svg")
    return svg[start:]
