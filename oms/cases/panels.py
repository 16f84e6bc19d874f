"""Sections that other apps add to the case page (risk, plans, contacts, actions due...).

Each app registers a panel in its AppConfig.ready(); the case page renders them in order. A panel
gets the request and the case (already checked as visible) and returns HTML, or "" to show nothing.
It must run a fixed number of queries, whatever the size of the case's history.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

from oms.cases.models import Offender

PanelRenderer = Callable[[HttpRequest, Offender], str]


@dataclass(frozen=True)
class CasePanel:
    key: str
    order: int
    render: PanelRenderer


_PANELS: dict[str, CasePanel] = {}


def register_panel(key: str, order: int, render: PanelRenderer) -> None:
    _PANELS[key] = CasePanel(key, order, render)


def render_panels(request: HttpRequest, offender: Offender) -> list[SafeString]:
    rendered = (panel.render(request, offender) for panel in sorted(_PANELS.values(), key=lambda p: p.order))
    return [mark_safe(html) for html in rendered if html]
