"""The pipeline pages: the board and its moves, the deal card, the head's pipeline review."""

from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from crm.models import Activity, Deal, DealStageChange, User
from crm.rules.stages import Stage
from crm.selectors.pipeline import pipeline_review
from crm.services.deals import stage_move_problems
from crm.views.review import review_columns
from tests.crm.factories import (
    ActivityFactory,
    ClientFactory,
    DealFactory,
    LostReasonFactory,
    ProductFactory,
    SegmentFactory,
)

JSON = {"HTTP_ACCEPT": "application/json"}


def logged_in(client, user):
    client.force_login(user)
    return client


def make_deal(owner, stage=Stage.PROPOSAL, amount="100000", **extra):
    return DealFactory(client=ClientFactory(owner=owner), owner=owner, stage=stage, amount=Decimal(amount), **extra)


def move(client, deal, stage, **data):
    return client.post(reverse("deal_move", args=[deal.pk]), {"stage": stage, **data}, **JSON)


def queries_of(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


# --- the board -------------------------------------------------------------------------------------------


def test_the_board_shows_a_manager_only_own_deals_in_their_stage_columns(client, manager, other_manager):
    own = make_deal(manager, Stage.PROPOSAL, title="Своя сделка")
    foreign = make_deal(other_manager, Stage.PROPOSAL, title="Чужая сделка")

    response = logged_in(client, manager).get(reverse("board"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Своя сделка" in html and "Чужая сделка" not in html
    columns = {c.stage: c for c in response.context["columns"]}
    assert [d.pk for d in columns["proposal"].deals] == [own.pk]
    assert columns["proposal"].count == 1 and columns["proposal"].amount == Decimal("100000")
    assert foreign.pk not in [d.pk for c in columns.values() for d in c.deals]
    assert len(columns) == 14 and response.context["lost"].stage == Stage.LOST


@pytest.mark.parametrize(
    ("role_fixture", "sees_teammate", "sees_other_team"),
    [("team_lead", True, False), ("head", True, True), ("admin_user", True, True)],
)
def test_the_board_shows_a_team_lead_the_team_and_the_head_everyone(
    client, request, manager, other_manager, role_fixture, sees_teammate, sees_other_team
):
    viewer = request.getfixturevalue(role_fixture)
    teammate_deal = make_deal(manager, title="Сделка коллеги")
    other_deal = make_deal(other_manager, title="Сделка другой группы")

    response = logged_in(client, viewer).get(reverse("board"))

    shown = {d.pk for c in response.context["columns"] for d in c.deals}
    assert (teammate_deal.pk in shown, other_deal.pk in shown) == (sees_teammate, sees_other_team)


@pytest.mark.parametrize("role_fixture", ["service_owner", "vip_head", "base_manager"])
def test_roles_without_sales_deals_get_403_on_the_board_and_the_move(client, request, manager, role_fixture):
    deal = make_deal(manager)
    viewer = logged_in(client, request.getfixturevalue(role_fixture))

    assert viewer.get(reverse("board")).status_code == 403
    assert move(viewer, deal, Stage.REPEAT_MEETING).status_code == 403
    assert Deal.objects.get(pk=deal.pk).stage == Stage.PROPOSAL


def test_the_board_sends_an_anonymous_visitor_to_login(client, db):
    response = client.get(reverse("board"))

    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_board_cards_show_the_overdue_and_the_no_task_marks_and_the_loss_reason(client, manager):
    now = timezone.now()
    late = make_deal(manager, Stage.FIRST_MEETING, title="Просроченная")
    ActivityFactory(
        client=late.client, deal=late, kind="task", subject="Позвонить", due_at=now - timedelta(days=1), done_at=None
    )
    bare = make_deal(manager, Stage.PROPOSAL, title="Без задачи")
    lost = make_deal(manager, Stage.LOST, title="Потерянная", lost_reason=LostReasonFactory(name="Дорого"))

    html = logged_in(client, manager).get(reverse("board")).content.decode()

    def card(deal):
        start = html.index(f'data-testid="deal-{deal.pk}"')
        return html[start : html.index("</article>", start)]

    assert 'data-testid="mark-overdue"' in card(late)
    assert 'data-testid="mark-no-task"' in card(bare)
    assert "Дорого" in card(lost) and "mark-no-task" not in card(lost)


def test_board_filters_by_search_segment_and_manager_for_the_head(client, head, manager, teammate):
    retail = SegmentFactory(name="Розница")
    wanted = DealFactory(client=ClientFactory(owner=manager, segment=retail, name="ООО Ромашка"), stage="proposal")
    DealFactory(client=ClientFactory(owner=manager, name="ООО Лютик"), stage="proposal")
    DealFactory(client=ClientFactory(owner=teammate, segment=retail, name="ООО Ромашка-2"), stage="proposal")
    viewer = logged_in(client, head)

    def shown(**params):
        response = viewer.get(reverse("board"), params)
        return {d.pk for c in response.context["columns"] for d in c.deals}

    assert shown(q="ромашка", manager=manager.pk) == {wanted.pk}
    assert shown(segment=retail.pk, manager=manager.pk) == {wanted.pk}
    assert len(shown(q="Ромашка")) == 2


def test_a_manager_gets_no_manager_or_team_filter_and_cannot_pick_another_manager(client, manager, other_manager):
    own = make_deal(manager)
    response = logged_in(client, manager).get(reverse("board"), {"manager": other_manager.pk})

    assert "manager" not in response.context["filters"].fields
    assert {d.pk for c in response.context["columns"] for d in c.deals} == {own.pk}


def test_the_board_runs_the_same_number_of_queries_for_3_and_30_deals(client, head, manager, other_manager):
    stages = [Stage.GOAL, Stage.PROPOSAL, Stage.CONTRACT]
    for i in range(3):
        make_deal(manager if i % 2 else other_manager, stages[i % 3])
    viewer = logged_in(client, head)
    few = queries_of(viewer, reverse("board"))
    for i in range(27):
        make_deal(manager if i % 2 else other_manager, stages[i % 3])

    assert queries_of(viewer, reverse("board")) == few
    assert queries_of(viewer, reverse("board_columns")) <= few


def test_the_board_exports_every_deal_the_filters_show_and_nothing_else(client, manager, teammate, team_lead):
    wanted = [make_deal(manager, Stage.PROPOSAL, title=f"Поставка {i}") for i in range(35)]
    make_deal(manager, Stage.PROPOSAL, title="Ремонт")
    make_deal(teammate, Stage.PROPOSAL, title="Поставка коллеги")

    response = logged_in(client, team_lead).get(reverse("board_export"), {"q": "поставка", "manager": manager.pk})

    assert response.status_code == 200
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))[1:]
    assert sorted(row[0] for row in rows) == sorted(d.title for d in wanted)
    as_manager = logged_in(client, manager).get(reverse("board_export"), {"q": "коллеги"})
    assert len(list(load_workbook(BytesIO(as_manager.content)).active.iter_rows())) == 1  # the header only


# --- moving a deal -----------------------------------------------------------------------------------------


def test_an_allowed_move_goes_through_the_service_and_records_the_change(client, manager):
    deal = make_deal(
        manager, proposal_amount=Decimal("90000"), proposal_document="КП-9", proposal_sent_on=date(2026, 11, 20)
    )

    response = move(logged_in(client, manager), deal, Stage.REPEAT_MEETING)

    assert response.status_code == 200 and response.json()["ok"] is True
    deal.refresh_from_db()
    assert deal.stage == Stage.REPEAT_MEETING
    change = DealStageChange.objects.get(deal=deal)
    assert (change.from_stage, change.to_stage, change.by) == (Stage.PROPOSAL, Stage.REPEAT_MEETING, manager)


def test_a_skip_is_refused_with_the_services_message_and_nothing_changes(client, manager):
    deal = make_deal(manager, Stage.REPEAT_MEETING, agreed_amount=Decimal("1"), payment_terms="100 %")

    response = move(logged_in(client, manager), deal, Stage.PAYMENT)

    assert response.status_code == 400
    expected = stage_move_problems(deal=deal, to_stage=Stage.PAYMENT, by=manager)["stage"]
    assert response.json() == {"ok": False, "message": expected, "stage": Stage.REPEAT_MEETING}
    assert Deal.objects.get(pk=deal.pk).stage == Stage.REPEAT_MEETING
    assert not DealStageChange.objects.filter(deal=deal).exists()


def test_missing_completion_data_returns_the_small_form_then_the_move_with_the_data_succeeds(client, manager):
    deal = make_deal(manager)
    viewer = logged_in(client, manager)

    first = move(viewer, deal, Stage.REPEAT_MEETING)

    body = first.json()
    assert body["ok"] is False and "message" not in body
    form = body["form"]
    for field in ("proposal_amount", "proposal_document", "proposal_sent_on"):
        assert f'name="{field}"' in form
    assert 'name="agreed_amount"' not in form and 'name="reason"' not in form
    assert Deal.objects.get(pk=deal.pk).stage == Stage.PROPOSAL

    second = move(
        viewer,
        deal,
        Stage.REPEAT_MEETING,
        confirm="1",
        proposal_amount="150 000,50",
        proposal_document="КП-17",
        proposal_sent_on="2026-11-20",
    )

    assert second.status_code == 200 and second.json()["ok"] is True
    deal.refresh_from_db()
    assert deal.stage == Stage.REPEAT_MEETING
    assert (deal.proposal_amount, deal.proposal_document, deal.proposal_sent_on) == (
        Decimal("150000.50"),
        "КП-17",
        date(2026, 11, 20),
    )


def test_the_small_form_shows_errors_and_keeps_what_was_typed(client, manager):
    deal = make_deal(manager, Stage.CONTRACT)
    viewer = logged_in(client, manager)

    bad_number = move(
        viewer, deal, Stage.PAYMENT, confirm="1", contract_number="Д-42", invoice_amount="много", invoice_number=""
    )
    missing = move(viewer, deal, Stage.PAYMENT, confirm="1", contract_number="Д-42", invoice_amount="250000")

    assert bad_number.status_code == 400
    form = bad_number.json()["form"]
    assert 'value="Д-42"' in form and 'value="много"' in form and "is-invalid" in form
    assert missing.status_code == 400
    form = missing.json()["form"]
    assert 'value="Д-42"' in form and 'value="250000"' in form
    for field in ("contract_date", "invoice_number", "invoice_date"):
        assert f'id="id_{field}_errors"' in form
    assert Deal.objects.get(pk=deal.pk).stage == Stage.CONTRACT
    assert Deal.objects.get(pk=deal.pk).contract_number == ""


def test_a_move_whose_gate_is_not_a_form_field_is_refused_with_the_reason(client, manager):
    deal = make_deal(manager, Stage.CONTRACT, invoice_amount=Decimal("1000"))
    Deal.objects.filter(pk=deal.pk).update(stage=Stage.PAYMENT)
    deal.refresh_from_db()

    response = move(logged_in(client, manager), deal, Stage.FULFILMENT)

    assert response.status_code == 400
    assert (
        response.json()["message"] == stage_move_problems(deal=deal, to_stage=Stage.FULFILMENT, by=manager)["payments"]
    )


def test_a_manager_cannot_move_back_and_the_head_must_give_a_reason(client, manager, head):
    deal = make_deal(manager, Stage.CONTRACT)

    refused = move(logged_in(client, manager), deal, Stage.REPEAT_MEETING)
    assert refused.status_code == 400 and "message" in refused.json()

    viewer = logged_in(client, head)
    asked = move(viewer, deal, Stage.REPEAT_MEETING)
    assert 'name="reason"' in asked.json()["form"] and 'name="contract_number"' not in asked.json()["form"]
    empty = move(viewer, deal, Stage.REPEAT_MEETING, confirm="1", reason="  ")
    assert empty.status_code == 400 and 'id="id_reason_errors"' in empty.json()["form"]
    assert Deal.objects.get(pk=deal.pk).stage == Stage.CONTRACT

    done = move(viewer, deal, Stage.REPEAT_MEETING, confirm="1", reason="Клиент пересматривает цену")

    assert done.json()["ok"] is True
    change = DealStageChange.objects.get(deal=deal)
    assert (change.is_backward, change.reason, change.by) == (True, "Клиент пересматривает цену", head)


def test_losing_a_deal_asks_for_an_active_reason(client, manager):
    deal = make_deal(manager)
    price = LostReasonFactory(name="Цена")
    LostReasonFactory(name="Старая причина", is_active=False)
    viewer = logged_in(client, manager)

    asked = move(viewer, deal, Stage.LOST)
    form = asked.json()["form"]
    assert 'name="lost_reason"' in form and "Цена" in form and "Старая причина" not in form
    without = move(viewer, deal, Stage.LOST, confirm="1", note="Ушли к конкурентам")
    assert without.status_code == 400 and "Ушли к конкурентам" in without.json()["form"]
    assert Deal.objects.get(pk=deal.pk).stage == Stage.PROPOSAL

    done = move(viewer, deal, Stage.LOST, confirm="1", lost_reason=price.pk, note="Ушли к конкурентам")

    assert done.json()["ok"] is True
    deal.refresh_from_db()
    assert (deal.stage, deal.lost_reason, deal.lost_from_stage, deal.lost_note) == (
        Stage.LOST,
        price,
        Stage.PROPOSAL,
        "Ушли к конкурентам",
    )


def test_another_managers_deal_answers_404_on_move_and_card_and_stays_unchanged(client, manager, other_manager):
    deal = make_deal(other_manager, proposal_amount=Decimal("1"), proposal_sent_on=date(2026, 11, 1))
    viewer = logged_in(client, manager)

    assert move(viewer, deal, Stage.REPEAT_MEETING).status_code == 404
    assert move(viewer, deal, Stage.LOST, confirm="1", lost_reason=LostReasonFactory().pk).status_code == 404
    assert viewer.get(reverse("deal_detail", args=[deal.pk])).status_code == 404
    assert viewer.get(reverse("deal_print", args=[deal.pk])).status_code == 404
    assert (
        viewer.post(reverse("deal_payment", args=[deal.pk]), {"amount": "1", "paid_on": "2026-11-20"}).status_code
        == 404
    )
    assert viewer.post(reverse("deal_activity", args=[deal.pk]), {"kind": "task", "subject": "x"}).status_code == 404
    assert Deal.objects.get(pk=deal.pk).stage == Stage.PROPOSAL
    assert not DealStageChange.objects.filter(deal=deal).exists()
    assert not Activity.objects.filter(deal=deal).exists()


def test_a_plain_form_post_redirects_on_success_and_shows_a_page_with_the_form_otherwise(client, manager):
    deal = make_deal(manager)
    viewer = logged_in(client, manager)
    url = reverse("deal_move", args=[deal.pk])

    page = viewer.post(url, {"stage": Stage.REPEAT_MEETING})
    assert page.status_code == 200 and 'data-testid="move-form"' in page.content.decode()

    done = viewer.post(
        url,
        {
            "stage": Stage.REPEAT_MEETING,
            "confirm": "1",
            "proposal_amount": "1000",
            "proposal_document": "КП-1",
            "proposal_sent_on": "2026-11-20",
        },
    )

    assert done.status_code == 302 and done["Location"] == reverse("deal_detail", args=[deal.pk])
    assert Deal.objects.get(pk=deal.pk).stage == Stage.REPEAT_MEETING


# --- the deal card -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role_fixture", "status"),
    [
        ("manager", 200),
        ("teammate", 404),
        ("other_manager", 404),
        ("team_lead", 200),
        ("head", 200),
        ("service_owner", 404),
    ],
)
def test_the_deal_card_is_shown_to_who_sees_the_deal_and_404_to_everyone_else(
    client, request, manager, role_fixture, status
):
    deal = make_deal(manager, title="Поставка камер")
    viewer = logged_in(client, request.getfixturevalue(role_fixture))

    response = viewer.get(reverse("deal_detail", args=[deal.pk]))

    assert response.status_code == status
    if status == 200:
        assert "Поставка камер" in response.content.decode()
        assert viewer.get(reverse("deal_print", args=[deal.pk])).status_code == 200


def test_the_deal_card_shows_history_with_durations_products_documents_and_the_next_task(client, manager):
    deal = make_deal(manager, Stage.GOAL, title="Сделка с историей")
    start = timezone.now() - timedelta(days=10)
    for offset, (from_stage, to_stage) in enumerate([("", "goal"), ("goal", "market"), ("market", "prospect_list")]):
        DealStageChange.objects.create(
            deal=deal, from_stage=from_stage, to_stage=to_stage, by=manager, at=start + timedelta(days=3 * offset)
        )
    Deal.objects.filter(pk=deal.pk).update(stage=Stage.PROSPECT_LIST, contract_number="Д-7")
    deal.lines.create(product=ProductFactory(name="Видеокамера"), quantity=2, price=Decimal("1500"))
    ActivityFactory(
        client=deal.client,
        deal=deal,
        kind="task",
        subject="Отправить КП",
        due_at=timezone.now() + timedelta(days=1),
        done_at=None,
    )

    response = logged_in(client, manager).get(reverse("deal_detail", args=[deal.pk]))

    card = response.context["card"]
    assert [(s.stage, s.duration.days) for s in card.stays] == [("goal", 3), ("market", 3), ("prospect_list", 4)]
    assert card.cycle.days == 10
    html = response.content.decode()
    assert "Видеокамера" in html and "3\u00a0000,00\u00a0₽" in html
    assert "Д-7" in html and "Отправить КП" in html
    assert card.next_task.subject == "Отправить КП"


def test_recording_a_payment_shows_what_is_still_due(client, manager):
    deal = make_deal(
        manager, Stage.CONTRACT, invoice_amount=Decimal("100000"), invoice_number="С-1", invoice_date=date(2026, 11, 1)
    )
    viewer = logged_in(client, manager)

    response = viewer.post(
        reverse("deal_payment", args=[deal.pk]),
        {"amount": "40 000,00", "paid_on": "2026-11-20", "document_number": "ПП-5"},
    )

    assert response.status_code == 302
    deal.refresh_from_db()
    assert deal.paid_amount == Decimal("40000")
    page = viewer.get(reverse("deal_detail", args=[deal.pk]))
    assert "60\u00a0000,00\u00a0₽" in page.content.decode() and "ПП-5" in page.content.decode()


def test_payment_form_errors_keep_the_typed_values(client, manager):
    deal = make_deal(manager, Stage.CONTRACT, invoice_amount=Decimal("100000"))
    viewer = logged_in(client, manager)
    url = reverse("deal_payment", args=[deal.pk])

    too_much = viewer.post(url, {"amount": "150000", "paid_on": "2026-11-20", "document_number": "ПП-9"})
    unreadable = viewer.post(url, {"amount": "сто", "paid_on": "20.13.2026", "document_number": "ПП-9"})

    assert too_much.status_code == 400
    html = too_much.content.decode()
    assert too_much.context["payment_form"].errors["amount"]
    assert 'value="150000"' in html and 'value="ПП-9"' in html
    assert unreadable.status_code == 400
    form = unreadable.context["payment_form"]
    assert set(form.errors) == {"amount", "paid_on"}
    assert 'value="сто"' in unreadable.content.decode()
    assert Deal.objects.get(pk=deal.pk).paid_amount == 0


def test_logging_a_task_on_the_deal_goes_through_the_activity_service(client, manager):
    deal = make_deal(manager)
    viewer = logged_in(client, manager)
    url = reverse("deal_activity", args=[deal.pk])

    missing_due = viewer.post(url, {"kind": "task", "subject": "Перезвонить"})
    assert missing_due.status_code == 400 and 'value="Перезвонить"' in missing_due.content.decode()

    done = viewer.post(url, {"kind": "task", "subject": "Перезвонить", "due_at": "2026-12-01T10:00"})

    assert done.status_code == 302
    task = Activity.objects.get(deal=deal)
    assert (task.owner, task.client, task.kind, task.done_at) == (manager, deal.client, "task", None)


def test_the_deal_card_runs_the_same_number_of_queries_for_3_and_30_rows(client, manager):
    deal = make_deal(manager, Stage.CONTRACT, invoice_amount=Decimal("1000000"))
    now = timezone.now()

    def add_rows(n):
        for i in range(n):
            DealStageChange.objects.create(deal=deal, from_stage="", to_stage="goal", by=manager, at=now)
            deal.lines.create(product=ProductFactory(), quantity=1, price=Decimal("10"))
            deal.payments.create(amount=Decimal("1"), paid_on=date(2026, 11, 1), by=manager)
            ActivityFactory(client=deal.client, deal=deal, owner=manager, due_at=now + timedelta(days=i), done_at=None)

    viewer = logged_in(client, manager)
    add_rows(3)
    few = queries_of(viewer, reverse("deal_detail", args=[deal.pk]))
    add_rows(27)

    assert queries_of(viewer, reverse("deal_detail", args=[deal.pk])) == few


# --- the head's pipeline review ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role_fixture", "status"),
    [("manager", 403), ("other_manager", 403), ("team_lead", 200), ("head", 200), ("service_owner", 403)],
)
def test_the_review_is_for_the_head_and_team_leads(client, request, role_fixture, status):
    viewer = logged_in(client, request.getfixturevalue(role_fixture))

    assert viewer.get(reverse("pipeline_review")).status_code == status
    assert viewer.get(reverse("pipeline_review_export")).status_code == status
    assert viewer.get(reverse("pipeline_review_print")).status_code == status


def test_a_team_lead_reviews_only_the_team(client, team_lead, manager, other_manager):
    make_deal(manager, Stage.PROPOSAL, "300000")
    make_deal(other_manager, Stage.PROPOSAL, "999999")

    response = logged_in(client, team_lead).get(reverse("pipeline_review"))

    people = {p.manager for p in response.context["review"].managers}
    assert people == {manager, team_lead}
    assert "999\u00a0999" not in response.content.decode()


def test_the_review_figures_equal_the_selectors(client, head, manager, other_manager):
    today = timezone.localdate()
    make_deal(manager, Stage.CONTRACT, "250000", probability=80, expected_close_date=today)
    make_deal(manager, Stage.PROPOSAL, "100000", probability=30)
    make_deal(
        other_manager,
        Stage.PAYMENT,
        "50000",
        probability=90,
        invoice_amount=Decimal("50000"),
        expected_close_date=today,
    )

    response = logged_in(client, head).get(reverse("pipeline_review"))

    shown = response.context["review"]
    expected = pipeline_review(
        deals=Deal.objects.all(), managers=User.objects.sellers(), today=today, now=timezone.now()
    )
    assert [
        (p.manager, p.by_stage, p.open_amount, p.open_weighted, p.average_deal, p.too_small) for p in shown.managers
    ] == [
        (p.manager, p.by_stage, p.open_amount, p.open_weighted, p.average_deal, p.too_small) for p in expected.managers
    ]
    assert (shown.week_total, shown.month_total, shown.payments_by_day) == (
        expected.week_total,
        expected.month_total,
        expected.payments_by_day,
    )
    monday = today - timedelta(days=today.weekday())
    assert list(shown.week_by_day) == [monday + timedelta(days=n) for n in range(7)]
    assert shown.week_by_day[today] == Decimal("300000") == sum(shown.week_by_day.values())
    html = response.content.decode()
    # Totals in whole roubles, a day's expected payments to the kopeck.
    assert "250\u00a0000\u00a0₽" in html and "300\u00a0000\u00a0₽" in html and "300\u00a0000,00\u00a0₽" in html
    charts = response.context["charts"]
    assert sum(charts["payments"]["amounts"]) == float(expected.month_total) == 300000.0


def test_the_review_filters_by_team_for_the_head(client, head, manager, other_manager, other_team):
    make_deal(manager)
    make_deal(other_manager)

    response = logged_in(client, head).get(reverse("pipeline_review"), {"team": other_team.pk})

    assert [p.manager for p in response.context["review"].managers] == [other_manager]


def test_the_review_exports_the_per_manager_table_to_xlsx(client, head, manager):
    make_deal(manager, Stage.REPEAT_MEETING, "400000", probability=50)

    response = logged_in(client, head).get(reverse("pipeline_review_export"))

    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    with translation.override("ru"):
        titles = [str(column.title) for column in review_columns()]
    assert list(rows[0]) == titles
    row = dict(zip(titles, {r[0]: r for r in rows[1:]}[str(manager)], strict=True))
    with translation.override("ru"):
        stage_count = f"{Stage.REPEAT_MEETING.label}: {translation.gettext('deals')}"
        weighted = str(translation.gettext("Weighted amount"))
    assert row[stage_count] == 1
    assert Decimal(str(row[weighted])) == Decimal("200000")


def test_the_review_runs_the_same_number_of_queries_for_3_and_30_deals(client, head, manager, other_manager):
    stages = [Stage.PROPOSAL, Stage.CONTRACT, Stage.PAYMENT]
    today = timezone.localdate()
    for i in range(3):
        make_deal(manager if i % 2 else other_manager, stages[i % 3], expected_close_date=today)
    viewer = logged_in(client, head)
    few = queries_of(viewer, reverse("pipeline_review"))
    for i in range(27):
        make_deal(manager if i % 2 else other_manager, stages[i % 3], expected_close_date=today)

    assert queries_of(viewer, reverse("pipeline_review")) == few


@pytest.mark.parametrize("url_name", ["pipeline_review", "pipeline_review_print"])
def test_the_review_and_its_printout_carry_all_14_stages_with_open_sums_of_the_open_ones(
    client, head, manager, url_name
):
    make_deal(manager, Stage.PROPOSAL, "100000", probability=30)
    make_deal(manager, Stage.FULFILMENT, "70000", probability=100)
    make_deal(manager, Stage.ACCOUNT, "5000", probability=100)

    response = logged_in(client, head).get(reverse(url_name))

    html = response.content.decode()
    for number, code in enumerate(Stage.values[:14], start=1):
        assert f"{number}. {Stage(code).label}" in html
        assert f'data-stage="{code}"' in html
    person = next(p for p in response.context["review"].managers if p.manager == manager)
    assert person.by_stage[Stage.FULFILMENT]["amount"] == Decimal("70000")
    assert person.by_stage[Stage.ACCOUNT]["count"] == 1
    # The open amount is of the open stages (1-11): the proposal only; a deal in fulfilment is won.
    assert (person.open_count, person.open_amount) == (1, Decimal("100000"))
    # Two lines of seven stages per manager: the first line ends with stage 7, the second starts with 8.
    lines = response.context["rows"][0]["lines"]
    assert lines[0][-1]["stage"] == Stage.FIRST_MEETING
    assert lines[1][0]["stage"] == Stage.PROPOSAL
    assert len(lines[0]) + len(lines[1]) == 14


def test_the_deal_printout_carries_all_14_stages_with_the_dates_reached(client, manager):
    deal = make_deal(manager, Stage.FIRST_MEETING)
    at = timezone.make_aware(timezone.datetime(2026, 11, 2, 10, 0))
    for number, (before, after) in enumerate(
        [("", Stage.GOAL), (Stage.GOAL, Stage.FIRST_CONTACT), (Stage.FIRST_CONTACT, Stage.FIRST_MEETING)]
    ):
        DealStageChange.objects.create(deal=deal, from_stage=before, to_stage=after, at=at + timedelta(days=number))

    response = logged_in(client, manager).get(reverse("deal_print", args=[deal.pk]))

    path = response.context["path"]
    assert [step.number for step in path] == list(range(1, 15))
    states = {step.stage: step.state for step in path}
    assert states[Stage.MEETING_PREP] == "passed"
    assert (states[Stage.FIRST_MEETING], states[Stage.PROPOSAL], states[Stage.ACCOUNT]) == ("current", "ahead", "ahead")
    reached = {step.stage: step.reached for step in path}
    assert reached[Stage.FIRST_CONTACT] == at + timedelta(days=1)
    assert reached[Stage.MARKET] is None  # skipped stages were never reached
    html = response.content.decode()
    assert html.count('data-testid="path-stage"') == 14
    assert "03.11.2026" in html
