"""The CRM's cards on the homes of the roles that do not sell (core/panels.py HOME): each card is a page the user
works in daily with its figure of today, read through visible_to(user) in one query; a card the user's role may not
open is left out (None), so every card on a home leads to a page that answers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.money import format_rub
from core.panels import HOME, HomeLink, Panel, panel_register
from crm.models import Activity, Client, Deal, ImportJob, ProspectEntry, Reassignment, StockRequest, User
from crm.selectors.prospects import WORKABLE
from crm.services.imports import can_import

IMPORTS_IN_PROGRESS = (
    ImportJob.Status.CHECKING,
    ImportJob.Status.VALIDATED,
    ImportJob.Status.QUEUED,
    ImportJob.Status.RUNNING,
)


def pipeline_link(user: User, today: date) -> HomeLink | None:
    if not user.reviews_team:
        return None
    totals = Deal.objects.visible_to(user).open().aggregate(count=Count("pk"), amount=Sum("amount"))
    return HomeLink(
        key="pipeline_review",
        title=_("Pipeline review"),
        url=reverse("pipeline_review"),
        figure=str(totals["count"]),
        note=ngettext("active deal for %(amount)s", "active deals for %(amount)s", totals["count"])
        % {"amount": format_rub(totals["amount"] or Decimal("0"))},
    )


def queue_link(user: User, today: date) -> HomeLink | None:
    if not user.is_head:
        return None
    pending = Reassignment.objects.visible_to(user).filter(status=Reassignment.Status.PENDING).count()
    return HomeLink(
        key="reassignment_queue",
        title=_("Reassignment queue"),
        url=reverse("reassignment_queue"),
        figure=str(pending),
        note=ngettext("client waits for your decision", "clients wait for your decision", pending),
        warn=pending > 0,
    )


def stock_link(user: User, today: date) -> HomeLink | None:
    if not user.works_in_sales:
        return None
    waiting = StockRequest.objects.visible_to(user).filter(status=StockRequest.Status.PENDING).count()
    return HomeLink(
        key="stock_requests",
        title=_("What else to stock"),
        url=reverse("stock_request_list"),
        figure=str(waiting),
        note=ngettext("request waits for an answer", "requests wait for an answer", waiting),
        warn=waiting > 0 and user.is_head,
    )


def imports_link(user: User, today: date) -> HomeLink | None:
    if not any(can_import(user, kind) for kind in ImportJob.Kind.values):
        return None
    counts = ImportJob.objects.visible_to(user).aggregate(
        running=Count("pk", filter=Q(status__in=IMPORTS_IN_PROGRESS)),
        failed=Count("pk", filter=Q(status=ImportJob.Status.FAILED, created_at__date=today)),
    )
    note = ngettext("import in progress", "imports in progress", counts["running"])
    if counts["failed"]:
        note += " · " + ngettext("%(n)d failed today", "%(n)d failed today", counts["failed"]) % {"n": counts["failed"]}
    return HomeLink(
        key="imports",
        title=_("Import"),
        url=reverse("import_list"),
        figure=str(counts["running"]),
        note=note,
        warn=bool(counts["failed"]),
    )


def win_backs_link(user: User, today: date) -> HomeLink | None:
    if not user.is_head:
        return None
    free = Client.objects.visible_to(user).filter(owner__isnull=True, status=Client.Status.LOST).count()
    return HomeLink(
        key="win_backs",
        title=_("Win-backs"),
        url=reverse("win_backs"),
        figure=str(free),
        note=ngettext("lost client to give to a manager", "lost clients to give to a manager", free),
    )


def prospects_link(user: User, today: date) -> HomeLink | None:
    if not user.works_prospects:
        return None
    entries = ProspectEntry.objects.visible_to(user)
    counts = entries.aggregate(
        free=Count("pk", filter=Q(check_result__in=WORKABLE, worked_by__isnull=True)),
        unchecked=Count("pk", filter=Q(checked_at__isnull=True)),
    )
    note = ngettext("prospect free to call", "prospects free to call", counts["free"])
    if counts["unchecked"]:
        note += " · " + ngettext(
            "%(n)d not checked against the base", "%(n)d not checked against the base", counts["unchecked"]
        ) % {"n": counts["unchecked"]}
    return HomeLink(
        key="prospects",
        title=_("Prospect lists"),
        url=reverse("prospect_list_index"),
        figure=str(counts["free"]),
        note=note,
        warn=bool(counts["unchecked"]),
    )


def clients_link(user: User, today: date) -> HomeLink | None:
    if not user.reads_clients:
        return None
    counts = Client.objects.visible_to(user).aggregate(
        total=Count("pk"), without_owner=Count("pk", filter=Q(owner__isnull=True))
    )
    return HomeLink(
        key="clients",
        title=_("Clients"),
        url=reverse("client_list"),
        figure=str(counts["total"]),
        note=ngettext("client, %(free)d without a manager", "clients, %(free)d without a manager", counts["total"])
        % {"free": counts["without_owner"]},
    )


def vip_clients_link(user: User, today: date) -> HomeLink | None:
    """The VIP head's own clients: the VIP category of the base, as the client list filters it."""
    if not user.is_vip_head:
        return None
    vip = Client.objects.visible_to(user).filter(category=Client.Category.VIP).count()
    return HomeLink(
        key="vip_clients",
        title=_("VIP clients"),
        url=f"{reverse('client_list')}?category={Client.Category.VIP}",
        figure=str(vip),
        note=ngettext("client in the VIP category", "clients in the VIP category", vip),
    )


def tasks_link(user: User, today: date) -> HomeLink | None:
    """The task list, once the project has one (its URL name `task_list`); until then no card."""
    if not user.reads_clients:
        return None
    try:
        url = reverse("task_list")
    except NoReverseMatch:
        return None
    open_tasks = Activity.objects.visible_to(user).planned().filter(owner=user).count()
    return HomeLink(
        key="tasks",
        title=_("Tasks"),
        url=url,
        figure=str(open_tasks),
        note=ngettext("open task of yours", "open tasks of yours", open_tasks),
    )


def search_link(user: User, today: date) -> HomeLink | None:
    if not user.reads_clients:
        return None
    return HomeLink(
        key="search",
        title=_("Search"),
        url=reverse("search"),
        note=_("Clients by name, INN or phone, contacts, deals by title or number"),
    )


def home_links_register() -> None:
    """Called from CrmConfig.ready(): the CRM's cards of the homes, in the order a head reads them."""
    for order, (name, data) in enumerate(
        [
            ("pipeline_review", pipeline_link),
            ("reassignment_queue", queue_link),
            ("stock_requests", stock_link),
            ("imports", imports_link),
            ("win_backs", win_backs_link),
            ("prospects", prospects_link),
            ("vip_clients", vip_clients_link),
            ("clients", clients_link),
            ("tasks", tasks_link),
            ("search", search_link),
        ]
    ):
        # Plan cards (planning/apps.py) come between the queue and stock requests: orders 25-29.
        panel_register(HOME, Panel(name, "crm/home/_link.html", data, order=(10 if order < 2 else 30) + order * 2))
