"""Deals through the API: moves with completion data, refused skips and backward moves, payments, loss, deletes."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from crm.models import Deal, DealPayment, DealStageChange
from crm.rules.stages import Stage
from tests.api_errors import field_errors
from tests.conftest import api_as
from tests.crm.factories import (
    ActivityFactory,
    ClientFactory,
    DealFactory,
    LostReasonFactory,
    ProductFactory,
    SegmentFactory,
)

INVOICE = Decimal("480000.00")


def move(user, deal, body):
    return api_as(user).post(f"/api/v1/deals/{deal.pk}/move/", body, format="json")


def pay(user, deal, amount, paid_on="2026-11-20"):
    body = {"amount": amount, "paid_on": paid_on, "document_number": "ПП-1"}
    return api_as(user).post(f"/api/v1/deals/{deal.pk}/payments/", body, format="json")


def invoiced_deal(owner, stage=Stage.CONTRACT, paid=Decimal("0")):
    return DealFactory(
        client=ClientFactory(owner=owner),
        stage=stage,
        contract_number="Д-17",
        contract_date=date(2026, 11, 5),
        invoice_number="С-99",
        invoice_date=date(2026, 11, 5),
        invoice_amount=INVOICE,
        paid_amount=paid,
    )


def test_a_forward_move_with_the_completion_data_in_the_payload_succeeds_and_is_recorded(manager):
    deal = DealFactory(client=ClientFactory(owner=manager))

    response = move(manager, deal, {"stage": "market", "plan_month": "2026-12-15"})

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["stage"], body["plan_month"], body["stage_number"]) == ("market", "2026-12-01", 2)
    assert body["stage_display"] == str(Stage.MARKET.label)
    change = DealStageChange.objects.get(deal=deal, to_stage="market")
    assert (change.from_stage, change.by, change.is_backward) == ("goal", manager, False)


def test_a_proposal_move_parses_amounts_and_dates_and_shows_money_as_strings(manager):
    deal = DealFactory(client=ClientFactory(owner=manager), stage=Stage.PROPOSAL)
    body = {
        "stage": "repeat_meeting",
        "proposal_amount": "500000.50",
        "proposal_document": "КП-12",
        "proposal_sent_on": "2026-11-01",
    }

    response = move(manager, deal, body)

    assert response.status_code == 200, response.content
    assert response.json()["proposal_amount"] == "500000.50"
    deal.refresh_from_db()
    assert (deal.proposal_amount, deal.proposal_sent_on) == (Decimal("500000.50"), date(2026, 11, 1))


def test_a_move_without_the_completion_data_is_400_under_the_missing_field(manager):
    deal = DealFactory(client=ClientFactory(owner=manager), stage=Stage.PROPOSAL)

    response = move(manager, deal, {"stage": "repeat_meeting", "proposal_amount": "500000"})

    assert response.status_code == 400
    assert set(field_errors(response)) == {"proposal_document", "proposal_sent_on"}
    deal.refresh_from_db()
    assert (deal.stage, deal.proposal_amount) == (Stage.PROPOSAL, None)


def test_a_skip_is_400_with_a_readable_message_under_stage(manager):
    deal = DealFactory(client=ClientFactory(owner=manager), plan_month=date(2026, 12, 1))

    response = move(manager, deal, {"stage": "prospect_list"})

    assert response.status_code == 400
    assert str(Stage.MARKET.label) in field_errors(response)["stage"][0]
    deal.refresh_from_db()
    assert deal.stage == Stage.GOAL


def test_a_backward_move_by_a_manager_is_refused(manager):
    deal = DealFactory(client=ClientFactory(owner=manager), stage=Stage.MARKET)

    response = move(manager, deal, {"stage": "goal", "reason": "ошибся"})

    assert response.status_code == 400
    assert "stage" in field_errors(response)
    deal.refresh_from_db()
    assert deal.stage == Stage.MARKET


def test_the_head_moves_a_deal_back_with_a_reason(head, manager):
    deal = DealFactory(client=ClientFactory(owner=manager), stage=Stage.MARKET)

    without_reason = move(head, deal, {"stage": "goal"})
    with_reason = move(head, deal, {"stage": "goal", "reason": "Сегмент выбран неверно"})

    assert without_reason.status_code == 400
    assert "reason" in field_errors(without_reason)
    assert with_reason.status_code == 200
    assert with_reason.json()["stage"] == "goal"
    change = DealStageChange.objects.get(deal=deal, to_stage="goal")
    assert (change.is_backward, change.reason, change.by) == (True, "Сегмент выбран неверно", head)


def test_leaving_payment_without_full_payment_is_400(manager):
    deal = invoiced_deal(manager, stage=Stage.PAYMENT, paid=Decimal("100000.00"))

    response = move(manager, deal, {"stage": "fulfilment"})

    assert response.status_code == 400
    assert "payments" in field_errors(response)
    deal.refresh_from_db()
    assert deal.stage == Stage.PAYMENT


def test_partial_payments_add_up_and_then_the_deal_leaves_payment(manager):
    deal = invoiced_deal(manager, stage=Stage.PAYMENT)

    first = pay(manager, deal, "200000.00")
    second = pay(manager, deal, "280000.00", paid_on="2026-11-25")
    moved = move(manager, deal, {"stage": "fulfilment"})

    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json()["amount"] == "200000.00"
    deal.refresh_from_db()
    assert deal.paid_amount == INVOICE
    assert DealPayment.objects.filter(deal=deal).count() == 2
    assert moved.status_code == 200, moved.content
    assert (moved.json()["stage"], moved.json()["paid_amount"], moved.json()["amount_due"]) == (
        "fulfilment",
        "480000.00",
        "0.00",
    )


@pytest.mark.parametrize(
    ("amount", "field"),
    [("480000.01", "amount"), ("-5.00", "amount"), ("0", "amount"), ("много", "amount")],
)
def test_an_overpayment_a_negative_or_a_non_numeric_amount_is_400(manager, amount, field):
    deal = invoiced_deal(manager)

    response = pay(manager, deal, amount)

    assert response.status_code == 400
    assert field in field_errors(response)
    assert DealPayment.objects.count() == 0


def test_a_payment_with_a_bad_date_or_without_fields_is_400_under_each_field(manager):
    deal = invoiced_deal(manager)

    bad_date = pay(manager, deal, "100.00", paid_on="31.11.2026")
    empty = api_as(manager).post(f"/api/v1/deals/{deal.pk}/payments/", {}, format="json")

    assert bad_date.status_code == 400
    assert set(field_errors(bad_date)) == {"paid_on"}
    assert empty.status_code == 400
    assert set(field_errors(empty)) == {"amount", "paid_on"}


def test_losing_a_deal_needs_a_reason_from_the_list(manager):
    deal = DealFactory(client=ClientFactory(owner=manager), stage=Stage.PROPOSAL)
    reason = LostReasonFactory(name="Дорого")
    url = f"/api/v1/deals/{deal.pk}/lose/"
    api = api_as(manager)

    missing = api.post(url, {"note": "ушли к конкуренту"}, format="json")
    unknown = api.post(url, {"reason": 999999}, format="json")
    lost = api.post(url, {"reason": reason.pk, "note": "ушли к конкуренту"}, format="json")

    assert (missing.status_code, unknown.status_code) == (400, 400)
    assert "reason" in field_errors(missing)
    assert "reason" in field_errors(unknown)
    assert lost.status_code == 200
    assert (lost.json()["stage"], lost.json()["lost_reason"], lost.json()["lost_from_stage"]) == (
        "lost",
        reason.pk,
        "proposal",
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"stage": "nonsense"}, "stage"),
        ({}, "stage"),
        ({"stage": "market", "plan_month": "2026-13-01"}, "plan_month"),
        ({"stage": "market", "plan_month": "вчера"}, "plan_month"),
        ({"stage": "market", "invoice_amount": "-1"}, "invoice_amount"),
        ({"stage": "market", "needs": "не на этом этапе"}, "needs"),
        ({"stage": "lost"}, "stage"),
    ],
)
def test_a_bad_move_payload_is_400_under_its_field_and_changes_nothing(manager, body, field):
    deal = DealFactory(client=ClientFactory(owner=manager))

    response = move(manager, deal, body)

    assert response.status_code == 400
    assert field in field_errors(response)
    deal.refresh_from_db()
    assert (deal.stage, deal.plan_month, deal.needs) == (Stage.GOAL, None, "")


def test_malformed_json_is_400(manager):
    deal = DealFactory(client=ClientFactory(owner=manager))

    response = api_as(manager).post(
        f"/api/v1/deals/{deal.pk}/move/", data='{"stage": "market",', content_type="application/json"
    )

    assert response.status_code == 400


def test_history_lists_every_stage_change_in_order(manager):
    deal = DealFactory(client=ClientFactory(owner=manager))
    at = datetime(2026, 11, 1, tzinfo=UTC)
    DealStageChange.objects.create(deal=deal, from_stage="", to_stage="goal", by=manager, at=at)
    move(manager, deal, {"stage": "market", "plan_month": "2026-12-01"})

    response = api_as(manager).get(f"/api/v1/deals/{deal.pk}/history/")

    assert response.status_code == 200
    assert [(row["from_stage"], row["to_stage"]) for row in response.json()] == [(None, "goal"), ("goal", "market")]


def test_a_manager_opens_a_deal_with_products_and_becomes_its_owner(manager):
    client = ClientFactory(owner=manager)
    camera = ProductFactory(price=Decimal("1500.00"))
    body = {"client": client.pk, "title": "Камеры", "products": [{"product": camera.pk, "quantity": "3"}]}

    response = api_as(manager).post("/api/v1/deals/", body, format="json")

    assert response.status_code == 201, response.content
    created = response.json()
    assert (created["owner"], created["stage"], created["amount"]) == (manager.pk, "goal", "4500.00")
    assert created["products"][0]["amount"] == "4500.00"
    assert created["client_name"] == client.name


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": "Без клиента"}, "client"),
        ({"client": "other", "title": "Чужой клиент"}, "client"),
        ({"client": "own", "title": "Минус", "amount": "-100"}, "amount"),
        ({"client": "own"}, "title"),
        ({"client": "own", "title": "Дата", "expected_close_date": "2026-02-30"}, "expected_close_date"),
    ],
)
def test_a_bad_deal_is_400_under_its_field(manager, other_manager, body, field):
    clients = {"own": ClientFactory(owner=manager).pk, "other": ClientFactory(owner=other_manager).pk}
    body = {**body, **({"client": clients[body["client"]]} if "client" in body else {})}

    response = api_as(manager).post("/api/v1/deals/", body, format="json")

    assert response.status_code == 400
    assert field in field_errors(response)
    assert Deal.objects.count() == 0


@pytest.mark.parametrize("role", ["vip_head", "base_manager"])
def test_the_vip_head_and_the_base_manager_may_not_open_deals(request, role, manager):
    client = ClientFactory(owner=manager)

    response = api_as(request.getfixturevalue(role)).post(
        "/api/v1/deals/", {"client": client.pk, "title": "Сделка"}, format="json"
    )

    assert response.status_code == 403
    assert Deal.objects.count() == 0


def test_a_manager_may_not_give_his_deal_to_someone_else_but_may_rename_it(manager, other_manager):
    deal = DealFactory(client=ClientFactory(owner=manager))
    api = api_as(manager)

    renamed = api.patch(f"/api/v1/deals/{deal.pk}/", {"title": "Новое имя"}, format="json")
    given = api.patch(f"/api/v1/deals/{deal.pk}/", {"owner": other_manager.pk}, format="json")

    assert renamed.status_code == 200
    assert renamed.json()["title"] == "Новое имя"
    assert given.status_code == 400
    assert "owner" in field_errors(given)
    deal.refresh_from_db()
    assert deal.owner == manager


def test_only_the_head_deletes_a_deal_and_only_one_without_payments(manager, head):
    deal = DealFactory(client=ClientFactory(owner=manager))
    paid = invoiced_deal(manager, stage=Stage.PAYMENT)
    pay(manager, paid, "1000.00")

    by_manager = api_as(manager).delete(f"/api/v1/deals/{deal.pk}/")
    with_payments = api_as(head).delete(f"/api/v1/deals/{paid.pk}/")
    by_head = api_as(head).delete(f"/api/v1/deals/{deal.pk}/")

    assert by_manager.status_code == 403
    assert with_payments.status_code == 400
    assert "non_field_errors" in field_errors(with_payments)
    assert by_head.status_code == 204
    assert list(Deal.objects.values_list("pk", flat=True)) == [paid.pk]


def test_deals_filter_by_stage_owner_client_and_team(manager, other_manager, head):
    mine = DealFactory(client=ClientFactory(owner=manager), stage=Stage.PROPOSAL)
    theirs = DealFactory(client=ClientFactory(owner=other_manager))
    api = api_as(head)

    def listed(query):
        response = api.get(f"/api/v1/deals/?{query}")
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    assert listed("stage=proposal") == {mine.pk}
    assert listed("stage=proposal&stage=goal") == {mine.pk, theirs.pk}
    assert listed(f"owner={other_manager.pk}") == {theirs.pk}
    assert listed(f"client={mine.client_id}") == {mine.pk}
    assert listed(f"team={manager.team_id}") == {mine.pk}


def test_deals_without_an_open_task_and_with_an_overdue_task_are_findable(manager):
    now = timezone.now()
    no_task = DealFactory(client=ClientFactory(owner=manager))
    overdue = DealFactory(client=ClientFactory(owner=manager))
    on_time = DealFactory(client=ClientFactory(owner=manager))
    ActivityFactory(client=overdue.client, deal=overdue, kind="task", due_at=now - timedelta(days=1), done_at=None)
    ActivityFactory(client=on_time.client, deal=on_time, kind="task", due_at=now + timedelta(days=1), done_at=None)
    api = api_as(manager)

    without = api.get("/api/v1/deals/?no_open_task=true").json()["results"]
    late = api.get("/api/v1/deals/?overdue_task=true").json()["results"]
    everything = api.get("/api/v1/deals/?no_open_task=false").json()["results"]

    assert {row["id"] for row in without} == {no_task.pk}
    assert {row["id"] for row in late} == {overdue.pk}
    assert len(everything) == 3


@pytest.mark.parametrize(
    "query",
    [
        "stage=nonsense",
        "owner=abc",
        "client=1.5.6",
        "team=x",
        "no_open_task=maybe",
        "overdue_task=2",
        "updated_since=yesterday",
        "updated_since=2026-13-01T00:00:00Z",
    ],
)
def test_a_bad_deal_filter_value_is_400(manager, query):
    DealFactory(client=ClientFactory(owner=manager))

    response = api_as(manager).get(f"/api/v1/deals/?{query}")

    assert response.status_code == 400
    assert query.split("=")[0] in field_errors(response)


def test_moving_through_market_checks_the_clients_segment(manager):
    client = ClientFactory(owner=manager)
    deal = DealFactory(client=client, stage=Stage.MARKET)

    refused = move(manager, deal, {"stage": "prospect_list"})
    client.segment = SegmentFactory(name="Строительство")
    client.save()
    allowed = move(manager, deal, {"stage": "prospect_list"})

    assert refused.status_code == 400
    assert "segment" in field_errors(refused)
    assert allowed.status_code == 200


def test_patching_products_replaces_the_lines_and_the_amount_follows(manager):
    deal = DealFactory(client=ClientFactory(owner=manager), amount=Decimal("1.00"))
    cable = ProductFactory(price=Decimal("100.00"))
    body = {"products": [{"product": cable.pk, "quantity": "2.5", "price": "90.10"}], "invoice_amount": "225.25"}

    response = api_as(manager).patch(f"/api/v1/deals/{deal.pk}/", body, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["amount"] == "225.25"
    assert response.json()["invoice_amount"] == "225.25"
    assert [(p["product"], p["quantity"], p["amount"]) for p in response.json()["products"]] == [
        (cable.pk, "2.500", "225.25")
    ]
