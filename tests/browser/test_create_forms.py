"""A real browser: a manager adds a client, meets the duplicate-INN answer for a second one as he types it, adds a
contact person and opens a deal with two products from the client card."""

import os
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Page, expect

from core.names import genitive
from crm.models import Client, Deal
from tests.browser import block_other_hosts, browser_context_args, browser_type_launch_args, log_in  # noqa: F401
from tests.crm.factories import KNOWN_GOOD_INNS, ProductFactory

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@pytest.mark.browser
def test_a_manager_adds_a_client_a_contact_and_a_deal_with_two_products(
    transactional_db, live_server, page: Page, manager
):
    gravel = ProductFactory(name="Щебень гранитный", price=Decimal("1500.00"))
    sand = ProductFactory(name="Песок речной", price=Decimal("800.00"))
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    leaked = block_other_hosts(page, live_server.url)
    log_in(page, live_server.url, manager.username)

    # The clients list's "New client"; the INN is free as it is typed.
    page.goto(live_server.url + reverse("client_list"))
    page.get_by_test_id("client-new").click()
    page.fill("#id_name", "ООО «Гранит»")
    page.fill("#id_inn", KNOWN_GOOD_INNS[0])
    expect(page.get_by_test_id("inn-free")).to_be_visible()
    page.fill("#id_phone", "8 (495) 581-02-83")
    page.locator("[data-testid=client-form] button[type=submit]").click()
    expect(page.get_by_role("heading", name="ООО «Гранит»")).to_be_visible()
    created = Client.objects.get()
    assert (created.owner, created.phone) == (manager, "+74955810283")  # stored in E.164, shown nationally
    expect(page.get_by_role("link", name="+7 495 581-02-83")).to_have_attribute("href", "tel:+74955810283")

    # A second client with the same INN: the lookup says whose client it is before saving, and so does the save.
    page.goto(live_server.url + reverse("client_create"))
    page.fill("#id_name", "ООО «Гранит-2»")
    page.fill("#id_inn", KNOWN_GOOD_INNS[0])
    with translation.override("ru"):
        holder = genitive(manager)  # «уже клиент у Ивана Петрова»
    expect(page.get_by_test_id("inn-taken")).to_contain_text(holder)
    expect(page.get_by_test_id("inn-taken-card")).to_be_visible()
    page.locator("[data-testid=client-form] button[type=submit]").click()
    expect(page.locator("#id_inn_errors")).to_contain_text(holder)
    expect(page.locator("#id_name")).to_have_value("ООО «Гранит-2»")
    assert Client.objects.count() == 1

    # The card's "New contact" opens the form where it is.
    page.goto(live_server.url + reverse("client_detail", args=[created.pk]))
    page.get_by_test_id("client-new-contact").click()
    form = page.get_by_test_id("contact-form")
    form.locator("[name=full_name]").fill("Сергей Каменев")
    form.locator("[name=decision_role]").select_option("decision_maker")
    form.locator("[name=mobile]").fill("+7 916 123-45-67")
    form.locator("button[type=submit]").click()
    expect(page.get_by_test_id("contact-row")).to_contain_text("Сергей Каменев")

    # "New deal" comes with the client chosen; two products, one at the catalogue's price.
    page.get_by_test_id("client-new-deal").click()
    expect(page.locator("#id_client")).to_have_value(str(created.pk))
    page.fill("#id_title", "Поставка на объект")
    page.select_option("#id_lines-0-product", str(gravel.pk))
    page.fill("#id_lines-0-quantity", "2")
    page.select_option("#id_lines-1-product", str(sand.pk))
    page.fill("#id_lines-1-quantity", "10")
    page.fill("#id_lines-1-price", "750")
    page.get_by_test_id("deal-save").click()

    expect(page.get_by_test_id("deal-title")).to_have_text("Поставка на объект")
    expect(page.get_by_test_id("deal-amount")).to_contain_text("10 500")
    expect(page.get_by_test_id("deal-products")).to_contain_text("Песок речной")
    deal = Deal.objects.get()
    assert (deal.client, deal.owner, deal.amount, deal.lines.count()) == (created, manager, Decimal("10500.00"), 2)
    assert errors == [] and leaked == []
