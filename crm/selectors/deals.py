"""Reads for the deal card: the stage history with durations, documents, payments, activities, the next task."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from crm.models import Activity, Deal, DealPayment, DealProduct, DealStageChange, User
from crm.rules.stages import ORDER, PIPELINE, Stage

ACTIVITIES_SHOWN = 50


@dataclass
class StageStay:
    """One stay of the deal at a stage: when it arrived, from where, who moved it, and how long it stayed."""

    stage: str
    label: str
    from_stage: str
    started: datetime
    by: str
    reason: str
    backward: bool
    duration: timedelta
    current: bool


@dataclass
class DealCard:
    deal: Deal
    stays: list[StageStay]
    cycle: timedelta
    lines: list[DealProduct]
    lines_total: Decimal
    payments: list[DealPayment]
    activities: list[Activity]
    next_task: Activity | None


def stage_stays(changes: list[DealStageChange], *, now: datetime, closed_at: datetime | None = None) -> list[StageStay]:
    """Each stage change opens a stay that lasts until the next change (the last one until `closed_at` or `now`)."""
    stays: list[StageStay] = []
    for index, change in enumerate(changes):
        following = changes[index + 1] if index + 1 < len(changes) else None
        end = following.at if following else (closed_at or now)
        stays.append(
            StageStay(
                stage=change.to_stage,
                label=str(Stage(change.to_stage).label),
                from_stage=str(Stage(change.from_stage).label) if change.from_stage else "",
                started=change.at,
                by=str(change.by) if change.by else "",
                reason=change.reason,
                backward=change.is_backward,
                duration=max(end - change.at, timedelta(0)),
                current=following is None,
            )
        )
    return stays


@dataclass(frozen=True)
class PathStage:
    """One of the 14 stages on a deal's path: when the deal first reached it, and whether it is behind, at or ahead."""

    number: int
    stage: str
    label: str
    reached: datetime | None
    state: str  # "passed", "current" or "ahead"


def stage_path(stays: list[StageStay], current: str) -> list[PathStage]:
    """All 14 stages in order, each with the first time the deal arrived there (a printout shows the whole path)."""
    first: dict[str, datetime] = {}
    for stay in stays:
        first.setdefault(stay.stage, stay.started)
    at = ORDER.get(current)
    path = []
    for number, code in enumerate(PIPELINE, start=1):
        if at is None:  # a lost deal: what it reached is passed, the rest is not reached
            state = "passed" if code in first else "ahead"
        else:
            state = "passed" if number < at else "current" if number == at else "ahead"
        path.append(PathStage(number, code, str(Stage(code).label), first.get(code), state))
    return path


def deal_card(*, deal: Deal, user: User, now: datetime) -> DealCard:
    """Everything the deal card shows to `user` (who sees `deal`), in a fixed number of queries."""
    changes = list(DealStageChange.objects.visible_to(user).filter(deal=deal).select_related("by").order_by("at", "id"))
    # A won or lost deal's cycle ends when it closed; an account-stage deal keeps its last stay open.
    finished = deal.closed_at if deal.stage == Stage.LOST else None
    stays = stage_stays(changes, now=now, closed_at=finished)
    start = changes[0].at if changes else deal.created_at
    cycle_end = deal.closed_at or now
    lines = list(DealProduct.objects.filter(deal=deal).select_related("product").order_by("id"))
    activities_seen = Activity.objects.visible_to(user).filter(deal=deal)
    activities = list(activities_seen.select_related("owner").order_by("-created_at", "-id")[:ACTIVITIES_SHOWN])
    next_task = activities_seen.planned().select_related("owner").order_by("due_at", "id").first()
    return DealCard(
        deal=deal,
        stays=stays,
        cycle=max(cycle_end - start, timedelta(0)),
        lines=lines,
        lines_total=sum((line.amount for line in lines), Decimal("0")),
        payments=list(DealPayment.objects.filter(deal=deal).select_related("by").order_by("paid_on", "id")),
        activities=activities,
        next_task=next_task,
    )
