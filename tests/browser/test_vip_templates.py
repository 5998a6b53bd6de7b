"""The VIP head edits the questionnaire in a real browser: the menu leads to the templates, a change of a used
version makes the next one (the page says so in Russian), both pages fit 1280 and 375 px and pass axe-core."""

from datetime import date

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from crm.models import Role
from tests.browser import (  # noqa: F401 - fixtures
    PASSWORD,
    block_other_hosts,
    browser_context_args,
    browser_type_launch_args,
    log_in,
    serious_violations,
)
from tests.crm.factories import ClientFactory, UserFactory
from vip.models import ProgrammeClient, QuestionnaireTemplate
from vip.services.questionnaires import questionnaire_create
from vip.services.templates import template_standard_create


@pytest.mark.browser
def test_the_vip_head_changes_a_used_questionnaire_into_a_new_version(transactional_db, live_server, page: Page):
    vip_head = UserFactory(username="vip", role=Role.VIP_HEAD, password=PASSWORD)
    manager = UserFactory(username="ivanov", role=Role.MANAGER)
    template = template_standard_create(by=vip_head)
    client = ClientFactory(owner=manager, name="ООО Ромашка")
    ProgrammeClient.objects.create(client=client, assigned_to=manager)
    questionnaire_create(client=client, by=vip_head, employee=manager, meeting_date=date(2026, 6, 10))
    leaked = block_other_hosts(page, live_server.url)
    log_in(page, live_server.url, "vip")
    page.get_by_test_id("nav-vip").click()
    page.get_by_test_id("nav-vip-templates").click()
    expect(page.get_by_test_id("vip-template-row")).to_have_count(1)
    problems: list[str] = []
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 800})
        for path in (reverse("vip_template_list"), reverse("vip_template_edit", args=[template.pk])):
            page.goto(live_server.url + path)
            page.wait_for_load_state("networkidle")
            if (wide := page.evaluate("document.documentElement.scrollWidth")) != width:
                problems.append(f"{path} at {width} px: {wide} px wide")
            if width == 1280:
                problems += [f"{path}: {v}" for v in serious_violations(page)]
    assert problems == []
    page.set_viewport_size({"width": 1280, "height": 800})
    speed = template.questions.get(rule="min")
    row = page.locator(f"#question-{speed.pk}")
    row.locator(f"input[name=q{speed.pk}-limit]").fill("")
    row.get_by_role("button", name="Сохранить").click()
    expect(page.locator(f"#id_q{speed.pk}-limit_errors")).to_contain_text("укажите порог")
    assert QuestionnaireTemplate.objects.count() == 1
    row.locator(f"input[name=q{speed.pk}-limit]").fill("200")
    row.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_text("Создана версия 2: анкеты, заполненные по версии 1, сохраняют её вопросы.")).to_be_visible()
    new = QuestionnaireTemplate.objects.get(is_current=True)
    assert new.version == 2 and new.questions.get(rule="min").limit == 200
    assert template.questions.get(rule="min").limit == 100
    assert leaked == []
