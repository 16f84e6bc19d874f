"""Bad input to any API operation is the caller's error, never an outage: 422 (or 400/413) in JSON,
naming the field, the same on SQLite and PostgreSQL.

The operations and their fields come from the live OpenAPI document, so a field added tomorrow is
probed without anyone editing this file.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from oms.cases.models import ContactType
from oms.supervision.models import Contact
from tests.api.test_api_permission_matrix import _body, _operations, _path_parameters, _resolve
from tests.factories import World

NUL = "a\x00b"
OVER_LONG = "x" * 100_001


def _writes() -> list[tuple[str, dict[str, Any]]]:
    return [
        (path, operation)
        for path, operation in _operations("post")
        if _path_parameters(path) <= {"crn", "contact_id"}
        and "application/json" in operation.get("requestBody", {}).get("content", {})
    ]


def _fields(operation: dict[str, Any]) -> dict[str, dict[str, Any]]:
    schema = _resolve(operation["requestBody"]["content"]["application/json"]["schema"])
    return {name: _resolve(field) for name, field in schema.get("properties", {}).items()}


def _kind(field: dict[str, Any]) -> str:
    for choice in ("anyOf", "oneOf"):
        if choice in field:
            kinds = [_kind(_resolve(f)) for f in field[choice] if _resolve(f).get("type") != "null"]
            return kinds[0] if kinds else ""
    return str(field.get("format") or field.get("type") or "")


@pytest.fixture
def client(world: World) -> Client:
    model = get_user_model()
    client = Client()
    client.force_login(model.objects.create_superuser("root", "root@probation.example", "x"))
    return client


@pytest.fixture
def contact(world: World) -> Contact:
    case = world.cases["own"]
    start = timezone.now() - timedelta(days=3)
    return Contact.objects.create(
        offender=case,
        event=case.events.first(),
        contact_type=ContactType.objects.get(code="office"),
        starts_at=start,
        ends_at=start + timedelta(hours=1),
    )


def _url(path: str, world: World, contact: Contact) -> str:
    return path.replace("{crn}", world.cases["own"].crn).replace("{contact_id}", str(contact.pk))


def _post(client: Client, url: str, body: Any) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def _problems(client: Client, world: World, contact: Contact, kind: str, value: str) -> list[str]:
    problems = []
    for path, operation in _writes():
        url = _url(path, world, contact)
        for name, field in _fields(operation).items():
            if _kind(field) != kind:
                continue
            body = _body(operation) | {name: value}
            response = _post(client, url, body)
            where = f"POST {path} {name}={value[:12]!r}: {response.status_code} {response.content[:160]!r}"
            if response.status_code != 422:
                problems.append(where)
            elif (
                not response["Content-Type"].startswith("application/json")
                or name not in response.json()["detail"]
            ):
                problems.append(f"the answer does not name the field: {where}")
    return problems


def test_every_text_field_refuses_a_nul_byte_with_422_naming_it(
    world: World, client: Client, contact: Contact
) -> None:
    problems = _problems(client, world, contact, "string", NUL)
    assert not problems, "\n".join(problems)


def test_every_text_field_refuses_an_over_long_value_with_422_naming_it(
    world: World, client: Client, contact: Contact
) -> None:
    problems = _problems(client, world, contact, "string", OVER_LONG)
    assert not problems, "\n".join(problems)


def test_every_date_refuses_the_year_9999_with_422_naming_it(
    world: World, client: Client, contact: Contact
) -> None:
    problems = _problems(client, world, contact, "date", "9999-12-31")
    problems += _problems(client, world, contact, "date-time", "9999-12-31T10:00:00+00:00")
    assert not problems, "\n".join(problems)


def test_text_longer_than_its_column_is_refused_naming_the_field_and_nothing_is_saved(
    world: World, client: Client
) -> None:
    """SQLite would store it and PostgreSQL would fail with a database error: both answer 422."""
    crn = world.cases["own"].crn
    starts_at = (timezone.localtime() + timedelta(days=2)).replace(hour=10, minute=0, second=0, microsecond=0)
    body = {"contact_type": "office", "starts_at": starts_at.isoformat(), "location": "x" * 201}
    response = _post(client, f"/api/v1/supervision/cases/{crn}/appointments", body)
    assert response.status_code == 422, response.content
    assert response.json()["detail"].startswith("location: Enter at most 200 characters")
    assert not Contact.objects.filter(offender__crn=crn).exists()
    body["location"] = "Room 4"
    assert _post(client, f"/api/v1/supervision/cases/{crn}/appointments", body).status_code == 201


def test_a_nul_byte_in_a_query_parameter_or_path_is_refused_naming_it(world: World, client: Client) -> None:
    response = client.get("/api/v1/cases/", {"tier": "A\x001"})
    assert response.status_code == 422
    assert response.json()["detail"].startswith("tier: Remove the NUL character")
    assert client.get("/api/v1/cases/T0%00").status_code == 422
    page = client.get("/cases/", {"tier": "A\x001"})
    assert page.status_code == 400 and "tier is not valid" in page.content.decode()


def test_a_long_search_is_refused_naming_the_search_not_an_outage(world: World, client: Client) -> None:
    response = client.get("/api/v1/cases/", {"q": " ".join(["smith"] * 400)})
    assert response.status_code == 422
    assert response.json()["detail"].startswith("q: String should have at most 100 characters")
    assert client.get("/cases/", {"q": " ".join(["smith"] * 400)}).status_code == 200


def test_deeply_nested_or_unreadable_json_is_a_bad_request_in_json(world: World, client: Client) -> None:
    url = f"/api/v1/supervision/cases/{world.cases['own'].crn}/appointments"
    for body in ("[" * 100_000 + "]" * 100_000, '{"a": ' * 900 + "1" + "}" * 900, "{not json"):
        response = client.post(url, body, content_type="application/json")
        assert response.status_code in (400, 422), response.content[:200]
        assert response["Content-Type"].startswith("application/json")
        assert response.json()["detail"]


def test_a_body_over_the_upload_limit_is_413_in_json(world: World, client: Client, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    url = f"/api/v1/supervision/cases/{world.cases['own'].crn}/appointments"
    response = _post(client, url, {"notes": "x" * 2000})
    assert response.status_code == 413
    assert response.json()["detail"] == "The request is too large"


def test_an_unknown_api_address_answers_404_in_json_not_a_page(client: Client) -> None:
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}
