"""`oms seed --national`: the 42 areas in their 10 regions, sized by population, with the sign-ins."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from oms.accounts.permissions import visible_cases
from oms.cases.models import Event, Offender
from oms.demo.national import caseload_for
from oms.organisation.models import Area, Region
from oms.organisation.national import AREAS, AREAS_BY_NAME, REGIONS

pytestmark = pytest.mark.django_db


def current_cases(area: Area) -> int:
    return Offender.objects.filter(area=area, events__is_active=True).distinct().count()


def test_a_national_seed_gives_42_areas_in_10_regions_sized_by_population_with_the_sign_ins() -> None:
    out = StringIO()
    call_command("seed", "--national", "--scale", "0.01", "--no-history", "--as-of", "2007-03-31", stdout=out)
    text = out.getvalue()
    # Progress: a line per area as it is done, then the total.
    assert "[ 1/42] Durham (North East)" in text and "[42/42] South Wales (Wales)" in text
    assert "Seeded England and Wales: 42 areas" in text

    assert Area.objects.count() == 42
    assert list(Region.objects.order_by("name").values_list("name", flat=True)) == sorted(REGIONS)
    assert {a.name: a.region.name for a in Area.objects.select_related("region")} == {
        a.name: a.region for a in AREAS
    }
    areas = {a.name: a for a in Area.objects.all()}
    # spec: Northamptonshire holds the report's 2,338 at scale 1, so 23 at 0.01; others in proportion.
    assert current_cases(areas["Northamptonshire"]) == 23
    assert current_cases(areas["London"]) == round(2338 * 7.5 / 0.66 * 0.01) == 266
    assert current_cases(areas["Dyfed-Powys"]) == 18
    assert Event.objects.filter(is_active=True).values("offender").distinct().count() == sum(
        caseload_for(a, Decimal("0.01")) for a in AREAS
    )

    users = get_user_model().objects
    for username in ("om", "spo", "caseadmin", "aco", "vlo", "inspector", "national"):
        assert users.filter(username=username).exists(), username
    # The demo roles are one area's (Northamptonshire's) staff.
    assert users.get(username="aco").staff.area.name == "Northamptonshire"
    national = users.get(username="national")
    assert national.staff.area is None and national.staff.grade.role == "national_performance"
    # A national performance user sees figures, never a case record.
    assert not visible_cases(national).exists()
    assert "national" in text and "National performance user" in text


def test_scale_at_1_gives_about_190000_cases_nationally() -> None:
    total = sum(caseload_for(area, Decimal(1)) for area in AREAS)
    assert caseload_for(AREAS_BY_NAME["Northamptonshire"], Decimal(1)) == 2338
    assert 185_000 < total < 195_000


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--scale", "lots"], "--scale: 'lots' is not a number"),
        (["--scale", "0"], "--scale must be more than 0"),
        (["--cases", "10"], "--cases: not with --national"),
    ],
)
def test_bad_national_options_are_refused_naming_the_option(args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("seed", "--national", "--no-history", *args, stdout=StringIO())
    assert not Area.objects.exists()
