"""Users and teams through the API: the head and the admin manage them, everyone else only reads."""

import pytest
from rest_framework.test import APIClient

from crm.models import Role, Team, User
from tests.api_errors import field_errors
from tests.conftest import api_as

NEW_USER = {
    "username": "smirnov",
    "password": "Korova-Moloko-17",
    "role": "manager",
    "first_name": "Олег",
    "last_name": "Смирнов",
    "email": "smirnov@example.ru",
}


@pytest.mark.parametrize("role", ["head", "admin_user"])
def test_the_head_and_the_admin_create_a_user_who_can_then_log_in(request, role, team):
    api = api_as(request.getfixturevalue(role))

    response = api.post("/api/v1/users/", {**NEW_USER, "team": team.pk}, format="json")
    tokens = APIClient().post(
        "/api/v1/auth/token/", {"username": "smirnov", "password": NEW_USER["password"]}, format="json"
    )

    assert response.status_code == 201, response.content
    created = response.json()
    assert (created["role"], created["team"], created["team_name"]) == ("manager", team.pk, team.name)
    assert "password" not in created
    assert tokens.status_code == 200


@pytest.mark.parametrize(
    ("change", "fields"),
    [
        ({"password": "123"}, {"password"}),
        ({"role": "boss"}, {"role"}),
        ({"email": "smirnov@"}, {"email"}),
        ({"username": ""}, {"username"}),
        ({"team": 999999}, {"team"}),
    ],
)
def test_bad_user_input_is_400_under_its_field(head, change, fields):
    response = api_as(head).post("/api/v1/users/", {**NEW_USER, **change}, format="json")

    assert response.status_code == 400
    assert set(field_errors(response)) == fields
    assert not User.objects.filter(username="smirnov").exists()


def test_a_taken_username_or_email_is_400(head, manager):
    taken_name = api_as(head).post("/api/v1/users/", {**NEW_USER, "username": manager.username}, format="json")
    taken_mail = api_as(head).post("/api/v1/users/", {**NEW_USER, "email": manager.email}, format="json")

    assert (taken_name.status_code, taken_mail.status_code) == (400, 400)
    assert "username" in field_errors(taken_name)
    assert "email" in field_errors(taken_mail)


@pytest.mark.parametrize("role", ["manager", "team_lead", "vip_head", "service_owner", "base_manager"])
def test_others_may_not_create_users_or_teams(request, role):
    api = api_as(request.getfixturevalue(role))

    users = api.post("/api/v1/users/", NEW_USER, format="json")
    teams = api.post("/api/v1/teams/", {"name": "Группа 9"}, format="json")

    assert (users.status_code, teams.status_code) == (403, 403)
    assert not User.objects.filter(username="smirnov").exists()
    assert not Team.objects.filter(name="Группа 9").exists()


def test_a_manager_reads_himself_but_may_not_change_his_role(manager):
    api = api_as(manager)

    me = api.get(f"/api/v1/users/{manager.pk}/")
    promoted = api.patch(f"/api/v1/users/{manager.pk}/", {"role": "head"}, format="json")

    assert me.status_code == 200
    assert promoted.status_code == 403
    manager.refresh_from_db()
    assert manager.role == Role.MANAGER


def test_a_team_lead_reads_the_team_but_may_not_deactivate_a_member(team_lead, manager):
    response = api_as(team_lead).post(f"/api/v1/users/{manager.pk}/deactivate/")

    assert response.status_code == 403
    manager.refresh_from_db()
    assert manager.is_active


def test_the_head_updates_deactivates_and_reactivates_a_user(head, manager, other_team):
    api = api_as(head)

    moved = api.patch(f"/api/v1/users/{manager.pk}/", {"team": other_team.pk, "phone": "+74951112233"}, format="json")
    deactivated = api.post(f"/api/v1/users/{manager.pk}/deactivate/")
    login = APIClient().post("/api/v1/auth/token/", {"username": manager.username, "password": "pass12345"})
    activated = api.post(f"/api/v1/users/{manager.pk}/activate/")

    assert moved.status_code == 200
    assert moved.json()["team"] == other_team.pk
    assert deactivated.json()["is_active"] is False
    assert login.status_code == 401
    assert activated.json()["is_active"] is True


def test_the_head_may_not_deactivate_himself(head):
    response = api_as(head).post(f"/api/v1/users/{head.pk}/deactivate/")

    assert response.status_code == 400
    assert "is_active" in field_errors(response)


def test_the_head_creates_a_team_with_a_lead_and_renames_it(head, manager):
    api = api_as(head)

    created = api.post("/api/v1/teams/", {"name": "Группа 3", "lead": manager.pk}, format="json")
    renamed = api.patch(f"/api/v1/teams/{created.json()['id']}/", {"name": "Группа 4"}, format="json")
    duplicate = api.post("/api/v1/teams/", {"name": "Группа 4"}, format="json")
    unnamed = api.post("/api/v1/teams/", {}, format="json")

    assert created.status_code == 201, created.content
    assert (created.json()["lead"], created.json()["lead_name"]) == (manager.pk, str(manager))
    manager.refresh_from_db()
    assert (manager.role, manager.team.name) == (Role.TEAM_LEAD, "Группа 4")
    assert renamed.json()["name"] == "Группа 4"
    assert duplicate.status_code == 400
    assert "name" in field_errors(duplicate)
    assert unnamed.status_code == 400
    assert "name" in field_errors(unnamed)


def test_a_manager_reads_his_team_but_may_not_rename_it(manager, team):
    response = api_as(manager).patch(f"/api/v1/teams/{team.pk}/", {"name": "Лучшие"}, format="json")

    assert response.status_code == 403
    team.refresh_from_db()
    assert team.name == "Группа 1"


def test_users_filter_by_role_team_and_activity(head, manager, teammate, other_manager, team):
    api = api_as(head)
    teammate.is_active = False
    teammate.save()

    def found(query):
        response = api.get(f"/api/v1/users/?{query}")
        assert response.status_code == 200
        return {row["id"] for row in response.json()["results"]}

    assert found(f"team={team.pk}") == {manager.pk, teammate.pk}
    assert found("role=head") == {head.pk}
    assert found(f"team={team.pk}&is_active=true") == {manager.pk}
    assert api.get("/api/v1/users/?role=boss").status_code == 400
