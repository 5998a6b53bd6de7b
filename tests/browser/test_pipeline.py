"""A real browser (Debian's Chromium via Playwright): a manager drags a deal along the board; the head reviews it."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from core.money import format_rub
from crm.models import Client, Deal, DealStageChange, Role
from crm.rules.stages import Stage
from tests.browser import (  # noqa: F401 - fixtures
    block_other_hosts,
    browser_context_args,
    browser_type_launch_args,
    log_in,
)
from tests.crm.factories import ClientFactory, ContactFactory, DealFactory, LostReasonFactory, UserFactory


def drag(page: Page, card: Locator, column: Locator) -> None:
    """Drag a card onto a column's card list with real mouse moves (SortableJS listens to pointer events)."""
    expect(page.locator("#board.is-busy")).to_have_count(0)  # the columns are not being reloaded
    column.scroll_into_view_if_needed()
    start = card.bounding_box()
    target = column.bounding_box()
    assert start and target
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + 12)
    page.mouse.down()
    page.mouse.move(start["x"] + start["width"] / 2 + 5, start["y"] + 20, steps=3)
    page.mouse.move(target["x"] + target["width"] / 2, target["y"] + 30, steps=20)
    page.mouse.move(target["x"] + target["width"] / 2, target["y"] + 34, steps=3)
    page.mouse.up()


@pytest.mark.browser
def test_a_manager_moves_a_deal_along_the_board_and_the_head_sees_it_in_the_review(
    transactional_db, live_server, page: Page, team
):
    manager = UserFactory(username="ivanov", role=Role.MANAGER, team=team, last_name="Иванов", first_name="Пётр")
    UserFactory(username="head", role=Role.HEAD)
    client = ClientFactory(owner=manager, name="ООО Вектор", source=Client.Source.WARM)
    ContactFactory(client=client)
    deal = DealFactory(
        client=client,
        owner=manager,
        title="Видеонаблюдение склада",
        stage=Stage.PROPOSAL,
        amount=Decimal("250000"),
        probability=30,
        expected_close_date=timezone.localdate(),
    )
    LostReasonFactory(name="Цена")
    leaked = block_other_hosts(page, live_server.url)

    log_in(page, live_server.url, "ivanov")
    page.goto(live_server.url + reverse("board"))
    card = page.get_by_test_id(f"deal-{deal.pk}")
    proposal = page.get_by_test_id("column-proposal")
    repeat = page.get_by_test_id("column-repeat_meeting")
    expect(proposal.locator(f"[data-deal-id='{deal.pk}']")).to_be_visible()
    expect(proposal.get_by_test_id("count")).to_have_text("1")

    # proposal -> repeat_meeting: the proposal data is missing, so the small form asks for it.
    drag(page, card, repeat.locator(".board-cards"))
    modal = page.get_by_test_id("move-modal")
    expect(modal.locator("input[name=proposal_amount]")).to_be_visible()
    modal.locator("input[name=proposal_amount]").fill("245 000")
    modal.locator("input[name=proposal_document]").fill("КП-245")
    modal.locator("input[name=proposal_sent_on]").fill("2026-11-20")
    modal.get_by_test_id("move-submit").click()
    expect(modal).to_be_hidden()
    expect(repeat.locator(f"[data-deal-id='{deal.pk}']")).to_be_visible()
    expect(repeat.get_by_test_id("count")).to_have_text("1")
    expect(proposal.get_by_test_id("count")).to_have_text("0")
    assert Deal.objects.get(pk=deal.pk).stage == Stage.REPEAT_MEETING

    # repeat_meeting -> payment skips a stage: refused, the card snaps back and the reason shows.
    drag(page, page.get_by_test_id(f"deal-{deal.pk}"), page.get_by_test_id("column-payment").locator(".board-cards"))
    expect(page.get_by_test_id("move-error")).to_be_visible()
    expect(page.get_by_test_id("move-error")).to_contain_text("Контроль оплаты")
    expect(repeat.locator(f"[data-deal-id='{deal.pk}']")).to_be_visible()
    expect(page.get_by_test_id("column-payment").locator(f"[data-deal-id='{deal.pk}']")).to_have_count(0)
    assert Deal.objects.get(pk=deal.pk).stage == Stage.REPEAT_MEETING

    # repeat_meeting -> contract: the agreed price and payment terms go in the form; a wrong amount is kept.
    contract = page.get_by_test_id("column-contract")
    drag(page, page.get_by_test_id(f"deal-{deal.pk}"), contract.locator(".board-cards"))
    expect(modal.locator("input[name=agreed_amount]")).to_be_visible()
    modal.locator("input[name=agreed_amount]").fill("двести")
    modal.locator("input[name=payment_terms]").fill("50 % предоплата, 50 % по поставке")
    modal.get_by_test_id("move-submit").click()
    expect(modal.locator("input[name=agreed_amount].is-invalid")).to_have_value("двести")
    expect(modal.locator("input[name=payment_terms]")).to_have_value("50 % предоплата, 50 % по поставке")
    modal.locator("input[name=agreed_amount]").fill("240000")
    modal.get_by_test_id("move-submit").click()
    expect(modal).to_be_hidden()
    expect(contract.locator(f"[data-deal-id='{deal.pk}']")).to_be_visible()
    expect(contract.get_by_test_id("amount")).to_have_text(format_rub(Decimal("250000"), kopecks=False))
    moved = Deal.objects.get(pk=deal.pk)
    assert (moved.stage, moved.agreed_amount) == (Stage.CONTRACT, Decimal("240000"))
    assert list(DealStageChange.objects.filter(deal=deal).values_list("to_stage", flat=True)) == [
        Stage.REPEAT_MEETING,
        Stage.CONTRACT,
    ]

    # The head opens the pipeline review and sees the manager's deal at contract.
    page.get_by_test_id("current-user").locator("xpath=following-sibling::form").locator("button").click()
    log_in(page, live_server.url, "head")
    page.goto(live_server.url + reverse("pipeline_review"))
    row = page.get_by_test_id(f"review-row-{manager.pk}")
    expect(row).to_contain_text("Иванов")
    expect(row.locator("td[data-stage=contract]")).to_contain_text(format_rub(Decimal("250000"), kopecks=False))
    expect(page.get_by_test_id("month-total")).to_have_text(format_rub(Decimal("250000"), kopecks=False))
    expect(page.locator("#chart-payments canvas")).to_have_count(1)
    expect(page.locator("#chart-weighted canvas")).to_have_count(1)

    assert leaked == []
