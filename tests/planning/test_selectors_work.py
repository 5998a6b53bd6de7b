"""Working the plan: weekly targets, the call tracker, the one-off funnel, Tool 1 and Tool 2 (fixed dates)."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from crm.models import Product
from crm.rules.stages import Stage
from planning.models import ComplementRule, FeaturedItem, Plan, PlanLine
from planning.selectors.work import (
    MIN_CATEGORY_SHARE,
    cross_sell,
    cross_sell_list,
    current_plan,
    plan_work,
    tool2_groups,
)
from tests.crm.factories import (
    ActivityFactory,
    CategoryFactory,
    ClientFactory,
    DealFactory,
    ProductFactory,
    SaleLineFactory,
)

TODAY = date(2026, 5, 13)  # a Wednesday; the ISO week runs 11.05-17.05


def make_plan(manager, month=date(2026, 5, 1), *, status=Plan.Status.DRAFT, version=1, target="250000", **extra):
    return Plan.objects.create(
        manager=manager,
        month=month,
        version=version,
        status=status,
        target=Decimal(target),
        window_start=date(2026, 1, 1),
        window_end=date(2026, 4, 30),
        **extra,
    )


def add_line(plan, client, amount):
    return PlanLine.objects.create(
        plan=plan, client=client, months_with_purchases=4, window_total=Decimal(amount) * 4, plan_amount=Decimal(amount)
    )


def test_current_plan_is_the_approved_version_else_the_latest_draft(manager):
    make_plan(manager, version=1, status=Plan.Status.SUPERSEDED)
    approved = make_plan(manager, version=2, status=Plan.Status.APPROVED)
    make_plan(manager, version=3)
    assert current_plan(user=manager, manager=manager, month=date(2026, 5, 1)) == approved
    approved.status = Plan.Status.SUPERSEDED
    approved.save()
    assert current_plan(user=manager, manager=manager, month=date(2026, 5, 1)).version == 3


def test_another_managers_plan_is_not_current_for_a_manager(manager, other_manager):
    make_plan(other_manager)
    assert current_plan(user=manager, manager=other_manager, month=date(2026, 5, 1)) is None


def test_weekly_target_is_a_quarter_of_the_monthly_plan_with_this_weeks_orders_and_calls(manager):
    plan = make_plan(manager)
    alfa = ClientFactory(owner=manager, name="Альфа")
    beta = ClientFactory(owner=manager, name="Бета")
    add_line(plan, alfa, "100000")
    add_line(plan, beta, "45000.10")
    SaleLineFactory(client=alfa, date=date(2026, 5, 11), amount=Decimal("20000"))
    SaleLineFactory(client=alfa, date=date(2026, 5, 13), amount=Decimal("6000"), is_paid=False)
    SaleLineFactory(client=alfa, date=date(2026, 5, 10), amount=Decimal("99999"))  # last week
    ActivityFactory(client=alfa, kind="call", direction="out", done_at=datetime(2026, 5, 11, 9, tzinfo=UTC))
    ActivityFactory(client=alfa, kind="call", direction="out", done_at=datetime(2026, 5, 12, 9, tzinfo=UTC))
    ActivityFactory(client=alfa, kind="meeting", done_at=datetime(2026, 5, 12, 11, tzinfo=UTC))
    ActivityFactory(client=beta, kind="call", direction="out", done_at=datetime(2026, 5, 8, 9, tzinfo=UTC))  # last week
    ActivityFactory(client=beta, kind="call", direction="in", done_at=datetime(2026, 5, 12, 9, tzinfo=UTC))  # he called
    ActivityFactory(client=beta, kind="call", done_at=None, due_at=datetime(2026, 5, 14, 9, tzinfo=UTC))

    work = plan_work(user=manager, manager=manager, today=TODAY)

    rows = {row.client.name: row for row in work.regular}
    assert rows["Альфа"].weekly_target == Decimal("25000.00")
    assert rows["Альфа"].week_orders == Decimal("26000.00")
    assert rows["Альфа"].target_met
    assert rows["Альфа"].calls == 2 and rows["Альфа"].calls_left == 0
    assert rows["Бета"].weekly_target == Decimal("11250.03")  # 45 000.10 / 4 = 11 250.025, half-up
    assert rows["Бета"].week_orders == 0 and rows["Бета"].calls == 0 and rows["Бета"].calls_left == 2
    assert (work.calls_done, work.calls_needed) == (2, 4)


def test_a_week_spanning_two_months_counts_only_the_plan_months_orders(manager):
    april = make_plan(manager, month=date(2026, 4, 1))
    alfa = ClientFactory(owner=manager, name="Альфа")
    add_line(april, alfa, "100000")
    SaleLineFactory(client=alfa, date=date(2026, 4, 29), amount=Decimal("7000"))
    SaleLineFactory(client=alfa, date=date(2026, 5, 1), amount=Decimal("50000"))  # May's order, same ISO week

    work = plan_work(user=manager, manager=manager, today=date(2026, 4, 30))  # week 27.04-03.05

    assert work.regular[0].week_orders == Decimal("7000.00")


def test_one_off_funnel_holds_unpaid_lines_of_non_regular_clients_and_deals_at_contract_or_payment(manager):
    plan = make_plan(manager)
    regular = ClientFactory(owner=manager)
    add_line(plan, regular, "100000")
    one_off = ClientFactory(owner=manager, name="Гамма")
    SaleLineFactory(
        client=one_off, document_number="РН-1", date=date(2026, 5, 4), amount=Decimal("7000"), is_paid=False
    )
    SaleLineFactory(
        client=one_off, document_number="РН-1", line_no=2, date=date(2026, 5, 4), amount=Decimal("3000"), is_paid=False
    )
    SaleLineFactory(client=one_off, date=date(2026, 5, 5), amount=Decimal("5000"), is_paid=True)  # paid: not funnel
    SaleLineFactory(client=one_off, date=date(2026, 4, 28), amount=Decimal("5000"), is_paid=False)  # last month
    SaleLineFactory(client=regular, date=date(2026, 5, 6), amount=Decimal("8000"), is_paid=False)  # regular client
    DealFactory(client=one_off, stage=Stage.CONTRACT, amount=Decimal("40000"), title="Монтаж")
    DealFactory(client=one_off, stage=Stage.PROPOSAL, amount=Decimal("90000"))

    work = plan_work(user=manager, manager=manager, today=TODAY)

    assert [(row.kind, row.reference, row.amount) for row in work.funnel] == [
        ("sale", "РН-1", Decimal("10000.00")),
        ("deal", "Монтаж", Decimal("40000.00")),
    ]
    assert work.funnel_total == Decimal("50000.00")


def test_plan_work_without_a_plan_has_no_regular_clients(manager):
    work = plan_work(user=manager, manager=manager, today=TODAY)
    assert work.plan is None and work.regular == []


# --- Tool 1 on a small table -----------------------------------------------------------------------------------

CAMERAS, RECORDERS, INTERCOMS, ACCESS, CABLE = 1, 2, 3, 4, 5
RULES = [(CAMERAS, RECORDERS), (CAMERAS, INTERCOMS), (CAMERAS, ACCESS), (ACCESS, CABLE), (RECORDERS, CABLE)]


def test_a_client_buying_only_cameras_is_offered_recorders_intercoms_and_access_control():
    result = cross_sell([(10, CAMERAS, Decimal("400000"))], RULES)

    assert len(result) == 1
    assert {s.category_id for s in result[0].suggestions} == {RECORDERS, INTERCOMS, ACCESS}
    # each: half of the average monthly camera purchase (400 000 / 4 x 0.5)
    assert all(s.value == Decimal("50000.00") for s in result[0].suggestions)
    assert result[0].value == Decimal("150000.00")


def test_a_complement_bought_in_volume_is_not_suggested_but_a_token_purchase_is():
    rows = [
        (10, CAMERAS, Decimal("300000")),
        (10, RECORDERS, Decimal("100000")),  # 25 per cent: bought in volume
        (10, INTERCOMS, Decimal("1000")),  # 0.25 per cent: below the share, still suggested
    ]
    result = cross_sell(rows, RULES)

    suggested = {s.category_id: s for s in result[0].suggestions}
    assert set(suggested) == {INTERCOMS, ACCESS, CABLE}
    # cable comes from recorders only (access control is not bought): 100 000 / 4 x 0.5
    assert suggested[CABLE].because_of == (RECORDERS,)
    assert suggested[CABLE].value == Decimal("12500.00")
    assert Decimal("1000") / Decimal("401000") < MIN_CATEGORY_SHARE


def test_clients_are_sorted_by_turnover_and_clients_without_a_suggestion_are_left_out():
    rows = [
        (1, CAMERAS, Decimal("10000")),
        (2, CAMERAS, Decimal("90000")),
        (3, INTERCOMS, Decimal("500000")),  # no rule from intercoms
        (4, CAMERAS, Decimal("-5000")),  # only a refund: nothing to offer
    ]
    assert [c.client_id for c in cross_sell(rows, RULES)] == [2, 1]


def test_cross_sell_list_reads_four_full_months_of_the_managers_sales_and_offers_the_best_seller(
    manager, other_manager
):
    cameras = CategoryFactory(name="Камеры")
    recorders = CategoryFactory(name="Регистраторы")
    ComplementRule.objects.create(category=cameras, complement=recorders)
    camera = ProductFactory(category=cameras)
    popular = ProductFactory(category=recorders, name="Регистратор-16")
    ProductFactory(category=recorders, name="Регистратор-4")
    ProductFactory(category=recorders, name="Регистратор старый", is_active=False)
    plan = make_plan(manager, cross_sell_cover=Decimal("227500"))
    big = ClientFactory(owner=manager, name="Большой")
    small = ClientFactory(owner=manager, name="Малый")
    for month in (1, 2, 3, 4):
        SaleLineFactory(client=big, product=camera, date=date(2026, month, 10), amount=Decimal("100000"))
    SaleLineFactory(client=small, product=camera, date=date(2026, 4, 10), amount=Decimal("40000"))
    SaleLineFactory(client=small, product=camera, date=date(2025, 12, 31), amount=Decimal("999999"))  # before window
    SaleLineFactory(client=small, product=camera, date=date(2026, 5, 2), amount=Decimal("999999"))  # plan month
    other = ClientFactory(owner=other_manager)
    SaleLineFactory(client=other, product=popular, date=date(2026, 2, 10), amount=Decimal("70000"))

    tool1 = cross_sell_list(user=manager, manager=manager, month=date(2026, 5, 1))

    assert (tool1.window_start, tool1.window_end) == (date(2026, 1, 1), date(2026, 4, 30))
    assert [(row.client.name, row.category.name, row.value) for row in tool1.rows] == [
        ("Большой", "Регистраторы", Decimal("50000.00")),
        ("Малый", "Регистраторы", Decimal("5000.00")),
    ]
    assert all(row.product == popular for row in tool1.rows)
    assert tool1.plan == plan and tool1.cover == Decimal("227500")
    assert tool1.carried == Decimal("55000.00") and tool1.shortfall == Decimal("172500.00")


# --- Tool 2 ----------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_tool2_groups_items_valid_today_by_kind_in_the_pages_order():
    product = ProductFactory(name="Камера X")
    other = ProductFactory(name="Блок питания")
    FeaturedItem.objects.create(product=product, kind="clearance", valid_from=date(2026, 5, 1))
    FeaturedItem.objects.create(product=other, kind="new", valid_from=date(2026, 5, 13), valid_to=date(2026, 5, 13))
    FeaturedItem.objects.create(product=other, kind="promotion", valid_from=date(2026, 5, 14))  # not yet
    FeaturedItem.objects.create(
        product=product, kind="promotion", valid_from=date(2026, 4, 1), valid_to=date(2026, 5, 12)
    )

    groups = tool2_groups(today=TODAY)

    assert [kind for kind, _label, _items in groups] == ["new", "promotion", "high_motivation", "clearance"]
    names = {kind: [item.product.name for item in items] for kind, _label, items in groups}
    assert names == {"new": ["Блок питания"], "promotion": [], "high_motivation": [], "clearance": ["Камера X"]}
    assert Product.objects.count() == 2
