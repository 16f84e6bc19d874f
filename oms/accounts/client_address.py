"""The address a request comes from, seen through the proxies the operator trusts (OMS_TRUSTED_PROXIES).

Behind a proxy every request's REMOTE_ADDR is the proxy's: sign-in lockout (per username and
address) and the throttling of bad API tokens would then count everyone as one address. The
X-Forwarded-For header is believed only when the request came from a trusted proxy, and read from
the right, so a client cannot choose its own address by sending the header itself.
"""

from __future__ import annotations

import ipaddress
from functools import cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@cache
def _trusted(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(p, strict=False) for p in proxies)


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _is_trusted(address: str) -> bool:
    if not _is_address(address):
        return False
    ip = ipaddress.ip_address(address)
    return any(ip in network for network in _trusted(tuple(settings.OMS_TRUSTED_PROXIES)))


def client_address(request: HttpRequest) -> str:
    remote = str(request.META.get("REMOTE_ADDR", ""))
    if not _is_trusted(remote):
        return remote
    forwarded = [a.strip() for a in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",") if a.strip()]
    for address in reversed(forwarded):
        if not _is_trusted(address):
            # A proxy we trust wrote this hop; if it is not an address at all, the proxy is the client.
            return address if _is_address(address) else remote
    return forwarded[0] if forwarded else remote
