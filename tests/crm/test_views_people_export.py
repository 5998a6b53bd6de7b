"""The users and teams lists export to Excel with the filters applied, for the head only."""

from io import BytesIO

from django.urls import reverse
from openpyxl import load_workbook

from crm.models import Role
from tests.crm.factories import UserFactory


def rows(response):
    return [[c.value for c in row] for row in load_workbook(BytesIO(response.content)).active.iter_rows()]


def test_the_users_export_holds_exactly_the_filtered_users(client, head, manager, other_manager):
    UserFactory(username="vip2", role=Role.VIP_HEAD)
    client.force_login(head)

    response = client.get(reverse("user_export"), {"role": Role.MANAGER})

    assert response.status_code == 200
    table = rows(response)
    assert table[0][0] == "Логин"
    assert sorted(r[0] for r in table[1:]) == ["ivanov", "petrov"]


def test_the_teams_export_lists_teams_with_active_members(client, head, manager, team):
    client.force_login(head)

    table = rows(client.get(reverse("team_export")))

    assert table[1] == ["Группа 1", None, 1]


def test_a_manager_cannot_export_people(client, manager):
    client.force_login(manager)

    assert client.get(reverse("user_export")).status_code == 403
    assert client.get(reverse("team_export")).status_code == 403
