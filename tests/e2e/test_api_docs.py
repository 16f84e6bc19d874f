"""The API docs render in a real browser from the service's own files, with the CSP on and no internet."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import screenshot, sign_in
from tests.factories import PASSWORD, World

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_api_docs_list_their_operations_with_the_csp_on(page, live_server, world: World) -> None:  # type: ignore[no-untyped-def]
    refused: list[str] = []
    outside: list[str] = []

    def on_console(message) -> None:  # type: ignore[no-untyped-def]
        if "Content Security Policy" in message.text:
            refused.append(message.text)

    def on_request(request) -> None:  # type: ignore[no-untyped-def]
        if not request.url.startswith((live_server.url, "data:", "blob:")):
            outside.append(request.url)

    page.on("console", on_console)
    page.on("request", on_request)
    sign_in(page, "om", PASSWORD)
    page.click("#navigation >> text=API tokens")
    page.click("text=API documentation")
    assert page.locator("h1").inner_text() == "OMS API: documentation"
    assert page.locator(".oms-api-path", has_text="/api/v1/cases/{crn}").count() >= 1
    page.click("#contents-title ~ ul >> text=Schemas")
    assert page.locator("#schema-CaseOut").is_visible()
    screenshot(page, "api-docs")
    assert not refused, refused
    assert not outside, outside
