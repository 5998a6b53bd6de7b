"""The head's analytics settings page and its service: validators, cross-field checks, the change log, 400s."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from analytics.models import AnalyticsSettings
from analytics.services.settings import analytics_settings_update
from crm.models import ChangeLog

pytestmark = pytest.mark.django_db
URL = "/analytics/settings/"


def form_data(**change):
    settings = AnalyticsSettings.current()
    data = {
        "revision": settings.revision,
        "abc_basis": "revenue",
        "abc_a_share": "80",
        "abc_b_share": "15",
        "xyz_method": "months",
        "xyz_x_months": "9",
        "xyz_y_months": "3",
        "xyz_cv_x": "10",
        "xyz_cv_y": "25",
        "default_profitability": "20",
        "nps_cadence_days": "90",
        "nps_link_days": "30",
        "nps_reminder_days": "7",
        "meetings_norm": "2",
        "proposals_norm": "1",
    }
    data.update(change)
    return data


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("head", 200),
        ("admin_user", 200),
        ("team_lead", 403),
        ("manager", 403),
        ("vip_head", 403),
        ("service_owner", 403),
        ("base_manager", 403),
    ],
)
def test_who_opens_the_settings(client, request, who, status):
    client.force_login(request.getfixturevalue(who))
    assert client.get(URL).status_code == status
    assert client.post(URL, form_data()).status_code in ((302,) if status == 200 else (403,))


def test_the_head_saves_and_the_change_is_logged(client, head):
    assert reverse("analytics_settings") == URL
    client.force_login(head)
    response = client.post(URL, form_data(abc_basis="margin", abc_a_share="75", xyz_method="cv"))
    assert response.status_code == 302
    settings = AnalyticsSettings.current()
    assert (settings.abc_basis, settings.abc_a_share, settings.xyz_method) == ("margin", D("75.00"), "cv")
    log = ChangeLog.objects.get(content_type__model="analyticssettings")
    assert log.by == head and log.changes["abc_a_share"] == ["80.00", "75.00"]
    page = client.get(URL).content.decode()
    assert page.count('data-testid="settings-change"') == 3


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"abc_a_share": "90", "abc_b_share": "15"}, "abc_b_share"),  # 105 %
        ({"xyz_x_months": "3", "xyz_y_months": "3"}, "xyz_x_months"),
        ({"xyz_x_months": "2", "xyz_y_months": "5"}, "xyz_x_months"),
        ({"xyz_cv_x": "25", "xyz_cv_y": "25"}, "xyz_cv_x"),
        ({"abc_a_share": "120"}, "abc_a_share"),  # the field's validator
        ({"xyz_x_months": "13"}, "xyz_x_months"),
        ({"abc_a_share": "восемьдесят"}, "abc_a_share"),
        ({"abc_basis": "profit"}, "abc_basis"),
    ],
)
def test_bad_input_is_400_with_the_fields_error_keeping_what_was_typed(client, head, change, field):
    client.force_login(head)
    response = client.post(URL, form_data(**change))
    assert response.status_code == 400
    form = response.context["form"]
    assert field in form.errors
    assert form[field].value() == change[field]
    assert AnalyticsSettings.current().abc_a_share == D("80.00")  # nothing saved
    assert not ChangeLog.objects.filter(content_type__model="analyticssettings").exists()


def test_the_service_checks_who_and_what(head, manager):
    with pytest.raises(PermissionDenied):
        analytics_settings_update(by=manager, data={"abc_a_share": D("70")})
    with pytest.raises(ValidationError) as error:
        analytics_settings_update(by=head, data={"revision": 5})
    assert "revision" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        analytics_settings_update(by=head, data={"abc_a_share": D("85"), "abc_b_share": D("15.01")})
    assert "abc_b_share" in error.value.message_dict
    assert analytics_settings_update(by=head, data={"abc_a_share": D("85")}).abc_a_share == D("85")


def test_a_stale_form_is_refused(client, head, admin_user):
    client.force_login(head)
    data = form_data(abc_a_share="70")
    analytics_settings_update(by=admin_user, data={"abc_a_share": D("60")})
    response = client.post(URL, data)
    assert response.status_code == 400
    assert AnalyticsSettings.current().abc_a_share == D("60.00")
