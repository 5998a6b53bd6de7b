"""The home page: what each role needs to see first thing in the morning."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from core.http import user_of
from core.panels import DASHBOARD, home_links, panels_for
from crm.models import Activity, Client, Deal, User
from crm.selectors.clients import OwnerFigures, owner_figures
from crm.views.myday import my_day_context

TABLE_ROWS = 10


def day_bounds(now: datetime) -> tuple[datetime, datetime]:
    """The start of the local day of `now` and of the next day."""
    start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    return start, start + timedelta(days=1)


def pipeline_overview(user: User, now: datetime, figures: OwnerFigures | None = None) -> dict[str, Any]:
    """Clients, open deals, deal hygiene and due tasks visible to `user`: counts and the first rows."""
    figures = figures or owner_figures(user, now)
    deals = Deal.objects.visible_to(user).select_related("client", "owner")
    _, day_end = day_bounds(now)
    due = Activity.objects.visible_to(user).planned().filter(due_at__lt=day_end)
    due = due.select_related("client", "deal", "owner")
    return {
        "clients_count": sum(figures.clients.values()),
        "open_deals_count": figures.total("deals", "open_n"),
        "open_deals_amount": figures.total("deals", "total"),
        "open_deals": deals.open().order_by("expected_close_date", "-updated_at", "-id")[:TABLE_ROWS],
        "without_task_count": figures.total("deals", "without_task"),
        "without_task": deals.without_open_task(now).order_by("stage_changed_at", "id")[:TABLE_ROWS],
        "overdue_deals_count": figures.total("deals", "overdue"),
        "overdue_deals": deals.with_overdue_task(now).order_by("-updated_at", "-id")[:TABLE_ROWS],
        "overdue_tasks_count": figures.total("tasks", "overdue"),
        "today_tasks_count": figures.total("tasks", "today"),
        "due_tasks": due.order_by("due_at", "id")[:TABLE_ROWS],
        "due_tasks_count": figures.total("tasks", "due"),
    }


def managers_overview(user: User, now: datetime, figures: OwnerFigures | None = None) -> list[User]:
    """One row per visible seller with their figures: the GROUP BY queries of `owner_figures` over the rows the user
    sees, whatever the number of sellers (a correlated subquery per seller and figure took seconds at 100 000 deals)."""
    figures = figures or owner_figures(user, now)
    sellers = list(
        User.objects.visible_to(user)
        .sellers()
        .select_related("team")
        .order_by("team__name", "last_name", "first_name", "username")
    )
    for seller in sellers:
        deals = figures.deals.get(seller.pk, {})
        tasks = figures.tasks.get(seller.pk, {})
        seller.clients_count = figures.clients.get(seller.pk, 0)  # type: ignore[attr-defined]
        seller.open_deals_count = deals.get("open_n", 0)  # type: ignore[attr-defined]
        seller.open_deals_amount = deals.get("total") or Decimal("0")  # type: ignore[attr-defined]
        seller.without_task_count = deals.get("without_task", 0)  # type: ignore[attr-defined]
        seller.overdue_deals_count = deals.get("overdue", 0)  # type: ignore[attr-defined]
        seller.overdue_tasks_count = tasks.get("overdue", 0)  # type: ignore[attr-defined]
    return sellers


def _labelled(counts: dict[str, int], choices: Any) -> list[dict[str, Any]]:
    """The counts in the field's order (as ORDER BY the field did: the empty value first)."""
    labels = dict(choices)
    return [{"label": labels.get(value) or _("Not set"), "count": counts[value]} for value in sorted(counts)]


def clients_overview(user: User) -> dict[str, Any]:
    """Client counts by category, source and status, and the gaps a base manager fills: one GROUP BY over the three
    fields (as many groups as the choices allow, whatever the clients) instead of four scans of the clients."""
    rows = list(
        Client.objects.visible_to(user)
        .order_by()
        .values("category", "source", "status")
        .annotate(
            n=Count("pk"),
            without_owner=Count("pk", filter=Q(owner__isnull=True)),
            without_contacts=Count("pk", filter=Q(phone="", email="")),
        )
    )
    by: dict[str, dict[str, int]] = {field: {} for field in ("category", "source", "status")}
    for row in rows:
        for field, counts in by.items():
            counts[row[field]] = counts.get(row[field], 0) + row["n"]
    return {
        "clients_total": sum(row["n"] for row in rows),
        "clients_without_owner": sum(row["without_owner"] for row in rows),
        "clients_without_contacts": sum(row["without_contacts"] for row in rows),
        "by_category": _labelled(by["category"], Client.Category.choices),
        "by_source": _labelled(by["source"], Client.Source.choices),
        "by_status": _labelled(by["status"], Client.Status.choices),
    }


def dashboard_kind(user: User) -> str:
    """What the home page shows a role that does not sell (sellers get My day)."""
    if user.sees_everything:
        return "department"
    if user.is_vip_head or user.is_base_manager:
        return "clients"
    return "service"


class HomeView(LoginRequiredMixin, TemplateView):
    """Sellers (managers, team leads) land on My day (crm.views.myday); the other roles on their overview."""

    template_name = "crm/home.html"

    def get_template_names(self) -> list[str]:
        if user_of(self.request).is_seller:
            return ["crm/myday/myday.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = user_of(self.request)
        now = timezone.now()
        context.update(now=now, today=timezone.localdate(now))
        if user.sees_everything or user.is_team_lead:
            # The dashboard on top of the home (analytics registers it in core/panels.py DASHBOARD).
            context["dashboard_panels"] = panels_for(DASHBOARD, user=user, today=context["today"])
        if user.is_seller:
            # One set of per-owner figures for My day's counts and the team lead's table of his managers.
            figures = owner_figures(user, now)
            context.update(my_day_context(self.request, now, figures))
            if user.is_team_lead:
                context["managers"] = managers_overview(user, now, figures)
            return context
        kind = dashboard_kind(user)
        # Cards that lead to every page the role works in, with today's figures (core/panels.py HOME).
        context.update(kind=kind, links=home_links(user=user, today=context["today"]))
        if kind == "department":
            figures = owner_figures(user, now)
            context.update(
                pipeline_overview(user, now, figures), show_owner=True, managers=managers_overview(user, now, figures)
            )
        if kind in ("department", "clients"):
            context.update(clients_overview(user))
        if kind == "clients":
            planned = Activity.objects.visible_to(user).planned().select_related("client", "deal", "owner")
            _, day_end = day_bounds(now)
            due = planned.filter(due_at__lt=day_end)
            context.update(due_tasks=due.order_by("due_at", "id")[:TABLE_ROWS], due_tasks_count=due.count())
        return context
