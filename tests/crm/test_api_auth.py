"""JWT for mobile clients (obtain, rotate, blacklist), session auth, and the self-hosted OpenAPI docs."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from rest_framework.test import APIClient

from tests.api_errors import field_errors
from tests.crm.factories import ClientFactory, UserFactory

PASSWORD = "pass12345"  # set by UserFactory


def obtain(api: APIClient, username: str, password: str = PASSWORD):
    return api.post("/api/v1/auth/token/", {"username": username, "password": password}, format="json")


def test_a_user_obtains_a_token_pair_and_the_access_token_authorises_requests(manager):
    client = ClientFactory(owner=manager)
    api = APIClient()

    tokens = obtain(api, manager.username)
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens.json()['access']}")
    me = api.get("/api/v1/me/")
    clients = api.get("/api/v1/clients/")

    assert tokens.status_code == 200
    assert set(tokens.json()) == {"access", "refresh"}
    assert me.status_code == 200
    assert me.json()["username"] == manager.username
    assert [row["id"] for row in clients.json()["results"]] == [client.pk]


def test_refresh_rotates_and_the_old_refresh_token_is_rejected_afterwards(manager, settings):
    settings.JWT_REFRESH_GRACE_SECONDS = 0  # the grace for a repeat: tests/crm/test_api_retries.py
    api = APIClient()
    first = obtain(api, manager.username).json()

    rotated = api.post("/api/v1/auth/token/refresh/", {"refresh": first["refresh"]}, format="json")
    reused = api.post("/api/v1/auth/token/refresh/", {"refresh": first["refresh"]}, format="json")
    again = api.post("/api/v1/auth/token/refresh/", {"refresh": rotated.json()["refresh"]}, format="json")

    assert rotated.status_code == 200
    assert rotated.json()["refresh"] != first["refresh"]
    assert set(rotated.json()) == {"access", "refresh"}
    assert reused.status_code == 401
    assert again.status_code == 200


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"username": "ivanov", "password": "wrong"}, 401),
        ({"username": "nobody", "password": PASSWORD}, 401),
        ({"username": "ivanov"}, 400),
        ({}, 400),
    ],
)
def test_bad_credentials_get_no_token(manager, body, status):
    response = APIClient().post("/api/v1/auth/token/", body, format="json")

    assert response.status_code == status
    assert "access" not in response.json() and field_errors(response)


def test_a_deactivated_user_gets_no_token_and_a_garbage_token_is_401(db):
    gone = UserFactory(username="gone", is_active=False)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")

    assert obtain(APIClient(), gone.username).status_code == 401
    assert api.get("/api/v1/me/").status_code == 401
    assert APIClient().post("/api/v1/auth/token/refresh/", {"refresh": "junk"}, format="json").status_code == 401


def test_a_browser_session_authorises_the_api(manager, client):
    client.force_login(manager)

    response = client.get("/api/v1/me/", HTTP_HOST="localhost")

    assert response.status_code == 200
    assert response.json()["id"] == manager.pk


def test_the_schema_generates_and_validates_without_warnings(tmp_path: Path):
    target = tmp_path / "schema.yml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))

    text = target.read_text()
    for path in [
        "/api/v1/deals/{id}/move/",
        "/api/v1/deals/{id}/lose/",
        "/api/v1/clients/{id}/reassign/",
        "/api/v1/me/",
    ]:
        assert f"{path}:" in text


def test_the_schema_endpoint_answers_openapi_3(db):
    response = APIClient().get("/api/schema/", HTTP_HOST="localhost", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    assert response.json()["openapi"].startswith("3.")


def test_swagger_ui_loads_its_scripts_and_styles_from_our_own_static_files(db):
    response = APIClient().get("/api/docs/", HTTP_HOST="localhost")
    html = response.content.decode()

    assert response.status_code == 200
    assert not re.search(r"(?:https?:)?//[\w.-]+\.[a-z]{2,}", html), "the docs page must not load from another host"
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    assert any(a.endswith("swagger-ui.css") for a in assets)
    for asset in assets:
        assert asset.startswith("/static/"), asset
        assert finders.find(asset.removeprefix("/static/")), asset
