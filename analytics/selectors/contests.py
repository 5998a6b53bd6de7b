"""Contests' reads: who sees which contest, each participant's achieved value in one SQL query over the period, and
the leaderboard ranked by % of each one's own quota (analytics/rules/contests.py).

Who sees a contest (docs/analytics.md, "Contests"): the head and the admin every contest; a seller the contests he is
in (the whole board, his row marked); a team lead also the contests of his team's people. A manager who is not in a
contest does not see it: the board shows other people's sales, and his own figures are not on it. Nobody else.

The board is the same for every viewer: a contest compares its participants with each other, so their figures are
counted over the whole department's rows (every participant's own sales, clients and questionnaires), not through the
viewer's scope; who may open the board at all is the rule above.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from analytics.models import Contest, ContestParticipant
from analytics.rules.contests import MONEY_METRICS, Entry, Metric, Ranked, Status, months_of, plan_quota, rank
from analytics.selectors.headlines import Headline
from crm.models import Client, SaleLine, User
from planning.models import Plan
from planning.selectors.work import current_plans
from vip.models import Questionnaire

ZERO = Decimal("0")


def contests_visible(user: User) -> QuerySet[Contest]:
    if not user.is_authenticated:
        return Contest.objects.none()
    if user.sees_everything:
        return Contest.objects.all()
    if not user.is_seller:
        return Contest.objects.none()
    mine = Q(user=user)
    if user.is_team_lead and user.team_id:
        mine |= Q(user__team_id=user.team_id)
    entries = ContestParticipant.objects.filter(mine, contest_id=OuterRef("pk"))
    return Contest.objects.filter(Exists(entries))


def contest_list(user: User) -> list[Contest]:
    """The user's contests with their participant counts, newest first: one query."""
    return list(contests_visible(user).annotate(participant_count=Count("entries")).order_by("-start", "-pk"))


def achieved_values(*, metric: str, users: list[int], start: date, end: date) -> dict[int, Decimal]:
    """Each participant's value of `metric` over start..end, one query (see docs/analytics.md for each metric)."""
    if not users or end < start:
        return {}
    rows: Any
    if metric in (Metric.PLAN, Metric.PAID_SALES):
        # Paid sales as plan/fact counts them: a paid line, dated by the day the money came, for its manager.
        rows = (
            SaleLine.objects.filter(is_paid=True, paid_date__range=(start, end), manager_id__in=users)
            .values("manager_id")
            .annotate(value=Sum("amount"))
            .values_list("manager_id", "value")
        )
    elif metric == Metric.NEW_CLIENTS:
        # A client whose first purchase (his earliest sale line, any manager) falls in the period, counted for the
        # client's owner.
        first = SaleLine.objects.filter(client_id=OuterRef("pk")).order_by("date").values("date")[:1]
        rows = (
            Client.objects.filter(owner_id__in=users)
            .annotate(first_purchase=Subquery(first))
            .filter(first_purchase__range=(start, end))
            .values("owner_id")
            .annotate(value=Count("id"))
            .values_list("owner_id", "value")
        )
    elif metric == Metric.QUESTIONNAIRES:
        rows = (
            Questionnaire.objects.filter(
                status=Questionnaire.Status.COMPLETE, employee_id__in=users, completed_at__date__range=(start, end)
            )
            .values("employee_id")
            .annotate(value=Count("id"))
            .values_list("employee_id", "value")
        )
    else:
        return {}
    return {user_id: Decimal(value or 0) for user_id, value in rows}


def plan_quotas(*, users: list[int], start: date, end: date) -> dict[int, Decimal]:
    """Each user's plans for the period (the current version of each month: approved, else the latest draft), the
    share of each month the period covers; one query. A user with no plan in the period is left out."""
    months = months_of(start, end)
    per_month: dict[date, list[Plan]] = {}
    for plan in Plan.objects.filter(manager_id__in=users, month__in=months).exclude(status=Plan.Status.SUPERSEDED):
        per_month.setdefault(plan.month, []).append(plan)
    targets: dict[int, dict[date, Decimal]] = {}
    for month, plans in per_month.items():
        for manager_id, plan in current_plans(plans).items():
            targets.setdefault(manager_id, {})[month] = plan.target
    quotas = {}
    for user_id, by_month in targets.items():
        quota = plan_quota(start=start, end=end, targets=by_month)
        if quota is not None:
            quotas[user_id] = quota
    return quotas


@dataclass(frozen=True)
class BoardRow:
    position: int
    user: User
    achieved: Decimal
    quota: Decimal | None
    quota_from_plan: bool
    percent: Decimal | None
    is_me: bool


@dataclass(frozen=True)
class Leaderboard:
    contest: Contest
    as_of: date
    status: Status
    counted_to: date  # the last day counted: the contest's end, or as_of while it runs
    rows: list[BoardRow]

    @property
    def is_money(self) -> bool:
        return self.contest.metric in MONEY_METRICS

    def row_of(self, user: User) -> BoardRow | None:
        return next((row for row in self.rows if row.user.pk == user.pk), None)

    @property
    def top(self) -> list[BoardRow]:
        return self.rows[:3]

    @property
    def sample(self) -> int:
        return len(self.rows)


def leaderboard(*, contest: Contest, as_of: date, viewer: User | None = None) -> Leaderboard:
    """The contest's board as of `as_of`: four queries (entries, values, plans; the contest is the caller's)."""
    entries = list(contest.entries.select_related("user").order_by("pk"))
    users = [entry.user_id for entry in entries]
    counted_to = min(contest.end, as_of)
    achieved = achieved_values(metric=contest.metric, users=users, start=contest.start, end=counted_to)
    from_plan: dict[int, Decimal] = {}
    if contest.metric == Metric.PLAN and any(entry.quota is None for entry in entries):
        from_plan = plan_quotas(users=users, start=contest.start, end=contest.end)
    quotas: dict[int, tuple[Decimal | None, bool]] = {}
    for entry in entries:
        if entry.quota is None and contest.metric == Metric.PLAN:
            quotas[entry.user_id] = (from_plan.get(entry.user_id), True)
        else:
            quotas[entry.user_id] = (entry.quota, False)
    people = {entry.user_id: entry.user for entry in entries}
    ranked: list[Ranked] = rank(
        Entry(key=uid, name=str(people[uid]), achieved=achieved.get(uid, ZERO), quota=quotas[uid][0]) for uid in users
    )
    rows = [
        BoardRow(
            position=r.position,
            user=people[r.key],
            achieved=r.entry.achieved,
            quota=r.entry.quota,
            quota_from_plan=quotas[r.key][1],
            percent=r.percent,
            is_me=viewer is not None and viewer.pk == r.key,
        )
        for r in ranked
    ]
    return Leaderboard(contest=contest, as_of=as_of, status=contest.status_on(as_of), counted_to=counted_to, rows=rows)


def contest_headline(user: User, as_of: date) -> Headline | None:
    """The running contest's leader and the user's own position (the latest started of the user's contests)."""
    contest = contests_visible(user).filter(start__lte=as_of, end__gte=as_of).order_by("-start", "-pk").first()
    if contest is None:
        return None
    board = leaderboard(contest=contest, as_of=as_of, viewer=user)
    if not board.rows:
        return None
    leader = board.rows[0]
    value = str(leader.user)
    if leader.percent is not None:
        value = f"{value}, {leader.percent:.0f} %".replace(".", ",")
    mine = board.row_of(user)
    parts = [_("%(name)s, participants: %(count)s") % {"name": contest.name, "count": board.sample}]
    if mine is not None:
        parts.append(_("you are #%(position)s") % {"position": mine.position})
    return Headline(
        key="contest",
        title=_("Contest"),
        value=value,
        detail="; ".join(parts),
        url=reverse("analytics_contest_detail", args=[contest.pk]),
        tone="good" if mine is not None and mine.position == 1 else "",
        order=90,
    )


def my_day_contest(user: User, today: date) -> Leaderboard | None:
    """My day: the board of the latest started running contest the seller takes part in (None: no such contest)."""
    if not user.is_authenticated or not user.is_seller:
        return None
    contest = (
        Contest.objects.filter(entries__user=user, start__lte=today, end__gte=today).order_by("-start", "-pk").first()
    )
    return leaderboard(contest=contest, as_of=today, viewer=user) if contest is not None else None
