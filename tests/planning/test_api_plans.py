"""/api/v1/plans/: generate (who may, bad input), read with the figures and lines, approve, visibility, queries."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from planning.models import Plan
from planning.services.plans import plan_generate
from tests.api_errors import field_errors
from tests.conftest import api_as
from tests.crm.factories import ClientFactory, SaleLineFactory, UserFactory

pytestmark = pytest.mark.django_db

MAY = date(2026, 5, 1)


def history(manager, clients=2):
    for i in range(clients):
        client = ClientFactory(owner=manager, name=f"Клиент {i}")
        for month in (1, 2, 3, 4):
            SaleLineFactory(client=client, manager=manager, date=date(2026, month, 5), amount=Decimal("40000"))


def test_the_head_generates_a_plan_and_gets_every_figure_and_line(manager, head):
    history(manager, clients=1)
    response = api_as(head).post(
        "/api/v1/plans/generate/",
        {"manager": manager.pk, "month": "2026-05", "target": "250000", "active_existing_share": "0.6"},
        format="json",
    )
    assert response.status_code == 201, response.data
    data = response.data
    assert data["month"] == "2026-05"
    assert data["regular_total"] == "40000.00"
    assert data["average_monthly"] == "40000.00"
    assert data["one_off"] == "0.00"
    assert data["active_gap"] == "210000.00"
    assert data["active_existing"] == "126000.00"
    assert data["active_new"] == "84000.00"
    assert data["cross_sell_cover"] == "630000.00"
    assert data["gap_warning"] is True  # 84 % of T
    assert data["gap_percent"] == Decimal("84.0")
    [line] = data["lines"]
    assert (line["months_with_purchases"], line["window_total"], line["plan"]) == (4, "160000.00", "40000.00")
    assert line["monthly"] == ["40000.00"] * 4
    assert line["client_name"] == "Клиент 0"


def test_a_manager_may_not_set_his_own_target_nor_a_colleagues(manager, other_manager):
    me = api_as(manager)
    mine = me.post("/api/v1/plans/generate/", {"manager": manager.pk, "month": "2026-05", "target": "1000"})
    assert mine.status_code == 403
    theirs = me.post("/api/v1/plans/generate/", {"manager": other_manager.pk, "month": "2026-05", "target": "1000"})
    assert theirs.status_code == 403
    assert not Plan.objects.filter(manager=other_manager).exists()


@pytest.mark.parametrize(
    ("payload", "fields"),
    [
        ({"month": "May", "target": "1000"}, {"month"}),
        ({"month": "2026-05", "target": "-5"}, {"target"}),
        ({"month": "2026-05", "target": "abc"}, {"target"}),
        ({"month": "2026-05", "target": "1000", "one_off_share": "0.5"}, {"one_off_share"}),
        ({"month": "2026-05", "target": "1000", "active_existing_share": "0.9"}, {"active_existing_share"}),
        ({"manager": 999999, "month": "2026-05", "target": "1000"}, {"manager"}),
    ],
)
def test_bad_input_is_a_400_with_field_errors(head, manager, payload, fields):
    payload = {"manager": manager.pk, **payload}
    response = api_as(head).post("/api/v1/plans/generate/", payload, format="json")
    assert response.status_code == 400
    assert fields <= set(field_errors(response))
    assert not Plan.objects.exists()


def test_generating_twice_with_the_same_input_returns_the_same_plan(head, manager):
    history(manager)
    payload = {"manager": manager.pk, "month": "2026-05", "target": "100000"}
    first = api_as(head).post("/api/v1/plans/generate/", payload).data
    second = api_as(head).post("/api/v1/plans/generate/", payload).data
    assert first["id"] == second["id"]
    assert second["version"] == 1


def test_managers_see_only_their_own_plans_and_404_for_others(manager, other_manager, head):
    mine = plan_generate(manager=manager, month=MAY, target=Decimal("1000"), by=head)
    theirs = plan_generate(manager=other_manager, month=MAY, target=Decimal("1000"), by=head)
    client = api_as(manager)
    assert [row["id"] for row in client.get("/api/v1/plans/").data["results"]] == [mine.pk]
    assert client.get(f"/api/v1/plans/{theirs.pk}/").status_code == 404
    assert client.post(f"/api/v1/plans/{theirs.pk}/approve/").status_code == 404
    assert api_as(head).get(f"/api/v1/plans/{theirs.pk}/").status_code == 200


def test_the_head_approves_and_a_manager_may_not(manager, head):
    plan = plan_generate(manager=manager, month=MAY, target=Decimal("1000"), by=head)
    assert api_as(manager).post(f"/api/v1/plans/{plan.pk}/approve/").status_code == 403
    response = api_as(head).post(f"/api/v1/plans/{plan.pk}/approve/")
    assert response.status_code == 200
    assert response.data["status"] == "approved"


def test_the_plan_list_takes_the_same_number_of_queries_for_3_and_30_plans(head):
    def count(n, month):
        for _i in range(n):
            seller = UserFactory()
            history(seller, clients=2)
            plan_generate(manager=seller, month=month, target=Decimal("1000"), by=head)
        with CaptureQueriesContext(connection) as captured:
            response = api_as(head).get("/api/v1/plans/", {"month": month.isoformat(), "page_size": 100})
        assert response.status_code == 200
        assert len(response.data["results"]) == n
        return len(captured)

    assert count(3, date(2026, 5, 1)) == count(30, date(2026, 6, 1))


def test_the_list_gives_the_line_count_and_the_detail_the_lines(head, manager):
    history(manager, clients=2)
    plan = plan_generate(manager=manager, month=MAY, target=Decimal("1000"), by=head)
    [row] = api_as(head).get("/api/v1/plans/").data["results"]
    assert "lines" not in row
    assert (row["id"], row["line_count"], row["regular_total"]) == (plan.pk, 2, "80000.00")
    detail = api_as(head).get(f"/api/v1/plans/{plan.pk}/").data
    assert [line["client_name"] for line in detail["lines"]] == ["Клиент 0", "Клиент 1"]
    assert "line_count" not in detail


def test_the_list_filters_by_month_as_yyyy_mm_and_refuses_a_bad_month(manager, head):
    may = plan_generate(manager=manager, month=MAY, target=Decimal("1000"), by=head)
    plan_generate(manager=manager, month=date(2026, 6, 1), target=Decimal("1000"), by=head)
    client = api_as(head)
    assert [row["id"] for row in client.get("/api/v1/plans/", {"month": "2026-05"}).data["results"]] == [may.pk]
    response = client.get("/api/v1/plans/", {"month": "May"})
    assert response.status_code == 400
    assert "month" in field_errors(response)
