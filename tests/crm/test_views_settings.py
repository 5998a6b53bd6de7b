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
