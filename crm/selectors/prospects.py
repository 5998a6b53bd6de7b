"""Reads for prospect lists (their progress toward the target) and the sources report (DOMAIN.md section 3)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from core.money import to_money
from crm.models import Client, Deal, DepartmentSettings, ProspectEntry, ProspectList, SaleLine, User
from crm.rules.stages import WON_STAGES

# Entries the manager can work: free ones, and his own clients put on the list from the warm base.
WORKABLE = (ProspectEntry.Check.FREE, ProspectEntry.Check.OWN)


def ready_q(prefix: str = "") -> Q:
    """Entries that count toward the list's target: workable and complete (phone, e-mail and address)."""
    fields = {"check_result__in": WORKABLE}
    condition = Q(**{prefix + k: v for k, v in fields.items()})
    for name in ("phone", "email", "address"):
        condition &= ~Q(**{prefix + name: ""})
    return condition


def prospect_lists_with_progress(lists: QuerySet[ProspectList]) -> QuerySet[ProspectList]:
    """Annotate `entries_count`, `ready_count`, `taken_count` and `duplicate_count` in the same query."""
    return (
        lists.select_related("owner", "created_by")
        .annotate(
            entries_count=Count("entries"),
            ready_count=Count("entries", filter=ready_q("entries__")),
            taken_count=Count("entries", filter=Q(entries__check_result=ProspectEntry.Check.TAKEN)),
            duplicate_count=Count("entries", filter=Q(entries__check_result=ProspectEntry.Check.DUPLICATE)),
        )
        .order_by("-created_at", "-id")
    )


@dataclass(frozen=True)
class Progress:
    """How far a list is from the department's target of ready entries."""

    target: int
    ready: int
    total: int
    taken: int
    duplicates: int

    @property
    def missing(self) -> int:
        return max(self.target - self.ready, 0)

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.ready / self.target)) if self.target else 100


def list_progress(prospect_list: ProspectList, *, target: int | None = None) -> Progress:
    """The progress of one list: one aggregate query (plus the settings row when `target` is not given)."""
    if target is None:
        target = DepartmentSettings.current().prospect_list_size
    counts = prospect_list.entries.aggregate(
        total=Count("id"),
        ready=Count("id", filter=ready_q()),
        taken=Count("id", filter=Q(check_result=ProspectEntry.Check.TAKEN)),
        duplicates=Count("id", filter=Q(check_result=ProspectEntry.Check.DUPLICATE)),
    )
    return Progress(target=target, **counts)


def list_entries(prospect_list: ProspectList) -> QuerySet[ProspectEntry]:
    """The entries as the list page and the print show them: workable ones first, struck ones after."""
    return prospect_list.entries.select_related("worked_by", "client").order_by("name", "id")


def list_owner_choices(user: User) -> QuerySet[User]:
    """The managers `user` may build a list for."""

    sellers = User.objects.sellers()
    if user.sees_everything or user.is_base_manager:
        return sellers
    if user.is_team_lead and user.team_id:
        return sellers.filter(Q(team_id=user.team_id) | Q(pk=user.pk))
    return sellers.filter(pk=user.pk)


# --- the sources report ---------------------------------------------------------------------------------------------

SOURCE_ORDER = [Client.Source.COLD, Client.Source.WARM, ""]
DETAIL_ORDER = [value for value, _label in Client.SourceDetail.choices] + [""]


@dataclass
class SourceRow:
    source: str
    source_detail: str
    clients: int = 0
    buyers: int = 0
    won_deals: int = 0
    won_amount: Any = 0

    @property
    def source_label(self) -> str:
        return str(dict(Client.Source.choices).get(self.source, _("Not recorded")))

    @property
    def detail_label(self) -> str:
        return str(dict(Client.SourceDetail.choices).get(self.source_detail, "—"))

    @property
    def buyer_share(self) -> int:
        return round(100 * self.buyers / self.clients) if self.clients else 0


def sources_report(*, clients: QuerySet[Client], deals: QuerySet[Deal]) -> list[SourceRow]:
    """For each source and source detail: clients, clients with purchases, won deals and their amount.
    Two aggregate queries (clients, deals), whatever the number of clients."""
    rows: dict[tuple[str, str], SourceRow] = {}
    bought = Exists(SaleLine.objects.filter(client=OuterRef("pk")))
    client_counts = (
        clients.annotate(bought=bought)
        .order_by()
        .values("source", "source_detail")
        .annotate(total=Count("id"), buyers=Count("id", filter=Q(bought=True)))
    )
    for item in client_counts:
        key = (item["source"], item["source_detail"])
        rows[key] = SourceRow(key[0], key[1], clients=item["total"], buyers=item["buyers"])
    won = (
        deals.filter(stage__in=WON_STAGES)
        .order_by()
        .values("client__source", "client__source_detail")
        .annotate(won=Count("id"), amount=Sum("amount"))
    )
    for item in won:
        key = (item["client__source"], item["client__source_detail"])
        row = rows.setdefault(key, SourceRow(key[0], key[1]))
        row.won_deals = item["won"]
        row.won_amount = to_money(item["amount"] or 0)

    def order(row: SourceRow) -> tuple[int, int]:
        source = SOURCE_ORDER.index(row.source) if row.source in SOURCE_ORDER else len(SOURCE_ORDER)
        detail = DETAIL_ORDER.index(row.source_detail) if row.source_detail in DETAIL_ORDER else len(DETAIL_ORDER)
        return source, detail

    return sorted(rows.values(), key=order)


def sources_totals(rows: list[SourceRow]) -> SourceRow:
    total = SourceRow("", "")
    for row in rows:
        total.clients += row.clients
        total.buyers += row.buyers
        total.won_deals += row.won_deals
        total.won_amount += row.won_amount
    total.won_amount = to_money(total.won_amount)
    return total
