"""Room to grow per category on a phone (375 px): the figure saves as typed and the share appears under it; the page
fits and has no serious accessibility violations."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from crm.models import ClientCategoryPurchase
from tests.browser import (  # noqa: F401
    block_other_hosts,
    browser_context_args,
    browser_type_launch_args,
    log_in,
    serious_violations,
)
from tests.crm.factories import CategoryFactory, ClientFactory, ProductFactory, SaleLineFactory
from vip.models import ProgrammeClient
from vip.services.questionnaires import questionnaire_create
from vip.services.templates import template_standard_create


@pytest.mark.browser
def test_a_category_figure_saves_as_typed_and_shows_the_share(
    transactional_db, live_server, page: Page, manager, vip_head
):
    template_standard_create(by=vip_head)
    client = ClientFactory(owner=manager, name="ООО Ромашка")
    ProgrammeClient.objects.create(client=client, assigned_to=manager)
    stone = CategoryFactory(name="Щебень")
    CategoryFactory(name="Цемент")
    SaleLineFactory(
        client=client, product=ProductFactory(category=stone), date=date(2026, 3, 1), amount=Decimal("1234567.50")
    )
    questionnaire = questionnaire_create(client=client, by=manager, meeting_date=date(2026, 6, 10))

    leaked = block_other_hosts(page, live_server.url)
    log_in(page, live_server.url, manager.username)
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(live_server.url + reverse("vip_questionnaire_detail", args=[questionnaire.pk]) + "#section-growth")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.locator(f"#wallet-{stone.pk}").press_sequentially("3600000")
    expect(page.locator(f"#status-wallet-{stone.pk}")).to_contain_text("наша доля 34 %")
    assert ClientCategoryPurchase.objects.get().yearly_amount == Decimal("3600000.00")
    assert serious_violations(page) == []
    assert leaked == []
