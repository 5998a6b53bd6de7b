"""The audit log the head searches: every create, change and delete the services recorded (ChangeLog)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.calendar import end_of_day, start_of_day
from crm.models import ChangeLog

# The audited kinds of record, by model name (app label, model) as the change log stores them.
AUDITED = {
    "client": ("crm", "client", _("Clients")),
    "contact": ("crm", "contactperson", _("Contacts")),
    "deal": ("crm", "deal", _("Deals")),
    "activity": ("crm", "activity", _("Activities")),
    "plan": ("planning", "plan", _("Plans")),
    "settings": ("crm", "departmentsettings", _("Settings")),
    "calendar": ("crm", "workingdayoverride", _("Working calendar")),
    "user": ("crm", "user", _("Users")),
    "team": ("crm", "team", _("Teams")),
    "stock": ("crm", "stockrequest", _("Stock requests")),
}


def audit_rows(
    *, kind: str = "", by_id: int | None = None, object_id: int | None = None, date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[ChangeLog]:  # fmt: skip
    """The change log, newest first, narrowed by kind of record, author, record number and days (both included)."""
    rows = ChangeLog.objects.select_related("by", "content_type").order_by("-at", "-pk")
    if kind in AUDITED:
        app_label, model, _label = AUDITED[kind]
        rows = rows.filter(Q(content_type__app_label=app_label) & Q(content_type__model=model))
    if by_id:
        rows = rows.filter(by_id=by_id)
    if object_id:
        rows = rows.filter(object_id=object_id)
    if date_from:
        rows = rows.filter(at__gte=start_of_day(date_from))
    if date_to:
        rows = rows.filter(at__lt=end_of_day(date_to))
    return rows


def change_lines(changes: dict[str, Any], limit: int = 8) -> list[str]:
    """`field: old → new` lines of one change, for the page (the first `limit`)."""
    lines = []
    for name, pair in list(changes.items())[:limit]:
        old, new = pair if isinstance(pair, list) and len(pair) == 2 else (None, pair)
        lines.append(f"{name}: {'—' if old in (None, '') else old} → {'—' if new in (None, '') else new}")
    return lines


LOGIN_ROWS = 100


def login_rows(
    *, username: str = "", date_from: date | None = None, date_to: date | None = None
) -> list[dict[str, Any]]:
    """The latest logins, successful (axes' AccessLog) and failed (AccessFailureLog), newest first: two queries."""
    from axes.models import AccessFailureLog, AccessLog

    def narrowed(rows: QuerySet[Any]) -> QuerySet[Any]:
        if username:
            rows = rows.filter(username__iexact=username)
        if date_from:
            rows = rows.filter(attempt_time__gte=start_of_day(date_from))
        if date_to:
            rows = rows.filter(attempt_time__lt=end_of_day(date_to))
        return rows.order_by("-attempt_time")[:LOGIN_ROWS]

    fields = ("username", "ip_address", "path_info", "attempt_time")
    rows = [{**row, "ok": True, "locked_out": False} for row in narrowed(AccessLog.objects.all()).values(*fields)]
    rows += [{**row, "ok": False} for row in narrowed(AccessFailureLog.objects.all()).values(*fields, "locked_out")]
    return sorted(rows, key=lambda row: row["attempt_time"], reverse=True)[:LOGIN_ROWS]
