"""The 42 probation areas of England and Wales in their 10 regions (2006/07): spec/national.md.

Pure data. The regions come in the spec's order, which is also the order HMI Probation's programme
takes them in (oms/inspection/programme.py). The population served is the spec's approximate 2006
figure in millions, used only to size synthetic caseloads (oms/demo/national.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class NationalArea:
    name: str
    region: str
    population_millions: Decimal


_TABLE: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    ("North East", (("Durham", "0.60"), ("Northumbria", "1.40"), ("Teesside", "0.55"))),
    (
        "North West",
        (
            ("Cheshire", "1.00"),
            ("Cumbria", "0.50"),
            ("Greater Manchester", "2.55"),
            ("Lancashire", "1.45"),
            ("Merseyside", "1.37"),
        ),
    ),
    (
        "Yorkshire and the Humber",
        (
            ("Humberside", "0.90"),
            ("North Yorkshire", "0.77"),
            ("South Yorkshire", "1.29"),
            ("West Yorkshire", "2.15"),
        ),
    ),
    (
        "East Midlands",
        (
            ("Derbyshire", "1.00"),
            ("Leicestershire and Rutland", "0.95"),
            ("Lincolnshire", "0.68"),
            ("Northamptonshire", "0.66"),
            ("Nottinghamshire", "1.04"),
        ),
    ),
    (
        "West Midlands",
        (
            ("Staffordshire", "1.07"),
            ("Warwickshire", "0.53"),
            ("West Mercia", "1.19"),
            ("West Midlands", "2.60"),
        ),
    ),
    (
        "East of England",
        (
            ("Bedfordshire", "0.60"),
            ("Cambridgeshire", "0.75"),
            ("Essex", "1.70"),
            ("Hertfordshire", "1.05"),
            ("Norfolk", "0.83"),
            ("Suffolk", "0.70"),
        ),
    ),
    ("London", (("London", "7.50"),)),
    (
        "South East",
        (
            ("Hampshire", "1.80"),
            ("Kent", "1.60"),
            ("Surrey", "1.08"),
            ("Sussex", "1.52"),
            ("Thames Valley", "2.15"),
        ),
    ),
    (
        "South West",
        (
            ("Avon and Somerset", "1.55"),
            ("Devon and Cornwall", "1.65"),
            ("Dorset", "0.70"),
            ("Gloucestershire", "0.58"),
            ("Wiltshire", "0.63"),
        ),
    ),
    ("Wales", (("Dyfed-Powys", "0.50"), ("Gwent", "0.56"), ("North Wales", "0.68"), ("South Wales", "1.25"))),
)

REGIONS: tuple[str, ...] = tuple(region for region, _areas in _TABLE)
AREAS: tuple[NationalArea, ...] = tuple(
    NationalArea(name, region, Decimal(population)) for region, areas in _TABLE for name, population in areas
)
AREAS_BY_NAME = {area.name: area for area in AREAS}


def region_position(region_name: str) -> int:
    """A region's place in the spec's order; a region OMS does not know comes after the ten."""
    try:
        return REGIONS.index(region_name)
    except ValueError:
        return len(REGIONS)
