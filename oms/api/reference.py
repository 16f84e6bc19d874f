"""The API reference page's contents, read from the service's own OpenAPI document.

The page is drawn by the service in GOV.UK Frontend rather than by Swagger UI, whose markup fails
WCAG 2.2 AA (controls nested in controls, headings out of order, text below 4.5:1 contrast): every
operation with its parameters, request body and answers, and every schema with its fields. The
machine-readable document stays at /api/v1/openapi.json for tools that generate clients.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

HTTP_METHODS = ("get", "post", "put", "patch", "delete")


@dataclass(frozen=True)
class Field:
    name: str
    where: str  # path, query, header, or "" for a schema's field
    kind: str
    required: bool
    description: str


@dataclass(frozen=True)
class Answer:
    status: str
    description: str
    body: str  # the schema's name, or "" when the answer has no schema of its own


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    anchor: str
    summary: str
    description: str
    parameters: tuple[Field, ...]
    body: str
    answers: tuple[Answer, ...]


@dataclass(frozen=True)
class Group:
    name: str
    operations: tuple[Operation, ...]


@dataclass(frozen=True)
class Schema:
    name: str
    description: str
    fields: tuple[Field, ...]


@dataclass(frozen=True)
class Reference:
    title: str
    description: str
    groups: tuple[Group, ...]
    schemas: tuple[Schema, ...]


def kind_of(schema: dict[str, Any]) -> str:
    """A schema's type in words: "string", "list of CaseOut", "one of: low, medium, high"."""
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    if "enum" in schema:
        return "one of: " + ", ".join(str(value) for value in schema["enum"])
    if "anyOf" in schema:
        kinds = [kind_of(option) for option in schema["anyOf"] if option.get("type") != "null"]
        optional = any(option.get("type") == "null" for option in schema["anyOf"])
        return " or ".join(kinds) + (" (or null)" if optional else "")
    if schema.get("type") == "array":
        return "list of " + kind_of(schema.get("items", {}))
    kind = str(schema.get("type", "any"))
    return f"{kind} ({schema['format']})" if "format" in schema else kind


def _body_of(content: dict[str, Any] | None) -> str:
    schema = (content or {}).get("application/json", {}).get("schema", {})
    return kind_of(schema) if "$ref" in schema or schema.get("type") == "array" else ""


def reference_from(document: dict[str, Any]) -> Reference:
    groups: dict[str, list[Operation]] = {}
    for path, operations in document.get("paths", {}).items():
        for method in HTTP_METHODS:
            if method not in operations:
                continue
            operation = operations[method]
            parameters = tuple(
                Field(
                    name=parameter["name"],
                    where=parameter["in"],
                    kind=kind_of(parameter.get("schema", {})),
                    required=bool(parameter.get("required")),
                    description=parameter.get("description")
                    or parameter.get("schema", {}).get("description", ""),
                )
                for parameter in operation.get("parameters", [])
            )
            answers = tuple(
                Answer(status, answer.get("description", ""), _body_of(answer.get("content")))
                for status, answer in sorted(operation.get("responses", {}).items())
            )
            tag = (operation.get("tags") or ["other"])[0]
            groups.setdefault(tag, []).append(
                Operation(
                    method=method.upper(),
                    path=path,
                    anchor=operation.get("operationId", f"{method}-{path}"),
                    summary=operation.get("summary", ""),
                    description=operation.get("description", ""),
                    parameters=parameters,
                    body=_body_of(operation.get("requestBody", {}).get("content")),
                    answers=answers,
                )
            )
    schemas = tuple(
        Schema(
            name=name,
            description=schema.get("description", ""),
            fields=tuple(
                Field(
                    name=field_name,
                    where="",
                    kind=kind_of(field),
                    required=field_name in schema.get("required", []),
                    description=field.get("description", ""),
                )
                for field_name, field in schema.get("properties", {}).items()
            ),
        )
        for name, schema in sorted(document.get("components", {}).get("schemas", {}).items())
    )
    info = document.get("info", {})
    return Reference(
        title=info.get("title", "API"),
        description=info.get("description", ""),
        groups=tuple(Group(name, tuple(operations)) for name, operations in groups.items()),
        schemas=schemas,
    )
