"""The work each person's home page lists: one card per queue, each a count that says what it counts
and a link straight to the work (issue 13: "home pages are work queues").

Apps register the queues they own in their AppConfig.ready(), as they register navigation and case
panels: risk the countersigning queue and the work rolled back to its author, supervision today's
appointments and recalls, tiering the allocation queue and tier overrides, standards the actions.
A queue says who sees it (`shown_to`, the same function its page checks, so card and page never
disagree) and builds its cards from a `HomeContext`. Each builder runs a fixed number of queries,
whatever the size of the caseload, so the home page does too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from oms.cases.models import Offender
from oms.organisation.models import Staff

AnyUser = AbstractBaseUser | AnonymousUser


@dataclass(frozen=True)
class HomeContext:
    """What every builder needs, read once for the page."""

    user: AnyUser
    staff: Staff | None
    role: str | None
    today: date
    cases: QuerySet[Offender]  # visible_cases(user): no builder widens it


@dataclass(frozen=True)
class WorkItem:
    """One piece of work in a queue, with the link that opens it."""

    text: str
    url: str
    link_text: str
    detail: str = ""
    urgent: bool = False


@dataclass(frozen=True)
class WorkQueue:
    key: str  # the card's id, stable for tests and screen readers
    title: str
    count: int | None  # None for a card that is only a link (area performance)
    counts: str  # what the count counts, read after the figure: "documents waiting for you ..."
    url: str
    link_text: str
    detail: str = ""
    items: tuple[WorkItem, ...] = ()
    more_links: tuple[tuple[str, str], ...] = field(default_factory=tuple)  # (text, url)
    urgent: bool = False  # something in it is late


QueueBuilder = Callable[[HomeContext], list[WorkQueue]]


@dataclass(frozen=True)
class RegisteredQueue:
    key: str
    order: int
    shown_to: Callable[[AnyUser], bool]
    build: QueueBuilder


_QUEUES: dict[str, RegisteredQueue] = {}


def register_work_queue(
    key: str, order: int, shown_to: Callable[[AnyUser], bool], build: QueueBuilder
) -> None:
    _QUEUES[key] = RegisteredQueue(key, order, shown_to, build)


def work_queues_for(context: HomeContext) -> list[WorkQueue]:
    """Every queue this person sees, in the registered order."""
    queues: list[WorkQueue] = []
    for registered in sorted(_QUEUES.values(), key=lambda q: q.order):
        if registered.shown_to(context.user):
            queues.extend(registered.build(context))
    return queues
