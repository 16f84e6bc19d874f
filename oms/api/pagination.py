"""Paging for every API list: bounded, so no request can ask the database for an absurd slice."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

from oms.accounts.audit import record_listed

MAXIMUM_PAGE_SIZE = 500
MAXIMUM_OFFSET = 1_000_000_000


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(100, ge=1, le=MAXIMUM_PAGE_SIZE, description="How many items (at most 500)")
        offset: int = Field(0, ge=0, le=MAXIMUM_OFFSET, description="How many items to skip")


class ListedCasesPagination(BoundedLimitOffsetPagination):
    """For the lists of cases (the case list, the actions list): each case on the page returned is
    recorded as listed, in one INSERT, so the case's "who has looked" page shows it."""

    def paginate_queryset(self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any) -> Any:
        page = super().paginate_queryset(queryset, pagination, request, **params)
        items = list(page["items"])  # evaluated once, here: serialising reuses the list
        page["items"] = items
        crns = [item["crn"] if isinstance(item, dict) else item.crn for item in items]
        record_listed(request.user, crns, f"API: listed by GET {request.path}", request=request)
        return page
