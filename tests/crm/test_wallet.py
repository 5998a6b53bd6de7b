"""Share of wallet in crm: the client's yearly purchases per category (a row per recording, the latest is current),
its validation, who sees it, the share's rounding and the client card's panel."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from crm.models import ClientCategoryPurchase
from crm.rules.wallet import AmountError, parse_yearly_amount, wallet_share
from crm.selectors.wallet import category_sales_12m, client_wallet_panel, sales_window
from crm.services.wallet import client_category_purchase_record
from tests.crm.factories import CategoryFactory, ClientFactory, ProductFactory, SaleLineFactory

pytestmark = pytest.mark.django_db

CARD = ClientCategoryPurchase.Source.CARD
QUESTIONNAIRE = ClientCategoryPurchase.Source.QUESTIONNAIRE


def record(client, category, amount, on, by, source=CARD):
    return client_category_purchase_record(
        client=client, category=category, yearly_amount=amount, recorded_on=on, source=source, by=by
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1 234 567", Decimal("1234567.00")),
        ("1\u00a0234\u00a0567,5", Decimal("1234567.50")),
        ("3600000 ₽", Decimal("3600000.00")),
        ("0", Decimal("0.00")),
        (Decimal("12.345"), Decimal("12.35")),
        (250, Decimal("250.00")),
    ],
)
def test_amount_parses_as_typed(raw, expected):
    assert parse_yearly_amount(raw) == expected


@pytest.mark.parametrize("raw", ["", "-1", "много", "1e12", "NaN", "Infinity", "1,2,3"])
def test_bad_amount_is_refused(raw):
    with pytest.raises(AmountError):
        parse_yearly_amount(raw)


@pytest.mark.parametrize(
    ("ours", "total", "share"),
    [
        ("1234567", "3600000", 34),  # 34.29 %
        ("1225000", "3500000", 35),  # exactly 35 %
        ("1", "200", 1),  # 0.5 % rounds half up
        ("0", "1000000", 0),
        ("5000000", "4000000", 125),  # the client's figure is too low: kept as is
        ("100", "0", None),
        ("100", None, None),
    ],
)
def test_share_table(ours, total, share):
    assert wallet_share(Decimal(ours), Decimal(total) if total is not None else None) == share


def test_each_recording_is_a_row_and_the_latest_is_current(manager, team_lead):
    client = ClientFactory(owner=manager)
    category = CategoryFactory(name="Щебень")
    other = CategoryFactory(name="Песок")
    record(client, category, "1000000", date(2026, 3, 1), manager)
    record(client, category, "1500000", date(2026, 6, 10), team_lead, source=QUESTIONNAIRE)
    record(client, category, "1200000", date(2026, 5, 1), manager)  # typed later, older date: not current
    record(client, other, "300000", date(2026, 4, 1), manager)
    assert ClientCategoryPurchase.objects.count() == 4
    current = {
        row.category.name: (row.yearly_amount, row.recorded_on, row.source)
        for row in ClientCategoryPurchase.objects.current().filter(client=client)
    }
    assert current == {
        "Щебень": (Decimal("1500000.00"), date(2026, 6, 10), QUESTIONNAIRE),
        "Песок": (Decimal("300000.00"), date(2026, 4, 1), CARD),
    }


def test_same_person_same_day_same_source_corrects_the_row(manager):
    """The questionnaire saves as it is typed: 3, 36, 360 000 on one day are one recording."""
    client = ClientFactory(owner=manager)
    category = CategoryFactory()
    for typed in ["3", "36", "360 000"]:
        row = record(client, category, typed, date(2026, 6, 10), manager, source=QUESTIONNAIRE)
    assert ClientCategoryPurchase.objects.count() == 1
    assert row.yearly_amount == Decimal("360000.00")
    record(client, category, "400000", date(2026, 6, 10), manager, source=CARD)
    assert ClientCategoryPurchase.objects.count() == 2


@pytest.mark.parametrize("raw", ["-5", "abc", ""])
def test_service_refuses_bad_amount_with_the_field(manager, raw):
    client = ClientFactory(owner=manager)
    with pytest.raises(ValidationError) as exc:
        record(client, CategoryFactory(), raw, date(2026, 6, 1), manager)
    assert list(exc.value.message_dict) == ["yearly_amount"]
    assert not ClientCategoryPurchase.objects.exists()


def test_service_refuses_inactive_category_unknown_source_and_strangers(manager, other_manager):
    client = ClientFactory(owner=manager)
    with pytest.raises(ValidationError) as exc:
        record(client, CategoryFactory(is_active=False), "1", date(2026, 6, 1), manager)
    assert list(exc.value.message_dict) == ["category"]
    with pytest.raises(ValidationError):
        record(client, CategoryFactory(), "1", date(2026, 6, 1), manager, source="phone")
    with pytest.raises(PermissionDenied):
        record(client, CategoryFactory(), "1", date(2026, 6, 1), other_manager)
    assert not ClientCategoryPurchase.objects.exists()


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        ("manager", True),
        ("teammate", False),
        ("team_lead", True),
        ("other_manager", False),
        ("head", True),
        ("admin_user", True),
        ("vip_head", True),
        ("base_manager", True),
        ("service_owner", False),
    ],
)
def test_visibility_follows_the_client(request, role, sees, manager):
    client = ClientFactory(owner=manager)
    record(client, CategoryFactory(), "1000", date(2026, 6, 1), manager)
    user = request.getfixturevalue(role)
    assert ClientCategoryPurchase.objects.visible_to(user).exists() is sees


def test_sales_window_is_the_12_full_months_before():
    assert sales_window(date(2026, 6, 15)) == (date(2025, 6, 1), date(2026, 6, 1))


def test_our_12_month_sales_per_category_to_the_rouble(manager):
    client = ClientFactory(owner=manager)
    stone, sand = CategoryFactory(name="Щебень"), CategoryFactory(name="Песок")
    p_stone, p_sand = ProductFactory(category=stone), ProductFactory(category=sand)
    lines = [
        (p_stone, date(2025, 5, 31), "999999.00"),  # before the window
        (p_stone, date(2025, 6, 1), "400000.10"),
        (p_stone, date(2026, 1, 15), "834567.40"),
        (p_stone, date(2026, 6, 1), "777777.00"),  # the meeting's month: after the window
        (p_sand, date(2026, 5, 31), "120000.00"),
        (ProductFactory(category=None), date(2026, 2, 1), "5000.00"),  # no category: left out
    ]
    for product, day, amount in lines:
        SaleLineFactory(client=client, product=product, date=day, amount=Decimal(amount))
    SaleLineFactory(client=ClientFactory(owner=manager), product=p_stone, date=date(2026, 2, 1))  # another client
    assert category_sales_12m(user=manager, client=client, as_of=date(2026, 6, 15)) == {
        stone.pk: Decimal("1234567.50"),
        sand.pk: Decimal("120000.00"),
    }


def test_client_card_shows_the_current_figures(client, manager, django_assert_max_num_queries):
    card_client = ClientFactory(owner=manager)
    stone = CategoryFactory(name="Щебень")
    SaleLineFactory(
        client=card_client, product=ProductFactory(category=stone), date=date(2026, 3, 1), amount=Decimal("1234567")
    )
    record(card_client, stone, "3000000", date(2026, 2, 1), manager)
    record(card_client, stone, "3600000", date(2026, 5, 1), manager)
    lines = client_wallet_panel(manager, card_client, date(2026, 6, 15))
    assert [(line.category, line.total, line.ours, line.share) for line in lines] == [
        ("Щебень", Decimal("3600000.00"), Decimal("1234567.00"), 34)
    ]
    client.force_login(manager)
    page = client.get(reverse("client_detail", args=[card_client.pk])).content.decode()
    assert 'data-testid="client-wallet-line"' in page
    assert "3\u00a0600\u00a0000\u00a0₽" in page


def test_client_card_shows_the_form_without_figures(manager):
    CategoryFactory(name="Щебень")
    panel = client_wallet_panel(manager, ClientFactory(owner=manager), date(2026, 6, 15))
    assert panel is not None and panel.lines == [] and panel.can_record
    assert [c.name for c in panel.categories] == ["Щебень"]


def test_client_card_hides_the_panel_from_who_may_not_record_and_sees_none(manager, other_manager):
    assert client_wallet_panel(other_manager, ClientFactory(owner=manager), date(2026, 6, 15)) is None
