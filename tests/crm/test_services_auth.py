"""Refresh tokens (issue 10, item 7): deactivation revokes them for good, logout revokes one."""

from django.contrib import admin
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from crm.admin import UserAdmin
from crm.models import User
from crm.services.people import user_set_active
from tests.api_errors import field_errors

REFRESH = "/api/v1/auth/token/refresh/"
LOGOUT = "/api/v1/auth/logout/"


def refreshes(token: str) -> int:
    return APIClient().post(REFRESH, {"refresh": token}, format="json").status_code


def test_deactivating_a_user_revokes_every_refresh_token_and_reactivating_does_not_revive_them(head, manager):
    phone, laptop = str(RefreshToken.for_user(manager)), str(RefreshToken.for_user(manager))
    kept = str(RefreshToken.for_user(head))

    user_set_active(by=head, user=manager, is_active=False)
    user_set_active(by=head, user=manager, is_active=True)

    assert refreshes(phone) == 401
    assert refreshes(laptop) == 401
    assert refreshes(kept) == 200
    fresh = APIClient().post("/api/v1/auth/token/", {"username": "ivanov", "password": "pass12345"}, format="json")
    assert fresh.status_code == 200 and refreshes(fresh.json()["refresh"]) == 200


def test_deactivating_through_the_api_revokes_the_tokens(head, manager):
    token = str(RefreshToken.for_user(manager))
    api = APIClient()
    api.force_authenticate(head)

    response = api.patch(f"/api/v1/users/{manager.pk}/", {"is_active": False}, format="json")

    assert response.status_code == 200
    assert refreshes(token) == 401


class ActiveUnticked:
    """What the admin's change form reports when only "active" was unticked."""

    changed_data = ["is_active"]


def test_deactivating_in_the_admin_revokes_the_tokens(rf, admin_user, manager):
    token = str(RefreshToken.for_user(manager))
    request = rf.post("/admin/")
    request.user = admin_user
    manager.is_active = False

    UserAdmin(User, admin.site).save_model(request, manager, ActiveUnticked(), change=True)

    assert refreshes(token) == 401


def test_logout_blacklists_the_refresh_token_it_is_sent(manager):
    token = str(RefreshToken.for_user(manager))

    response = APIClient().post(LOGOUT, {"refresh": token}, format="json")

    assert response.status_code == 204
    assert refreshes(token) == 401


def test_logout_of_a_bad_or_revoked_token_is_a_400_on_the_field(manager):
    token = str(RefreshToken.for_user(manager))
    APIClient().post(LOGOUT, {"refresh": token}, format="json")

    again = APIClient().post(LOGOUT, {"refresh": token}, format="json")
    garbage = APIClient().post(LOGOUT, {"refresh": "not-a-token"}, format="json")
    missing = APIClient().post(LOGOUT, {}, format="json")

    assert (again.status_code, garbage.status_code, missing.status_code) == (400, 400, 400)
    assert set(field_errors(again)) == set(field_errors(garbage)) == set(field_errors(missing)) == {"refresh"}
