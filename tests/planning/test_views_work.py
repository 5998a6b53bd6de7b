"""Pages and API of working the plan and plan/fact: who may open what, edits by the head, constant query counts."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from crm.models import DepartmentSettings
from planning.models import ComplementRule, FeaturedItem, Plan, PlanLine
from tests.api_errors import field_errors
from tests.conftest import api_as
from tests.crm.factories import (
    ActivityFactory,
    CategoryFactory,
    ClientFactory,
    DealFactory,
    ProductFactory,
    SaleLineFactory,
)


def this_month():
    return timezone.localdate().replace(day=1)


def make_plan(manager, **extra):
    DepartmentSettings.current()  # created once, before any query is counted
    month = this_month()
    return Plan.objects.create(
        manager=manager,
        month=month,
        target=Decimal("300000"),
        window_start=month - timedelta(days=120),
        window_end=month - timedelta(days=1),
        cross_sell_cover=Decimal("227500"),
        **extra,
    )


def add_rows(manager, plan, n, start=0):
    """n regular clients with orders and calls this week, unpaid lines and deals, camera sales for Tool 1."""
    today = timezone.localdate()
    cameras = CategoryFactory(name="Камеры")
    recorders = CategoryFactory(name="Регистраторы")
    ComplementRule.objects.get_or_create(category=cameras, complement=recorders)
    for i in range(start, start + n):
        client = ClientFactory(owner=manager, name=f"Клиент {i}")
        PlanLine.objects.create(
            plan=plan,
            client=client,
            months_with_purchases=4,
            window_total=Decimal("40000"),
            plan_amount=Decimal("10000"),
        )
        SaleLineFactory(client=client, date=today, amount=Decimal("2500"))
        ActivityFactory(client=client, kind="call", direction="out", done_at=timezone.now())
        one_off = ClientFactory(owner=manager, name=f"Разовый {i}")
        SaleLineFactory(client=one_off, date=today, amount=Decimal("100"), is_paid=False)
        DealFactory(client=one_off, stage="contract")
        camera = ProductFactory(category=cameras)
        ProductFactory(category=recorders)
        SaleLineFactory(client=client, product=camera, date=this_month() - timedelta(days=20))
        FeaturedItem.objects.create(product=camera, kind="new", valid_from=today)


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


PAGES = ["plan_work", "cross_sell", "cross_sell_print", "tool2", "tool2_print", "plan_fact"]


@pytest.mark.parametrize("name", PAGES)
def test_page_query_count_does_not_grow_with_rows(client, manager, name):
    plan = make_plan(manager)
    client.force_login(manager)
    add_rows(manager, plan, 3)
    with_3 = count_queries(client, reverse(name))
    add_rows(manager, plan, 27, start=3)
    with_30 = count_queries(client, reverse(name))
    assert with_3 == with_30


@pytest.mark.parametrize("name", ["plan-fact-list", "cross-sell-list"])
def test_api_query_count_does_not_grow_with_rows(manager, name):
    plan = make_plan(manager)
    api = api_as(manager)
    url = reverse(name)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert api.get(url).status_code == 200
        return len(queries)

    add_rows(manager, plan, 3)
    with_3 = count()
    add_rows(manager, plan, 27, start=3)
    assert with_3 == count()


def test_plan_work_page_shows_weekly_targets_calls_and_the_funnel(client, manager):
    plan = make_plan(manager)
    add_rows(manager, plan, 2)
    client.force_login(manager)
    html = client.get(reverse("plan_work")).content.decode()
    assert html.count('data-testid="regular-row"') == 2
    assert html.count('data-testid="funnel-row"') == 4
    assert html.count('data-testid="calls">1 / 2<') == 2
    assert "2\xa0500\xa0₽" in html and "10\xa0000\xa0₽" in html  # weekly targets: whole roubles


def test_head_without_a_manager_is_asked_to_choose_and_sees_anyones_plan(client, head, manager):
    plan = make_plan(manager)
    add_rows(manager, plan, 1)
    client.force_login(head)
    assert 'data-testid="choose-manager"' in client.get(reverse("plan_work")).content.decode()
    html = client.get(reverse("plan_work"), {"manager": manager.pk}).content.decode()
    assert 'data-testid="regular-row"' in html


@pytest.mark.parametrize("name", ["plan_work", "cross_sell", "plan_fact"])
def test_a_manager_asking_for_another_managers_plan_gets_404(client, manager, other_manager, teammate, name):
    make_plan(other_manager)
    client.force_login(manager)
    assert client.get(reverse(name), {"manager": other_manager.pk}).status_code == 404
    assert client.get(reverse(name), {"manager": teammate.pk}).status_code == 404
    assert client.get(reverse(name), {"manager": "x"}).status_code == 404


def test_team_lead_sees_his_teammates_plan_but_not_another_teams(client, team_lead, manager, other_manager):
    plan = make_plan(manager)
    add_rows(manager, plan, 1)
    client.force_login(team_lead)
    assert 'data-testid="regular-row"' in client.get(reverse("plan_work"), {"manager": manager.pk}).content.decode()
    assert client.get(reverse("plan_work"), {"manager": other_manager.pk}).status_code == 404


@pytest.mark.parametrize("name", PAGES)
def test_people_outside_sales_get_403(client, service_owner, name):
    client.force_login(service_owner)
    assert client.get(reverse(name)).status_code == 403


def test_plan_fact_page_shows_only_own_figures_to_a_manager(client, manager, other_manager):
    make_plan(manager)
    make_plan(other_manager)
    SaleLineFactory(client=ClientFactory(owner=other_manager), date=timezone.localdate(), amount=Decimal("77777"))
    client.force_login(manager)
    html = client.get(reverse("plan_fact")).content.decode()
    assert "77 777" not in html and str(other_manager) not in html
    assert 'id="plan-fact-chart"' in html and "js/planfact.js" in html


def test_plan_fact_page_rejects_a_malformed_month(client, manager):
    client.force_login(manager)
    assert client.get(reverse("plan_fact"), {"month": "2026-13"}).status_code == 404


# --- complement map and Tool 2 edits ---------------------------------------------------------------------------


def test_head_adds_and_removes_a_complement_pair(client, head):
    cameras, cable = CategoryFactory(name="Камеры"), CategoryFactory(name="Кабель")
    client.force_login(head)
    response = client.post(reverse("complement_map"), {"category": cameras.pk, "complement": cable.pk})
    assert response.status_code == 302
    rule = ComplementRule.objects.get()
    assert (rule.category, rule.complement) == (cameras, cable)
    client.post(reverse("complement_map"), {"remove": rule.pk})
    assert not ComplementRule.objects.exists()


def test_complement_map_rejects_a_pair_of_a_category_with_itself_and_keeps_the_choice(client, head):
    cameras = CategoryFactory(name="Камеры")
    client.force_login(head)
    response = client.post(reverse("complement_map"), {"category": cameras.pk, "complement": cameras.pk})
    assert response.status_code == 400
    html = response.content.decode()
    assert "cannot complement itself" in html
    assert f'value="{cameras.pk}" selected' in html
    assert not ComplementRule.objects.exists()


def test_complement_map_is_for_the_head_only(client, manager, team_lead):
    for user in (manager, team_lead):
        client.force_login(user)
        assert client.get(reverse("complement_map")).status_code == 403
        assert client.post(reverse("complement_map"), {"category": 1, "complement": 2}).status_code == 403


def test_head_adds_a_tool2_item_and_a_manager_reads_it_but_cannot_edit(client, head, manager):
    product = ProductFactory(name="Камера Y")
    today = timezone.localdate()
    client.force_login(head)
    response = client.post(
        reverse("tool2"), {"product": product.pk, "kind": "promotion", "note": "-10%", "valid_from": today.isoformat()}
    )
    assert response.status_code == 302
    item = FeaturedItem.objects.get()
    client.force_login(manager)
    html = client.get(reverse("tool2")).content.decode()
    assert "Камера Y" in html and 'data-testid="tool2-form"' not in html
    assert client.post(reverse("tool2"), {"remove": item.pk}).status_code == 404  # not one of his own lines
    assert FeaturedItem.objects.exists()


def test_tool2_rejects_an_end_before_the_start_and_keeps_the_note(client, head):
    product = ProductFactory()
    client.force_login(head)
    response = client.post(
        reverse("tool2"),
        {
            "product": product.pk,
            "kind": "new",
            "note": "Хит сезона",
            "valid_from": "2026-05-10",
            "valid_to": "2026-05-01",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "cannot be before the start" in html and "Хит сезона" in html
    assert not FeaturedItem.objects.exists()


# --- API visibility --------------------------------------------------------------------------------------------


def test_api_plan_fact_for_another_managers_id_is_404_and_leaks_nothing(manager, other_manager):
    make_plan(other_manager)
    SaleLineFactory(client=ClientFactory(owner=other_manager), date=timezone.localdate(), amount=Decimal("77777"))
    response = api_as(manager).get(reverse("plan-fact-list"), {"manager": other_manager.pk})
    assert response.status_code == 404
    own = api_as(manager).get(reverse("plan-fact-list"))
    assert [m["manager"] for m in own.json()["managers"]] == [manager.pk]
    assert "77777" not in own.content.decode()


def test_api_plan_fact_for_the_head_and_a_bad_month(head, manager):
    make_plan(manager, status=Plan.Status.APPROVED)  # plan/fact reads the approved T
    SaleLineFactory(client=ClientFactory(owner=manager), date=timezone.localdate(), amount=Decimal("1234"))
    data = api_as(head).get(reverse("plan-fact-list"), {"manager": manager.pk}).json()
    assert data["total"]["target"] == "300000.00" and data["total"]["fact"] == "1234.00"
    assert len(data["days"]) >= 28
    bad = api_as(head).get(reverse("plan-fact-list"), {"month": "май"})
    assert bad.status_code == 400 and "month" in field_errors(bad)


def test_api_cross_sell_lists_the_managers_suggestions_and_hides_others(
    manager, other_manager, team_lead, service_owner
):
    plan = make_plan(manager)
    add_rows(manager, plan, 2)
    data = api_as(manager).get(reverse("cross-sell-list")).json()
    assert data["cross_sell_cover"] == "227500.00" and len(data["rows"]) == 2
    assert data["rows"][0]["category_name"] == "Регистраторы"
    assert api_as(other_manager).get(reverse("cross-sell-list"), {"manager": manager.pk}).status_code == 404
    assert api_as(team_lead).get(reverse("cross-sell-list"), {"manager": manager.pk}).status_code == 200
    assert api_as(service_owner).get(reverse("cross-sell-list")).status_code == 403


def test_complement_map_query_count_does_not_grow_with_rows(client, head, manager):
    plan = make_plan(manager)
    client.force_login(head)
    add_rows(manager, plan, 3)
    for i in range(3):
        ComplementRule.objects.create(category=CategoryFactory(name=f"А{i}"), complement=CategoryFactory(name=f"Б{i}"))
    with_3 = count_queries(client, reverse("complement_map"))
    for i in range(3, 30):
        ComplementRule.objects.create(category=CategoryFactory(name=f"А{i}"), complement=CategoryFactory(name=f"Б{i}"))
    assert with_3 == count_queries(client, reverse("complement_map"))


def test_plan_fact_excel_holds_only_what_the_user_sees(client, manager, other_manager):
    make_plan(manager)
    make_plan(other_manager)
    client.force_login(manager)
    response = client.get(reverse("plan_fact_export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    import io

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.content)).active
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert str(manager) in names and str(other_manager) not in names


def test_my_day_and_the_review_show_the_plan_fact_widget(client, manager, head):
    make_plan(manager, status=Plan.Status.APPROVED)
    SaleLineFactory(client=ClientFactory(owner=manager), date=timezone.localdate(), amount=Decimal("4321"))
    client.force_login(manager)
    html = client.get(reverse("home")).content.decode()
    assert 'data-testid="plan-fact-widget"' in html and "4\xa0321\xa0₽" in html
    client.force_login(head)
    html = client.get(reverse("pipeline_review")).content.decode()
    assert 'data-testid="plan-fact-widget"' in html and "300\xa0000\xa0₽" in html


@pytest.mark.parametrize("url_name", ["plan_fact", "pipeline_review"])
def test_head_plan_fact_query_count_does_not_grow_with_managers(client, head, team, url_name):
    from tests.crm.factories import UserFactory

    def add_managers(n):
        for _ in range(n):
            seller = UserFactory(team=team)
            make_plan(seller)
            SaleLineFactory(client=ClientFactory(owner=seller), date=timezone.localdate())

    client.force_login(head)
    add_managers(3)
    with_3 = count_queries(client, reverse(url_name))
    add_managers(27)
    assert with_3 == count_queries(client, reverse(url_name))
