"""Personal API tokens: created by a user in the UI, scoped, expiring, revocable, stored hashed."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import HttpError
from ninja.security import HttpBearer

from oms.accounts.audit import record_access
from oms.accounts.models import AccessAction, ApiToken, ApiTokenScope
from oms.accounts.rate_limits import bad_tokens_exhausted, count_bad_token

TOKEN_PREFIX = "oms_"
MAXIMUM_LIFETIME_DAYS = 365
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def hash_token(plaintext: str) -> str:
    # Tokens carry 256 bits of randomness: a fast hash is enough (no dictionary to guess from).
    return hashlib.sha256(plaintext.encode()).hexdigest()


@dataclass(frozen=True)
class CreatedToken:
    token: ApiToken
    plaintext: str


@transaction.atomic
def create_token(user: AbstractBaseUser, *, name: str, scope: str, lifetime_days: int) -> CreatedToken:
    if not name.strip():
        raise ValueError("Enter a name for the token")
    if scope not in ApiTokenScope.values:
        raise ValueError("Choose what the token may do")
    if not 1 <= lifetime_days <= MAXIMUM_LIFETIME_DAYS:
        raise ValueError(f"A token must expire within 1 to {MAXIMUM_LIFETIME_DAYS} days")
    secret = secrets.token_urlsafe(32)
    plaintext = f"{TOKEN_PREFIX}{secret}"
    token = ApiToken.objects.create(
        user_id=user.pk,
        name=name.strip(),
        scope=scope,
        prefix=plaintext[: len(TOKEN_PREFIX) + 6],
        key_hash=hash_token(plaintext),
        expires_at=timezone.now() + timedelta(days=lifetime_days),
    )
    record_access(
        user, AccessAction.CREATE, f"created API token {token.prefix} ({token.get_scope_display()})"
    )
    return CreatedToken(token, plaintext)


def revoke_token(user: AbstractBaseUser, token: ApiToken) -> None:
    if token.user_id != user.pk:
        raise PermissionError("Only the token's owner may revoke it")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record_access(user, AccessAction.CHANGE, f"revoked API token {token.prefix}")


class TokenAuth(HttpBearer):
    """Bearer tokens for the API. A read-only token may not change anything; every use is logged.

    Bad tokens are counted per client address: past OMS_API_BAD_TOKEN_RATE the address gets 429
    without its token even being looked up, so tokens cannot be guessed at speed.
    """

    def authenticate(self, request: HttpRequest, token: str) -> AbstractBaseUser | None:
        if bad_tokens_exhausted(request):
            raise HttpError(429, "Too many bad API tokens from this address: wait a minute and try again")
        now = timezone.now()
        found = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=hash_token(token), revoked_at__isnull=True, expires_at__gt=now)
            .first()
        )
        if found is None or not found.user.is_active:
            count_bad_token(request)
            return None
        if request.method not in SAFE_METHODS and found.scope != ApiTokenScope.READ_WRITE:
            request.user = found.user  # so the refusal is logged against the token's owner
            raise HttpError(403, f"This API token ({found.prefix}) is read-only")
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        request.api_token = found  # type: ignore[attr-defined]  # the rate limit counts per token
        record_access(
            found.user,
            AccessAction.VIEW,
            f"API token {found.prefix} used: {request.method} {request.path}"[:200],
            request=request,
        )
        return found.user
