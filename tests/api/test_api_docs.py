"""The API docs: a GOV.UK page drawn from the OpenAPI document, for signed-in users only."""

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


def test_a_signed_in_user_reads_every_operation_and_schema_on_a_govuk_page(world: World) -> None:
    client = Client()
    client.force_login(world.user("om"))
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert '<h1 class="govuk-heading-l">OMS API: documentation</h1>' in html
    document = client.get("/api/v1/openapi.json").json()
    for path, operations in document["paths"].items():
        for method in operations:
            assert f'<code class="oms-api-path">{path}</code>' in html, (method, path)
    for schema in document["components"]["schemas"]:
        assert f'id="schema-{schema}"' in html, schema
    # The case list's paging parameters, with their descriptions from the API's own schema.
    assert "How many items (at most 500)" in html
    assert '<a class="govuk-link" href="/api/v1/openapi.json">OpenAPI document</a>' in html
    sources = re.findall(r'(?:src)="([^"]+)"', html)
    assert all(source.startswith("/static/") for source in sources), sources
    assert "unsafe-inline" not in docs["Content-Security-Policy"]


def test_an_api_token_reads_the_document(world: World) -> None:
    token = create_token(world.user("om"), name="docs", scope="read", lifetime_days=1).plaintext
    response = Client().get("/api/v1/openapi.json", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200 and "/api/v1/cases/" in response.json()["paths"]
