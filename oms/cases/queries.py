"""Reads shared by the pages, the API and the CLI. A fixed number of queries whatever the list's length."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from oms.cases.constants import EthnicGroup, Gender
from oms.cases.models import Event, Offender

# A search is a CRN, a PNC number or a few words of a name: each word adds two LIKE conditions, and
# SQLite refuses an expression tree past its depth limit, so a longer search is refused (API) or cut.
MAXIMUM_SEARCH_LENGTH = 100

SORTS = {
    "name": ("family_name", "first_name", "crn"),
    "crn": ("crn",),
    "tier": ("tier", "family_name", "crn"),
    "risk": ("risk_of_harm_level", "family_name", "crn"),
    "manager": ("offender_manager__family_name", "family_name", "crn"),
}


@dataclass(frozen=True)
class CaseFilters:
    search: str = ""
    tier: str = ""
    risk_of_harm_level: str = ""
    event_kind: str = ""
    ppo: bool = False
    mappa_level: int | None = None
    unallocated: bool = False
    sort: str = "name"
    descending: bool = False


def case_list(cases: QuerySet[Offender], filters: CaseFilters) -> QuerySet[Offender]:
    """The cases with their offender manager and current events, filtered and sorted."""
    if filters.search:
        term = filters.search.replace("\x00", "").strip()  # PostgreSQL text cannot hold NUL
        name_parts = term.split()
        by_name = Q()
        for part in name_parts:
            by_name &= Q(first_name__icontains=part) | Q(family_name__icontains=part)
        cases = cases.filter(Q(crn__iexact=term) | Q(pnc_number__iexact=term) | by_name)
    if filters.tier:
        cases = cases.filter(tier=filters.tier)
    if filters.risk_of_harm_level:
        cases = cases.filter(risk_of_harm_level=filters.risk_of_harm_level)
    if filters.event_kind:
        cases = cases.filter(
            Exists(Event.objects.filter(offender_id=OuterRef("pk"), is_active=True, kind=filters.event_kind))
        )
    if filters.ppo:
        cases = cases.filter(is_ppo=True)
    if filters.mappa_level:
        cases = cases.filter(mappa_level=filters.mappa_level)
    if filters.unallocated:
        cases = cases.filter(offender_manager__isnull=True)
    order = SORTS.get(filters.sort, SORTS["name"])
    if filters.descending:
        order = tuple(f"-{column}" for column in order)
    return (
        cases.select_related("offender_manager", "offender_manager__grade")
        .prefetch_related(
            Prefetch(
                "events",
                queryset=Event.objects.filter(is_active=True).order_by("number"),
                to_attr="current_events",
            )
        )
        .order_by(*order)
    )


def _percent(part: int, whole: int) -> float:
    """Percentages to one decimal place, half up, as the report prints them."""
    if not whole:
        return 0.0
    return float((Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def caseload_context(cases: QuerySet[Offender], as_of: date | None = None) -> dict[str, Any]:
    """The report's Appendix 1 contextual information, computed from the cases in one query.

    The caseload is the people with at least one current event: today's, or with ``as_of`` the events
    sentenced by that day and not terminated before it (a published report's "caseload at end of
    September 2006"). Ethnicity percentages are of those whose ethnicity is known (not stated and
    missing are left out), as the report's are.
    """
    events = Event.objects.filter(offender_id=OuterRef("pk"))
    if as_of is None:
        events = events.filter(is_active=True)
    else:
        events = events.filter(
            Q(terminated_on__isnull=True) | Q(terminated_on__gt=as_of), sentence_date__lte=as_of
        )
    # EXISTS rather than `id IN (SELECT DISTINCT ... JOIN events)`: PostgreSQL chose a plan re-running
    # the joined subquery per row when its statistics were stale, and a test run hung for 15 minutes.
    current = cases.filter(Exists(events))
    figures = current.aggregate(
        total=Count("pk"),
        white=Count("pk", filter=Q(ethnicity__group=EthnicGroup.WHITE)),
        minority=Count("pk", filter=Q(ethnicity__group=EthnicGroup.MINORITY_ETHNIC)),
        male=Count("pk", filter=Q(gender=Gender.MALE)),
        female=Count("pk", filter=Q(gender=Gender.FEMALE)),
        mappa_1=Count("pk", filter=Q(mappa_level=1)),
        mappa_2=Count("pk", filter=Q(mappa_level=2)),
        mappa_3=Count("pk", filter=Q(mappa_level=3)),
        ppo=Count("pk", filter=Q(is_ppo=True)),
    )
    known_ethnicity = figures["white"] + figures["minority"]
    known_gender = figures["male"] + figures["female"]
    return {
        "total_caseload": figures["total"],
        "percent_white": _percent(figures["white"], known_ethnicity),
        "percent_minority_ethnic": _percent(figures["minority"], known_ethnicity),
        "percent_male": _percent(figures["male"], known_gender),
        "percent_female": _percent(figures["female"], known_gender),
        "mappa_level_1": figures["mappa_1"],
        "mappa_level_2": figures["mappa_2"],
        "mappa_level_3": figures["mappa_3"],
        "ppo_cases": figures["ppo"],
    }


def case_summary(offender: Offender) -> dict[str, Any]:
    """One row of `oms cases` and of the API's case list."""
    manager = offender.offender_manager
    events = getattr(offender, "current_events", None)
    if events is None:
        events = [e for e in offender.events.all() if e.is_active]
    return {
        "crn": offender.crn,
        "name": offender.full_name,
        "offender_manager": manager.full_name if manager else None,
        "tier": offender.tier or None,
        "risk_of_harm_level": offender.risk_of_harm_level or None,
        "current_event_types": [e.kind for e in events],
    }
