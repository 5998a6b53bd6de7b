"""A real browser: the client card's sales chart draws from the server's ECharts option (core/charts.py)."""

import os
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from core.calendar import month_shift
from tests.browser import browser_context_args, browser_type_launch_args, log_in  # noqa: F401 - fixtures
from tests.crm.factories import ClientFactory, SaleLineFactory

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@pytest.mark.browser
def test_the_client_cards_sales_chart_draws_without_script_errors(transactional_db, live_server, page: Page, manager):
    client = ClientFactory(owner=manager, name="ООО График")
    today = timezone.localdate()
    for months_ago, amount in ((0, "1000"), (1, "25000"), (5, "7000")):
        SaleLineFactory(client=client, date=month_shift(today, -months_ago), amount=Decimal(amount))
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    log_in(page, live_server.url, manager.username)
    page.goto(live_server.url + reverse("client_detail", args=[client.pk]))

    expect(page.locator("#client-sales-chart canvas")).to_be_visible()
    assert errors == []
