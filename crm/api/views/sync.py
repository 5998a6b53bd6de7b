"""The changes feed of mobile sync: what the phone must drop since its last sync (docs/api.md, "Sync")."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.http import user_of
from crm.api.pagination import next_cursor_of, next_url, sync_state
from crm.models import Tombstone
from crm.sync import changes_page

PAGE_SIZE = 500


class TombstoneSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(source="object_id", help_text="The id of the row to drop.")
    resource = serializers.CharField(help_text='The list it came from, as in its URL: "clients", "deals"...')

    class Meta:
        model = Tombstone
        fields = ["resource", "id", "reason", "at"]


ChangesSerializer = inline_serializer(
    "SyncChanges",
    {
        "deleted": TombstoneSerializer(many=True),
        "next": serializers.URLField(allow_null=True),
        "next_cursor": serializers.CharField(allow_null=True),
        "sync_token": serializers.CharField(),
    },
)


class SyncChangesView(APIView):
    """Rows to drop from the phone since `since`: deleted, or out of the user's sight (reassigned away, a team
    change), with when and why. Send `since` (a sync token), then follow `next`; keep the last `sync_token`."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="sync_changes",
        tags=["sync"],
        parameters=[
            OpenApiParameter("since", str, required=False, description="The sync token of the last sync."),
            OpenApiParameter("cursor", str, required=False, description="The next_cursor of the previous page."),
        ],
        responses={200: ChangesSerializer},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user = user_of(request)
        state = sync_state(request, since_required=True)
        assert state.since is not None  # since_required: a cursor always carries its since
        rows, position = changes_page(user, since=state.since, after=state.after, size=PAGE_SIZE)
        cursor = next_cursor_of(state, *position) if position else None
        return Response(
            {
                "deleted": TombstoneSerializer(rows, many=True).data,
                "next": next_url(request, cursor),
                "next_cursor": cursor,
                "sync_token": state.token,
            }
        )
