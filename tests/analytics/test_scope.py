"""Whose figures each role's analytics cover: one table for clients, deals, sale lines and managers."""

import pytest

from analytics.models import AnalyticsSettings
from analytics.selectors.scope import (
    clients_in_scope,
    deals_in_scope,
    managers_in_scope,
    sale_lines_in_scope,
    sees_analytics,
)
from tests.crm.factories import ClientFactory, DealFactory, SaleLineFactory
from vip.models import ProgrammeClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(manager, teammate, other_manager):
    mine = ClientFactory(owner=manager, name="Мой")
    team = ClientFactory(owner=teammate, name="Команды")
    other = ClientFactory(owner=other_manager, name="Чужой")
    ProgrammeClient.objects.create(client=other)
    for client in (mine, team, other):
        DealFactory(client=client, owner=client.owner, title=client.name)
        SaleLineFactory(client=client, manager=client.owner)
    return {"Мой", "Команды", "Чужой"}


@pytest.mark.parametrize(
    ("who", "sees", "names", "managers"),
    [
        ("head", True, {"Мой", "Команды", "Чужой"}, {"manager", "teammate", "other_manager", "team_lead"}),
        ("admin_user", True, {"Мой", "Команды", "Чужой"}, {"manager", "teammate", "other_manager", "team_lead"}),
        ("team_lead", True, {"Мой", "Команды"}, {"manager", "teammate", "team_lead"}),
        ("manager", True, {"Мой"}, {"manager"}),
        ("other_manager", True, {"Чужой"}, {"other_manager"}),
        ("vip_head", True, {"Чужой"}, set()),
        ("service_owner", False, set(), set()),
        ("base_manager", False, set(), set()),
    ],
)
def test_each_role_sees_its_own_figures(request, world, who, sees, names, managers):
    user = request.getfixturevalue(who)
    people = {name: request.getfixturevalue(name) for name in ("manager", "teammate", "other_manager", "team_lead")}
    assert sees_analytics(user) is sees
    assert set(clients_in_scope(user).values_list("name", flat=True)) == names
    assert set(deals_in_scope(user).values_list("title", flat=True)) == names
    assert set(sale_lines_in_scope(user).values_list("client__name", flat=True)) == names
    assert set(managers_in_scope(user)) == {people[name] for name in managers}


def test_the_settings_have_the_domain_defaults():
    settings = AnalyticsSettings.current()
    assert (settings.abc_a_share, settings.abc_b_share) == (80, 15)
    assert (settings.xyz_x_months, settings.xyz_y_months, settings.xyz_cv_x, settings.xyz_cv_y) == (9, 3, 10, 25)
    assert AnalyticsSettings.current().pk == settings.pk and AnalyticsSettings.objects.count() == 1
