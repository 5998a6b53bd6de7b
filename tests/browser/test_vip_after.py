"""After quality on a phone (375 px): the meeting's growth answer becomes a deal with one press, a referral is added,
and the card has no serious axe-core violation and no sideways scrolling."""

from datetime import date

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.browser import (  # noqa: F401
    block_other_hosts,
    browser_context_args,
    browser_type_launch_args,
    log_in,
    serious_violations,
)
from tests.crm.factories import ClientFactory
from vip.models import ProgrammeClient, QuestionnaireOffer, Referral
from vip.services.questionnaires import questionnaire_answer, questionnaire_create
from vip.services.templates import template_standard_create


@pytest.mark.browser
def test_a_proposal_and_a_referral_at_375_px(transactional_db, live_server, page: Page, manager, vip_head):
    template = template_standard_create(by=vip_head)
    client = ClientFactory(owner=manager, name="ООО Ромашка")
    ProgrammeClient.objects.create(client=client, assigned_to=manager)
    questionnaire = questionnaire_create(client=client, by=manager, meeting_date=date(2026, 6, 10))
    growth = template.questions.filter(section="growth", kind="text").first()
    questionnaire_answer(questionnaire=questionnaire, question=growth, raw="Щебень фракции 20-40", by=manager)

    leaked = block_other_hosts(page, live_server.url)
    log_in(page, live_server.url, manager.username)
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(live_server.url + reverse("vip_questionnaire_detail", args=[questionnaire.pk]))
    card = page.get_by_test_id("vip-after")
    expect(card).to_contain_text("Предложения и рекомендации по итогам встречи")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert serious_violations(page) == []

    card.get_by_test_id("vip-offer-item").click()
    expect(page.get_by_test_id("vip-offer")).to_contain_text("Щебень фракции 20-40")
    assert QuestionnaireOffer.objects.get().deal.client == client

    form = page.get_by_test_id("vip-referral-form")
    form.locator("input[name=name]").fill("ООО Сосед")
    form.locator("input[name=phone]").fill("+7 495 123-45-67")
    form.locator("button[type=submit]").click()
    expect(page.get_by_test_id("vip-referral")).to_contain_text("ООО Сосед")
    assert Referral.objects.get().phone == "+74951234567"
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert leaked == []
