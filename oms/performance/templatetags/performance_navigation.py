"""What the performance pages' navigation offers: a link only to the pages the user may open."""

from __future__ import annotations

from typing import Any

from django import template

from oms.performance.permissions import can_see_registers

register = template.Library()


@register.simple_tag(takes_context=True)
def may_see_registers(context: dict[str, Any]) -> bool:
    return can_see_registers(context["request"].user)
