"""The API docs: Swagger UI from the service's own files under the normal CSP, for signed-in users only."""

from __future__ import annotations

import re

from django.test import Client

from oms.accounts.tokens import create_token
from tests.factories import World


def test_a_stranger_is_sent_to_sign_in_and_cannot_read_the_api_document(db: None) -> None:
    client = Client()
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 302 and docs["Location"].startswith("/accounts/login/")
    document = client.get("/api/v1/openapi.json")
    assert document.status_code == 401
    assert "Sign in" in document.json()["detail"]


def test_a_signed_in_user_gets_the_docs_from_the_services_own_files_under_the_csp(world: World) -> None:
    client = Client()
    client.force_login(world.user("om"))
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    html = docs.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in sources
    assert all(source.startswith("/static/") for source in sources), sources
    assert "<script>" not in html  # no inline script: the CSP would refuse it
    policy = docs["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    for asset in ("/static/vendor/swagger-ui/swagger-ui-bundle.js", "/static/oms/api-docs.js"):
        assert client.get(asset).status_code == 200, asset
    assert client.get("/api/v1/openapi.json").json()["info"]["title"] == "OMS API"


def test_an_api_token_reads_the_document(world: World) -> None:
    token = create_token(world.user("om"), name="docs", scope="read", lifetime_days=1).plaintext
    response = Client().get("/api/v1/openapi.json", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200 and "/api/v1/cases/" in response.json()["paths"]
