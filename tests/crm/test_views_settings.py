"""The head's department settings page: who may open it, validation that keeps typed values, cold-call norms."""

from decimal import Decimal

import pytest
from django.urls import reverse

from crm.models import ColdCallNorm, DepartmentSettings

pytestmark = pytest.mark.django_db

URL = "/settings/"


def form_data(sellers=(), **changes):
    settings = DepartmentSettings.current()
    data = {
        "prospect_list_size": settings.prospect_list_size,
        "reassign_after_months": settings.reassign_after_months,
        "rule_warning_days": settings.rule_warning_days,
        "reassign_extension_days": settings.reassign_extension_days,
        "new_client_after_months": settings.new_client_after_months,
        "long_list_min": settings.long_list_min,
        "long_list_max": settings.long_list_max,
        "potential_threshold": str(settings.potential_threshold),
        "default_cold_calls": settings.default_cold_calls,
    }
    for seller in sellers:
        data[f"norm_{seller.pk}"] = ""
    data.update(changes)
    return data


def test_the_url_is_named_department_settings():
    assert reverse("department_settings") == URL


@pytest.mark.parametrize(
    ("role_fixture", "may"),
    [
        ("head", True),
        ("admin_user", True),
        ("manager", False),
        ("team_lead", False),
        ("vip_head", False),
        ("base_manager", False),
        ("service_owner", False),
    ],
)
def test_only_the_head_and_the_admin_open_and_change_the_settings(client, request, role_fixture, may):
    client.force_login(request.getfixturevalue(role_fixture))

    assert client.get(URL).status_code == (200 if may else 403)
    assert client.post(URL, form_data(long_list_max=90)).status_code == (302 if may else 403)
    assert DepartmentSettings.current().long_list_max == (90 if may else 100)


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(URL)

    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_head_saves_the_numbers_and_the_norms_of_every_seller(client, head, manager, teammate):
    ColdCallNorm.objects.create(manager=teammate, daily_calls=12)
    client.force_login(head)

    response = client.post(
        URL,
        form_data(
            [manager, teammate],
            potential_threshold="75000",
            long_list_min="40",
            default_cold_calls="35",
            **{f"norm_{manager.pk}": "50", f"norm_{teammate.pk}": ""},
        ),
    )

    assert response.status_code == 302
    settings = DepartmentSettings.current()
    assert settings.potential_threshold == Decimal("75000.00")
    assert settings.long_list_min == 40 and settings.default_cold_calls == 35
    assert ColdCallNorm.objects.get(manager=manager).daily_calls == 50
    assert ColdCallNorm.objects.get(manager=manager).set_by == head
    assert not ColdCallNorm.objects.filter(manager=teammate).exists()  # empty: the default applies


def test_the_page_lists_a_norm_input_for_every_seller_with_its_value(client, head, manager, team_lead):
    ColdCallNorm.objects.create(manager=manager, daily_calls=44)
    client.force_login(head)

    html = client.get(URL).content.decode()

    assert f'name="norm_{manager.pk}"' in html and f'name="norm_{team_lead.pk}"' in html
    assert 'value="44"' in html


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"long_list_min": "120", "long_list_max": "100"}, "long_list_min"),
        ({"potential_threshold": "-1"}, "potential_threshold"),
        ({"potential_threshold": "шестьдесят"}, "potential_threshold"),
        ({"default_cold_calls": "5000"}, "default_cold_calls"),
        ({"reassign_after_months": "0"}, "reassign_after_months"),
    ],
)
def test_bad_numbers_are_rejected_and_typed_values_kept(client, head, changes, field):
    client.force_login(head)

    response = client.post(URL, form_data(**changes))

    assert response.status_code == 400
    assert response.context["form"].errors[field]
    html = response.content.decode()
    for value in changes.values():
        assert f'value="{value}"' in html
    assert DepartmentSettings.current().long_list_min == 50


def test_a_bad_norm_is_rejected_under_its_seller(client, head, manager):
    client.force_login(head)

    response = client.post(URL, form_data([manager], **{f"norm_{manager.pk}": "1001"}))

    assert response.status_code == 400
    assert response.context["form"].errors[f"norm_{manager.pk}"]
    assert 'value="1001"' in response.content.decode()
    assert not ColdCallNorm.objects.exists()


# --- every number of DOMAIN.md on the page, grouped by section, with its history ---------------------------------

NEW_VALUES = {
    "prospect_list_size": "120",
    "reassign_after_months": "4",
    "rule_warning_days": "10",
    "reassign_extension_days": "21",
    "new_client_after_months": "6",
    "long_list_min": "40",
    "long_list_max": "90",
    "potential_threshold": "70000",
    "potential_yearly_threshold": "600000",
    "default_cold_calls": "25",
    "former_buyer_months": "18",
    "early_in_month_days": "7",
    "plan_window_months": "5",
    "regular_min_months": "4",
    "one_off_share_min": "0.1500",
    "one_off_share_max": "0.3000",
    "existing_share_min": "0.4000",
    "existing_share_max": "0.7000",
    "gap_band_min": "20.00",
    "gap_band_max": "45.00",
    "cross_sell_cover": "4",
    "regular_calls_per_week": "3",
    "weeks_per_month": "5",
    "team_leads_set_plans": "on",
    "kpis_min": "1",
    "kpis_max": "4",
    "thresholds_max": "4",
    "small_pipeline_share": "0.40",
}


def test_the_page_shows_every_number_by_section_with_the_rule_it_drives(client, head):
    from crm.models.settings import SETTINGS_FIELDS

    client.force_login(head)
    html = client.get(URL).content.decode()

    assert set(NEW_VALUES) == set(SETTINGS_FIELDS)
    assert html.count('data-testid="settings-section"') == 4
    for name in SETTINGS_FIELDS:
        assert f'name="{name}"' in html, name
    from django.utils.translation import gettext_lazy, override

    rule = gettext_lazy("The 3-month rule: when an owned client with nothing concluded goes to the queue.")
    with override("ru"):
        russian = str(rule)
    with override("en"):
        english = str(rule)
    assert russian != english  # the catalog has it
    assert russian in html or english in html


def test_the_head_changes_every_number_and_each_change_keeps_who_when_old_and_new(client, head, manager):
    client.force_login(head)

    response = client.post(URL, form_data([manager], **NEW_VALUES))

    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    settings = DepartmentSettings.current()
    for name, value in NEW_VALUES.items():
        expected = True if value == "on" else type(getattr(settings, name))(value)
        assert getattr(settings, name) == expected, name
    history = client.get(URL).context["history"]
    assert {row["by"] for row in history} == {head}
    changed = {row["label"]: (row["old"], row["new"]) for row in history}
    assert changed[DepartmentSettings._meta.get_field("plan_window_months").verbose_name] == (4, 5)
    assert len(history) == len(NEW_VALUES)


def test_the_next_computation_uses_what_the_head_typed_on_the_page(client, head, manager):
    from datetime import date

    from planning.rules.plans import window_months
    from planning.services.plans import plan_generate
    from tests.crm.factories import ClientFactory, SaleLineFactory

    client.force_login(head)
    assert client.post(URL, form_data(regular_min_months="2", cross_sell_cover="4")).status_code == 302
    buyer = ClientFactory(owner=manager)
    for month in window_months(date(2026, 5, 1))[2:]:  # 2 of the 4 months
        SaleLineFactory(client=buyer, manager=manager, date=month.replace(day=10), amount=Decimal("40000"))

    plan = plan_generate(manager=manager, month=date(2026, 5, 1), target=Decimal("100000"), by=head)

    assert plan.regular_total == Decimal("20000.00")  # regular with 2 months: the head's number
    assert plan.cross_sell_cover == plan.active_existing * 4


def test_a_range_whose_minimum_exceeds_its_maximum_is_refused(client, head):
    client.force_login(head)
    response = client.post(URL, form_data(kpis_min="5", kpis_max="3"))
    assert response.status_code == 400
    assert response.context["form"].errors["kpis_min"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("plan_window_months", "30000"),
        ("reassign_after_months", "9999"),
        ("new_client_after_months", "0"),
        ("existing_share_max", "1.5"),
        ("gap_band_max", "250"),
        ("weeks_per_month", "0"),
        ("rule_warning_days", "40000"),
    ],
)
def test_a_number_no_computation_could_use_is_a_field_error_not_a_broken_page(client, head, field, value):
    client.force_login(head)
    response = client.post(URL, form_data(**{field: value}))
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert client.get(reverse("plan_list")).status_code == 200
    assert getattr(DepartmentSettings.current(), field) == DepartmentSettings._meta.get_field(field).default
