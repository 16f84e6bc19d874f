"""Personal API tokens: created in the UI, scoped, expiring, revocable, stored hashed, every use logged."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from oms.accounts.models import AccessLogEntry, ApiToken
from oms.accounts.tokens import create_token, hash_token
from tests.factories import World


def _bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_a_user_creates_a_token_in_the_ui_and_sees_it_once(world: World) -> None:
    client = Client()
    client.force_login(world.user("om"))
    page = client.post(
        reverse("api-tokens"), {"name": "My script", "scope": "read", "lifetime_days": "30"}
    ).content.decode()
    assert "Copy it now" in page
    token = ApiToken.objects.get(user=world.user("om"))
    plaintext = page.split('id="new-token">')[1].split("<")[0]
    assert token.key_hash == hash_token(plaintext) and plaintext not in token.key_hash
    assert plaintext not in client.get(reverse("api-tokens")).content.decode()


def test_token_reads_only_what_its_owner_may_and_every_use_is_logged(world: World) -> None:
    created = create_token(world.user("om"), name="feed", scope="read", lifetime_days=30)
    client = Client()
    own = client.get(f"/api/v1/cases/{world.cases['own'].crn}", **_bearer(created.plaintext))
    assert own.status_code == 200 and own.json()["crn"] == world.cases["own"].crn
    assert (
        client.get(f"/api/v1/cases/{world.cases['team'].crn}", **_bearer(created.plaintext)).status_code
        == 403
    )
    assert (
        AccessLogEntry.objects.filter(
            username="om", what__startswith=f"API token {created.token.prefix} used"
        ).count()
        == 2
    )


def test_expired_revoked_and_unknown_tokens_are_refused(world: World) -> None:
    client = Client()
    expired = create_token(world.user("om"), name="old", scope="read", lifetime_days=1)
    ApiToken.objects.filter(pk=expired.token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get("/api/v1/cases/", **_bearer(expired.plaintext)).status_code == 401
    revoked = create_token(world.user("om"), name="gone", scope="read", lifetime_days=30)
    owner = Client()
    owner.force_login(world.user("om"))
    owner.post(reverse("api-token-revoke", args=[revoked.token.pk]))
    assert client.get("/api/v1/cases/", **_bearer(revoked.plaintext)).status_code == 401
    assert client.get("/api/v1/cases/", **_bearer("oms_not-a-token")).status_code == 401


def test_only_the_owner_can_revoke_a_token(world: World) -> None:
    created = create_token(world.user("om"), name="mine", scope="read", lifetime_days=30)
    other = Client()
    other.force_login(world.user("spo"))
    assert other.post(reverse("api-token-revoke", args=[created.token.pk])).status_code == 404
    created.token.refresh_from_db()
    assert created.token.revoked_at is None


def test_a_lifetime_beyond_a_year_is_refused_naming_the_field(world: World) -> None:
    client = Client()
    client.force_login(world.user("om"))
    page = client.post(
        reverse("api-tokens"), {"name": "forever", "scope": "read", "lifetime_days": "400"}
    ).content.decode()
    assert "A token must expire within 365 days" in page and 'href="#id_lifetime_days"' in page
    assert not ApiToken.objects.exists()
