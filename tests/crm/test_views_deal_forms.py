"""The new-deal page and the deal's edit page: lines, amounts, owners by role, the invoice rule, stale edits."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from crm.models import ChangeLog, Deal, DealProduct, DealStageChange
from crm.rules.stages import Stage
from crm.services.deals import deal_update
from tests.crm.factories import ClientFactory, DealFactory, ProductFactory, UserFactory


def lines_data(*lines, total=None, initial=0):
    """The formset's fields: `lines` as (product, quantity, price) tuples."""
    data = {
        "lines-TOTAL_FORMS": str(total if total is not None else len(lines)),
        "lines-INITIAL_FORMS": str(initial),
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "100",
    }
    for index, (product, quantity, price) in enumerate(lines):
        data[f"lines-{index}-product"] = str(product.pk) if product else ""
        data[f"lines-{index}-quantity"] = quantity
        data[f"lines-{index}-price"] = price
    return data


def new_deal(client_obj, *lines, **fields):
    return {"client": str(client_obj.pk), "title": "Поставка щебня", "amount": "", **fields, **lines_data(*lines)}


def edit_data(deal, *lines, **fields):
    data = {
        "title": deal.title,
        "amount": str(deal.amount),
        "expected_close_date": deal.expected_close_date.isoformat() if deal.expected_close_date else "",
        "revision": str(deal.revision),
        **lines_data(*lines),
    }
    data.update(fields)
    return data


def deal_log(deal):
    return ChangeLog.objects.filter(content_type=ContentType.objects.get_for_model(Deal), object_id=deal.pk)


# --- creating --------------------------------------------------------------------------------------------------------


def test_a_manager_opens_a_deal_with_two_products_and_the_amount_is_their_total(client, manager):
    own = ClientFactory(owner=manager)
    gravel, sand = ProductFactory(name="Щебень", price=Decimal("1500.00")), ProductFactory(name="Песок")
    client.force_login(manager)

    response = client.post(
        reverse("deal_create"),
        new_deal(own, (gravel, "2", ""), (sand, "1,5", "1 000,50"), expected_close_date="2026-11-22"),
    )

    deal = Deal.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("deal_detail", args=[deal.pk])
    lines = {(line.product.name, line.quantity, line.price) for line in deal.lines.select_related("product")}
    assert lines == {("Щебень", Decimal("2"), Decimal("1500.00")), ("Песок", Decimal("1.5"), Decimal("1000.50"))}
    assert deal.amount == Decimal("3000.00") + Decimal("1500.75")
    assert (deal.owner, deal.client, deal.stage, deal.expected_close_date) == (
        manager,
        own,
        Stage.GOAL,
        date(2026, 11, 22),
    )
    assert DealStageChange.objects.filter(deal=deal, to_stage=Stage.GOAL).exists()
    created = deal_log(deal).get(action=ChangeLog.Action.CREATE)
    assert "Щебень" in created.changes["products"][1]


def test_a_deal_without_products_keeps_the_amount_typed(client, manager):
    own = ClientFactory(owner=manager)
    client.force_login(manager)

    client.post(reverse("deal_create"), new_deal(own, amount="150 000 ₽"))

    assert Deal.objects.get().amount == Decimal("150000")


def test_the_page_from_the_card_has_the_client_chosen_and_shows_the_first_stage_probability(client, manager):
    own = ClientFactory(owner=manager, name="ООО Свой")
    client.force_login(manager)

    response = client.get(reverse("deal_create"), {"client": own.pk})

    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["form"]["client"].value() == own.pk
    assert "owner" not in response.context["form"].fields
    assert 'data-testid="deal-stage-probability"' in html and f"{response.context['probability']} %" in html


@pytest.mark.parametrize("value", ["999999", "abc", "1e400", "²"])
def test_a_client_that_is_not_the_users_or_not_an_id_answers_404(client, manager, other_manager, value):
    foreign = ClientFactory(owner=other_manager)
    client.force_login(manager)

    assert client.get(reverse("deal_create"), {"client": foreign.pk}).status_code == 404
    assert client.get(reverse("deal_create"), {"client": value}).status_code == 404
    assert client.post(reverse("deal_create") + f"?client={foreign.pk}", new_deal(foreign)).status_code == 404


def test_a_manager_cannot_open_a_deal_on_anothers_client_nor_for_another(client, manager, other_manager):
    own, foreign = ClientFactory(owner=manager), ClientFactory(owner=other_manager)
    client.force_login(manager)

    refused = client.post(reverse("deal_create"), new_deal(foreign))
    own_deal = client.post(reverse("deal_create"), new_deal(own, owner=str(other_manager.pk)))

    assert refused.status_code == 400 and "client" in refused.context["form"].errors
    assert own_deal.status_code == 302
    assert list(Deal.objects.values_list("client", "owner")) == [(own.pk, manager.pk)]


def test_a_team_lead_gives_a_deal_to_a_teammate_only(client, team_lead, teammate, other_manager):
    mate_client = ClientFactory(owner=teammate)
    client.force_login(team_lead)

    choices = set(client.get(reverse("deal_create")).context["form"].fields["owner"].queryset)
    refused = client.post(reverse("deal_create"), new_deal(mate_client, owner=str(other_manager.pk)))
    given = client.post(reverse("deal_create"), new_deal(mate_client, owner=""))

    assert teammate in choices and other_manager not in choices
    assert refused.status_code == 400 and "owner" in refused.context["form"].errors
    assert given.status_code == 302 and Deal.objects.get().owner == teammate


def test_the_head_opens_a_deal_for_the_clients_manager(client, head, other_manager):
    foreign = ClientFactory(owner=other_manager)
    client.force_login(head)

    client.post(reverse("deal_create"), new_deal(foreign))

    assert Deal.objects.get().owner == other_manager


def test_roles_without_deals_get_403(client, vip_head, service_owner, base_manager):
    for user in (vip_head, service_owner, base_manager):
        client.force_login(user)
        assert client.get(reverse("deal_create")).status_code == 403


@pytest.mark.parametrize(
    ("fields", "lines", "where"),
    [
        ({"title": ""}, (), "title"),
        ({"amount": "-5"}, (), "amount"),
        ({"amount": "много"}, (), "amount"),
        ({"expected_close_date": "31.02.2026"}, (), "expected_close_date"),
        ({}, ((None, "1", "100"),), "product"),
        ({}, (("gravel", "0", ""),), "quantity"),
        ({}, (("gravel", "два", ""),), "quantity"),
        ({}, (("gravel", "1", "-1"),), "price"),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_keeping_what_was_typed(client, manager, fields, lines, where):
    own = ClientFactory(owner=manager)
    gravel = ProductFactory()
    lines = tuple((gravel if product == "gravel" else None, quantity, price) for product, quantity, price in lines)
    client.force_login(manager)

    response = client.post(reverse("deal_create"), new_deal(own, *lines, **{"title": "Моя сделка", **fields}))

    form, formset = response.context["form"], response.context["lines"]
    errors = set(form.errors) | {name for line in formset.forms for name in line.errors}
    assert response.status_code == 400
    assert where in errors
    assert form["title"].value() == fields.get("title", "Моя сделка")
    assert not Deal.objects.exists()


def test_a_broken_formset_is_a_400_not_a_500(client, manager):
    own = ClientFactory(owner=manager)
    client.force_login(manager)
    data = new_deal(own)
    broken = {**data, "lines-TOTAL_FORMS": "1000000000"}
    missing = {k: v for k, v in data.items() if not k.startswith("lines-")}

    assert client.post(reverse("deal_create"), broken).status_code == 400
    assert client.post(reverse("deal_create"), missing).status_code == 400
    assert not Deal.objects.exists()


def test_the_new_deal_page_takes_the_same_few_queries_however_many_products(
    client, head, django_assert_max_num_queries
):
    for n in range(3):
        UserFactory(username=f"seller{n}")
    ClientFactory.create_batch(3)
    ProductFactory.create_batch(30)
    client.force_login(head)

    with django_assert_max_num_queries(9):
        response = client.get(reverse("deal_create"))

    assert response.status_code == 200
    assert len(response.context["lines"].forms) == 3


# --- editing ---------------------------------------------------------------------------------------------------------


def test_the_owner_edits_the_amount_close_date_and_products_and_the_log_says_so(client, manager):
    deal = DealFactory(client=ClientFactory(owner=manager), amount=Decimal("100"), expected_close_date=None)
    old, new = ProductFactory(name="Старый"), ProductFactory(name="Новый", price=Decimal("700"))
    DealProduct.objects.create(deal=deal, product=old, quantity=1, price=Decimal("100"))
    client.force_login(manager)
    page = client.get(reverse("deal_update", args=[deal.pk]))

    response = client.post(
        reverse("deal_update", args=[deal.pk]),
        edit_data(deal, (new, "3", ""), expected_close_date="2026-12-01", title="Сделка-2"),
    )

    deal.refresh_from_db()
    assert page.status_code == 200 and len(page.context["lines"].initial) == 1
    assert response.status_code == 302
    assert (deal.title, deal.amount, deal.expected_close_date) == ("Сделка-2", Decimal("2100.00"), date(2026, 12, 1))
    assert [(line.product, line.quantity) for line in deal.lines.all()] == [(new, Decimal("3"))]
    log = deal_log(deal).get(action=ChangeLog.Action.UPDATE)
    assert "Старый" in log.changes["products"][0] and "Новый" in log.changes["products"][1]
    assert log.changes["amount"] == ["100.00", "2100.00"]


def test_removing_every_line_keeps_the_amount_typed(client, manager):
    deal = DealFactory(client=ClientFactory(owner=manager))
    product = ProductFactory()
    DealProduct.objects.create(deal=deal, product=product, quantity=1, price=Decimal("100"))
    client.force_login(manager)
    data = edit_data(deal, (product, "1", "100"), amount="5000")
    data["lines-0-DELETE"] = "on"

    client.post(reverse("deal_update", args=[deal.pk]), data)

    deal.refresh_from_db()
    assert (deal.amount, deal.lines.count()) == (Decimal("5000"), 0)


def test_the_stage_cannot_be_changed_from_the_edit_page(client, manager):
    deal = DealFactory(client=ClientFactory(owner=manager))
    client.force_login(manager)

    client.post(reverse("deal_update", args=[deal.pk]), edit_data(deal, stage=Stage.CONTRACT))

    deal.refresh_from_db()
    assert deal.stage == Stage.GOAL


def contracted(owner):
    return DealFactory(
        client=ClientFactory(owner=owner),
        stage=Stage.PAYMENT,
        invoice_amount=Decimal("500000.00"),
        amount=Decimal("500000.00"),
    )


def test_after_the_contract_a_manager_cannot_change_the_invoice_amount(client, manager):
    deal = contracted(manager)
    client.force_login(manager)

    response = client.post(reverse("deal_update", args=[deal.pk]), edit_data(deal, invoice_amount="400000"))

    deal.refresh_from_db()
    assert response.status_code == 400
    assert "invoice_amount" in response.context["form"].errors
    assert response.context["form"]["invoice_amount"].value() == "400000"
    assert deal.invoice_amount == Decimal("500000.00")


def test_after_the_contract_the_head_changes_the_invoice_amount_only_with_a_reason(client, head, manager):
    deal = contracted(manager)
    client.force_login(head)

    without = client.post(reverse("deal_update", args=[deal.pk]), edit_data(deal, invoice_amount="400000"))
    deal.refresh_from_db()
    with_reason = client.post(
        reverse("deal_update", args=[deal.pk]),
        edit_data(deal, invoice_amount="400000", invoice_reason="Скидка по письму"),
    )

    deal.refresh_from_db()
    assert without.status_code == 400 and "invoice_reason" in without.context["form"].errors
    assert with_reason.status_code == 302
    assert deal.invoice_amount == Decimal("400000")
    assert deal_log(deal).get(action=ChangeLog.Action.UPDATE).changes["invoice_reason"] == [None, "Скидка по письму"]


def test_before_the_contract_the_edit_form_has_no_invoice_field(client, manager):
    deal = DealFactory(client=ClientFactory(owner=manager))
    client.force_login(manager)

    form = client.get(reverse("deal_update", args=[deal.pk])).context["form"]

    assert "invoice_amount" not in form.fields and "invoice_reason" not in form.fields


def test_a_stale_edit_says_who_changed_the_deal_and_keeps_what_was_typed(client, manager, head):
    deal = DealFactory(client=ClientFactory(owner=manager), amount=Decimal("100"))
    opened = edit_data(deal, amount="200")
    deal_update(deal=deal, by=head, data={"amount": Decimal("300")})
    client.force_login(manager)

    response = client.post(reverse("deal_update", args=[deal.pk]), opened)

    deal.refresh_from_db()
    form = response.context["form"]
    assert response.status_code == 400
    assert str(head) in " ".join(form.non_field_errors())
    assert form["amount"].value() == "200" and form["revision"].value() == str(deal.revision)
    assert deal.amount == Decimal("300")


def test_anothers_deal_answers_404_and_the_roles_see_what_they_may(
    client, manager, other_manager, teammate, team_lead, head, admin_user, vip_head, service_owner, base_manager
):
    deal = DealFactory(client=ClientFactory(owner=manager))
    url = reverse("deal_update", args=[deal.pk])
    expected = {
        manager: 200,
        team_lead: 200,
        head: 200,
        admin_user: 200,
        other_manager: 404,
        teammate: 404,
        vip_head: 403,
        service_owner: 403,
        base_manager: 403,
    }
    seen, refused = {}, {}
    for user, status in expected.items():
        client.force_login(user)
        seen[user] = client.get(url).status_code
        if status != 200:
            refused[user] = client.post(url, edit_data(deal, title="Чужая")).status_code
    client.force_login(team_lead)
    by_lead = client.post(url, edit_data(deal, title="Лида"))

    deal.refresh_from_db()
    assert seen == expected
    assert refused == {user: status for user, status in expected.items() if status != 200}
    assert by_lead.status_code == 302 and deal.title == "Лида"


def test_the_edit_page_takes_the_same_few_queries_however_many_lines(client, manager, django_assert_max_num_queries):
    deal = DealFactory(client=ClientFactory(owner=manager))
    for _n in range(10):
        DealProduct.objects.create(deal=deal, product=ProductFactory(), quantity=1, price=Decimal("10"))
    client.force_login(manager)

    with django_assert_max_num_queries(10):
        response = client.get(reverse("deal_update", args=[deal.pk]))

    assert response.status_code == 200 and len(response.context["lines"].forms) == 12


def test_the_card_links_its_client_and_offers_edit_and_the_board_offers_a_new_deal(client, manager):
    deal = DealFactory(client=ClientFactory(owner=manager))
    client.force_login(manager)

    card = client.get(reverse("deal_detail", args=[deal.pk])).content.decode()
    board = client.get(reverse("board")).content.decode()
    client_card = client.get(reverse("client_detail", args=[deal.client_id])).content.decode()

    assert reverse("client_detail", args=[deal.client_id]) in card
    assert reverse("deal_update", args=[deal.pk]) in card
    assert 'data-testid="board-new-deal"' in board
    assert f"{reverse('deal_create')}?client={deal.client_id}" in client_card
