"""Links in the service navigation that apps add for the roles that use them (registered in ready())."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.urls import reverse

UserPredicate = Callable[[AbstractBaseUser | AnonymousUser], bool]


@dataclass(frozen=True)
class NavigationItem:
    label: str
    url_name: str
    order: int
    shown_to: UserPredicate


_ITEMS: list[NavigationItem] = []


def register_navigation(label: str, url_name: str, order: int, shown_to: UserPredicate) -> None:
    if any(item.url_name == url_name for item in _ITEMS):
        return
    _ITEMS.append(NavigationItem(label, url_name, order, shown_to))


def navigation_for(user: AbstractBaseUser | AnonymousUser) -> list[tuple[str, str]]:
    return [
        (item.label, reverse(item.url_name))
        for item in sorted(_ITEMS, key=lambda i: i.order)
        if item.shown_to(user)
    ]
