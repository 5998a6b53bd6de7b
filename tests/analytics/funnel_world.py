"""A small department's deals with their stage history, for the funnel's tests (November 2026)."""

from datetime import date, datetime, timedelta

from django.utils import timezone

from crm.models import Deal, DealStageChange
from crm.rules.stages import PIPELINE, Stage
from tests.crm.factories import ClientFactory, DealFactory, LostReasonFactory, SaleLineFactory

NOVEMBER = {"date_from": "2026-11-01", "date_to": "2026-11-30", "as_of": "2026-11-30"}


def moment(day: date, hour: int = 12) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def walk(deal: Deal, start: date, gaps: list[int], *, lost_after: int | None = None, reason: str = "Цена") -> Deal:
    """Record the deal's history from `goal` on `start`, each next stage `gap` days later; optionally lost
    `lost_after` days after the last stage."""
    at = moment(start)
    changes = [DealStageChange(deal=deal, from_stage="", to_stage=Stage.GOAL, at=at)]
    stage = PIPELINE[0]
    for number, gap in enumerate(gaps, start=1):
        at += timedelta(days=gap)
        changes.append(DealStageChange(deal=deal, from_stage=stage, to_stage=PIPELINE[number], at=at))
        stage = PIPELINE[number]
    fields: dict = {"created_at": moment(start), "stage": stage}
    if lost_after is not None:
        at += timedelta(days=lost_after)
        changes.append(DealStageChange(deal=deal, from_stage=stage, to_stage=Stage.LOST, at=at))
        fields.update(stage=Stage.LOST, lost_from_stage=stage, lost_reason=LostReasonFactory(name=reason), closed_at=at)
    elif stage in ("fulfilment", "closing", "account"):
        fields["won_at"] = changes[PIPELINE.index("fulfilment")].at
    DealStageChange.objects.bulk_create(changes)
    Deal.objects.filter(pk=deal.pk).update(**fields)
    return Deal.objects.get(pk=deal.pk)


def funnel_world(manager, other_manager, *, extra: int = 0) -> dict[str, Deal]:
    """A and B are the manager's, C and D the other manager's; `extra` more deals like B for query-count tests."""
    mine = ClientFactory(owner=manager, name="Мой клиент")
    theirs = ClientFactory(owner=other_manager, name="Чужой клиент")
    deals = {
        "A": walk(DealFactory(client=mine, title="A"), date(2026, 11, 2), [2], lost_after=6),
        "B": walk(DealFactory(client=mine, title="B"), date(2026, 11, 3), [1, 4]),
        "C": walk(DealFactory(client=theirs, title="C", amount=300000), date(2026, 11, 1), [1] * 11),
        "D": walk(DealFactory(client=theirs, title="D"), date(2026, 10, 20), [16]),
    }
    add_deals(mine, theirs, extra)
    # The purchase funnel: X bought three times from November, Y once (two lines of one document), Z before.
    x = ClientFactory(owner=manager, name="X")
    y = ClientFactory(owner=other_manager, name="Y")
    z = ClientFactory(owner=manager, name="Z")
    for day in (3, 10, 20):
        SaleLineFactory(client=x, date=date(2026, 11, day))
    SaleLineFactory(client=y, date=date(2026, 11, 5), document_number="РН-Y", line_no=1)
    SaleLineFactory(client=y, date=date(2026, 11, 5), document_number="РН-Y", line_no=2)
    SaleLineFactory(client=z, date=date(2026, 9, 5))
    SaleLineFactory(client=z, date=date(2026, 11, 5))
    return deals


def add_deals(mine, theirs, count: int) -> None:
    """`count` more deals like B, half on each client."""
    for n in range(count):
        walk(DealFactory(client=mine if n % 2 else theirs, title=f"E{n}"), date(2026, 11, 3), [1, 4])
