"""`GET /api/v1/search/?q=`: the top bar's search for API clients, grouped by kind, only what the user may see."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.http import user_of
from crm.api.permissions import ReadsClients
from crm.api.serializers.search import SearchQuerySerializer, SearchResultsSerializer
from crm.selectors.search import search


class SearchView(APIView):
    """Clients by name, INN or phone (any way of writing it), contacts by name or phone, deals by title or number."""

    permission_classes = [IsAuthenticated, ReadsClients]

    @extend_schema(parameters=[SearchQuerySerializer], responses={200: SearchResultsSerializer})
    def get(self, request: Request) -> Response:
        # Only `limit` is checked: any `q` (a NUL, a broken character, 500 characters) answers 200, with a message.
        params = SearchQuerySerializer(data={k: v for k, v in request.query_params.items() if k == "limit"})
        params.is_valid(raise_exception=True)
        query = request.query_params.get("q", "")
        results = search(user=user_of(request), query=query, limit=params.validated_data["limit"])
        return Response(SearchResultsSerializer(results, context={"request": request}).data)
