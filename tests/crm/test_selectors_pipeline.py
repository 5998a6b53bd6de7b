"""The board's columns and the head's pipeline review, computed from small tables of deals."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from crm.models import Activity, Deal, User
from crm.rules.stages import PIPELINE, Stage
from crm.selectors.pipeline import board_columns, pipeline_review
from tests.crm.factories import ClientFactory, DealFactory, LostReasonFactory

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
TODAY = date(2026, 11, 23)  # a Monday


def deal(owner, stage, amount, probability, **extra):
    return DealFactory(
        client=ClientFactory(owner=owner),
        owner=owner,
        stage=stage,
        amount=Decimal(amount),
        probability=probability,
        **extra,
    )


def test_board_totals_count_amount_and_weighted_amount_per_stage(manager, other_manager):
    deal(manager, Stage.PROPOSAL, "100000", 30)
    deal(manager, Stage.PROPOSAL, "50000.50", 30)
    deal(manager, Stage.CONTRACT, "200000", 80)
    deal(other_manager, Stage.PROPOSAL, "999999", 30)
    deal(manager, Stage.LOST, "10", 0, lost_reason=LostReasonFactory())

    columns = {c.stage: c for c in board_columns(deals=Deal.objects.visible_to(manager), now=NOW)}

    assert list(columns) == [*PIPELINE, Stage.LOST]
    assert (columns["proposal"].count, columns["proposal"].amount, columns["proposal"].weighted) == (
        2,
        Decimal("150000.50"),
        Decimal("45000.15"),
    )
    assert (columns["contract"].count, columns["contract"].weighted) == (1, Decimal("160000.00"))
    assert columns["lost"].count == 1 and columns["lost"].deals[0].lost_reason is not None
    assert columns["goal"].count == 0 and columns["goal"].deals == []


def test_board_shows_the_most_recent_cards_per_column_with_a_constant_number_of_queries(
    manager, django_assert_num_queries
):
    for i in range(5):
        deal(manager, Stage.PROPOSAL, "1000", 30, stage_changed_at=NOW - timedelta(days=i))

    with django_assert_num_queries(3):
        columns = {c.stage: c for c in board_columns(deals=Deal.objects.visible_to(manager), now=NOW, per_column=3)}
        cards = columns["proposal"].deals
        [(d.client.name, d.owner.username, d.has_open_task) for d in cards]

    assert columns["proposal"].count == 5
    assert [d.stage_changed_at for d in cards] == [NOW, NOW - timedelta(days=1), NOW - timedelta(days=2)]


def test_pipeline_review_per_manager_with_hygiene_and_the_small_pipeline_flag(manager, other_manager):
    big = deal(manager, Stage.REPEAT_MEETING, "400000", 50)
    deal(manager, Stage.PROPOSAL, "200000", 30)
    small = deal(other_manager, Stage.PROPOSAL, "10000", 30)
    Activity.objects.create(
        kind="task", client=big.client, deal=big, owner=manager, subject="x", due_at=NOW - timedelta(hours=1)
    )
    Activity.objects.create(
        kind="task", client=small.client, deal=small, owner=other_manager, subject="x", due_at=NOW + timedelta(days=1)
    )

    review = pipeline_review(
        deals=Deal.objects.all(),
        managers=User.objects.filter(pk__in=[manager.pk, other_manager.pk]),
        today=TODAY,
        now=NOW,
    )

    first, second = review.managers
    assert first.manager == manager
    assert (first.open_count, first.open_amount, first.open_weighted, first.average_deal) == (
        2,
        Decimal("600000"),
        Decimal("260000.00"),
        Decimal("300000.00"),
    )
    assert first.by_stage["repeat_meeting"] == {
        "count": 1,
        "amount": Decimal("400000"),
        "weighted": Decimal("200000.00"),
    }
    assert (first.without_task, first.overdue_task, first.too_small) == (1, 1, False)
    assert (second.without_task, second.overdue_task, second.too_small) == (0, 0, True)
    assert review.average_deal == Decimal("203333.33")


def test_payment_plan_by_day_counts_what_is_still_due_on_contract_and_payment_deals(manager):
    deal(manager, Stage.CONTRACT, "100000", 80, expected_close_date=date(2026, 11, 25))
    deal(
        manager,
        Stage.PAYMENT,
        "300000",
        90,
        invoice_amount=Decimal("300000"),
        paid_amount=Decimal("120000"),
        expected_close_date=date(2026, 11, 25),
    )
    deal(manager, Stage.PAYMENT, "50000", 90, invoice_amount=Decimal("50000"), expected_close_date=date(2026, 11, 30))
    deal(manager, Stage.PAYMENT, "70000", 90, invoice_amount=Decimal("70000"), expected_close_date=date(2026, 11, 20))
    deal(manager, Stage.PROPOSAL, "999999", 30, expected_close_date=date(2026, 11, 25))
    deal(manager, Stage.CONTRACT, "5000", 80, expected_close_date=date(2026, 12, 1))

    review = pipeline_review(
        deals=Deal.objects.all(), managers=User.objects.filter(pk=manager.pk), today=TODAY, now=NOW
    )

    assert review.payments_by_day == {
        date(2026, 11, 20): Decimal("70000"),
        date(2026, 11, 25): Decimal("280000"),
        date(2026, 11, 30): Decimal("50000"),
    }
    assert review.week_total == Decimal("280000")  # 23-29 November
    assert review.month_total == Decimal("400000")
    assert review.overdue_payments == Decimal("70000")
