"""NPS figures (DOMAIN.md section 7), read through analytics/selectors/scope.py.

The answers are this app's `NpsAnswer` rows (e-mail link, web form, office, phone) together with the VIP
questionnaire's "How likely are you to recommend us ... from 0 to 10?" answers (vip's `Answer` of a RECOMMEND-section
SCORE question, dated by the questionnaire's meeting): a union in Python of two `.values()` queries, so vip knows
nothing of analytics. The window is the 365 days up to `as_of`; so is the revenue each client is weighted by. Every
aggregate is a fixed number of queries, whatever the number of rows.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Max, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from analytics.models import NpsAnswer, NpsInvitation, NpsSurvey
from analytics.rules.nps import Counts, band_of, response_rate, revenue_share, weighted_nps
from analytics.selectors.headlines import Headline
from analytics.selectors.scope import clients_in_scope, sale_lines_in_scope
from crm.models import Client, User
from vip.models import Answer as VipAnswer
from vip.rules.questionnaires import Kind, Section

WINDOW_DAYS = 365
RECENT = 50

BAND_LABELS = {
    "negative": gettext_lazy("negative: more detractors than promoters"),
    "low": gettext_lazy("low loyalty (0 to 29)"),
    "good": gettext_lazy("good (30 to 49)"),
    "leader": gettext_lazy("market leaders (50 and above)"),
}
CHANNEL_LABELS = dict(NpsAnswer.Channel.choices)


def window(as_of: date) -> tuple[date, date]:
    return as_of - timedelta(days=WINDOW_DAYS - 1), as_of


def _moments(as_of: date) -> tuple[datetime, datetime]:
    start, end = window(as_of)
    return (
        timezone.make_aware(datetime.combine(start, time.min)),
        timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min)),
    )


def _vip_answers(user: User, as_of: date) -> Any:
    start, end = window(as_of)
    return VipAnswer.objects.filter(
        question__section=Section.RECOMMEND,
        question__kind=Kind.SCORE,
        number__isnull=False,
        number__gte=0,
        number__lte=10,
        questionnaire__meeting_date__range=(start, end),
        questionnaire__client__in=clients_in_scope(user).values("pk"),
    )


def _own_answers(user: User, as_of: date) -> Any:
    start, end = _moments(as_of)
    return NpsAnswer.objects.filter(
        answered_at__gte=start, answered_at__lt=end, client__in=clients_in_scope(user).values("pk")
    )


GROUPS = {
    "p": Count("pk", filter=Q(score__gte=9)),
    "n": Count("pk", filter=Q(score__gte=7, score__lte=8)),
    "d": Count("pk", filter=Q(score__lte=6)),
}
VIP_GROUPS = {
    "p": Count("pk", filter=Q(number__gte=9)),
    "n": Count("pk", filter=Q(number__gte=7, number__lt=9)),
    "d": Count("pk", filter=Q(number__lt=7)),
}


def counts_by_client(user: User, as_of: date) -> dict[int, Counts]:
    """Promoters, passives and detractors per client over the window: two grouped queries."""
    found: dict[int, Counts] = defaultdict(Counts)
    own = _own_answers(user, as_of).values("client_id").annotate(**GROUPS).order_by()
    vip = _vip_answers(user, as_of).values(client_id=F("questionnaire__client_id")).annotate(**VIP_GROUPS).order_by()
    for row in [*own, *vip]:
        found[row["client_id"]] += Counts(row["p"], row["n"], row["d"])
    return dict(found)


@dataclass
class NpsGroup:
    key: Any
    name: str
    counts: Counts = field(default_factory=Counts)
    sent: int = 0  # invitations sent in the window
    answered: int = 0  # of them, answered
    revenue: Decimal = Decimal(0)  # 12-month revenue of the group's clients
    answered_revenue: Decimal = Decimal(0)  # of the clients with at least one answer
    weights: list[tuple[Counts, Decimal]] = field(default_factory=list)
    clients: int = 0  # clients with answers

    @property
    def nps(self) -> Decimal | None:
        return self.counts.nps

    @property
    def band(self) -> str | None:
        return band_of(self.nps)

    @property
    def band_label(self) -> str:
        return str(BAND_LABELS[self.band]) if self.band else ""

    @property
    def weighted(self) -> Decimal | None:
        return weighted_nps(self.weights)

    @property
    def response_rate(self) -> Decimal | None:
        return response_rate(self.answered, self.sent)

    @property
    def revenue_share(self) -> Decimal | None:
        return revenue_share(self.answered_revenue, self.revenue)

    def add(self, counts: Counts, revenue: Decimal, sent: int, answered: int) -> None:
        self.counts += counts
        self.sent += sent
        self.answered += answered
        self.revenue += revenue
        if counts.answers:
            self.answered_revenue += revenue
            self.weights.append((counts, revenue))
            self.clients += 1


@dataclass
class NpsReport:
    as_of: date
    start: date
    total: NpsGroup
    clients: list[NpsGroup]
    managers: list[NpsGroup]
    segments: list[NpsGroup]


def nps_report(*, user: User, as_of: date) -> NpsReport:
    """NPS per client, manager (the client's owner), segment and the whole scope, with response rates and revenue."""
    start, end = window(as_of)
    counts = counts_by_client(user, as_of)
    since, until = _moments(as_of)
    invitations = {
        row["survey__client_id"]: row
        for row in NpsInvitation.objects.filter(
            sent_at__gte=since, sent_at__lt=until, survey__client__in=clients_in_scope(user).values("pk")
        )
        .values("survey__client_id")
        .annotate(sent=Count("pk"), answered=Count("answer"))
        .order_by()
    }
    ids = set(counts) | set(invitations)
    lines = sale_lines_in_scope(user).filter(date__range=(start, end))
    revenue = {
        row["client_id"]: row["total"]
        for row in lines.filter(client_id__in=ids).values("client_id").annotate(total=Sum("amount")).order_by()
    }
    # The revenue share's denominators: every client in scope with revenue, surveyed or not, per owner and segment.
    all_revenue = list(
        lines.values(owner_id=F("client__owner_id"), segment_id=F("client__segment_id"))
        .annotate(total=Sum("amount"))
        .order_by()
    )
    info = (
        Client.objects.filter(pk__in=ids)
        .values("pk", "name", "owner_id", "owner__first_name", "owner__last_name", "owner__username", "segment_id")
        .annotate(segment_name=F("segment__name"))
        .order_by("name", "pk")
    )
    total = NpsGroup(key=None, name=_("Department"))
    managers: dict[Any, NpsGroup] = {}
    segments: dict[Any, NpsGroup] = {}
    clients: list[NpsGroup] = []
    for row in info:
        c = counts.get(row["pk"], Counts())
        inv = invitations.get(row["pk"], {"sent": 0, "answered": 0})
        money = revenue.get(row["pk"]) or Decimal(0)
        owner = " ".join(p for p in (row["owner__first_name"], row["owner__last_name"]) if p) or (
            row["owner__username"] or _("No owner")
        )
        group = NpsGroup(key=row["pk"], name=row["name"])
        for target in (
            group,
            total,
            managers.setdefault(row["owner_id"], NpsGroup(key=row["owner_id"], name=owner)),
            segments.setdefault(
                row["segment_id"], NpsGroup(key=row["segment_id"], name=row["segment_name"] or _("No segment"))
            ),
        ):
            target.add(c, money, inv["sent"], inv["answered"])
        clients.append(group)
    for target_groups in (managers, segments):
        for group in target_groups.values():
            group.revenue = Decimal(0)
    total.revenue = Decimal(0)
    for row in all_revenue:
        money = row["total"] or Decimal(0)
        total.revenue += money
        if row["owner_id"] in managers:
            managers[row["owner_id"]].revenue += money
        if row["segment_id"] in segments:
            segments[row["segment_id"]].revenue += money
    return NpsReport(
        as_of=as_of,
        start=start,
        total=total,
        clients=clients,
        managers=sorted(managers.values(), key=lambda g: g.name),
        segments=sorted(segments.values(), key=lambda g: g.name),
    )


@dataclass(frozen=True)
class AnswerRow:
    answered_on: date
    client_id: int
    client: str
    contact: str
    score: int
    comment: str
    channel: str
    channel_label: str
    recorded_by: str


def recent_answers(*, user: User, as_of: date, limit: int = RECENT, client_id: int | None = None) -> list[AnswerRow]:
    """The latest answers of both sources (of one client if asked), newest first: two queries."""
    own_rows = _own_answers(user, as_of)
    vip_rows = _vip_answers(user, as_of)
    if client_id is not None:
        own_rows = own_rows.filter(client_id=client_id)
        vip_rows = vip_rows.filter(questionnaire__client_id=client_id)
    own = own_rows.order_by("-answered_at", "-pk").values(
        "answered_at",
        "client_id",
        "score",
        "comment",
        "channel",
        client_name=F("client__name"),
        contact_name=F("contact__full_name"),
        by_first=F("recorded_by__first_name"),
        by_last=F("recorded_by__last_name"),
    )[:limit]
    vip = vip_rows.order_by("-questionnaire__meeting_date", "-pk").values(
        "number",
        "text",
        day=F("questionnaire__meeting_date"),
        client_id=F("questionnaire__client_id"),
        client_name=F("questionnaire__client__name"),
        by_first=F("answered_by__first_name"),
        by_last=F("answered_by__last_name"),
    )[:limit]
    rows = [
        AnswerRow(
            answered_on=timezone.localdate(row["answered_at"]),
            client_id=row["client_id"],
            client=row["client_name"],
            contact=row["contact_name"] or "",
            score=row["score"],
            comment=row["comment"],
            channel=row["channel"],
            channel_label=str(CHANNEL_LABELS[row["channel"]]),
            recorded_by=" ".join(p for p in (row["by_first"], row["by_last"]) if p),
        )
        for row in own
    ] + [
        AnswerRow(
            answered_on=row["day"],
            client_id=row["client_id"],
            client=row["client_name"],
            contact="",
            score=int(row["number"]),
            comment="",
            channel=NpsAnswer.Channel.VIP,
            channel_label=str(CHANNEL_LABELS[NpsAnswer.Channel.VIP]),
            recorded_by=" ".join(p for p in (row["by_first"], row["by_last"]) if p),
        )
        for row in vip
    ]
    return sorted(rows, key=lambda r: r.answered_on, reverse=True)[:limit]


def nps_signed(value: Decimal | None) -> str:
    if value is None:
        return "—"
    text = f"{value:+.1f}".replace(".", ",")
    return text[:-2] if text.endswith(",0") else text


def _comma(value: Decimal | None) -> str:
    return str(value).replace(".", ",") if value is not None else "—"


def nps_headline(user: User, as_of: date) -> Headline | None:
    """The dashboard's NPS: the scope's total over the window, with its formula and sample size."""
    total = Counts()
    for counts in counts_by_client(user, as_of).values():
        total += counts
    if not total.answers:
        return None
    band = band_of(total.nps)
    return Headline(
        key="nps",
        title="NPS",
        value=nps_signed(total.nps),
        detail=_("%(p)s %% promoters − %(d)s %% detractors, %(n)s answers")
        % {"p": _comma(total.promoters_pct), "d": _comma(total.detractors_pct), "n": total.answers},
        url=reverse("analytics_nps"),
        tone="good" if band in ("good", "leader") else "bad",
        order=20,
    )


@dataclass(frozen=True)
class ClientNps:
    client_id: int
    counts: Counts
    nps: Decimal | None
    band_label: str
    answers: list[AnswerRow]
    last_survey: date | None


def client_nps(user: User, client: Client, today: date) -> ClientNps | None:
    """The client card's NPS panel: its contacts' answers of the window and the button to type one in (a fixed
    number of queries); None for a user whose analytics do not cover the client."""
    if not clients_in_scope(user).filter(pk=client.pk).exists():
        return None
    counts = _client_counts(user, client, today)
    band = band_of(counts.nps)
    rows = recent_answers(user=user, as_of=today, limit=5, client_id=client.pk)
    return ClientNps(
        client_id=client.pk,
        counts=counts,
        nps=counts.nps,
        band_label=str(BAND_LABELS[band]) if band else "",
        answers=rows,
        last_survey=NpsSurvey.objects.filter(client=client).aggregate(last=Max("sent_on"))["last"],
    )


def _client_counts(user: User, client: Client, as_of: date) -> Counts:
    own = _own_answers(user, as_of).filter(client=client).aggregate(**GROUPS)
    vip = _vip_answers(user, as_of).filter(questionnaire__client=client).aggregate(**VIP_GROUPS)
    return Counts(own["p"], own["n"], own["d"]) + Counts(vip["p"], vip["n"], vip["d"])
