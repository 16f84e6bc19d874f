"""Sections that other apps add to the case page (risk, plans, contacts, actions due...).

Each app registers a panel in its AppConfig.ready(), naming the section of the case page it belongs
to; the case page shows one section per URL (`/cases/<crn>/` is the overview, `/cases/<crn>/risk/`
the risk section, ...) and renders that section's panels in order. A panel gets the request and the
case (already checked as visible) and returns HTML, or "" to show nothing. It must run a fixed
number of queries, whatever the size of the case's history.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

from oms.cases.models import Offender

PanelRenderer = Callable[[HttpRequest, Offender], str]


@dataclass(frozen=True)
class CaseSection:
    """One item of the case page's sub-navigation. `slug` is the URL segment after the CRN."""

    key: str
    label: str
    slug: str


OVERVIEW = CaseSection("overview", "Overview", "")
RISK = CaseSection("risk", "Risk", "risk")
SENTENCE_PLAN = CaseSection("sentence-plan", "Sentence plan", "sentence-plan")
CONTACTS = CaseSection("contacts", "Contacts", "contacts")
ENFORCEMENT = CaseSection("enforcement", "Enforcement", "enforcement")
INTERVENTIONS = CaseSection("interventions", "Interventions", "interventions")
PERSONAL_DETAILS = CaseSection("personal-details", "Personal details", "person")

# The order of the sub-navigation. The timeline and the access log are pages of their own, added
# after these by the case page (the access log only for those who may read it).
SECTIONS: tuple[CaseSection, ...] = (
    OVERVIEW,
    RISK,
    SENTENCE_PLAN,
    CONTACTS,
    ENFORCEMENT,
    INTERVENTIONS,
    PERSONAL_DETAILS,
)
SECTIONS_BY_SLUG = {section.slug: section for section in SECTIONS}


@dataclass(frozen=True)
class CasePanel:
    key: str
    order: int
    render: PanelRenderer
    section: str


_PANELS: dict[str, CasePanel] = {}


def register_panel(key: str, order: int, render: PanelRenderer, section: CaseSection = OVERVIEW) -> None:
    _PANELS[key] = CasePanel(key, order, render, section.key)


def render_panels(
    request: HttpRequest, offender: Offender, section: CaseSection = OVERVIEW
) -> list[SafeString]:
    chosen = sorted((p for p in _PANELS.values() if p.section == section.key), key=lambda p: p.order)
    rendered = (panel.render(request, offender) for panel in chosen)
    return [mark_safe(html) for html in rendered if html]
