"""What the analytics pages of LTV, share of wallet and lost clients share: the day they are computed for."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest
from django.utils import timezone

from core.params import or_none, parse_date


def page_as_of(request: HttpRequest) -> date:
    """`?as_of=YYYY-MM-DD`, or today; a bad date is ignored (a page never answers 500 for a filter)."""
    return or_none(parse_date, request.GET.get("as_of"), field="as_of") or timezone.localdate()
