"""The error body every API operation documents: {"detail": "..."} with the status's meaning."""

from __future__ import annotations

from ninja import Schema


class ErrorOut(Schema):
    detail: str


# 401 no or bad credentials; 403 no right to this object; 404 no such object; 409 a stale save.
READ_ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
WRITE_ERRORS: dict[int, type[Schema]] = {**READ_ERRORS, 409: ErrorOut, 422: ErrorOut}
