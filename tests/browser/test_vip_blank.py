"""The blank VIP questionnaire prints on two sides of A4 (seed 002 step 5): chromium's own print to PDF counts the
pages; the static files load from the test server only."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from crm.models import Role
from tests.browser import (  # noqa: F401 - fixtures
    block_other_hosts,
    browser_context_args,
    browser_type_launch_args,
    log_in,
)
from tests.crm.factories import CategoryFactory, UserFactory
from vip.services.templates import template_standard_create


@pytest.mark.browser
def test_the_blank_questionnaire_fits_two_sides_of_a4(transactional_db, live_server, page: Page):
    vip_head = UserFactory(username="vip", role=Role.VIP_HEAD)
    template = template_standard_create(by=vip_head)
    # The demo catalogue's eight categories each get a line for the client's yearly purchases of it.
    names = [
        "Видеонаблюдение",
        "Домофония",
        "Контроль доступа",
        "Охранная сигнализация",
        "Пожарная сигнализация",
        "Кабель и монтаж",
        "Электропитание",
        "Сетевое оборудование",
    ]
    for name in names:
        CategoryFactory(name=name)
    leaked = block_other_hosts(page, live_server.url)
    log_in(page, live_server.url, "vip")
    page.goto(live_server.url + reverse("vip_template_print", args=[template.pk]))
    assert page.get_by_test_id("vip-blank-question").count() == template.questions.count()
    assert page.get_by_test_id("vip-blank-categories").locator("div").count() == len(names)
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", print_background=True)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert 1 <= pages <= 2
    assert leaked == []
