"""What the ABC/XYZ pages, the API, My day, the client card and the dashboard read (rows of analytics' ClientAbc
for the clients in the user's scope, analytics/selectors/scope.py). Every function runs a fixed number of queries,
however many clients there are."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery, Sum
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from analytics.models import AnalyticsSettings, ClientAbc
from analytics.rules.abc import CELLS
from analytics.selectors.headlines import Headline
from analytics.selectors.scope import clients_in_scope
from core.calendar import month_shift, month_start
from crm.models import Client, User

ZERO = Decimal(0)

# DOMAIN.md section 7, from seed 003 ("О чем расскажут результаты ABCXYZ-анализа").
ADVICE = {
    "AX": gettext_lazy("Buy the most and keep coming back."),
    "BX": gettext_lazy("Buy the most and keep coming back."),
    "AY": gettext_lazy("Bring good revenue but come back unsteadily."),
    "BY": gettext_lazy("Bring good revenue but come back unsteadily."),
    "AZ": gettext_lazy("Despite decent volumes, come back unpredictably."),
    "BZ": gettext_lazy("Despite decent volumes, come back unpredictably."),
    "CX": gettext_lazy("Review group C and partly drop it; grow the average check of CX and CY."),
    "CY": gettext_lazy("Review group C and partly drop it; grow the average check of CX and CY."),
    "CZ": gettext_lazy("Review group C and partly drop it; CZ are the least interesting clients."),
}
NEW = "—"  # the previous cell of a client not classified the month before


@dataclass(frozen=True)
class Slice:
    """Whose clients: the user's scope, narrowed to a team or a manager (already checked against the scope)."""

    user: User
    team_id: int | None = None
    manager_id: int | None = None

    def clients(self) -> QuerySet[Client]:
        clients = clients_in_scope(self.user)
        if self.manager_id:
            clients = clients.filter(owner_id=self.manager_id)
        elif self.team_id:
            clients = clients.filter(owner__team_id=self.team_id)
        return clients

    def rows(self, month: date) -> QuerySet[ClientAbc]:
        rows = ClientAbc.objects.filter(month=month)
        if self.user.sees_everything and not (self.team_id or self.manager_id):
            # The whole department: every row's client is in scope (a foreign key), so no `IN` over every client.
            return rows
        return rows.filter(client_id__in=self.clients().values("id"))


def abc_month(as_of: date) -> date | None:
    """The month whose classification a page shows for `as_of`: its own, or the latest one before it."""
    return ClientAbc.objects.filter(month__lte=month_start(as_of)).aggregate(m=Max("month"))["m"]


@dataclass
class Cell:
    cell: str
    clients: int = 0
    revenue: Decimal = ZERO
    margin: Decimal = ZERO
    client_share: Decimal = ZERO
    revenue_share: Decimal = ZERO
    advice: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "cell": self.cell,
            "clients": self.clients,
            "revenue": str(self.revenue),
            "margin": str(self.margin),
            "client_share": str(self.client_share),
            "revenue_share": str(self.revenue_share),
            "advice": self.advice,
        }


@dataclass
class Matrix:
    month: date | None
    cells: dict[str, Cell] = field(default_factory=dict)
    clients: int = 0
    revenue: Decimal = ZERO
    margin: Decimal = ZERO

    def grid(self) -> list[tuple[str, list[Cell]]]:
        """Rows A, B, C of cells X, Y, Z."""
        return [(abc, [self.cells[abc + xyz] for xyz in "XYZ"]) for abc in "ABC"]

    def klass(self, letter: str) -> Cell:
        """The sum of a row (A, B, C) or a column (X, Y, Z)."""
        index = 0 if letter in "ABC" else 1
        total = Cell(letter)
        for cell in self.cells.values():
            if cell.cell[index] == letter:
                total.clients += cell.clients
                total.revenue += cell.revenue
        total.client_share = _share(total.clients, self.clients)
        total.revenue_share = _share(total.revenue, self.revenue)
        return total

    def as_dict(self) -> dict[str, Any]:
        return {
            "month": self.month,
            "clients": self.clients,
            "revenue": str(self.revenue),
            "margin": str(self.margin),
            "cells": [self.cells[c].as_dict() for c in CELLS],
        }


def _share(part: Decimal | int, whole: Decimal | int) -> Decimal:
    if not whole:
        return ZERO
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


def abc_matrix(where: Slice, month: date | None) -> Matrix:
    """The 3 x 3 matrix: per cell the clients, their 12-month revenue and margin, and the shares of the slice's
    clients and revenue (one query)."""
    matrix = Matrix(month, {c: Cell(c, advice=str(ADVICE[c])) for c in CELLS})
    if month is None:
        return matrix
    for row in where.rows(month).values("cell").annotate(n=Count("id"), rev=Sum("revenue"), mar=Sum("margin")):
        cell = matrix.cells[row["cell"]]
        cell.clients, cell.revenue, cell.margin = row["n"], row["rev"], row["mar"]
    matrix.clients = sum(c.clients for c in matrix.cells.values())
    matrix.revenue = sum((c.revenue for c in matrix.cells.values()), ZERO)
    matrix.margin = sum((c.margin for c in matrix.cells.values()), ZERO)
    for cell in matrix.cells.values():
        cell.client_share = _share(cell.clients, matrix.clients)
        cell.revenue_share = _share(cell.revenue, matrix.revenue)
    return matrix


def _with_previous(rows: QuerySet[ClientAbc], month: date) -> QuerySet[ClientAbc]:
    previous = ClientAbc.objects.filter(month=month_shift(month, -1), client_id=OuterRef("client_id"))
    return rows.annotate(previous=Subquery(previous.values("cell")[:1]))


def abc_cell_rows(where: Slice, month: date | None, cell: str) -> QuerySet[ClientAbc]:
    """The cell's clients, largest first, with their owner and the cell of the month before."""
    if month is None:
        return ClientAbc.objects.none()
    rows = where.rows(month).filter(cell=cell).select_related("client", "client__owner")
    return _with_previous(rows, month).order_by("rank")


@dataclass
class Transitions:
    month: date | None
    previous: date | None
    counts: dict[tuple[str, str], int] = field(default_factory=dict)  # (before, after) -> clients

    @property
    def befores(self) -> list[str]:
        return [*CELLS, NEW]

    def table(self) -> list[tuple[str, list[int], int]]:
        """A row per cell of the month before (and the new clients), a column per cell now, and the row's total."""
        out = []
        for before in self.befores:
            counts = [self.counts.get((before, after), 0) for after in CELLS]
            out.append((before, counts, sum(counts)))
        return out

    def column_totals(self) -> list[int]:
        return [sum(self.counts.get((b, a), 0) for b in self.befores) for a in CELLS]

    @property
    def moved(self) -> int:
        return sum(n for (b, a), n in self.counts.items() if b != a and b != NEW)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "month": self.month,
            "previous": self.previous,
            "moves": [{"from": b, "to": a, "clients": n} for (b, a), n in sorted(self.counts.items())],
            "moved": self.moved,
            "clients": self.total,
        }


def abc_transitions(where: Slice, month: date | None) -> Transitions:
    """How many of the slice's clients moved from each cell of the month before to each cell now (one query)."""
    if month is None:
        return Transitions(None, None)
    rows = (
        _with_previous(where.rows(month), month)
        .values("previous", "cell")  # type: ignore[misc]  # django-stubs: `previous` is an annotation
        .annotate(n=Count("id"))
    )
    return Transitions(month, month_shift(month, -1), {(r["previous"] or NEW, r["cell"]): r["n"] for r in rows})


FALL_Q = Q(previous__startswith="A", abc__in=("B", "C")) | Q(previous__endswith="X", xyz__in=("Y", "Z"))


def abc_falls(where: Slice, month: date | None) -> QuerySet[ClientAbc]:
    """The clients that fell since the month before: A to B or C, or X to Y or Z (largest first)."""
    if month is None:
        return ClientAbc.objects.none()
    rows = _with_previous(where.rows(month), month).filter(FALL_Q)
    return rows.select_related("client", "client__owner").order_by("-revenue", "client_id")


def my_day_abc_falls(user: User, today: date) -> dict[str, Any] | None:
    """My day: the user's own clients that fell this month (None hides the panel)."""
    if not user.is_seller:
        return None
    month = abc_month(today)
    if month is None:
        return None
    falls = list(abc_falls(Slice(user, manager_id=user.pk), month)[:20])
    if not falls:
        return None
    return {"month": month, "falls": falls, "url": reverse("analytics_abc")}


def client_abc_history(user: User, client: Client, today: date) -> dict[str, Any] | None:
    """The client card: the class now, since when it has been in that cell, the last 12 months, and the stored
    category beside it (crm's Client.category stays the head's label; the computed class does not overwrite it)."""
    if not clients_in_scope(user).filter(pk=client.pk).exists():
        return None
    history = list(ClientAbc.objects.filter(client=client, month__lte=month_start(today)).order_by("-month")[:24])
    if not history:
        return None
    current = history[0]
    since = current.month
    for row in history[1:]:
        if row.cell != current.cell or row.month != month_shift(since, -1):
            break
        since = row.month
    stored = (client.category or "").upper()
    computed = current.abc
    differs = bool(stored) and stored != "VIP" and stored != computed
    return {
        "current": current,
        "since": since,
        "history": list(reversed(history[:12])),
        "stored": client.get_category_display() if client.category else "",
        "differs": differs,
        "url": reverse("analytics_abc"),
    }


def abc_headline(user: User, as_of: date) -> Headline | None:
    """'A: 18 % клиентов, 80 % выручки' for the user's scope."""
    month = abc_month(as_of)
    if month is None:
        return None
    matrix = abc_matrix(Slice(user), month)
    if not matrix.clients:
        return None
    a = matrix.klass("A")
    basis = AnalyticsSettings.current().abc_basis
    return Headline(
        key="abc",
        title=_("ABC/XYZ"),
        value=_("A: %(clients)s %% of clients, %(revenue)s %% of revenue")
        % {"clients": a.client_share, "revenue": a.revenue_share},
        detail=_("%(a)s of %(n)s clients in A, by %(basis)s over the 12 months before %(month)s")
        % {
            "a": a.clients,
            "n": matrix.clients,
            "basis": AnalyticsSettings.AbcBasis(basis).label,
            "month": month.strftime("%m.%Y"),
        },
        url=reverse("analytics_abc"),
        order=30,
    )
