"""Pages of the API lists: page numbers for people, keyset pages for phones that sync (docs/api.md, "Sync").

A list answers keyset pages, in (updated_at, id) order, when asked with `sync=true` (a full sync from the start),
`since=<sync token>` (what changed since a sync) or `cursor=<next_cursor>` (the next page). Each keyset page gives
`next` / `next_cursor` (null on the last page) and the `sync_token` to keep for the next sync: the same on every
page of one sync, as of its first page. A row edited while the phone pages moves to the end and comes on a later
page; a row that leaves the user's sight meanwhile is in the changes feed (`/api/v1/sync/changes/`). Any depth
costs the same: an index range, never an OFFSET.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from crm.sync import (
    SyncTokenExpired,
    SyncTokenInvalid,
    after_position,
    cursor_dump,
    cursor_load,
    token_issue,
    token_read,
)


class FullResyncRequired(APIException):
    status_code = 410
    default_code = "full_resync_required"


def sync_moment(request: Request, param: str = "since") -> Any:
    """The moment of the `since` token (400 when not ours, 410 when too old); None without it."""
    token = request.query_params.get(param)
    if token is None:
        return None
    try:
        return token_read(token, now=timezone.now())
    except SyncTokenExpired as exc:
        raise FullResyncRequired(str(exc)) from exc
    except SyncTokenInvalid as exc:
        raise ValidationError({param: [str(exc)]}) from exc


@dataclass(frozen=True)
class SyncState:
    """Where a sync is: rows changed at or after `since` (None: all), after `after`, under the sync token `token`."""

    since: datetime | None
    token: str
    after: tuple[datetime, int] | None


def read_cursor(request: Request) -> SyncState | None:
    """The state the `cursor` parameter carries (None without one; 400 when altered, 410 when too old)."""
    raw = request.query_params.get("cursor")
    if raw is None:
        return None
    try:
        data = cursor_load(raw)
        token = data["k"]
        token_read(token, now=timezone.now())
        since = parse_datetime(data["s"]) if data.get("s") else None
        after = None
        if data.get("p"):
            moment, pk = parse_datetime(data["p"][0]), data["p"][1]
            if moment is None or not isinstance(pk, int):
                raise SyncTokenInvalid(str(raw))
            after = (moment, pk)
    except SyncTokenExpired as exc:
        raise FullResyncRequired(str(exc)) from exc
    except (SyncTokenInvalid, KeyError, TypeError, IndexError, ValueError) as exc:
        raise ValidationError({"cursor": [_("Send the cursor exactly as the previous page gave it.")]}) from exc
    return SyncState(since=since, token=token, after=after)


def sync_state(request: Request, *, since_required: bool = False) -> SyncState:
    """The cursor's state, or a new sync from `since` (or from the start) under a token issued now."""
    state = read_cursor(request)
    if state is not None:
        return state
    since = sync_moment(request)
    if since is None and since_required:
        raise ValidationError({"since": [_("Send the sync token of the last sync as since.")]})
    return SyncState(since=since, token=token_issue(timezone.now()), after=None)


def next_cursor_of(state: SyncState, moment: datetime, pk: int) -> str:
    return cursor_dump(
        {"p": [moment.isoformat(), pk], "s": state.since.isoformat() if state.since else None, "k": state.token}
    )


def next_url(request: Request, cursor: str | None) -> str | None:
    if cursor is None:
        return None
    url = request.build_absolute_uri()
    for name in ("sync", "since", "page"):
        url = remove_query_param(url, name)
    return replace_query_param(url, "cursor", cursor)


def sync_requested(request: Request) -> bool:
    """Keyset pages when `since` or `cursor` is sent, or `sync` is true; `sync=false` keeps page numbers."""
    if "since" in request.query_params or "cursor" in request.query_params:
        return True
    value = request.query_params.get("sync")
    if value is None or value.lower() in ("false", "0", "no"):
        return False
    if value.lower() in ("true", "1", "yes"):
        return True
    raise ValidationError({"sync": [_("Send sync=true for a full sync by cursor, or leave it out.")]})


class SyncPagination(PageNumberPagination):
    """Page numbers by default; keyset pages with `sync`, `since` or `cursor`."""

    keyset = False

    def paginate_queryset(self, queryset: QuerySet[Any], request: Request, view: Any = None) -> list[Any] | None:
        self.keyset = sync_requested(request)
        if not self.keyset:
            return super().paginate_queryset(queryset, request, view)
        self.request = request
        self.sync_request = request
        if not isinstance(queryset, QuerySet) or not any(f.name == "updated_at" for f in queryset.model._meta.fields):
            raise ValidationError({"sync": [_("This list does not page by cursor: use page numbers.")]})
        size: int = self.get_page_size(request) or self.page_size or 50
        state = sync_state(request)
        rows = queryset.order_by("updated_at", "pk")
        if state.since is not None:
            rows = rows.filter(updated_at__gte=state.since)
        if state.after is not None:
            rows = after_position(rows, state.after[0], state.after[1])
        page = list(rows[: size + 1])
        more = len(page) > size
        page = page[:size]
        self.sync_token = state.token
        self.next_cursor = next_cursor_of(state, page[-1].updated_at, page[-1].pk) if more else None
        return page

    def get_paginated_response(self, data: Any) -> Response:
        if not self.keyset:
            return super().get_paginated_response(data)
        return Response(
            {
                "next": next_url(self.sync_request, self.next_cursor),
                "next_cursor": self.next_cursor,
                "sync_token": self.sync_token,
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        page = super().get_paginated_response_schema(schema)
        page["properties"]["count"]["description"] = "Page numbers only (not sent on keyset pages)."
        page["properties"]["previous"]["description"] = "Page numbers only (not sent on keyset pages)."
        page["properties"]["next_cursor"] = {
            "type": "string",
            "nullable": True,
            "description": "Keyset pages only: the `cursor` of the next page, null on the last one.",
        }
        page["properties"]["sync_token"] = {
            "type": "string",
            "description": "Keyset pages only: keep it and send it as `since` at the next sync.",
        }
        page["required"] = ["next", "results"]
        return page

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            *super().get_schema_operation_parameters(view),
            {
                "name": "sync",
                "required": False,
                "in": "query",
                "description": "true: keyset pages in (updated_at, id) order from the start (a full sync).",
                "schema": {"type": "boolean"},
            },
            {
                "name": "since",
                "required": False,
                "in": "query",
                "description": "A sync token: keyset pages of the rows changed since that sync.",
                "schema": {"type": "string"},
            },
            {
                "name": "cursor",
                "required": False,
                "in": "query",
                "description": "The next_cursor of the previous keyset page.",
                "schema": {"type": "string"},
            },
        ]
