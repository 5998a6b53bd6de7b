"""A real browser: the NPS page draws its chart with no script error, and a contact answers through the link's page
(the score from the e-mail chosen, a comment, "Отправить")."""

import os
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from analytics.models import NpsAnswer, NpsInvitation
from analytics.services.nps import answer_type_in, invitation_token, survey_create
from tests.browser import browser_context_args, browser_type_launch_args, log_in  # noqa: F401 - fixtures
from tests.crm.factories import ClientFactory, ContactFactory, SaleLineFactory

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@pytest.mark.browser
def test_the_nps_page_draws_and_a_contact_answers_by_the_link(
    transactional_db, live_server, page: Page, manager, tmp_path
):
    today = timezone.localdate()
    company = ClientFactory(owner=manager, name="ООО Ромашка")
    ContactFactory(client=company, full_name="Анна Петрова", email="anna@romashka.ru")
    SaleLineFactory(client=company, manager=manager, date=today - timedelta(days=10), amount=Decimal("50000"))
    for score in (10, 9, 7, 4):
        answer_type_in(by=manager, client=company, score=score, channel="phone")
    survey_create(client=company, as_of=today, send=False)
    token = invitation_token(NpsInvitation.objects.get())
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    log_in(page, live_server.url, "ivanov")
    page.goto(live_server.url + reverse("analytics_nps"))
    expect(page.locator("#chart-nps canvas")).to_be_visible()
    expect(page.get_by_test_id("nps-total")).to_have_text("25,0")

    page.context.clear_cookies()
    page.goto(live_server.url + reverse("nps_public", args=[token]) + "?score=8")
    expect(page.get_by_test_id("nps-score-8")).to_be_checked()
    assert NpsAnswer.objects.filter(invitation__isnull=False).count() == 0
    page.locator("label[for=score-9]").click()
    expect(page.get_by_test_id("nps-score-9")).to_be_checked()
    page.locator("#id_comment").fill("Быстро привезли")
    page.screenshot(path=tmp_path / "nps-public.png", full_page=True)
    page.get_by_test_id("nps-send").click()
    expect(page.get_by_test_id("nps-public-done")).to_be_visible()
    answer = NpsAnswer.objects.get(invitation__isnull=False)
    assert (answer.score, answer.comment, answer.channel) == (9, "Быстро привезли", "email")
    assert errors == []
