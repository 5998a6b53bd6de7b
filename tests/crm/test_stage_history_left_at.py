"""`DealStageChange.left_at`: when the deal left the stage (the `at` of its next change), kept by every writer of the
stage history: the services (through the model's save), bulk_create, the demo generator and the migration's backfill."""

import importlib
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise

import pytest
from django.db import connection

from crm.demo.generator import generate
from crm.models import DealStageChange
from crm.rules.stages import Stage
from crm.services.deals import deal_lose, deal_move_stage
from tests.crm.factories import DealFactory, LostReasonFactory
from tests.crm.test_services_deals import deal_at, fill_stage

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def history(deal) -> list[tuple[str, datetime, datetime | None]]:
    return list(deal.stage_changes.order_by("at", "id").values_list("to_stage", "at", "left_at"))


def hours(n: float) -> datetime:
    return T0 + timedelta(hours=n)


def test_each_move_sets_left_at_on_the_stay_it_ends(manager, head):
    deal = deal_at(Stage.GOAL, manager, complete=True)
    DealStageChange.objects.create(deal=deal, from_stage="", to_stage=Stage.GOAL, by=manager, at=hours(0))
    assert history(deal) == [(Stage.GOAL, hours(0), None)]

    deal = deal_move_stage(deal=deal, to_stage=Stage.MARKET, by=manager, now=hours(5))
    assert history(deal) == [(Stage.GOAL, hours(0), hours(5)), (Stage.MARKET, hours(5), None)]

    fill_stage(deal, Stage.MARKET)
    deal = deal_move_stage(deal=deal, to_stage=Stage.PROSPECT_LIST, by=manager, now=hours(30))
    deal = deal_move_stage(deal=deal, to_stage=Stage.MARKET, by=head, reason="Рано", now=hours(31.5))
    deal = deal_lose(deal=deal, reason=LostReasonFactory(name="Цена"), by=manager, now=hours(48))
    assert history(deal) == [
        (Stage.GOAL, hours(0), hours(5)),
        (Stage.MARKET, hours(5), hours(30)),
        (Stage.PROSPECT_LIST, hours(30), hours(31.5)),
        (Stage.MARKET, hours(31.5), hours(48)),
        (Stage.LOST, hours(48), None),
    ]


def test_bulk_created_history_is_linked_whatever_the_order_of_the_rows():
    first, second = DealFactory(), DealFactory()
    rows = [
        (first, Stage.MARKET, 10),
        (second, Stage.GOAL, 0),
        (first, Stage.GOAL, 1),
        (first, Stage.SOURCE, 30),
        (first, Stage.PROSPECT_LIST, 20),
        (second, Stage.MARKET, 7),
    ]
    DealStageChange.objects.bulk_create(
        DealStageChange(deal=deal, to_stage=stage, at=hours(at)) for deal, stage, at in rows
    )
    assert history(first) == [
        (Stage.GOAL, hours(1), hours(10)),
        (Stage.MARKET, hours(10), hours(20)),
        (Stage.PROSPECT_LIST, hours(20), hours(30)),
        (Stage.SOURCE, hours(30), None),
    ]
    assert history(second) == [(Stage.GOAL, hours(0), hours(7)), (Stage.MARKET, hours(7), None)]


def test_a_change_recorded_between_two_others_ends_the_earlier_stay_and_is_left_at_the_later():
    deal = DealFactory()
    DealStageChange.objects.create(deal=deal, to_stage=Stage.GOAL, at=hours(0))
    DealStageChange.objects.create(deal=deal, to_stage=Stage.SOURCE, at=hours(20))
    DealStageChange.objects.create(deal=deal, to_stage=Stage.MARKET, at=hours(8))
    assert history(deal) == [
        (Stage.GOAL, hours(0), hours(8)),
        (Stage.MARKET, hours(8), hours(20)),
        (Stage.SOURCE, hours(20), None),
    ]


def test_the_migration_backfills_every_history_in_one_statement():
    deals = [DealFactory() for _ in range(3)]
    gaps = {deals[0]: [0, 3, 4, 10], deals[1]: [2], deals[2]: [1, 1, 6]}
    for deal, points in gaps.items():
        DealStageChange.objects.bulk_create(
            DealStageChange(deal=deal, to_stage=stage, at=hours(at))
            for stage, at in zip((Stage.GOAL, Stage.MARKET, Stage.PROSPECT_LIST, Stage.SOURCE), points, strict=False)
        )
    expected = {deal.pk: history(deal) for deal in deals}
    DealStageChange.objects.update(left_at=None)
    assert DealStageChange.objects.filter(left_at__isnull=False).count() == 0

    backfill = importlib.import_module("crm.migrations.0024_stagechange_left_at").BACKFILL
    with connection.cursor() as cursor:
        cursor.execute(backfill)
    assert {deal.pk: history(deal) for deal in deals} == expected
    assert expected[deals[0].pk] == [
        (Stage.GOAL, hours(0), hours(3)),
        (Stage.MARKET, hours(3), hours(4)),
        (Stage.PROSPECT_LIST, hours(4), hours(10)),
        (Stage.SOURCE, hours(10), None),
    ]
    # Two changes in the same moment: the later id is the next one.
    assert expected[deals[2].pk] == [
        (Stage.GOAL, hours(1), hours(1)),
        (Stage.MARKET, hours(1), hours(6)),
        (Stage.PROSPECT_LIST, hours(6), None),
    ]


def test_the_demo_generator_writes_left_at_with_its_history():
    generate(clients=60, managers=3, deals=50, months=6, as_of=date(2026, 11, 23))
    changes = list(DealStageChange.objects.order_by("deal_id", "at", "id").values_list("deal_id", "at", "left_at"))
    assert len(changes) > 100
    for (deal, _at, left_at), (next_deal, next_at, _) in pairwise(changes):
        assert left_at == (next_at if next_deal == deal else None)
    assert changes[-1][2] is None
