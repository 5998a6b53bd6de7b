"""Pages read ids first: a narrow ordered query for the page's ids, then the rows with their joins (docs/api.md,
"Deep pages and lists with children"). Past the middle the ids come from the other end of the order."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page
from django.core.paginator import Paginator as DjangoPaginator
from django.db.models import QuerySet


def with_tiebreak(rows: Any) -> Any:
    """The queryset ordered as it is, then by id when its order does not end ties: each row on one page only."""
    if not isinstance(rows, QuerySet):
        return rows
    query = rows.query
    ordering = list(query.order_by or (rows.model._meta.ordering if query.default_ordering else []))
    if any(isinstance(field, str) and field.lstrip("-") in ("pk", "id") for field in ordering):
        return rows
    return rows.order_by(*ordering, "pk")


def ids_first(rows: Any, bottom: int, top: int, count: int, *, first_page: bool = False) -> Any:
    """Rows `bottom:top` of the `count` rows: for a queryset past the first rows, the ids first, then those rows.

    Past the middle the ids are read from the other end (the order reversed, fewer rows skipped), so the last
    page costs what the first does and no page skips more than half the rows."""
    if not isinstance(rows, QuerySet) or (bottom == 0 and not first_page):
        return rows[bottom:top]
    narrow = rows.prefetch_related(None).values_list("pk", flat=True)
    if bottom > count - top:
        ids = list(narrow.reverse()[max(count - top, 0) : count - bottom])[::-1]
    else:
        ids = list(narrow[bottom:top])
    found = {row.pk: row for row in rows.order_by().filter(pk__in=ids)}
    return [found[pk] for pk in ids if pk in found]


class IdsFirstPaginator(DjangoPaginator):
    """Django's paginator reading a page ids first (`first_page`: page 1 too, for a list whose rows are wide)."""

    first_page = False

    def __init__(self, object_list: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(with_tiebreak(object_list), *args, **kwargs)

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return Page(ids_first(self.object_list, bottom, top, self.count, first_page=self.first_page), number, self)


class WideRowsPaginator(IdsFirstPaginator):
    """For a page whose rows are wide (joins, annotations): page 1 is read ids first too."""

    first_page = True
