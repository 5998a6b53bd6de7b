"""The client card's form of the client's yearly purchases of a category (source "card")."""

from decimal import Decimal

import pytest
from django.urls import reverse

from crm.models import ClientCategoryPurchase
from tests.crm.factories import CategoryFactory, ClientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def card(manager):
    return ClientFactory(owner=manager), CategoryFactory(name="Щебень")


def test_the_card_shows_the_form_and_saving_records_a_card_figure(client, manager, card):
    target, stone = card
    client.force_login(manager)
    html = client.get(reverse("client_detail", args=[target.pk])).content.decode()
    assert 'data-testid="client-wallet-form"' in html
    response = client.post(
        reverse("client_wallet_record", args=[target.pk]),
        {"category": stone.pk, "yearly_amount": "1 234 567,50", "note": "со слов директора"},
    )
    assert response.status_code == 302 and response["Location"].endswith("#client-wallet")
    row = ClientCategoryPurchase.objects.get(client=target)
    assert (row.yearly_amount, row.source, row.recorded_by, row.note) == (
        Decimal("1234567.50"),
        ClientCategoryPurchase.Source.CARD,
        manager,
        "со слов директора",
    )
    html = client.get(reverse("client_detail", args=[target.pk])).content.decode()
    assert "1\u00a0234\u00a0568\u00a0₽" in html or "1\u00a0234\u00a0567" in html


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"category": "", "yearly_amount": "100"}, "category"),
        ({"category": "999999", "yearly_amount": "100"}, "category"),
        ({"yearly_amount": "много"}, "yearly_amount"),
        ({"yearly_amount": "-5"}, "yearly_amount"),
        ({"yearly_amount": "1e400"}, "yearly_amount"),
        ({"yearly_amount": ""}, "yearly_amount"),
    ],
)
def test_a_bad_figure_is_400_with_the_field_error_and_keeps_what_was_typed(client, manager, card, data, field):
    target, stone = card
    data = {"category": stone.pk, **data}
    client.force_login(manager)
    response = client.post(reverse("client_wallet_record", args=[target.pk]), data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    if data.get("yearly_amount"):
        assert f'value="{data["yearly_amount"]}"' in response.content.decode()
    assert not ClientCategoryPurchase.objects.exists()


def test_a_deactivated_category_is_refused(client, manager, card):
    target, stone = card
    stone.is_active = False
    stone.save()
    client.force_login(manager)
    response = client.post(
        reverse("client_wallet_record", args=[target.pk]), {"category": stone.pk, "yearly_amount": "5"}
    )
    assert response.status_code == 400


def test_someone_elses_client_is_404(client, other_manager, card):
    target, stone = card
    client.force_login(other_manager)
    url = reverse("client_wallet_record", args=[target.pk])
    assert client.post(url, {"category": stone.pk, "yearly_amount": "5"}).status_code == 404
    assert client.get(url).status_code == 404
    assert not ClientCategoryPurchase.objects.exists()


def test_the_form_page_opens(client, manager, card):
    client.force_login(manager)
    assert client.get(reverse("client_wallet_record", args=[card[0].pk])).status_code == 200
