"""What every page of a case shows above its content: the case header and the case sub-navigation.

The header answers "who is this and how risky" at a glance (name, CRN, date of birth and age,
address, telephone, interpreter need, RoH, tier, MAPPA and PPO); the sub-navigation (MoJ Frontend)
splits the record into one section per URL so no page is a single long scroll. Both run a fixed
number of queries: the current address is one query, whatever the number of past addresses.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from oms.accounts.permissions import can_read_access_log
from oms.cases.models import Address, Offender
from oms.cases.panels import SECTIONS

TIMELINE = "timeline"
ACCESS_LOG = "access-log"


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    current: bool


def case_nav(request: HttpRequest, offender: Offender, current: str) -> list[NavItem]:
    items = [
        NavItem(
            section.label,
            reverse("cases:detail", args=[offender.crn])
            if not section.slug
            else reverse("cases:section", args=[offender.crn, section.slug]),
            section.key == current,
        )
        for section in SECTIONS
    ]
    items.append(
        NavItem("Timeline", reverse("supervision:timeline", args=[offender.crn]), current == TIMELINE)
    )
    if can_read_access_log(request.user, offender):
        items.append(
            NavItem("Access log", reverse("cases:access-log", args=[offender.crn]), current == ACCESS_LOG)
        )
    return items


def current_address(offender: Offender) -> Address | None:
    """The address in force: no end date, the latest start (1 query)."""
    return offender.addresses.filter(to_date__isnull=True).order_by("-from_date", "-pk").first()


def case_page_context(request: HttpRequest, offender: Offender, current: str) -> dict[str, Any]:
    """The header and navigation of a case page, for `cases/_case_header.html` (2 queries)."""
    today = timezone.localdate()
    return {
        "case": offender,
        "case_age": offender.age_on(today),
        "case_address": current_address(offender),
        "case_nav": case_nav(request, offender, current),
    }
