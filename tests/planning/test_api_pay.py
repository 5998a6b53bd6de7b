"""GET /api/v1/pay/ and /api/v1/pay-schemes/: a manager sees only his own pay and his role's scheme."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from crm.models import Role
from planning.models import PayScheme
from tests.api_errors import field_errors
from tests.conftest import api_as
from tests.planning.factories import make_plan, make_scheme, paid, set_results

D = Decimal
PAY = "/api/v1/pay/"
SCHEMES = "/api/v1/pay-schemes/"


@pytest.fixture
def month_of(manager):
    today = timezone.localdate()
    scheme = make_scheme()
    make_plan(manager, "1000000", month=today.replace(day=1))
    set_results(manager, scheme, 100, 50, 0, month=today.replace(day=1))
    paid(manager, "900000", today)
    return today


def test_a_manager_gets_his_own_pay_for_the_month(manager, month_of):
    response = api_as(manager).get(PAY, {"month": f"{month_of:%Y-%m}"})

    assert response.status_code == 200
    data = response.json()
    assert (data["manager"], data["month"], data["message"]) == (manager.pk, f"{month_of:%Y-%m}", "")
    assert data["plan"]["target"] == "1000000.00"
    earned = data["outlook"]["earned"]
    assert earned == {
        "fact": "900000.00",
        "target": "1000000.00",
        "fulfilment_percent": "90.00",
        "threshold": {"percent": 90, "rate": "4.00"},
        "fixed": "30000.00",
        "soft_part": "13000.00",
        "bonus": "36000.00",
        "total": "79000.00",
    }
    assert data["outlook"]["next_threshold"]["threshold"] == {"percent": 100, "rate": "5.00"}
    assert data["outlook"]["next_threshold"]["still_needed"] == "100000.00"
    assert [k["contribution"] for k in data["outlook"]["kpis"]] == ["50.00", "15.00", "0.00"]


def test_another_managers_pay_is_not_found_for_a_manager_but_open_to_the_head(manager, other_manager, head, month_of):
    assert api_as(other_manager).get(PAY, {"manager": manager.pk}).status_code == 404
    assert api_as(manager).get(PAY, {"manager": other_manager.pk}).status_code == 404
    assert api_as(head).get(PAY, {"manager": manager.pk}).json()["outlook"]["earned"]["total"] == "79000.00"


def test_bad_query_parameters_answer_400_with_the_field_and_other_roles_403(head, manager, vip_head, month_of):
    assert field_errors(api_as(manager).get(PAY, {"month": "2026-13"})) == {
        "month": ["Give the month as YYYY-MM, for example 2026-11."]
    }
    assert api_as(manager).get(PAY, {"manager": "x"}).status_code == 400
    assert "manager" in field_errors(api_as(head).get(PAY))
    assert api_as(vip_head).get(PAY).status_code == 403


def test_without_a_plan_the_api_answers_a_message_not_an_error(manager):
    make_scheme()

    data = api_as(manager).get(PAY, {"month": "2031-02"}).json()

    assert data["plan"] is None and "no plan" in data["message"]
    assert data["outlook"]["earned"]["fulfilment_percent"] is None
    assert data["outlook"]["next_threshold"] is None


def test_the_pay_query_count_does_not_grow_with_sales(manager, month_of):
    api = api_as(manager)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert api.get(PAY).status_code == 200
        return len(queries)

    with_3 = count()
    for _ in range(27):
        paid(manager, "1000", month_of)

    assert count() == with_3


def scheme_body(role="manager", weights=(50, 30, 20), thresholds=((80, "3"), (90, "4"), (100, "5"))):
    return {
        "role": role,
        "fixed": "25000.00",
        "soft": "15000.00",
        "kpis": [{"name": f"KPI {i}", "weight": w} for i, w in enumerate(weights)],
        "thresholds": [{"fulfilment_percent": p, "rate": r} for p, r in thresholds],
    }


def test_sellers_read_only_their_own_roles_scheme_and_may_not_write(manager, team_lead, head):
    make_scheme(Role.MANAGER)
    lead_scheme = make_scheme(Role.TEAM_LEAD, fixed="50000")

    as_manager = api_as(manager).get(SCHEMES).json()["results"]
    as_lead = api_as(team_lead).get(SCHEMES).json()["results"]

    assert [s["role"] for s in as_manager] == ["manager"]
    assert [k["weight"] for k in as_manager[0]["kpis"]] == [50, 30, 20]
    assert [s["role"] for s in as_lead] == ["team_lead"]
    assert api_as(manager).get(f"{SCHEMES}{lead_scheme.pk}/").status_code == 404
    assert len(api_as(head).get(SCHEMES).json()["results"]) == 2
    assert api_as(manager).post(SCHEMES, scheme_body(), format="json").status_code == 403


def test_the_head_sets_and_changes_a_scheme_through_the_api(head):
    created = api_as(head).post(SCHEMES, scheme_body(), format="json")

    assert created.status_code == 201
    assert created.json()["fixed"] == "25000.00"
    scheme = PayScheme.objects.get(role="manager")
    kpi = scheme.kpis.order_by("id").first()
    kpis = [{"id": kpi.pk, "name": "Звонки", "weight": 40}, {"name": "B", "weight": 30}, {"name": "C", "weight": 30}]
    patched = api_as(head).patch(f"{SCHEMES}{scheme.pk}/", {"kpis": kpis, "soft": "1000"}, format="json")

    assert patched.status_code == 200
    assert [(k["id"] == kpi.pk, k["name"]) for k in patched.json()["kpis"]] == [
        (True, "Звонки"),
        (False, "B"),
        (False, "C"),
    ]
    assert patched.json()["soft"] == "1000.00" and len(patched.json()["thresholds"]) == 3


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (scheme_body(weights=(20, 20, 20, 20, 10, 10)), "kpis"),  # 6 KPIs: more than the 5 allowed
        (scheme_body(weights=(40, 30, 20)), "kpis"),
        (scheme_body(thresholds=((100, "5"), (90, "4"), (80, "3"))), "thresholds"),
        (scheme_body(role="nobody"), "role"),
    ],
)
def test_a_bad_scheme_is_refused_by_the_api_with_its_field(head, body, field):
    response = api_as(head).post(SCHEMES, body, format="json")

    assert response.status_code == 400 and field in field_errors(response)
    assert not PayScheme.objects.exists()


def test_a_scheme_stays_with_its_role(head):
    scheme = make_scheme()

    response = api_as(head).patch(f"{SCHEMES}{scheme.pk}/", {"role": "team_lead"}, format="json")

    assert response.status_code == 400 and "role" in field_errors(response)
