"""The plan pages: the month's plans by role, a plan with every figure explained, adjust, approve, print."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from planning.models import Plan
from planning.services.plans import plan_generate
from tests.crm.factories import ClientFactory, SaleLineFactory, UserFactory

pytestmark = pytest.mark.django_db

MAY = date(2026, 5, 1)


def worked_example(manager):
    table = {
        "Alfa": (100_000, 120_000, 80_000, 100_000),
        "Beta": (0, 60_000, 60_000, 60_000),
        "Gamma": (200_000, 0, 0, 0),
        "Delta": (50_000, 0, 0, 30_000),
    }
    for name, amounts in table.items():
        client = ClientFactory(name=name, owner=manager)
        for month, amount in enumerate(amounts, start=1):
            if amount:
                SaleLineFactory(client=client, manager=manager, date=date(2026, month, 10), amount=Decimal(amount))


@pytest.fixture
def plan(manager, head):
    worked_example(manager)
    return plan_generate(manager=manager, month=MAY, target=Decimal("250000"), by=head)


@pytest.mark.russian
def test_the_plan_page_shows_every_figure_with_how_it_was_computed(client, head, plan):
    client.force_login(head)
    response = client.get(reverse("plan_detail", args=[plan.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "145\xa0000\xa0₽",  # R
        "860\xa0000\xa0₽ / 4",  # A's total
        "215\xa0000\xa0₽",  # A
        "14\xa0000\xa0₽",  # O
        "91\xa0000\xa0₽",  # G
        "36,4",  # G as per cent of T (Russian decimal comma)
        "45\xa0500\xa0₽",  # E and N
        "5 × 45\xa0500\xa0₽",
        "227\xa0500\xa0₽",  # 5 × E
        "Alfa",
        "Beta",
        "400\xa0000\xa0₽",
        "25\xa0000\xa0₽",  # Alfa's weekly order
    ):
        assert text in html, text
    assert "Gamma" not in html
    assert 'data-testid="gap-warning"' not in html
    assert 'data-testid="plan-approve"' in html
    assert 'data-testid="plan-adjust-form"' in html


def test_a_manager_sees_his_plan_without_the_head_controls_and_404_for_a_colleagues(
    client, manager, other_manager, head, plan
):
    theirs = plan_generate(manager=other_manager, month=MAY, target=Decimal("1000"), by=head)
    client.force_login(manager)
    html = client.get(reverse("plan_detail", args=[plan.pk])).content.decode()
    assert "Alfa" in html
    assert 'data-testid="plan-approve"' not in html
    assert 'data-testid="plan-adjust-form"' not in html
    assert client.get(reverse("plan_detail", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("plan_approve", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("plan_approve", args=[plan.pk])).status_code == 403
    plan.refresh_from_db()
    assert plan.status == "draft"


def test_roles_without_sales_work_cannot_open_plans(client, base_manager):
    client.force_login(base_manager)
    assert client.get(reverse("plan_list")).status_code == 403


def test_the_head_adjusts_t_and_s_into_a_new_version_and_approves_it(client, head, plan):
    client.force_login(head)
    response = client.post(
        reverse("plan_adjust", args=[plan.pk]),
        {"target": "240000", "active_existing_share": "0.6667", "one_off_share": "0.25"},
    )
    new = Plan.objects.get(manager=plan.manager, month=MAY, version=2)
    assert response.status_code == 302 and response.url == reverse("plan_detail", args=[new.pk])
    assert (new.target, new.active_existing_share, new.one_off_share) == (
        Decimal("240000.00"),
        Decimal("0.6667"),
        Decimal("0.2500"),
    )
    client.post(reverse("plan_approve", args=[new.pk]))
    plan.refresh_from_db()
    new.refresh_from_db()
    assert (plan.status, new.status) == ("superseded", "approved")
    html = client.get(reverse("plan_detail", args=[new.pk])).content.decode()
    assert html.count('data-testid="plan-versions"') == 1 and "v1" in html and "v2" in html


def test_a_bad_adjustment_is_refused_with_a_message_and_keeps_what_was_typed(client, head, plan):
    client.force_login(head)
    response = client.post(
        reverse("plan_adjust", args=[plan.pk]),
        {"target": "240000", "active_existing_share": "0.9", "one_off_share": "0.2"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_active_existing_share_errors"' in html
    assert 'value="240000"' in html
    assert Plan.objects.count() == 1


def test_the_list_shows_the_heads_all_managers_and_a_seller_only_himself(client, manager, other_manager, head, plan):
    plan_generate(manager=other_manager, month=MAY, target=Decimal("1000"), by=head)
    client.force_login(head)
    html = client.get(reverse("plan_list"), {"month": "2026-05"}).content.decode()
    assert str(manager) in html and str(other_manager) in html
    assert html.count('data-testid="plan-approve"') == 2
    client.force_login(manager)
    html = client.get(reverse("plan_list"), {"month": "2026-05"}).content.decode()
    assert str(manager) in html and str(other_manager) not in html
    assert 'data-testid="plan-approve"' not in html


def test_generating_from_the_list_page(client, manager, head):
    worked_example(manager)
    client.force_login(head)
    response = client.post(
        reverse("plan_generate"),
        {
            "manager": manager.pk,
            "month": "2026-05",
            "target": "250000",
            "active_existing_share": "0.5",
            "one_off_share": "0.2",
        },
    )
    plan = Plan.objects.get(manager=manager)
    assert response.status_code == 302
    assert plan.active_gap == Decimal("91000.00")


def test_a_seller_cannot_generate_for_a_colleague_from_the_page(client, manager, other_manager):
    client.force_login(manager)
    response = client.post(
        reverse("plan_generate"),
        {
            "manager": other_manager.pk,
            "month": "2026-05",
            "target": "1",
            "active_existing_share": "0.5",
            "one_off_share": "0.2",
        },
    )
    assert response.status_code == 400
    assert not Plan.objects.exists()


def test_the_print_view_has_the_figures_and_no_navigation(client, head, plan):
    client.force_login(head)
    html = client.get(reverse("plan_print", args=[plan.pk])).content.decode()
    assert 'data-testid="plan-print-sheet"' in html
    assert "227\xa0500\xa0₽" in html
    assert "navbar" not in html


def test_a_gap_outside_25_to_40_per_cent_is_flagged(client, manager, head):
    plan = plan_generate(manager=manager, month=MAY, target=Decimal("1000"), by=head)
    client.force_login(head)
    assert 'data-testid="gap-warning"' in client.get(reverse("plan_detail", args=[plan.pk])).content.decode()


def test_the_pages_take_the_same_number_of_queries_for_3_and_30_rows(client, head):
    def count(n, month):
        plan = None
        for _i in range(n):
            seller = UserFactory()
            for k in range(2):
                c = ClientFactory(owner=seller)
                for m in (1, 2, 3, 4):
                    SaleLineFactory(client=c, manager=seller, date=date(2026, m, 3 + k), amount=Decimal("1000"))
            plan = plan_generate(manager=seller, month=month, target=Decimal("1000"), by=head)
        for i in range(n):  # a big plan: n regular clients
            c = ClientFactory(owner=plan.manager)
            for m in (1, 2, 3, 4):
                SaleLineFactory(client=c, manager=plan.manager, date=date(2026, m, 20), amount=Decimal(1000 + i))
        plan = plan_generate(manager=plan.manager, month=month, target=Decimal("1000"), by=head)
        client.force_login(head)
        with CaptureQueriesContext(connection) as listed:
            assert client.get(reverse("plan_list"), {"month": f"{month:%Y-%m}"}).status_code == 200
        with CaptureQueriesContext(connection) as detailed:
            assert client.get(reverse("plan_detail", args=[plan.pk])).status_code == 200
        return len(listed), len(detailed)

    assert count(3, date(2026, 5, 1)) == count(30, date(2026, 6, 1))


def test_an_approved_plan_keeps_its_window_and_cover_when_the_head_changes_the_numbers(client, head, plan):
    from crm.models import DepartmentSettings
    from planning.services.plans import plan_approve

    plan_approve(plan=plan, by=head)
    settings = DepartmentSettings.current()
    settings.plan_window_months, settings.cross_sell_cover = 6, 3
    settings.save()
    client.force_login(head)

    response = client.get(reverse("plan_detail", args=[plan.pk]))

    assert response.status_code == 200
    explained = response.context["explained"]
    assert len(explained["months"]) == 4  # the window the plan was computed with
    assert explained["cover_factor"] == 5
    plan.refresh_from_db()
    assert (plan.status, plan.cross_sell_cover) == (Plan.Status.APPROVED, Decimal("227500.00"))
