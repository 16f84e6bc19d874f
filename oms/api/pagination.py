"""Paging for every API list: bounded, so no request can ask the database for an absurd slice."""

from __future__ import annotations

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

MAXIMUM_PAGE_SIZE = 500
MAXIMUM_OFFSET = 1_000_000_000


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(100, ge=1, le=MAXIMUM_PAGE_SIZE, description="How many items (at most 500)")
        offset: int = Field(0, ge=0, le=MAXIMUM_OFFSET, description="How many items to skip")
