"""Other apps add history to the demo area (assessments, contacts, inspections...) by registering here.

An enricher gets the new area, the area's "today" and a seeded random generator, and must write in
bulk: the whole demo area (2,338 cases with history) must seed in well under three minutes.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from oms.organisation.models import Area

Enricher = Callable[[Area, date, random.Random], None]


@dataclass(frozen=True)
class DemoEnricher:
    key: str
    order: int
    enrich: Enricher


_ENRICHERS: dict[str, DemoEnricher] = {}


def register_enricher(key: str, order: int, enrich: Enricher) -> None:
    _ENRICHERS[key] = DemoEnricher(key, order, enrich)


def run_enrichers(
    area: Area, as_of: date, seed: int, progress: Callable[[str], None] | None = None
) -> list[str]:
    done = []
    ordered = sorted(_ENRICHERS.values(), key=lambda e: e.order)
    for number, enricher in enumerate(ordered, start=1):
        if progress is not None:
            progress(f"history {number} of {len(ordered)}: {enricher.key.replace('_', ' ')}")
        enricher.enrich(area, as_of, random.Random(f"{seed}:{enricher.key}"))
        done.append(enricher.key)
    return done
