"""The API's page numbers: 50 rows a page unless `page_size` says otherwise, at most `max_page_size`.

A page after the first is read ids first (docs/api.md, "Deep pages"): a narrow query orders the rows by the list's
order and skips to the page's ids on the index, without the joins of the rows' display; then one query reads those
rows with their joins. Past the middle of the list the ids are read in the reversed order, from the other end: the
last page of 100 000 deals skips no row at all, the middle one 50 000 ids (never 99 900 deals joined to clients).

A `page_size` above the maximum, below 1 or not a whole number is a 400 naming the limits (docs/api.md,
"Transport"), never a silent clamp: a sync client that asked for 1000 rows must not think it got them all.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

from core.pagination import IdsFirstPaginator
from core.params import ID_RE
from crm.api.pagination import SyncPagination


class StandardPagination(SyncPagination):
    django_paginator_class = IdsFirstPaginator
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request: Request) -> int:
        text = request.query_params.get(self.page_size_query_param, "").strip()
        if not text:
            return self.page_size
        size = int(text) if ID_RE.fullmatch(text) else 0
        if size < 1:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _("Give the page size as a whole number from 1 to %(max)s.") % {"max": self.max_page_size}
                    ]
                },
                code="invalid",
            )
        if size > self.max_page_size:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _("The page size can be at most %(max)s.") % {"max": self.max_page_size}
                    ]
                },
                code="max_value",
            )
        return size

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": self.max_page_size,
                    "default": self.page_size,
                }
                parameter["description"] = _("Rows per page, 1 to %(max)s (more is a 400).") % {
                    "max": self.max_page_size
                }
        return parameters
