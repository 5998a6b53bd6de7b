"""A manager's whole day and the head's, in a real browser, at a desk (1280 px) and on a phone (375 px).

The manager creates a client (and meets the duplicate-INN message first), adds a contact, creates a deal with two
products, moves it two stages on the board with the card's "move to" menu, logs a call from a task and sets the next
one, finds the client by a phone typed as `8 (495) 581-02-83`, and drags a task to another day on the calendar. The
head reassigns five queue entries at once and approves a plan. Every step is checked in the database too."""

from __future__ import annotations

import os
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import Page, expect

from core.calendar import month_shift
from core.names import genitive
from crm.models import Activity, Client, ContactPerson, Deal, Reassignment
from crm.nightly import reassignment_flags_refresh
from crm.rules.stages import Stage
from planning.models import Plan
from tests.browser import PASSWORD, block_other_hosts, browser_context_args, browser_type_launch_args  # noqa: F401
from tests.browser.test_tasks import drag as drag_on_calendar
from tests.crm.factories import (
    KNOWN_GOOD_INNS,
    ActivityFactory,
    ClientFactory,
    ProductFactory,
    SaleLineFactory,
    SegmentFactory,
)

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
WIDTHS = [1280, 375]


def task(owner, client, *, day, subject, hour=11):
    due = timezone.make_aware(datetime.combine(day, time(hour, 15)))
    return ActivityFactory(kind="task", client=client, owner=owner, subject=subject, due_at=due, done_at=None)


def sign_in(page: Page, base: str, username: str) -> None:
    """Log in; on a phone the user's name is inside the collapsed menu, so the check is My day's heading."""
    page.goto(base + reverse("login"))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    expect(page).to_have_url(base + reverse("home"))
    expect(page.locator("h2.page-title")).to_be_visible()


def page_fits(page: Page, width: int) -> None:
    """The page is exactly as wide as the window, measured once its stylesheets are in (a loaded DOM is not enough:
    an unstyled page is wider)."""
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.scrollWidth") == width, page.url


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_a_managers_day(transactional_db, live_server, page: Page, manager, other_manager, width):
    page.set_viewport_size({"width": width, "height": 900})
    base = live_server.url
    gravel = ProductFactory(name="Щебень гранитный", price=Decimal("1500.00"))
    sand = ProductFactory(name="Песок речной", price=Decimal("800.00"))
    SegmentFactory(name="Строительство")
    ClientFactory(owner=other_manager, name="ООО «Чужой»", inn=KNOWN_GOOD_INNS[1])
    regular = ClientFactory(owner=manager, name="ООО «Постоянный»")
    today = timezone.localdate()
    call_task = task(manager, regular, day=today, subject="Позвонить главному инженеру", hour=23)
    tomorrow = today + timedelta(days=1)
    to_move = task(manager, regular, day=tomorrow, subject="Отправить каталог")
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    leaked = block_other_hosts(page, base)
    sign_in(page, base, manager.username)

    # 1. A new client: the INN of a colleague's client is named before saving; a free INN goes through.
    page.goto(base + reverse("client_list"))
    page.get_by_test_id("client-new").click()
    page.wait_for_load_state("load")  # the INN lookup is bound
    page.fill("#id_name", "ООО «Гранит»")
    page.fill("#id_inn", KNOWN_GOOD_INNS[1])
    with translation.override("ru"):
        holder = genitive(other_manager)
    expect(page.get_by_test_id("inn-taken")).to_contain_text(holder)
    page.fill("#id_inn", KNOWN_GOOD_INNS[0])
    expect(page.get_by_test_id("inn-free")).to_be_visible()
    page.fill("#id_phone", "8 (495) 581-02-83")
    page.select_option("#id_segment", label="Строительство")  # the market stage's gate asks for it
    page_fits(page, width)
    page.locator("[data-testid=client-form] button[type=submit]").click()
    expect(page.get_by_role("heading", name="ООО «Гранит»")).to_be_visible()
    client = Client.objects.get(name="ООО «Гранит»")
    assert (client.owner, client.phone, client.inn) == (manager, "+74955810283", KNOWN_GOOD_INNS[0])

    # 2. A contact person from the card (once its scripts are in: the button opens the form in place).
    page.wait_for_load_state("load")
    page.get_by_test_id("client-new-contact").click()
    form = page.get_by_test_id("contact-form")
    form.locator("[name=full_name]").fill("Сергей Каменев")
    form.locator("[name=decision_role]").select_option("decision_maker")
    form.locator("[name=mobile]").fill("+7 916 123-45-67")
    form.locator("button[type=submit]").click()
    expect(page.get_by_test_id("contact-row")).to_contain_text("Сергей Каменев")
    assert ContactPerson.objects.get(client=client).mobile == "+79161234567"

    # 3. A deal with two products from the card.
    page.get_by_test_id("client-new-deal").click()
    page.fill("#id_title", "Поставка на объект")
    page.select_option("#id_lines-0-product", str(gravel.pk))
    page.fill("#id_lines-0-quantity", "2")
    page.select_option("#id_lines-1-product", str(sand.pk))
    page.fill("#id_lines-1-quantity", "10")
    page.fill("#id_lines-1-price", "750")
    page_fits(page, width)
    page.get_by_test_id("deal-save").click()
    expect(page.get_by_test_id("deal-amount")).to_contain_text("10 500")
    deal = Deal.objects.get(title="Поставка на объект")
    assert (deal.client, deal.owner, deal.amount, deal.lines.count()) == (client, manager, Decimal("10500.00"), 2)
    first_stage = deal.stage

    # 4. Two stages along the board with the card's "move to" menu (the keyboard's way, and a phone's).
    page.goto(base + reverse("board"))
    page_fits(page, width)
    for _ in range(2):
        move_one_stage(page, deal)
    deal.refresh_from_db()
    assert deal.stage_number == Deal(stage=first_stage).stage_number + 2

    # 5. A call logged from today's task closes it and plans the next one.
    page.goto(base + reverse("task_list"))
    page_fits(page, width)
    row = page.get_by_test_id("tasks-today").get_by_test_id("task-row").filter(has_text="Позвонить главному инженеру")
    page.wait_for_load_state("load")
    row.get_by_test_id("task-log-call").click()
    form = page.get_by_test_id("call-modal").get_by_test_id("call-form")
    form.locator("select[name=call_result]").select_option("reached")
    form.locator("input[name=next_subject]").fill("Согласовать спецификацию")
    form.get_by_test_id("call-submit").click()
    expect(page.locator(".alert-success")).to_be_visible()
    call_task.refresh_from_db()
    assert call_task.done_at is not None
    assert Activity.objects.get(subject="Согласовать спецификацию").done_at is None

    # 6. The client found by a phone typed the way it is said.
    page.get_by_label("Искать клиентов, контакты и сделки").press_sequentially("8 (495) 581-02-83", delay=20)
    found = page.get_by_test_id("search-dropdown").get_by_test_id("search-client")
    expect(found).to_have_count(1)
    expect(found).to_contain_text("ООО «Гранит»")
    found.click()
    expect(page).to_have_url(base + reverse("client_detail", args=[client.pk]))

    # 7. The calendar: tomorrow's task dragged to the day after.
    target = tomorrow + timedelta(days=1)
    page.goto(base + reverse("task_calendar"))
    calendar = page.get_by_test_id("task-calendar")
    expect(calendar).to_have_attribute("data-loading", "0")
    # A phone's week is a list, which cannot be dragged: it switches to the week's grid (the month's, after a Sunday).
    if tomorrow.weekday() == 6:
        page.evaluate("window.taskCalendar.changeView('dayGridMonth')")
    elif width < 576:
        page.evaluate("window.taskCalendar.changeView('dayGridWeek')")
    page.evaluate(f"window.taskCalendar.gotoDate('{tomorrow.isoformat()}')")
    event = page.locator(f'td[data-date="{tomorrow.isoformat()}"] .fc-event', has_text="Отправить каталог")
    expect(event).to_be_visible()
    expect(page.locator(f'td[data-date="{target.isoformat()}"]')).to_be_visible()
    expect(calendar).to_have_attribute("data-loading", "0")
    page_fits(page, width)
    event.scroll_into_view_if_needed()
    drag_on_calendar(page, event, page.locator(f'td[data-date="{target.isoformat()}"] .fc-daygrid-day-frame'))
    expect(page.get_by_test_id("task-calendar")).to_have_attribute("data-last-moved", f"{to_move.pk}:{target}")
    to_move.refresh_from_db()
    assert timezone.localdate(to_move.due_at) == target
    assert errors == [] and leaked == []


def move_one_stage(page: Page, deal: Deal) -> None:
    """The card's "move to" menu: choose the next stage, press the card's move button; when the stage asks for data
    (the plan month, the client's segment), fill its dialog and send it."""
    deal.refresh_from_db()
    following = Stage.values[Stage.values.index(deal.stage) + 1]
    card = page.get_by_test_id(f"deal-{deal.pk}")
    expect(card).to_be_visible()
    card.get_by_test_id("move-to").select_option(following)
    card.get_by_test_id("move-go").click()
    moved = page.get_by_test_id(f"column-{following}").get_by_test_id(f"deal-{deal.pk}")
    modal = page.get_by_test_id("move-modal")
    expect(moved.or_(modal.locator("form"))).to_be_visible()
    if modal.is_visible():
        first_of_next_month = (timezone.localdate().replace(day=1) + timedelta(days=32)).replace(day=1)
        for field in modal.locator("input[type=date]").all():
            field.fill(first_of_next_month.isoformat())
        for field in modal.locator("select").all():
            field.select_option(index=1)
        modal.get_by_test_id("move-submit").click()
    expect(moved).to_be_visible()
    expect(page.locator("#board.is-busy")).to_have_count(0)


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_a_heads_day(transactional_db, live_server, page: Page, head, manager, other_manager, width):
    """The head passes five of the 3-month queue's clients to one manager at once, then makes next month's plan for a
    manager and approves it, confirming its negative G."""
    page.set_viewport_size({"width": width, "height": 900})
    base = live_server.url
    names = ["ООО «Альфа»", "ООО «Бета»", "ООО «Гамма»", "ООО «Дельта»", "ООО «Эпсилон»", "ООО «Остаётся»"]
    clients = [ClientFactory(owner=manager, owned_since=date(2026, 1, 15), name=name) for name in names]
    reassignment_flags_refresh(date(2026, 4, 15))
    flags = {flag.client.name: flag.pk for flag in Reassignment.objects.select_related("client")}
    assert len(flags) == 6
    next_month = month_shift(timezone.localdate(), 1)
    for back in range(1, 5):  # R = A = 100 000 from the four months before next month
        window_month = month_shift(next_month, -back)
        SaleLineFactory(
            client=clients[5], manager=manager, date=date(window_month.year, window_month.month, 10), amount=100_000
        )
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    leaked = block_other_hosts(page, base)
    sign_in(page, base, head.username)

    # 1. Five queue entries ticked and reassigned to one manager from the bulk bar.
    page.goto(base + reverse("reassignment_queue"))
    page_fits(page, width)
    for name in names[:5]:
        page.locator(f"[data-testid=flag-row][data-flag='{flags[name]}']").get_by_test_id("flag-select").check()
    expect(page.get_by_test_id("selected-count")).to_have_text("5")
    bar = page.get_by_test_id("bulk-bar")
    bar.locator("select[name=owner]").select_option(str(other_manager.pk))
    bar.locator("input[name=reason]").fill("Три месяца без сделки")
    bar.get_by_test_id("bulk-reassign").click()
    expect(page.locator(".alert-success")).to_contain_text("5 клиентов переданы новому менеджеру")
    owners = dict(Client.objects.values_list("name", "owner_id"))
    assert [owners[name] for name in names] == [other_manager.pk] * 5 + [manager.pk]

    # 2. Next month's plan with T below R + O, approved after confirming G = 60 000 - 100 000 - 0 = -40 000.
    page.goto(base + reverse("plan_list"))
    form = page.get_by_test_id("plan-generate-form")
    expect(form.locator("input[name=month]")).to_have_value(f"{next_month:%Y-%m}")
    form.locator("select[name=manager]").select_option(str(manager.pk))
    form.locator("input[name=target]").fill("60000")
    page_fits(page, width)
    form.locator("button[type=submit]").click()
    page.get_by_test_id("plan-approve").click()
    expect(page.get_by_test_id("plan-approve-figures")).to_contain_text("-40\u00a0000\u00a0₽")
    page_fits(page, width)
    page.get_by_label("Подтверждаю G = -40\u00a0000\u00a0₽", exact=False).check()
    page.get_by_test_id("plan-approve-form").locator("button[type=submit]").click()
    expect(page.get_by_test_id("plan-status")).to_have_text("Утверждён")
    plan = Plan.objects.get(manager=manager, month=next_month)
    assert (plan.status, plan.active_gap) == (Plan.Status.APPROVED, Decimal("-40000.00"))
    assert errors == [] and leaked == []
