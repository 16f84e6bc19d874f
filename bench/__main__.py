"""Run every benchmark and print its figures: `make bench` (SQLite), or with DATABASE_URL set."""

from __future__ import annotations

import sys
from importlib import import_module

from bench.environment import setup_django

# Each module has run() -> list of printed lines. Order: cheap first.
BENCHMARKS = [
    "bench.supervision",  # first: seeds the demo area with its full history in an empty database, timed
    "bench.foundation",
    "bench.risk_tiering",
    "bench.standards",
    "bench.inspection",
    "bench.calibration",
    "bench.api_import",
]


def main() -> None:
    vendor = setup_django()
    print(f"OMS benchmarks on {vendor}")
    chosen = sys.argv[1:] or BENCHMARKS
    for name in chosen:
        module = import_module(name if name.startswith("bench.") else f"bench.{name}")
        print(f"== {module.__name__}: {(module.__doc__ or '').strip().splitlines()[0]}")
        for line in module.run():
            print(f"   {line}")


if __name__ == "__main__":
    main()
