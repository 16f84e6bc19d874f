"""The 42 areas of England and Wales, each a synthetic area sized by the population it serves.

spec/national.md: an area's current caseload is in proportion to its population, with
Northamptonshire at the report's 2,338 (about 190,000 cases nationally at scale 1); `scale`
multiplies every area. Each area is seeded by `seed_area` in its own transaction (so a long national
seed shows progress and a failure keeps the areas already done), from its own seed derived from the
national one, so the same seed gives the same nation.

Sign-ins: the demo roles of one area (Northamptonshire, the report's), the inspector, and a national
performance user who sees every area's figures and no case.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from oms.demo.area import DEMO_PASSWORD, DemoLogin, SeedResult, seed_area
from oms.demo.shape import REPORT_CASELOAD
from oms.organisation.models import Area, Grade, Staff
from oms.organisation.national import AREAS, AREAS_BY_NAME, NationalArea

# The area whose demo roles get sign-ins: the report's.
LOGIN_AREA = "Northamptonshire"
# spec/national.md: Northamptonshire (0.66 million) holds the report's 2,338 cases at scale 1.
CASES_PER_MILLION = Decimal(REPORT_CASELOAD) / AREAS_BY_NAME[LOGIN_AREA].population_millions
NATIONAL_USERNAME = "national"
NATIONAL_GRADE = "NPD"
NATIONAL_ORGANISATION = "National Probation Directorate"


def caseload_for(area: NationalArea, scale: Decimal) -> int:
    """An area's current cases at a scale: in proportion to its population, never fewer than one."""
    cases = (area.population_millions * CASES_PER_MILLION * scale).quantize(
        Decimal(1), rounding=ROUND_HALF_UP
    )
    return max(1, int(cases))


@dataclass
class NationalSeedResult:
    areas: list[SeedResult] = field(default_factory=list)
    logins: list[DemoLogin] = field(default_factory=list)

    @property
    def cases(self) -> int:
        return sum(area.cases for area in self.areas)


Progress = Callable[[int, int, NationalArea, SeedResult, float], None]


def seed_nation(
    *,
    scale: Decimal,
    seed: int,
    as_of: date,
    with_history: bool = True,
    progress: Progress | None = None,
) -> NationalSeedResult:
    """Seed every area of spec/national.md; refuses (before writing anything) if one already exists."""
    if scale <= 0:
        raise ValueError("--scale must be more than 0")
    existing = list(Area.objects.filter(name__in=[a.name for a in AREAS]).values_list("name", flat=True))
    if existing:
        raise ValueError(f"These areas already exist: {', '.join(sorted(existing))}; seed an empty database")
    result = NationalSeedResult()
    for index, national_area in enumerate(AREAS):
        started = time.perf_counter()
        seeded = seed_area(
            cases=caseload_for(national_area, scale),
            seed=seed + index,
            area_name=national_area.name,
            region_name=national_area.region,
            as_of=as_of,
            with_logins=national_area.name == LOGIN_AREA,
            with_history=with_history,
        )
        result.areas.append(seeded)
        result.logins += seeded.logins
        if progress is not None:
            progress(index + 1, len(AREAS), national_area, seeded, time.perf_counter() - started)
    result.logins += _national_login()
    return result


@transaction.atomic
def _national_login() -> list[DemoLogin]:
    user_model = get_user_model()
    if user_model.objects.filter(username=NATIONAL_USERNAME).exists():
        return []
    user = user_model.objects.create(
        username=NATIONAL_USERNAME,
        password=make_password(DEMO_PASSWORD),
        first_name="Nadia",
        last_name="Performance",
        email="nadia.performance@npd.example",
    )
    grade = Grade.objects.get(code=NATIONAL_GRADE)
    Staff.objects.create(
        user=user,
        first_name=user.first_name,
        family_name=user.last_name,
        email=user.email,
        grade=grade,
        area=None,
        organisation=NATIONAL_ORGANISATION,
    )
    return [
        DemoLogin(NATIONAL_USERNAME, grade.name, "National performance user: every area's figures, no cases")
    ]
