"""Other apps' nightly work per area, run by the sweep after the area's actions (`oms sweep` and its
per-area job): an app registers a function of the area's id in its AppConfig.ready, as panels and
record sections are registered, so the standards app names no other app."""

from __future__ import annotations

from collections.abc import Callable

# (key, work): the work returns a number to report (rows written).
NightlyWork = Callable[[int], int]
_registered: dict[str, NightlyWork] = {}


def register_nightly_work(key: str, work: NightlyWork) -> None:
    _registered[key] = work


def run_nightly_work(area_id: int) -> dict[str, int]:
    """Every registered piece of nightly work for one area, in the order registered."""
    return {key: work(area_id) for key, work in _registered.items()}
