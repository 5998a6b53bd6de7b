"""Pay from the database and on the pages: the month's fact and plan, My day, /pay/, the head's schemes and KPIs."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from crm.models import Role
from planning.models import KpiResult, PayKpi, PayScheme, Plan
from planning.selectors.pay import current_plan, month_pay, my_day_pay
from tests.crm.factories import ClientFactory, SaleLineFactory, UserFactory
from tests.planning.factories import NOV, make_plan, make_scheme, paid, set_results

D = Decimal


# --- the month's figures from the database -----------------------------------------------------------------------


def test_the_fact_is_the_managers_sales_paid_in_the_month_up_to_today(manager, other_manager, head):
    scheme = make_scheme()
    make_plan(manager, "1000000")
    set_results(manager, scheme, 100, 50, 0)
    paid(manager, "300000", date(2026, 11, 3))
    paid(manager, "200000", date(2026, 11, 23))
    paid(manager, "40000", date(2026, 11, 5), sold=date(2026, 10, 28))  # sold in October, paid in November: counts
    paid(manager, "70000", date(2026, 10, 30))  # paid in October: not this month
    paid(manager, "90000", date(2026, 11, 24))  # paid after today: not yet
    paid(other_manager, "500000", date(2026, 11, 10))  # someone else's
    SaleLineFactory(client=ClientFactory(owner=manager), manager=manager, date=date(2026, 11, 6), is_paid=False)

    pay = month_pay(viewer=manager, manager=manager, month=NOV, today=date(2026, 11, 23))

    earned = pay.outlook.earned
    assert (earned.fact, earned.fulfilment, earned.soft_part, earned.total) == (
        D("540000.00"),
        D("54.00"),
        D("13000.00"),
        D("43000.00"),
    )
    assert pay.outlook.forecast_fact == D("720000.00")  # 540 000 / 15 x 20 (4 November is a holiday)
    assert pay.outlook.next_threshold.still_needed == D("260000.00")
    assert pay.outlook.next_threshold.per_remaining_day == D("52000.00")
    assert pay.message == ""
    assert month_pay(viewer=head, manager=manager, month=NOV, today=date(2026, 11, 23)).outlook == pay.outlook


def test_pay_reads_the_approved_plan_only_never_a_draft(manager):
    make_plan(manager, "100", status=Plan.Status.SUPERSEDED, version=1)
    make_plan(manager, "200", status=Plan.Status.DRAFT, version=2)
    assert current_plan(manager, manager, NOV) is None
    make_plan(manager, "300", status=Plan.Status.DRAFT, version=3)
    assert current_plan(manager, manager, NOV) is None
    approved = make_plan(manager, "250", status=Plan.Status.APPROVED, version=4)
    make_plan(manager, "999", status=Plan.Status.DRAFT, version=5)

    assert current_plan(manager, manager, NOV) == approved


def test_without_a_plan_the_pay_says_so_and_counts_fixed_and_soft_only(manager):
    make_scheme()
    paid(manager, "500000", date(2026, 11, 3))

    pay = month_pay(viewer=manager, manager=manager, month=NOV, today=date(2026, 11, 23))

    assert "no plan" in pay.message
    assert (pay.outlook.earned.bonus, pay.outlook.earned.total, pay.outlook.next_threshold) == (
        D("0.00"),
        D("30000.00"),  # no KPI results entered yet: the soft part counts 0
        None,
    )


def test_without_a_scheme_for_the_role_the_pay_says_so(team_lead):
    make_scheme(Role.MANAGER)

    pay = month_pay(viewer=team_lead, manager=team_lead, month=NOV, today=date(2026, 11, 23))

    assert pay.outlook is None and "no pay scheme" in pay.message


# --- the pages ---------------------------------------------------------------------------------------------------


def this_month_setup(manager):
    today = timezone.localdate()
    scheme = make_scheme()
    make_plan(manager, "1000000", month=today.replace(day=1))
    set_results(manager, scheme, 100, 100, 100, month=today.replace(day=1))
    paid(manager, "250000", today)
    return today


def test_my_day_shows_the_managers_pay_so_far_forecast_and_next_threshold(client, manager):
    this_month_setup(manager)
    client.force_login(manager)

    response = client.get(reverse("home"))

    html = response.content.decode()
    assert response.context["pay"].manager == manager
    assert 'data-testid="myday-pay"' in html
    assert "50\u00a0000,00\u00a0₽" in html  # earned: fixed 30 000 + the whole soft part 20 000, no bonus yet
    assert 'data-testid="myday-pay-next"' in html


@pytest.mark.russian
def test_the_pay_page_breaks_the_total_down_into_fixed_soft_and_bonus(client, manager):
    today = this_month_setup(manager)
    paid(manager, "600000", today)  # 850 000: 85 per cent, 3 per cent bonus = 25 500
    client.force_login(manager)

    response = client.get(reverse("my_pay"))

    assert response.status_code == 200
    html = response.content.decode()
    earned = response.context["pay"].outlook.earned
    assert (earned.fixed, earned.soft_part, earned.bonus, earned.total) == (
        D("30000.00"),
        D("20000.00"),
        D("25500.00"),
        D("75500.00"),
    )
    assert "25\u00a0500,00\u00a0₽" in html and "75\u00a0500,00\u00a0₽" in html
    assert "3,00&nbsp;% × 850\u00a0000,00\u00a0₽" in html  # rate x the whole fact


def test_a_manager_never_sees_another_managers_pay_page(client, manager, other_manager):
    this_month_setup(other_manager)
    client.force_login(manager)

    assert client.get(reverse("my_pay"), {"manager": other_manager.pk}).status_code == 404
    own = client.get(reverse("my_pay"))
    assert own.status_code == 200 and own.context["manager"] == manager
    assert own.context["managers"] == []


def test_a_team_lead_reads_his_teams_pay_and_no_one_elses(client, team_lead, manager, other_manager):
    client.force_login(team_lead)

    assert client.get(reverse("my_pay")).context["manager"] == team_lead
    response = client.get(reverse("my_pay"), {"manager": manager.pk})
    assert (response.status_code, response.context["manager"], response.context["may_edit"]) == (200, manager, False)
    assert set(response.context["managers"]) == {team_lead, manager}
    assert client.get(reverse("my_pay"), {"manager": other_manager.pk}).status_code == 404


def test_the_head_chooses_any_manager_and_others_are_refused(client, head, manager, vip_head):
    this_month_setup(manager)
    client.force_login(head)

    prompt = client.get(reverse("my_pay"))
    chosen = client.get(reverse("my_pay"), {"manager": manager.pk})

    assert prompt.status_code == 200 and prompt.context["pay"] is None
    assert 'data-testid="pay-choose"' in prompt.content.decode()
    assert chosen.context["pay"].manager == manager
    assert client.get(reverse("my_pay"), {"manager": "abc"}).status_code == 404
    client.force_login(vip_head)
    assert client.get(reverse("my_pay")).status_code == 403


def test_the_pay_page_without_a_plan_shows_a_message_not_an_error(client, manager):
    make_scheme()
    paid(manager, "1000", timezone.localdate())
    client.force_login(manager)

    response = client.get(reverse("my_pay"), {"month": "2031-02"})
    bad_month = client.get(reverse("my_pay"), {"month": "garbage"})

    assert response.status_code == 200
    assert 'data-testid="pay-message"' in response.content.decode()
    assert bad_month.status_code == 200 and bad_month.context["month"] == timezone.localdate().replace(day=1)


def count_queries(client, url, params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("viewer", ["manager", "head"])
def test_the_pay_page_query_count_does_not_grow_with_sales_and_kpis(client, request, viewer, manager):
    today = this_month_setup(manager)
    client.force_login(request.getfixturevalue(viewer))
    params = {"manager": manager.pk}

    with_3 = count_queries(client, reverse("my_pay"), params)
    for _ in range(27):
        paid(manager, "1000", today)
    UserFactory.create_batch(5, role=Role.MANAGER)
    with_30 = count_queries(client, reverse("my_pay"), params)

    assert with_3 == with_30


def test_the_kpi_results_page_query_count_does_not_grow_with_managers(client, head):
    make_scheme()
    client.force_login(head)
    UserFactory.create_batch(3, role=Role.MANAGER)
    with_3 = count_queries(client, reverse("pay_kpi_results"), {})
    UserFactory.create_batch(27, role=Role.MANAGER)

    assert count_queries(client, reverse("pay_kpi_results"), {}) == with_3


# --- the head's schemes and KPI results -------------------------------------------------------------------------


def scheme_post(kpis, thresholds, *, fixed="30000", soft="20000"):
    data = {
        "fixed": fixed,
        "soft": soft,
        "kpi-TOTAL_FORMS": "5",
        "kpi-INITIAL_FORMS": "0",
        "threshold-TOTAL_FORMS": "5",
        "threshold-INITIAL_FORMS": "0",
    }
    for i in range(5):
        kpi_id, name, weight = kpis[i] if i < len(kpis) else ("", "", "")
        data |= {f"kpi-{i}-id": kpi_id, f"kpi-{i}-name": name, f"kpi-{i}-weight": weight}
        percent, rate = thresholds[i] if i < len(thresholds) else ("", "")
        data |= {f"threshold-{i}-percent": percent, f"threshold-{i}-rate": rate}
    return data


GOOD_THRESHOLDS = [("80", "3"), ("90", "4"), ("100", "5")]


def test_the_head_saves_a_scheme_with_kpis_and_thresholds(client, head):
    client.force_login(head)

    form = client.get(reverse("pay_schemes"))
    response = client.post(
        reverse("pay_schemes") + "?role=manager",
        scheme_post([("", "Звонки", "50"), ("", "Новые клиенты", "30"), ("", "Дебиторка", "20")], GOOD_THRESHOLDS),
    )

    assert form.status_code == 200 and 'value="80"' in form.content.decode()  # 80/90/100 offered for a new scheme
    assert response.status_code == 302
    scheme = PayScheme.objects.get(role=Role.MANAGER)
    assert (scheme.fixed, scheme.soft) == (D("30000.00"), D("20000.00"))
    assert list(scheme.kpis.values_list("name", "weight")) == [("Звонки", 50), ("Новые клиенты", 30), ("Дебиторка", 20)]
    assert list(scheme.thresholds.values_list("fulfilment_percent", "rate")) == [
        (80, D("3.00")),
        (90, D("4.00")),
        (100, D("5.00")),
    ]


def test_editing_a_scheme_keeps_its_kpis_and_their_results(client, head, manager):
    scheme = make_scheme()
    calls, new, debts = scheme.kpis.order_by("id")
    set_results(manager, scheme, 90, 80, 70)
    client.force_login(head)

    page = client.get(reverse("pay_schemes")).content.decode()
    response = client.post(
        reverse("pay_schemes") + "?role=manager",
        scheme_post([(calls.pk, "Звонки", "40"), (new.pk, "Новые", "40"), ("", "NPS", "20")], GOOD_THRESHOLDS),
    )

    assert f'name="kpi-0-id" value="{calls.pk}"' in page and 'value="Calls"' in page and 'value="100"' in page
    assert response.status_code == 302
    nps = scheme.kpis.get(name="NPS")
    assert list(scheme.kpis.order_by("id").values_list("id", "weight")) == [(calls.pk, 40), (new.pk, 40), (nps.pk, 20)]
    assert not PayKpi.objects.filter(pk=debts.pk).exists()
    assert set(KpiResult.objects.values_list("kpi_id", "achieved")) == {(calls.pk, 90), (new.pk, 80)}


@pytest.mark.parametrize(
    ("kpis", "thresholds", "message"),
    [
        ([("", "Звонки", "50"), ("", "звонки", "50")], GOOD_THRESHOLDS, "Two KPIs have the same name"),
        ([("", "Звонки", "40"), ("", "Встречи", "30"), ("", "Долги", "20")], GOOD_THRESHOLDS, "add up to 90 per cent"),
        (
            [("", "Звонки", "50"), ("", "Встречи", "30"), ("", "Долги", "20")],
            [("100", "5"), ("90", "4"), ("80", "3")],
            "Thresholds must go up",
        ),
        (
            [("", "Звонки", "50"), ("", "Встречи", "30"), ("", "Долги", "20")],
            [("80", "5"), ("90", "4"), ("100", "3")],
            "Bonus rates must go up",
        ),
    ],
)
def test_a_bad_scheme_is_refused_with_a_readable_error_and_keeps_what_was_typed(
    client, head, kpis, thresholds, message
):
    client.force_login(head)

    response = client.post(reverse("pay_schemes") + "?role=manager", scheme_post(kpis, thresholds, fixed="31234"))

    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    assert 'value="Звонки"' in html and 'value="31234"' in html
    assert f'value="{thresholds[0][0]}"' in html
    assert not PayScheme.objects.exists()


def test_a_kpi_without_a_weight_is_refused_on_its_row(client, head):
    client.force_login(head)

    response = client.post(
        reverse("pay_schemes") + "?role=manager",
        scheme_post([("", "Звонки", ""), ("", "Встречи", "50"), ("", "Долги", "50")], GOOD_THRESHOLDS),
    )

    assert response.status_code == 400 and "Give this KPI a weight." in response.content.decode()


def test_only_the_head_and_the_admin_open_the_schemes_and_kpi_results(client, manager, team_lead, admin_user):
    for user in (manager, team_lead):
        client.force_login(user)
        assert client.get(reverse("pay_schemes")).status_code == 403
        assert client.get(reverse("pay_kpi_results")).status_code == 403
        assert client.post(reverse("pay_schemes"), scheme_post([], GOOD_THRESHOLDS)).status_code == 403
    client.force_login(admin_user)
    assert client.get(reverse("pay_schemes"), {"role": "team_lead"}).status_code == 200


def test_the_head_enters_kpi_results_for_a_month_and_a_bad_value_is_refused(client, head, manager):
    scheme = make_scheme()
    calls, new, debts = scheme.kpis.order_by("id")
    KpiResult.objects.create(manager=manager, month=NOV, kpi=debts, achieved=10)
    client.force_login(head)
    url = reverse("pay_kpi_results") + "?month=2026-11"

    bad = client.post(url, {f"r_{manager.pk}_{calls.pk}": "150", f"r_{manager.pk}_{new.pk}": "77"})
    good = client.post(url, {f"r_{manager.pk}_{calls.pk}": "100", f"r_{manager.pk}_{new.pk}": "50"})

    assert bad.status_code == 400 and 'value="77"' in bad.content.decode()
    assert good.status_code == 302
    results = set(KpiResult.objects.filter(manager=manager, month=NOV).values_list("kpi_id", "achieved"))
    assert results == {(calls.pk, 100), (new.pk, 50)}  # the emptied result is cleared
    pay = month_pay(viewer=head, manager=manager, month=NOV, today=date(2026, 11, 30))
    assert pay.outlook.earned.soft_part == D("13000.00")


def test_a_login_is_required(client):
    response = client.get(reverse("my_pay"))

    assert response.status_code == 302 and "login" in response.url


def test_a_past_month_counts_its_whole_fact_and_leaves_no_days(manager):
    make_scheme()
    make_plan(manager, "100000", month=date(2026, 10, 1))
    paid(manager, "95000", date(2026, 10, 30))

    pay = month_pay(
        viewer=manager, manager=manager, month=date(2026, 10, 1), today=date(2026, 10, 1) + timedelta(days=60)
    )

    assert pay.outlook.days_left == 0 and pay.outlook.earned.bonus == D("3800.00")  # 90 per cent: 4 per cent


def test_my_day_pay_is_for_sellers_only(head, vip_head, team_lead):
    make_scheme(Role.TEAM_LEAD)

    assert my_day_pay(head, date(2026, 11, 23)) is None
    assert my_day_pay(vip_head, date(2026, 11, 23)) is None
    assert my_day_pay(team_lead, date(2026, 11, 23)).manager == team_lead
