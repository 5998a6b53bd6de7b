"""A real browser: a participant's contest board draws its chart with his own row highlighted, with no script error."""

import os
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from analytics.services.contests import contest_save
from tests.browser import browser_context_args, browser_type_launch_args, log_in  # noqa: F401 - fixtures
from tests.crm.factories import ClientFactory, SaleLineFactory

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@pytest.mark.browser
def test_the_board_draws_and_marks_the_viewers_row(
    transactional_db, live_server, page: Page, head, manager, other_manager, tmp_path
):
    today = timezone.localdate()
    for person, amount in ((manager, "40000"), (other_manager, "60000")):
        SaleLineFactory(client=ClientFactory(owner=person), date=today, amount=Decimal(amount), manager=person)
    contest = contest_save(
        by=head,
        name="Лучший месяц",
        metric="paid_sales",
        start=today - timedelta(days=3),
        end=today + timedelta(days=10),
        prizes="1 место: 30 000 ₽",
        entries=[(manager, Decimal("50000")), (other_manager, Decimal("100000"))],
    )
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(page, live_server.url, "ivanov")
    page.goto(live_server.url + reverse("analytics_contest_detail", args=[contest.pk]))

    expect(page.locator("#contest-chart canvas")).to_be_visible()
    mine = page.locator('[data-testid="contest-board-row"][data-me="1"]')
    expect(mine).to_contain_text("80,0 %")  # 40 000 / 50 000 = 80 % beats 60 000 / 100 000 = 60 %
    expect(mine.locator("td").first).to_have_text("1")
    expect(page.get_by_test_id("contest-mine")).to_have_text("Вы на 1-м месте из 2.")
    page.screenshot(path=tmp_path / "contest.png", full_page=True)
    assert errors == []
