"""A real browser (Debian's Chromium through Playwright): the board from the keyboard alone. A manager tabs to a
card's "move to" menu and moves the deal two stages; a stage gate's refusal shows next to the card; the board stays
where it was; a column's "show all" pages in its further cards, which stay after a move."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from crm.models import Deal, DealStageChange, Role
from crm.rules.stages import Stage
from tests.browser import (  # noqa: F401 - fixtures
    block_other_hosts,
    browser_context_args,
    browser_type_launch_args,
    log_in,
    serious_violations,
)
from tests.crm.factories import ClientFactory, DealFactory, UserFactory


def tab_to(page: Page, element_id: str, limit: int = 400) -> None:
    """Press Tab until the element has the focus, as a keyboard user would."""
    for _ in range(limit):
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached #{element_id}")


def focused_id(page: Page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


@pytest.mark.browser
def test_a_deal_moves_two_stages_with_the_move_to_menu_and_only_the_keyboard(
    transactional_db, live_server, page: Page, team
):
    manager = UserFactory(username="ivanov", role=Role.MANAGER, team=team)
    client = ClientFactory(owner=manager, name="ООО «Вектор»")
    deal = DealFactory(
        client=client, owner=manager, title="Камеры для склада", stage=Stage.PROSPECT_LIST, amount=Decimal("90000")
    )
    leaked = block_other_hosts(page, live_server.url)
    log_in(page, live_server.url, "ivanov")
    page.goto(live_server.url + reverse("board"))
    expect(page.get_by_test_id("column-prospect_list").get_by_test_id(f"deal-{deal.pk}")).to_be_visible()
    menu_id = f"move-to-{deal.pk}"
    assert serious_violations(page) == []  # axe-core: the menus are labelled, nothing serious

    # 1. Tab to the card's menu, the arrow picks the next stage, Enter sends it.
    tab_to(page, menu_id)
    page.keyboard.press("ArrowDown")
    expect(page.locator(f"#{menu_id}")).to_have_value(Stage.SOURCE)
    scroll = page.evaluate("[window.scrollY, document.querySelector('.board').scrollLeft]")
    page.keyboard.press("Enter")
    source = page.get_by_test_id("column-source")
    expect(source.get_by_test_id(f"deal-{deal.pk}")).to_be_visible()
    expect(source.get_by_test_id("count")).to_have_text("1")
    expect(page.get_by_test_id("column-prospect_list").get_by_test_id("count")).to_have_text("0")
    # The board did not jump, and the focus is back on the card's menu in its new column.
    expect(page.locator("#board.is-busy")).to_have_count(0)
    assert page.evaluate("[window.scrollY, document.querySelector('.board').scrollLeft]") == scroll
    assert focused_id(page) == menu_id

    # 2. Again, this time Tab to the "Move" button and press Enter on it.
    page.keyboard.press("ArrowDown")
    expect(page.locator(f"#{menu_id}")).to_have_value(Stage.FIRST_CONTACT)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.dataset.testid") == "move-go"
    page.keyboard.press("Enter")
    first_contact = page.get_by_test_id("column-first_contact")
    expect(first_contact.get_by_test_id(f"deal-{deal.pk}")).to_be_visible()
    expect(first_contact.get_by_test_id("count")).to_have_text("1")
    assert Deal.objects.get(pk=deal.pk).stage == Stage.FIRST_CONTACT
    assert list(DealStageChange.objects.filter(deal=deal).values_list("to_stage", flat=True)) == [
        Stage.SOURCE,
        Stage.FIRST_CONTACT,
    ]

    # 3. The gate still applies: no decision maker yet, so the move is refused and the reason shows on the card.
    expect(page.locator("#board.is-busy")).to_have_count(0)
    assert focused_id(page) == menu_id
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    card = first_contact.get_by_test_id(f"deal-{deal.pk}")
    expect(card.get_by_test_id("card-error")).to_be_visible()
    expect(card.get_by_test_id("card-error")).to_contain_text("Добавьте ЛПР")
    expect(page.get_by_test_id("move-error")).to_be_hidden()  # next to the card, not at the top of the page
    assert focused_id(page) == menu_id
    assert Deal.objects.get(pk=deal.pk).stage == Stage.FIRST_CONTACT
    assert leaked == []


@pytest.mark.browser
def test_show_all_pages_in_the_rest_of_a_column_and_a_move_keeps_it_open(
    transactional_db, live_server, page: Page, team
):
    manager = UserFactory(username="ivanov", role=Role.MANAGER, team=team)
    client = ClientFactory(owner=manager)
    now = timezone.now()
    deals = [
        DealFactory(
            client=client,
            owner=manager,
            stage=Stage.PROSPECT_LIST,
            title=f"Сделка {i:02d}",
            stage_changed_at=now - timedelta(minutes=i),
        )
        for i in range(11)
    ]
    block_other_hosts(page, live_server.url)
    log_in(page, live_server.url, "ivanov")
    page.goto(live_server.url + reverse("board"))
    column = page.get_by_test_id("column-prospect_list")
    expect(column.locator(".deal-card")).to_have_count(10)
    expect(column.get_by_test_id("count")).to_have_text("11")

    column.get_by_test_id("show-all").click()
    expect(column.locator(".deal-card")).to_have_count(11)
    expect(column.get_by_test_id(f"deal-{deals[10].pk}")).to_be_visible()
    expect(column.get_by_test_id("show-all")).to_have_count(0)

    # Move the last card on with its menu: the column keeps showing all its (now 10) cards and counts right.
    last = column.get_by_test_id(f"deal-{deals[10].pk}")
    last.locator("select[name=stage]").select_option(Stage.SOURCE)
    last.get_by_test_id("move-go").click()
    expect(page.get_by_test_id("column-source").get_by_test_id(f"deal-{deals[10].pk}")).to_be_visible()
    expect(column.get_by_test_id("count")).to_have_text("10")
    expect(column.locator(".deal-card")).to_have_count(10)
    assert Deal.objects.get(pk=deals[10].pk).stage == Stage.SOURCE
