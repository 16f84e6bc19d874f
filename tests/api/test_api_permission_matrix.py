"""Every API operation × every role × every relation to the case: no leak, no wrongful refusal, no 5xx.

The operations come from the live OpenAPI document, so an operation added tomorrow is in the matrix
without anyone editing this file. The oracle is accounts.permissions.visible_cases, the one place
that decides who reads which case:
- a GET with {crn}: never 200 for a case the role may not read; 200 for one it may, or 403 where a
  role-specific rule refuses (victims for a partner agency, court work for a VLO) and says which;
- a POST with {crn} (or on an object of a case): a role that may not read the case gets 403 or 404
  and nothing at all is written;
- any other path parameter: a non-existent id gives 404 or 403;
- never a 5xx, for anyone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.test import Client
from django.utils import timezone

from oms.accounts.models import AccessLogEntry, RequestCounter
from oms.accounts.permissions import visible_cases
from oms.api.router import api
from oms.cases.models import ContactType
from oms.courts.permissions import does_court_work
from oms.supervision.models import Contact
from oms.victims.permissions import can_see_victim_summary
from tests.factories import RELATIONS, ROLES, World

SCHEMA: dict[str, Any] = api.get_openapi_schema()
# The generic refusal of a case the caller may not read; a role-specific refusal says more than this.
GENERIC_REFUSAL = "You do not have access to this case"
NO_SUCH_ID = 987654321
PATH_PARAMETER = re.compile(r"\{(\w+)\}")
MATRIX_ROLES = [*ROLES, "superuser"]


def _operations(method: str) -> list[tuple[str, dict[str, Any]]]:
    return [
        (path, operations[method]) for path, operations in SCHEMA["paths"].items() if method in operations
    ]


def _path_parameters(path: str) -> set[str]:
    return set(PATH_PARAMETER.findall(path))


CASE_READS = [path for path, _ in _operations("get") if _path_parameters(path) == {"crn"}]
CASE_WRITES = [(path, op) for path, op in _operations("post") if "crn" in _path_parameters(path)]
OTHER_ID_OPERATIONS = [
    (method, path, op)
    for method in ("get", "post")
    for path, op in _operations(method)
    if _path_parameters(path) - {"crn"}
]
LISTS = [(path, op) for path, op in _operations("get") if not _path_parameters(path)]


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = SCHEMA["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


# Values a person would send for the fields the document types only as "string".
FIELD_EXAMPLES = {
    "contact_type": "office",
    "outcome": "attended_complied",
    "kind": "standard",
    "court": "Northampton Magistrates' Court",
    "question_id": "1.1",
    "value": "yes",
}


def _example(schema: dict[str, Any], name: str = "") -> Any:
    """A request body of the shape the published document asks for (required fields only)."""
    schema = _resolve(schema)
    for choice in ("anyOf", "oneOf"):
        if choice in schema:
            options = [s for s in schema[choice] if _resolve(s).get("type") != "null"]
            return _example(options[0], name)
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object":
        return {field: _example(schema["properties"][field], field) for field in schema.get("required", [])}
    if kind == "array":
        return [_example(schema["items"], name)]
    if kind == "integer":
        return max(1, schema.get("minimum", 1))
    if kind == "number":
        return 1
    if kind == "boolean":
        return False
    if schema.get("format") == "date":
        return timezone.localdate().isoformat()
    if schema.get("format") == "date-time":
        return (timezone.localtime() + timedelta(days=2)).replace(hour=10, minute=0).isoformat()
    return FIELD_EXAMPLES.get(name, "x")


def _body(operation: dict[str, Any]) -> Any:
    content = operation.get("requestBody", {}).get("content", {}).get("application/json")
    return _example(content["schema"]) if content else None


def _query(operation: dict[str, Any]) -> dict[str, str]:
    """The required query parameters (a reporting period, say), filled with today's date."""
    return {
        p["name"]: str(_example(p.get("schema", {}), p["name"]))
        for p in operation.get("parameters", [])
        if p["in"] == "query" and p.get("required")
    }


def _user(world: World, role: str) -> AbstractBaseUser:
    if role == "superuser":
        model = get_user_model()
        return model.objects.filter(username="root").first() or model.objects.create_superuser(
            "root", "root@probation.example", "x"
        )
    return world.user(role)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _detail(response: Any) -> str:
    try:
        return str(response.json().get("detail", ""))
    except (ValueError, AttributeError):
        return ""


def _snapshot() -> dict[str, int]:
    """How many rows every table holds, apart from the access log (a refusal is rightly recorded) and
    the rate limit's counters (a refused request still counts against its caller's limit)."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model not in (AccessLogEntry, RequestCounter) and model._meta.managed
    }


@pytest.fixture
def contacts(world: World) -> dict[str, Contact]:
    """A contact that has happened on every case, for the operations on a contact."""
    office = ContactType.objects.get(code="office")
    made = {}
    for relation in RELATIONS:
        case = world.cases[relation]
        start = timezone.now() - timedelta(days=3)
        made[relation] = Contact.objects.create(
            offender=case,
            event=case.events.first(),
            contact_type=office,
            starts_at=start,
            ends_at=start + timedelta(hours=1),
        )
    return made


def test_the_matrix_covers_the_operations_of_the_published_document() -> None:
    assert "/api/v1/cases/{crn}" in CASE_READS
    assert any(path.endswith("/appointments") for path, _ in CASE_WRITES)
    assert len(CASE_READS) >= 8, CASE_READS


def _case_read_problems(client: Client, world: World, role: str, readable: set[str]) -> list[str]:
    problems = []
    for path in CASE_READS:
        for relation in RELATIONS:
            crn = world.cases[relation].crn
            response = client.get(path.replace("{crn}", crn))
            status, detail = response.status_code, _detail(response)
            where = f"{role} GET {path} on the {relation} case: {status} {detail[:120]}"
            if status >= 500:
                problems.append(f"server error: {where}")
            elif crn not in readable and status == 200:
                problems.append(f"LEAK: {where}")
            elif crn not in readable and status not in (403, 404):
                problems.append(f"unexpected status: {where}")
            elif crn in readable and status == 403 and (not detail or detail == GENERIC_REFUSAL):
                problems.append(f"readable case refused without a role-specific reason: {where}")
            elif crn in readable and status not in (200, 403):
                problems.append(f"readable case not served: {where}")
    return problems


@pytest.mark.parametrize("role", MATRIX_ROLES)
def test_every_case_read_for_every_relation(world: World, contacts: dict[str, Contact], role: str) -> None:
    user = _user(world, role)
    readable = set(visible_cases(user).values_list("crn", flat=True))
    problems = _case_read_problems(_client(user), world, role, readable)
    assert not problems, "\n".join(problems)


# The role-specific rules of the read operations, by each app's own predicate: where the predicate
# says no on a readable case the answer is 403, where it says yes, 200.
ROLE_RULES = {
    "/api/v1/courts/cases/{crn}/reports": lambda user, case: does_court_work(user),
    "/api/v1/victims/cases/{crn}": can_see_victim_summary,
}


@pytest.mark.parametrize("role", MATRIX_ROLES)
def test_a_role_specific_refusal_follows_its_rule(world: World, role: str) -> None:
    user = _user(world, role)
    client = _client(user)
    for path, allows in ROLE_RULES.items():
        assert path in CASE_READS, path
        for case in visible_cases(user).filter(pk__in=[c.pk for c in world.cases.values()]):
            response = client.get(path.replace("{crn}", case.crn))
            assert response.status_code == (200 if allows(user, case) else 403), (role, path, case.crn)


def test_the_matrix_would_see_a_leak(world: World, contacts: dict[str, Contact]) -> None:
    """Told that the superuser may read nothing, every 200 the superuser gets is reported as a leak."""
    problems = _case_read_problems(_client(_user(world, "superuser")), world, "superuser", readable=set())
    leaks = [p for p in problems if p.startswith("LEAK")]
    assert len(leaks) >= len(CASE_READS) * len(RELATIONS) - len(RELATIONS), problems


def _refused_calls(
    world: World, contacts: dict[str, Contact], readable: set[str]
) -> Iterator[tuple[str, str, str, Any]]:
    """Every write on a case this role may not read: (relation, path, url, body)."""
    for path, operation in CASE_WRITES:
        for relation in RELATIONS:
            crn = world.cases[relation].crn
            if crn in readable:
                continue
            url = path.replace("{crn}", crn)
            for name in _path_parameters(path) - {"crn"}:
                url = url.replace(f"{{{name}}}", str(NO_SUCH_ID))
            yield relation, path, url, _body(operation)
    outcome_paths = [p for p, _ in _operations("post") if _path_parameters(p) == {"contact_id"}]
    for path in outcome_paths:
        operation = SCHEMA["paths"][path]["post"]
        for relation, contact in contacts.items():
            if world.cases[relation].crn not in readable:
                yield relation, path, path.replace("{contact_id}", str(contact.pk)), _body(operation)


@pytest.mark.parametrize("role", MATRIX_ROLES)
def test_a_write_on_a_case_the_role_may_not_read_is_refused_and_writes_nothing(
    world: World, contacts: dict[str, Contact], role: str
) -> None:
    user = _user(world, role)
    client = _client(user)
    readable = set(visible_cases(user).values_list("crn", flat=True))
    problems = []
    before = _snapshot()
    for relation, path, url, body in _refused_calls(world, contacts, readable):
        response = client.post(url, body, content_type="application/json")
        if response.status_code not in (403, 404):
            problems.append(
                f"{role} POST {path} on the {relation} case: {response.status_code} {_detail(response)[:120]}"
            )
    after = _snapshot()
    written = {label: (before[label], count) for label, count in after.items() if count != before[label]}
    assert not problems, "\n".join(problems)
    assert not written, f"{role}'s refused writes changed {written}"


@pytest.mark.parametrize("role", MATRIX_ROLES)
def test_a_write_on_a_readable_case_never_fails_with_a_server_error(
    world: World, contacts: dict[str, Contact], role: str
) -> None:
    user = _user(world, role)
    client = _client(user)
    readable = set(visible_cases(user).values_list("crn", flat=True))
    problems = []
    for path, operation in CASE_WRITES:
        for relation in RELATIONS:
            crn = world.cases[relation].crn
            if crn not in readable:
                continue
            url = path.replace("{crn}", crn)
            for name in _path_parameters(path) - {"crn"}:
                url = url.replace(f"{{{name}}}", str(NO_SUCH_ID))
            response = client.post(url, _body(operation), content_type="application/json")
            if response.status_code >= 500:
                problems.append(f"{role} POST {path} on the {relation} case: {response.status_code}")
    for path in [p for p, _ in _operations("post") if _path_parameters(p) == {"contact_id"}]:
        for relation, contact in contacts.items():
            if world.cases[relation].crn in readable:
                url = path.replace("{contact_id}", str(contact.pk))
                response = client.post(
                    url, _body(SCHEMA["paths"][path]["post"]), content_type="application/json"
                )
                if response.status_code >= 500:
                    problems.append(f"{role} POST {path} on the {relation} case: {response.status_code}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("role", MATRIX_ROLES)
def test_an_id_that_does_not_exist_gives_404_or_403(world: World, role: str) -> None:
    client = _client(_user(world, role))
    problems = []
    for method, path, operation in OTHER_ID_OPERATIONS:
        url = path.replace("{crn}", world.cases["own"].crn)
        for name in _path_parameters(path) - {"crn"}:
            url = url.replace(f"{{{name}}}", str(NO_SUCH_ID))
        if method == "get":
            response = client.get(url)
        else:
            response = client.post(url, _body(operation), content_type="application/json")
        if response.status_code not in (403, 404):
            problems.append(
                f"{role} {method.upper()} {url}: {response.status_code} {_detail(response)[:120]}"
            )
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("role", MATRIX_ROLES)
def test_no_list_names_a_case_the_role_may_not_read(
    world: World, contacts: dict[str, Contact], role: str
) -> None:
    """The operations without a case in their path: never a 5xx, and no CRN the caller may not read."""
    user = _user(world, role)
    client = _client(user)
    readable = set(visible_cases(user).values_list("crn", flat=True))
    hidden = {world.cases[r].crn for r in RELATIONS} - readable
    problems = []
    for path, operation in LISTS:
        response = client.get(path, _query(operation))
        text = response.content.decode()
        if response.status_code >= 500:
            problems.append(f"{role} GET {path}: {response.status_code}")
        for crn in hidden:
            if crn in text:
                problems.append(f"LEAK: {role} GET {path} names {crn}")
    assert not problems, "\n".join(problems)
