"""The 14-stage pipeline: every allowed move, every refused one, and what each gate asks for."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from crm.models import Activity, ContactPerson, Deal, DealStageChange, StageProbability
from crm.rules.stages import OPEN_STAGES, ORDER, PIPELINE, WON_STAGES, Stage, next_stage
from crm.services.deals import (
    GATES,
    deal_create,
    deal_lose,
    deal_move_stage,
    deal_register_payment,
)
from tests.crm.factories import ClientFactory, LostReasonFactory, SegmentFactory

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def fill_stage(deal: Deal, stage: str) -> None:
    """Record what DOMAIN.md section 2 says makes `stage` done."""
    client = deal.client
    if stage == Stage.GOAL:
        deal.plan_month = date(2026, 12, 1)
    elif stage == Stage.MARKET:
        client.segment = SegmentFactory(name="Строительство")
        client.save()
    elif stage == Stage.PROSPECT_LIST:
        assert client.owner_id == deal.owner_id
    elif stage == Stage.SOURCE:
        client.source, client.phone, client.email = "cold", "+74951234567", "info@example.ru"
        client.address = "г. Москва, ул. Ленина, д. 1"
        client.save()
    elif stage == Stage.FIRST_CONTACT:
        ContactPerson.objects.create(client=client, full_name="Иванов Иван", decision_role="decision_maker")
        Activity.objects.create(
            kind="call", client=client, deal=deal, owner=deal.owner, subject="Звонок ЛПР", done_at=NOW
        )
    elif stage == Stage.MEETING_PREP:
        Activity.objects.create(
            kind="meeting", client=client, deal=deal, owner=deal.owner, subject="Встреча", due_at=NOW
        )
        deal.meeting_prep_note = "Узнать объёмы закупок"
    elif stage == Stage.FIRST_MEETING:
        deal.activities.filter(kind="meeting").update(done_at=NOW)
        deal.needs = "Камеры на 3 объекта"
    elif stage == Stage.PROPOSAL:
        deal.proposal_amount, deal.proposal_sent_on = Decimal("500000"), date(2026, 11, 1)
        deal.proposal_document = "КП-12"
    elif stage == Stage.REPEAT_MEETING:
        deal.agreed_amount, deal.payment_terms = Decimal("480000"), "50 % предоплата"
    elif stage == Stage.CONTRACT:
        deal.contract_number, deal.contract_date = "Д-17", date(2026, 11, 5)
        deal.invoice_number, deal.invoice_date, deal.invoice_amount = "С-99", date(2026, 11, 5), Decimal("480000")
    elif stage == Stage.PAYMENT:
        deal.paid_amount = deal.invoice_amount
    elif stage == Stage.FULFILMENT:
        deal.fulfilled_on = date(2026, 11, 20)
    elif stage == Stage.CLOSING:
        deal.closing_document_number, deal.closing_signed_on = "УПД-5", date(2026, 11, 21)
    deal.save()


def deal_at(stage: str, owner, *, complete: bool) -> Deal:
    """A deal standing at `stage`, with every earlier stage done (and this one too when `complete`)."""
    client = ClientFactory(owner=owner, email="", phone="", address="", source="")
    deal = Deal.objects.create(
        client=client, owner=owner, title="Видеонаблюдение", stage=stage, amount=Decimal("480000")
    )
    done_through = ORDER[stage] if complete else ORDER[stage] - 1
    for code in PIPELINE[:done_through]:
        fill_stage(deal, code)
    deal.refresh_from_db()
    return deal


def error_fields(exc: ValidationError) -> set[str]:
    return set(exc.message_dict)


@pytest.mark.parametrize("stage", PIPELINE[:-1])
def test_a_done_stage_moves_to_the_next_and_records_who_when_from_to(stage, manager):
    deal = deal_at(stage, manager, complete=True)
    target = next_stage(stage)

    moved = deal_move_stage(deal=deal, to_stage=target, by=manager, now=NOW)

    assert moved.stage == target
    change = DealStageChange.objects.get(deal=deal)
    assert (change.from_stage, change.to_stage, change.by, change.at, change.is_backward) == (
        stage,
        target,
        manager,
        NOW,
        False,
    )
    assert moved.probability == StageProbability.objects.get(stage=target).probability


@pytest.mark.parametrize(
    ("stage", "missing"),
    [
        (Stage.GOAL, {"plan_month"}),
        (Stage.MARKET, {"segment"}),
        (Stage.SOURCE, {"source", "phone", "email", "address"}),
        (Stage.FIRST_CONTACT, {"decision_maker", "activity"}),
        (Stage.MEETING_PREP, {"meeting", "meeting_prep_note"}),
        (Stage.FIRST_MEETING, {"meeting", "needs"}),
        (Stage.PROPOSAL, {"proposal_amount", "proposal_document", "proposal_sent_on"}),
        (Stage.REPEAT_MEETING, {"agreed_amount", "payment_terms"}),
        (Stage.CONTRACT, {"contract_number", "contract_date", "invoice_number", "invoice_date", "invoice_amount"}),
        (Stage.PAYMENT, {"payments"}),
        (Stage.FULFILMENT, {"fulfilled_on"}),
        (Stage.CLOSING, {"closing_document_number", "closing_signed_on"}),
    ],
)
def test_an_unfinished_stage_refuses_the_move_and_names_what_is_missing(stage, missing, manager):
    deal = deal_at(stage, manager, complete=False)

    with pytest.raises(ValidationError) as exc:
        deal_move_stage(deal=deal, to_stage=next_stage(stage), by=manager, now=NOW)

    assert error_fields(exc.value) == missing
    deal.refresh_from_db()
    assert deal.stage == stage
    assert not DealStageChange.objects.filter(deal=deal).exists()


def test_every_stage_but_the_last_has_a_gate():
    assert set(GATES) == set(PIPELINE[:-1])


def test_prospect_list_gate_refuses_a_client_worked_by_another_manager(manager, other_manager):
    deal = deal_at(Stage.PROSPECT_LIST, manager, complete=True)
    deal.client.owner = other_manager
    deal.client.save()

    with pytest.raises(ValidationError) as exc:
        deal_move_stage(deal=deal, to_stage=Stage.SOURCE, by=manager, now=NOW)

    assert str(other_manager) in exc.value.message_dict["client"][0]


def test_completion_data_can_come_with_the_move(manager):
    deal = deal_at(Stage.CONTRACT, manager, complete=False)

    moved = deal_move_stage(
        deal=deal,
        to_stage=Stage.PAYMENT,
        by=manager,
        now=NOW,
        data={
            "contract_number": "Д-1",
            "contract_date": date(2026, 11, 2),
            "invoice_number": "С-1",
            "invoice_date": date(2026, 11, 2),
            "invoice_amount": Decimal("100000.00"),
        },
    )

    assert (moved.stage, moved.contract_number, moved.invoice_amount) == (Stage.PAYMENT, "Д-1", Decimal("100000.00"))


def test_fields_of_another_stage_are_refused_with_the_move(manager):
    deal = deal_at(Stage.PROPOSAL, manager, complete=True)

    with pytest.raises(ValidationError) as exc:
        deal_move_stage(deal=deal, to_stage=Stage.REPEAT_MEETING, by=manager, data={"invoice_number": "X"}, now=NOW)

    assert error_fields(exc.value) == {"invoice_number"}
    deal.refresh_from_db()
    assert deal.invoice_number == ""


@pytest.mark.parametrize("stage", PIPELINE[:-2])
@pytest.mark.parametrize("who", ["manager", "head"])
def test_skipping_a_stage_is_refused_for_everyone(stage, who, request):
    user = request.getfixturevalue(who)
    owner = user if who == "manager" else request.getfixturevalue("manager")
    deal = deal_at(stage, owner, complete=True)
    skip_to = PIPELINE[ORDER[stage] + 1]

    with pytest.raises(ValidationError) as exc:
        deal_move_stage(deal=deal, to_stage=skip_to, by=user, reason="спешим", now=NOW)

    assert (
        "cannot be skipped" in exc.value.message_dict["stage"][0] or "пропускать" in exc.value.message_dict["stage"][0]
    )
    deal.refresh_from_db()
    assert deal.stage == stage


@pytest.mark.parametrize("stage", PIPELINE[1:])
def test_a_manager_may_not_move_a_deal_back(stage, manager):
    deal = deal_at(stage, manager, complete=False)

    with pytest.raises(ValidationError) as exc:
        deal_move_stage(deal=deal, to_stage=PIPELINE[ORDER[stage] - 2], by=manager, reason="ошибся", now=NOW)

    assert "stage" in exc.value.message_dict
    deal.refresh_from_db()
    assert deal.stage == stage


def test_a_team_lead_may_not_move_a_deal_back(manager, team_lead):
    deal = deal_at(Stage.PROPOSAL, manager, complete=False)

    with pytest.raises(ValidationError):
        deal_move_stage(deal=deal, to_stage=Stage.FIRST_MEETING, by=team_lead, reason="нет", now=NOW)


def test_the_head_moves_back_only_with_a_reason_and_it_is_recorded(manager, head):
    deal = deal_at(Stage.PROPOSAL, manager, complete=False)

    with pytest.raises(ValidationError) as exc:
        deal_move_stage(deal=deal, to_stage=Stage.MARKET, by=head, reason="  ", now=NOW)
    assert error_fields(exc.value) == {"reason"}

    moved = deal_move_stage(deal=deal, to_stage=Stage.MARKET, by=head, reason="Сегмент выбран неверно", now=NOW)

    assert moved.stage == Stage.MARKET
    change = DealStageChange.objects.get(deal=deal)
    assert (change.is_backward, change.reason, change.by) == (True, "Сегмент выбран неверно", head)


def test_moving_to_an_unknown_stage_is_refused(manager):
    deal = deal_at(Stage.PROPOSAL, manager, complete=True)

    with pytest.raises(ValidationError) as exc:
        deal_move_stage(deal=deal, to_stage="thinking", by=manager, now=NOW)
    assert error_fields(exc.value) == {"stage"}


def test_moving_to_the_current_stage_again_changes_nothing(manager):
    deal = deal_at(Stage.PROPOSAL, manager, complete=True)
    revision = Deal.objects.get(pk=deal.pk).revision
    changes = DealStageChange.objects.filter(deal=deal).count()

    moved = deal_move_stage(deal=deal, to_stage=Stage.PROPOSAL, by=manager, now=NOW)

    moved.refresh_from_db()
    assert (moved.stage, moved.revision) == (Stage.PROPOSAL, revision)
    assert DealStageChange.objects.filter(deal=deal).count() == changes


def test_another_managers_deal_cannot_be_moved(manager, other_manager):
    deal = deal_at(Stage.GOAL, manager, complete=True)

    with pytest.raises(PermissionDenied):
        deal_move_stage(deal=deal, to_stage=Stage.MARKET, by=other_manager, now=NOW)
    deal.refresh_from_db()
    assert deal.stage == Stage.GOAL


def test_the_team_lead_moves_a_teammates_deal_forward(manager, team_lead):
    deal = deal_at(Stage.GOAL, manager, complete=True)

    assert deal_move_stage(deal=deal, to_stage=Stage.MARKET, by=team_lead, now=NOW).stage == Stage.MARKET


@pytest.mark.parametrize("stage", sorted(OPEN_STAGES, key=ORDER.get))
def test_an_open_deal_can_be_lost_with_a_reason(stage, manager):
    deal = deal_at(stage, manager, complete=False)
    reason = LostReasonFactory(name="Цена")

    lost = deal_lose(deal=deal, reason=reason, by=manager, note="дорого", now=NOW)

    assert (lost.stage, lost.lost_from_stage, lost.lost_reason, lost.probability) == (Stage.LOST, stage, reason, 0)
    change = DealStageChange.objects.get(deal=deal)
    assert (change.from_stage, change.to_stage, change.reason) == (stage, Stage.LOST, "Цена")


@pytest.mark.parametrize("stage", sorted(WON_STAGES, key=ORDER.get))
def test_a_won_deal_cannot_be_lost(stage, manager):
    deal = deal_at(stage, manager, complete=False)

    with pytest.raises(ValidationError):
        deal_lose(deal=deal, reason=LostReasonFactory(), by=manager, now=NOW)


def test_a_retired_reason_cannot_be_used(manager):
    deal = deal_at(Stage.PROPOSAL, manager, complete=False)
    reason = LostReasonFactory(name="Старая причина")
    reason.is_active = False
    reason.save()

    with pytest.raises(ValidationError) as exc:
        deal_lose(deal=deal, reason=reason, by=manager, now=NOW)
    assert error_fields(exc.value) == {"reason"}


def test_lost_is_not_a_stage_to_move_to(manager):
    deal = deal_at(Stage.PROPOSAL, manager, complete=True)

    with pytest.raises(ValidationError):
        deal_move_stage(deal=deal, to_stage=Stage.LOST, by=manager, now=NOW)


def test_only_the_head_reopens_a_lost_deal_at_or_before_the_stage_it_was_lost(manager, head):
    deal = deal_lose(
        deal=deal_at(Stage.PROPOSAL, manager, complete=False), reason=LostReasonFactory(), by=manager, now=NOW
    )

    with pytest.raises(ValidationError):
        deal_move_stage(deal=deal, to_stage=Stage.PROPOSAL, by=manager, reason="вернулся", now=NOW)
    with pytest.raises(ValidationError):
        deal_move_stage(deal=deal, to_stage=Stage.REPEAT_MEETING, by=head, reason="вернулся", now=NOW)

    reopened = deal_move_stage(deal=deal, to_stage=Stage.PROPOSAL, by=head, reason="Клиент вернулся", now=NOW)

    assert (reopened.stage, reopened.lost_reason, reopened.lost_from_stage) == (Stage.PROPOSAL, None, "")


def test_partial_payments_add_up_until_the_invoice_is_paid_in_full(manager):
    deal = deal_at(Stage.PAYMENT, manager, complete=False)
    assert deal.invoice_amount == Decimal("480000")

    deal_register_payment(deal=deal, amount=Decimal("200000"), paid_on=date(2026, 11, 10), by=manager)
    with pytest.raises(ValidationError) as exc:
        deal_move_stage(deal=deal, to_stage=Stage.FULFILMENT, by=manager, now=NOW)
    message = exc.value.message_dict["payments"][0]
    assert "200\u00a0000,00\u00a0₽" in message and "480\u00a0000,00\u00a0₽" in message  # money as a user reads it

    deal_register_payment(deal=deal, amount=Decimal("280000"), paid_on=date(2026, 11, 12), by=manager)
    moved = deal_move_stage(deal=deal, to_stage=Stage.FULFILMENT, by=manager, now=NOW)

    assert (moved.paid_amount, moved.stage, moved.won_at, moved.is_won) == (
        Decimal("480000"),
        Stage.FULFILMENT,
        NOW,
        True,
    )
    assert deal.payments.count() == 2


def test_a_payment_above_what_is_due_or_not_positive_is_refused(manager):
    deal = deal_at(Stage.PAYMENT, manager, complete=False)
    deal_register_payment(deal=deal, amount=Decimal("400000"), paid_on=date(2026, 11, 10), by=manager)

    for amount in (Decimal("80000.01"), Decimal("0"), Decimal("-5")):
        with pytest.raises(ValidationError) as exc:
            deal_register_payment(deal=deal, amount=amount, paid_on=date(2026, 11, 11), by=manager)
        assert error_fields(exc.value) == {"amount"}
    deal.refresh_from_db()
    assert deal.paid_amount == Decimal("400000")


def test_payments_are_not_taken_before_the_contract(manager):
    deal = deal_at(Stage.PROPOSAL, manager, complete=True)

    with pytest.raises(ValidationError):
        deal_register_payment(deal=deal, amount=Decimal("1"), paid_on=date(2026, 11, 11), by=manager)


def test_a_deal_is_concluded_only_past_the_contract_stage(manager):
    assert not deal_at(Stage.CONTRACT, manager, complete=True).is_concluded
    assert deal_at(Stage.PAYMENT, manager, complete=False).is_concluded


def test_deal_create_starts_at_goal_with_history_and_the_managers_own_client(manager, other_manager):
    client = ClientFactory(owner=manager)

    deal = deal_create(
        by=manager, client=client, title="Камеры", amount=Decimal("10"), now=NOW, plan_month=date(2026, 12, 15)
    )

    assert (deal.stage, deal.owner, deal.plan_month) == (Stage.GOAL, manager, date(2026, 12, 1))
    assert DealStageChange.objects.get(deal=deal).to_stage == Stage.GOAL
    with pytest.raises(PermissionDenied):
        deal_create(by=other_manager, client=client, title="Чужая", now=NOW)


def test_deal_hygiene_finds_deals_without_a_task_and_with_an_overdue_task(manager):
    quiet = deal_at(Stage.PROPOSAL, manager, complete=False)
    late = deal_at(Stage.PROPOSAL, manager, complete=False)
    fine = deal_at(Stage.PROPOSAL, manager, complete=False)
    Activity.objects.create(
        kind="task", client=late.client, deal=late, owner=manager, subject="КП", due_at=NOW - timedelta(days=1)
    )
    Activity.objects.create(
        kind="task", client=fine.client, deal=fine, owner=manager, subject="КП", due_at=NOW + timedelta(days=1)
    )

    without = set(Deal.objects.without_open_task(NOW).values_list("pk", flat=True))
    overdue = set(Deal.objects.with_overdue_task(NOW).values_list("pk", flat=True))

    assert quiet.pk in without and late.pk not in without and fine.pk not in without
    assert overdue == {late.pk}


# --- after the contract the invoice is the head's (DOMAIN.md section 2) ------------------------------------------


def test_after_the_contract_a_manager_cannot_shrink_the_invoice_and_the_head_changes_it_with_a_reason(manager, head):
    from crm.models import ChangeLog
    from crm.services.deals import deal_update
    from tests.crm.factories import DealFactory

    deal = DealFactory(client=ClientFactory(owner=manager), stage=Stage.PAYMENT, invoice_amount=Decimal("120000"))
    with pytest.raises(ValidationError) as error:
        deal_update(deal=deal, by=manager, data={"invoice_amount": Decimal("0.01")})
    assert "invoice_amount" in error.value.message_dict
    deal.refresh_from_db()
    assert deal.invoice_amount == Decimal("120000.00")

    with pytest.raises(ValidationError) as error:
        deal_update(deal=deal, by=head, data={"invoice_amount": Decimal("110000")})
    assert "invoice_reason" in error.value.message_dict

    deal_update(deal=deal, by=head, data={"invoice_amount": Decimal("110000"), "invoice_reason": "Скидка 10 000"})
    deal.refresh_from_db()
    assert deal.invoice_amount == Decimal("110000.00")
    log = ChangeLog.objects.filter(object_id=deal.pk, content_type__model="deal").latest("pk")
    assert log.changes["invoice_reason"] == [None, "Скидка 10 000"]


def test_before_the_contract_is_left_the_manager_still_keeps_the_invoice_up_to_date(manager):
    from crm.services.deals import deal_update
    from tests.crm.factories import DealFactory

    deal = DealFactory(client=ClientFactory(owner=manager), stage=Stage.CONTRACT, invoice_amount=Decimal("50000"))
    deal_update(deal=deal, by=manager, data={"invoice_amount": Decimal("52000")})
    deal.refresh_from_db()
    assert deal.invoice_amount == Decimal("52000.00")
