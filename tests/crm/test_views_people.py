"""Users and teams: pages for the head and the admin, and the services behind them."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from crm.models import ChangeLog, Role, Team, User
from crm.services.people import team_create, team_update, user_create, user_update
from tests.crm.factories import TeamFactory, UserFactory

GOOD_PASSWORD = "Vesna-2026-kvartal"


def new_user_form(**overrides):
    data = {
        "username": "novikov",
        "last_name": "Новиков",
        "first_name": "Олег",
        "middle_name": "Петрович",
        "email": "novikov@example.ru",
        "phone": "+79161234567",
        "role": Role.MANAGER,
        "team": "",
        "password": GOOD_PASSWORD,
        "password_confirm": GOOD_PASSWORD,
    }
    return {**data, **overrides}


def people_urls(some_user, some_team):
    return [
        reverse("user_list"),
        reverse("user_create"),
        reverse("user_update", args=[some_user.pk]),
        reverse("team_list"),
        reverse("team_create"),
        reverse("team_update", args=[some_team.pk]),
    ]


# --- who may open the pages --------------------------------------------------------------------------------


@pytest.mark.parametrize("role_fixture", ["manager", "team_lead", "vip_head", "service_owner", "base_manager"])
def test_people_pages_answer_403_to_everyone_but_the_head_and_admin(client, request, role_fixture, teammate, team):
    client.force_login(request.getfixturevalue(role_fixture))

    for url in people_urls(teammate, team):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"name": "Взлом", "role": Role.ADMIN}).status_code == 403, url
    response = client.post(reverse("user_set_active", args=[teammate.pk]), {"is_active": "0"})

    assert response.status_code == 403
    teammate.refresh_from_db()
    assert teammate.is_active
    assert not Team.objects.filter(name="Взлом").exists()


def test_people_pages_send_an_anonymous_visitor_to_login(client, manager, team):
    for url in people_urls(manager, team):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


@pytest.mark.parametrize("role_fixture", ["head", "admin_user"])
def test_the_head_and_the_admin_see_users_and_teams_in_the_navigation(client, request, role_fixture, manager, team):
    client.force_login(request.getfixturevalue(role_fixture))

    html = client.get(reverse("home")).content.decode()

    assert f'href="{reverse("user_list")}"' in html
    assert f'href="{reverse("team_list")}"' in html
    for url in people_urls(manager, team):
        assert client.get(url).status_code == 200, url


def test_a_manager_sees_no_users_or_teams_links(client, manager):
    client.force_login(manager)

    html = client.get(reverse("home")).content.decode()

    assert f'href="{reverse("user_list")}"' not in html
    assert f'href="{reverse("team_list")}"' not in html
    assert 'href="/admin/"' not in html


# --- the users list ----------------------------------------------------------------------------------------


def test_the_users_list_shows_role_team_and_status(client, head, manager, other_manager):
    other_manager.is_active = False
    other_manager.save()
    client.force_login(head)

    response = client.get(reverse("user_list"))

    html = response.content.decode()
    assert manager.get_full_name() in html and "Группа 1" in html
    assert {u.username for u in response.context["users"]} == {"head", "ivanov", "petrov"}
    with translation.override("ru"):
        assert str(Role.MANAGER.label) in html
        assert gettext("Deactivated") in html


def test_the_users_list_filters_by_role_and_text(client, head, manager, other_manager, vip_head):
    client.force_login(head)

    by_role = client.get(reverse("user_list"), {"role": Role.VIP_HEAD}).context["users"]
    by_text = client.get(reverse("user_list"), {"q": "petr"}).context["users"]

    assert [u.username for u in by_role] == ["vip"]
    assert [u.username for u in by_text] == ["petrov"]


def test_the_users_list_query_count_does_not_grow_with_rows(client, head):
    client.force_login(head)
    teams = TeamFactory.create_batch(3)
    UserFactory.create_batch(3, team=teams[0])
    with CaptureQueriesContext(connection) as with_3:
        assert client.get(reverse("user_list")).status_code == 200
    for i in range(27):
        UserFactory(team=teams[i % 3])
    with CaptureQueriesContext(connection) as with_30:
        response = client.get(reverse("user_list"))

    assert len(response.context["users"]) == 31
    assert len(with_3) == len(with_30)


def test_the_teams_list_query_count_does_not_grow_with_rows(client, head):
    client.force_login(head)

    def add_teams(n):
        for _ in range(n):
            team = TeamFactory()
            lead = UserFactory(role=Role.TEAM_LEAD, team=team)
            team.lead = lead
            team.save()
            UserFactory.create_batch(2, team=team)

    add_teams(3)
    with CaptureQueriesContext(connection) as with_3:
        client.get(reverse("team_list"))
    add_teams(27)
    with CaptureQueriesContext(connection) as with_30:
        response = client.get(reverse("team_list"))

    assert [t.members_count for t in response.context["teams"]] == [3] * 30
    assert len(with_3) == len(with_30)


# --- creating a user ---------------------------------------------------------------------------------------


def test_the_head_creates_a_user_who_can_then_log_in(client, head, team):
    client.force_login(head)

    response = client.post(reverse("user_create"), new_user_form(team=team.pk))

    assert response.status_code == 302
    assert response["Location"] == reverse("user_list")
    user = User.objects.get(username="novikov")
    assert (user.last_name, user.first_name, user.middle_name) == ("Новиков", "Олег", "Петрович")
    assert (user.role, user.team, user.is_active) == (Role.MANAGER, team, True)
    assert user.check_password(GOOD_PASSWORD)
    assert ChangeLog.objects.filter(object_id=user.pk, action=ChangeLog.Action.CREATE, by=head).exists()
    assert "password" not in ChangeLog.objects.get(object_id=user.pk, action=ChangeLog.Action.CREATE).changes
    client.logout()
    # Through the login page: axes needs the request that client.login() does not pass to authenticate().
    assert client.post(reverse("login"), {"username": "novikov", "password": GOOD_PASSWORD}).status_code == 302


def test_creating_a_user_with_a_bad_email_and_mismatched_passwords_keeps_the_typed_values(client, head):
    client.force_login(head)

    response = client.post(
        reverse("user_create"), new_user_form(email="not-an-email", password_confirm="Something-else-2026")
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert "email" in form.errors
    assert "password_confirm" in form.errors
    html = response.content.decode()
    for error in [*form.errors["email"], *form.errors["password_confirm"]]:
        assert error in html
    assert 'value="novikov"' in html
    assert 'value="Новиков"' in html
    assert 'value="not-an-email"' in html
    assert 'value="+79161234567"' in html
    assert "is-invalid" in html
    assert GOOD_PASSWORD not in html
    assert not User.objects.filter(username="novikov").exists()


def test_creating_a_user_with_a_weak_password_shows_djangos_password_rules(client, head):
    client.force_login(head)

    response = client.post(reverse("user_create"), new_user_form(password="12345678", password_confirm="12345678"))

    assert response.status_code == 200
    errors = response.context["form"].errors["password"]
    assert len(errors) >= 2  # too common and entirely numeric
    assert errors[0] in response.content.decode()
    assert not User.objects.filter(username="novikov").exists()


def test_creating_a_user_with_a_taken_username_or_email_is_refused_under_the_field(client, head, manager):
    client.force_login(head)

    response = client.post(reverse("user_create"), new_user_form(username="ivanov", email="IVANOV@example.ru"))

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"username", "email"}
    assert User.objects.filter(username="ivanov").count() == 1


def test_the_head_cannot_make_an_administrator(client, head):
    client.force_login(head)

    response = client.post(reverse("user_create"), new_user_form(role=Role.ADMIN))

    assert response.status_code == 200
    assert "role" in response.context["form"].errors
    assert not User.objects.filter(username="novikov").exists()
    with pytest.raises(ValidationError) as refused:
        user_create(by=head, username="x1", password=GOOD_PASSWORD, role=Role.ADMIN)
    assert "role" in refused.value.message_dict


def test_the_admin_makes_an_administrator(client, admin_user):
    client.force_login(admin_user)

    response = client.post(reverse("user_create"), new_user_form(role=Role.ADMIN))

    assert response.status_code == 302
    assert User.objects.get(username="novikov").role == Role.ADMIN


# --- editing, deactivating -------------------------------------------------------------------------------------


def test_the_head_changes_a_users_role_and_team(client, head, manager, other_team):
    client.force_login(head)
    form = client.get(reverse("user_update", args=[manager.pk])).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(role=Role.TEAM_LEAD, team=other_team.pk, is_active="on")

    response = client.post(reverse("user_update", args=[manager.pk]), data)

    assert response.status_code == 302
    manager.refresh_from_db()
    assert (manager.role, manager.team, manager.is_active) == (Role.TEAM_LEAD, other_team, True)
    log = ChangeLog.objects.filter(object_id=manager.pk, action=ChangeLog.Action.UPDATE).latest("at")
    assert log.changes["role"] == [Role.MANAGER, Role.TEAM_LEAD]
    assert log.by == head


def test_the_edit_form_has_no_password_field_and_keeps_a_bad_email(client, head, manager):
    client.force_login(head)
    url = reverse("user_update", args=[manager.pk])
    assert 'type="password"' not in client.get(url).content.decode()

    response = client.post(
        url, {"last_name": "Иванов", "first_name": "Иван", "email": "broken@", "role": Role.MANAGER, "is_active": "on"}
    )

    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    assert 'value="broken@"' in response.content.decode()
    manager.refresh_from_db()
    assert manager.email == "ivanov@example.ru"


def test_the_head_deactivates_and_activates_a_user(client, head, manager):
    client.force_login(head)
    url = reverse("user_set_active", args=[manager.pk])

    response = client.post(url, {"is_active": "0"})

    assert response.status_code == 302
    manager.refresh_from_db()
    assert not manager.is_active
    refused = client.__class__().post(reverse("login"), {"username": "ivanov", "password": "pass12345"})
    assert refused.status_code == 200 and not refused.context["user"].is_authenticated

    client.post(url, {"is_active": "1"})

    manager.refresh_from_db()
    assert manager.is_active


def test_deactivating_answers_only_post(client, head, manager):
    client.force_login(head)

    assert client.get(reverse("user_set_active", args=[manager.pk])).status_code == 405
    manager.refresh_from_db()
    assert manager.is_active


def test_the_head_cannot_deactivate_or_demote_themselves(client, head):
    client.force_login(head)

    client.post(reverse("user_set_active", args=[head.pk]), {"is_active": "0"})
    head.refresh_from_db()
    assert head.is_active

    with pytest.raises(ValidationError) as refused:
        user_update(by=head, user=head, data={"role": Role.MANAGER})
    assert "role" in refused.value.message_dict


def test_the_head_cannot_change_an_administrator(client, head, admin_user):
    client.force_login(head)

    response = client.post(reverse("user_set_active", args=[admin_user.pk]), {"is_active": "0"})

    assert response.status_code == 403
    admin_user.refresh_from_db()
    assert admin_user.is_active


def test_a_deactivated_team_lead_stops_leading_the_team(head, team, team_lead):
    user_update(by=head, user=team_lead, data={"is_active": False})

    team.refresh_from_db()
    assert team.lead is None


def test_the_update_service_refuses_the_password_and_unknown_fields(head, manager):
    with pytest.raises(ValidationError) as refused:
        user_update(by=head, user=manager, data={"password": "x", "is_superuser": True})

    assert set(refused.value.message_dict) == {"password", "is_superuser"}


def test_services_refuse_a_manager(manager, teammate, team):
    with pytest.raises(PermissionDenied):
        user_create(by=manager, username="x", password=GOOD_PASSWORD, role=Role.MANAGER)
    with pytest.raises(PermissionDenied):
        user_update(by=manager, user=teammate, data={"role": Role.HEAD})
    with pytest.raises(PermissionDenied):
        team_create(by=manager, name="Моя команда")
    with pytest.raises(PermissionDenied):
        team_update(by=manager, team=team, data={"name": "Другая"})


# --- teams -------------------------------------------------------------------------------------------------------


def test_the_head_creates_a_team_and_its_lead_joins_it_as_team_lead(client, head, db):
    seller = UserFactory(username="smirnov", role=Role.MANAGER, team=None)
    client.force_login(head)
    assert seller in client.get(reverse("team_create")).context["form"].fields["lead"].queryset

    response = client.post(reverse("team_create"), {"name": "Группа Север", "lead": seller.pk})

    assert response.status_code == 302
    team = Team.objects.get(name="Группа Север")
    seller.refresh_from_db()
    assert team.lead == seller
    assert (seller.team, seller.role) == (team, Role.TEAM_LEAD)


def test_a_team_name_must_be_unique_and_the_form_keeps_the_input(client, head, team):
    client.force_login(head)

    response = client.post(reverse("team_create"), {"name": "Группа 1", "lead": ""})

    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    assert 'value="Группа 1"' in response.content.decode()
    assert Team.objects.filter(name="Группа 1").count() == 1


def test_the_team_lead_choice_offers_only_team_members_and_free_sellers(
    client, head, team, manager, other_manager, vip_head
):
    free = UserFactory(role=Role.MANAGER, team=None)
    client.force_login(head)

    choices = set(client.get(reverse("team_update", args=[team.pk])).context["form"].fields["lead"].queryset)

    assert choices == {manager, free}

    response = client.post(reverse("team_update", args=[team.pk]), {"name": team.name, "lead": vip_head.pk})

    assert response.status_code == 200
    assert "lead" in response.context["form"].errors


def test_replacing_a_team_lead_makes_the_old_lead_a_manager(client, head, team, team_lead, manager):
    client.force_login(head)

    response = client.post(reverse("team_update", args=[team.pk]), {"name": "Группа 1 (Москва)", "lead": manager.pk})

    assert response.status_code == 302
    team.refresh_from_db()
    team_lead.refresh_from_db()
    manager.refresh_from_db()
    assert (team.name, team.lead) == ("Группа 1 (Москва)", manager)
    assert manager.role == Role.TEAM_LEAD
    assert (team_lead.role, team_lead.team) == (Role.MANAGER, team)


def test_a_person_leads_at_most_one_team(head, team, team_lead, other_team):
    with pytest.raises(ValidationError) as refused:
        team_update(by=head, team=other_team, data={"lead": team_lead})

    assert "lead" in refused.value.message_dict
    other_team.refresh_from_db()
    assert other_team.lead is None


def test_the_team_page_lists_members(client, head, team, manager, teammate):
    client.force_login(head)

    html = client.get(reverse("team_update", args=[team.pk])).content.decode()

    assert manager.get_full_name() in html and teammate.get_full_name() in html
