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

from django.core.paginator import Page
from django.core.paginator import Paginator as DjangoPaginator
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

from core.params import ID_RE
from crm.api.pagination import SyncPagination


def with_tiebreak(rows: Any) -> Any:
    """The queryset ordered as it is, then by id when its order does not end ties: each row on one page only."""
    if not isinstance(rows, QuerySet):
        return rows
    query = rows.query
    ordering = list(query.order_by or (rows.model._meta.ordering if query.default_ordering else []))
    if any(isinstance(field, str) and field.lstrip("-") in ("pk", "id") for field in ordering):
        return rows
    return rows.order_by(*ordering, "pk")


def ids_first(rows: Any, bottom: int, top: int, count: int) -> Any:
    """Rows `bottom:top` of the `count` rows: for a queryset past the first rows, the ids first, then those rows.

    Past the middle the ids are read from the other end (the order reversed, fewer rows skipped), so the last
    page costs what the first does and no page skips more than half the rows."""
    if not isinstance(rows, QuerySet) or bottom == 0:
        return rows[bottom:top]
    narrow = rows.prefetch_related(None).values_list("pk", flat=True)
    if bottom > count - top:
        ids = list(narrow.reverse()[max(count - top, 0) : count - bottom])[::-1]
    else:
        ids = list(narrow[bottom:top])
    found = {row.pk: row for row in rows.order_by().filter(pk__in=ids)}
    return [found[pk] for pk in ids if pk in found]


class IdsFirstPaginator(DjangoPaginator):
    def __init__(self, object_list: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(with_tiebreak(object_list), *args, **kwargs)

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return Page(ids_first(self.object_list, bottom, top, self.count), number, self)


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
