"""Chart 1 of the report: a bar per criterion of the scored sections, with the priority line.

Drawn once as SVG by matplotlib and embedded as-is in the page, the HTML report and the PDF, so the
three show the same picture. Text stays text (``svg.fonttype: none``) and ids are salted with a fixed
string, so the same scores give byte-identical SVG.
"""

from __future__ import annotations

import io
import re
from typing import Any

import matplotlib

matplotlib.use("Agg")

from matplotlib import pyplot

from oms.inspection.framework import Framework
from oms.inspection.scoring import below_priority_line

# GOV.UK colours: blue for criteria at or above the line, red below it, black for the line.
COLOUR_ABOVE = "#1d70b8"
COLOUR_BELOW = "#d4351c"
COLOUR_LINE = "#0b0c0c"
CHART_SIZE_INCHES = (8.0, 3.6)


def chart_1_svg(framework: Framework, scores: dict[str, Any]) -> str:
    """The SVG markup of Chart 1 ("not scored" criteria show an empty slot, never a zero bar)."""
    labels: list[str] = []
    values: list[float] = []
    colours: list[str] = []
    for section in framework.scored_sections:
        for criterion in section.criteria:
            result = scores["criteria"][criterion.id]
            labels.append(criterion.id)
            rounded = result["rounded"]
            values.append(float(rounded) if rounded is not None else 0.0)
            below = rounded is not None and below_priority_line(framework, rounded)
            colours.append(COLOUR_BELOW if below else COLOUR_ABOVE)
    with pyplot.rc_context(
        {"svg.fonttype": "none", "svg.hashsalt": "oms-chart-1", "font.family": "sans-serif"}
    ):
        figure, axes = pyplot.subplots(figsize=CHART_SIZE_INCHES)
        try:
            positions = list(range(len(labels)))
            bars = axes.bar(positions, values, color=colours, width=0.65)
            for bar, value, label in zip(bars, values, labels, strict=True):
                result = scores["criteria"][label]
                text = f"{result['rounded']}%" if result["rounded"] is not None else "n/s"
                axes.text(
                    bar.get_x() + bar.get_width() / 2, value + 1.5, text, ha="center", va="bottom", fontsize=7
                )
            line = float(framework.priority_line)
            axes.axhline(
                line, color=COLOUR_LINE, linewidth=1.2, linestyle="--", label=f"Priority line ({line:.0f}%)"
            )
            axes.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=7)
            axes.set_xticks(positions, labels, fontsize=8)
            axes.set_ylim(0, 105)
            axes.set_ylabel("Score (%)", fontsize=8)
            axes.set_xlabel("Criterion", fontsize=8)
            axes.tick_params(axis="y", labelsize=8)
            axes.spines[["top", "right"]].set_visible(False)
            figure.tight_layout()
            buffer = io.StringIO()
            figure.savefig(buffer, format="svg", metadata={"Date": None})
        finally:
            pyplot.close(figure)
    return _without_style_attributes(buffer.getvalue())


_STYLE_ATTRIBUTE = re.compile(r'style="([^"]*)"')
_STYLE_ELEMENT = re.compile(r"<style[^>]*>.*?</style>", re.DOTALL)
_METADATA = re.compile(r"<metadata>.*?</metadata>", re.DOTALL)
_SIZE = re.compile(r'<svg ([^>]*?)width="[^"]*" height="[^"]*"')


def _presentation_attributes(match: re.Match[str]) -> str:
    declarations = [part.split(":", 1) for part in match.group(1).split(";") if ":" in part]
    return " ".join(f'{name.strip()}="{value.strip()}"' for name, value in declarations)


def _without_style_attributes(svg: str) -> str:
    """The pages' Content-Security-Policy (style-src 'self') ignores inline ``style`` attributes and
    elements, which would paint every shape black; SVG presentation attributes carry the same
    properties and are not styles. The chart scales to its container (viewBox kept, width 100%)."""
    body = svg[svg.find("<svg") :]
    body = _METADATA.sub("", _STYLE_ELEMENT.sub("", body))
    body = _STYLE_ATTRIBUTE.sub(_presentation_attributes, body)
    body = _SIZE.sub(r'<svg \1width="100%"', body, count=1)
    return body.replace(
        "<svg ", '<svg role="img" aria-label="Chart 1: criterion scores with the priority line" ', 1
    )
