"""A real browser: the head makes next month's plan from the form (month and T filled in), sets a T below R + O,
and approves it only after ticking the confirmation that shows R, A, O, T and G."""

import os
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from core.calendar import month_shift
from planning.models import Plan
from tests.browser import block_other_hosts, browser_context_args, browser_type_launch_args, log_in  # noqa: F401
from tests.crm.factories import ClientFactory, SaleLineFactory

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@pytest.mark.browser
def test_the_head_makes_next_months_plan_and_confirms_a_negative_g(
    transactional_db, live_server, page: Page, head, manager, tmp_path
):
    next_month = month_shift(timezone.localdate(), 1)
    # Alfa buys 100 000 in each of the 4 window months: R = A = 100 000, O = 0, the default T = 100 000.
    alfa = ClientFactory(name="Альфа", owner=manager)
    for back in range(1, 5):
        window_month = month_shift(next_month, -back)
        SaleLineFactory(
            client=alfa, manager=manager, date=date(window_month.year, window_month.month, 10), amount=Decimal(100_000)
        )
    leaked = block_other_hosts(page, live_server.url)
    log_in(page, live_server.url, "head")
    page.goto(live_server.url + reverse("plan_list"))

    form = page.get_by_test_id("plan-generate-form")
    expect(form.locator("input[name=month]")).to_have_value(f"{next_month:%Y-%m}")
    expect(form.locator("input[name=target]")).to_have_value("100000.00")
    form.locator("input[name=target]").fill("60000")
    form.locator("button[type=submit]").click()

    # G = 60 000 - 100 000 - 0 = -40 000: "Approve…" opens the confirmation with the figures.
    page.get_by_test_id("plan-approve").click()
    figures = page.get_by_test_id("plan-approve-figures")
    expect(figures).to_contain_text("100\u00a0000,00\u00a0₽")
    expect(figures).to_contain_text("-40\u00a0000,00\u00a0₽")
    page.screenshot(path=tmp_path / "plan_approve.png", full_page=True)
    page.get_by_label("Подтверждаю G = -40\u00a0000,00\u00a0₽", exact=False).check()
    page.get_by_test_id("plan-approve-form").locator("button[type=submit]").click()

    expect(page.get_by_test_id("plan-status")).to_have_text("Утверждён")
    plan = Plan.objects.get(manager=manager, month=next_month)
    assert plan.status == Plan.Status.APPROVED and plan.active_gap == Decimal("-40000.00")
    assert leaked == []
