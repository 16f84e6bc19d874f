"""Recalculate the tier when what it depends on changes: a registration (PPO, MAPPA...) is saved, or an
event starts or ends. (Locking an assessment recalculates from the risk services.)

The recalculation runs once the change is committed, so a tier is never computed from a change that
was rolled back, and a failure here cannot undo the registration itself.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_save

from oms.cases.models import Event, Registration


def _recalculate_after_commit(offender_id: int, trigger: str) -> None:
    from oms.tiering.recalculation import recalculate_cases

    transaction.on_commit(lambda: recalculate_cases([offender_id], trigger=trigger))


def registration_saved(
    sender: type[Registration], instance: Registration, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if raw:
        return
    verb = "recorded" if created else "changed"
    _recalculate_after_commit(instance.offender_id, f"{instance.get_kind_display()} registration {verb}")


def event_saved(
    sender: type[Event], instance: Event, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if raw:
        return
    if created:
        trigger = f"{instance.get_kind_display()} started"
    elif not instance.is_active:
        trigger = f"{instance.get_kind_display()} ended"
    else:
        trigger = f"{instance.get_kind_display()} changed"
    _recalculate_after_commit(instance.offender_id, trigger)


def connect() -> None:
    post_save.connect(registration_saved, sender=Registration, dispatch_uid="tiering.registration_saved")
    post_save.connect(event_saved, sender=Event, dispatch_uid="tiering.event_saved")
