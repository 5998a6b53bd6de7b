"""Guessing passwords (issue 10, item 3): the lockout of django-axes on /login/ and /api/v1/auth/token/,
the login log, the admin's unlock, and the API's throttling."""

import logging

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from django.core.management import call_command
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from crm.security import client_ip, lockout_message
from tests.api_errors import error_codes, field_errors

PASSWORD = "pass12345"  # set by UserFactory
WRONG = "not-the-password"
TOKEN = "/api/v1/auth/token/"
LIMIT = 10  # AXES_FAILURE_LIMIT's default


def login_page(client, username, password, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def obtain(api, username, password, **extra):
    return api.post(TOKEN, {"username": username, "password": password}, format="json", **extra)


def login_lines(caplog):
    return [(r.login_outcome, r.login_username, r.login_ip) for r in caplog.records if r.name == "salesdept.security"]


def russian_lockout() -> str:
    with translation.override("ru"):
        return lockout_message()


def test_russian_lockout_message_names_the_minutes():
    message = russian_lockout()

    assert "15 минут" in message and "администратор" in message


def test_30_wrong_passwords_on_the_login_page_lock_it_and_the_right_one_is_refused_too(client, manager, caplog):
    caplog.set_level(logging.INFO, logger="salesdept.security")

    answers = [login_page(client, "ivanov", WRONG).status_code for _ in range(30)]
    right = login_page(client, "ivanov", PASSWORD)

    assert answers == [200] * (LIMIT - 1) + [429] * (30 - LIMIT + 1)
    assert right.status_code == 429 and right["Retry-After"] == "900"
    assert not right.wsgi_request.user.is_authenticated
    assert russian_lockout() in right.content.decode()
    assert 'data-testid="login-locked"' in right.content.decode()
    assert login_lines(caplog) == (
        [("failure", "ivanov", "127.0.0.1")] * (LIMIT - 1) + [("locked", "ivanov", "127.0.0.1")] * (31 - LIMIT + 1)
    )


def test_30_wrong_passwords_on_the_token_endpoint_lock_it_with_a_russian_429(manager, caplog):
    caplog.set_level(logging.INFO, logger="salesdept.security")
    api = APIClient()

    answers = [obtain(api, "ivanov", WRONG).status_code for _ in range(30)]
    right = obtain(api, "ivanov", PASSWORD)

    assert answers == [401] * (LIMIT - 1) + [429] * (30 - LIMIT + 1)
    assert right.status_code == 429 and error_codes(right) == {"non_field_errors": ["login_locked"]}
    assert right["Retry-After"] == "900"
    assert field_errors(right) == {"non_field_errors": [russian_lockout()]}
    assert len(login_lines(caplog)) == 31
    assert {line[1:] for line in login_lines(caplog)} == {("ivanov", "127.0.0.1")}
    assert [line[0] for line in login_lines(caplog)][LIMIT - 1 :] == ["locked"] * (31 - LIMIT + 1)


def test_a_lockout_on_one_endpoint_holds_on_the_other(client, manager):
    for _ in range(LIMIT):
        obtain(APIClient(), "ivanov", WRONG)

    assert login_page(client, "ivanov", PASSWORD).status_code == 429


def test_failures_from_one_address_lock_the_address_for_every_username(client, manager, other_manager):
    for n in range(LIMIT):
        login_page(client, f"guess{n}", WRONG, REMOTE_ADDR="10.0.0.5")

    from_there = login_page(client, "petrov", PASSWORD, REMOTE_ADDR="10.0.0.5")
    elsewhere = obtain(APIClient(), "petrov", PASSWORD, REMOTE_ADDR="10.0.0.6")

    assert from_there.status_code == 429
    assert elsewhere.status_code == 200


def test_every_success_is_logged_with_user_and_address_and_the_token_sets_last_login(client, manager, caplog):
    caplog.set_level(logging.INFO, logger="salesdept.security")

    page = login_page(client, "ivanov", PASSWORD, REMOTE_ADDR="10.1.1.1")
    token = obtain(APIClient(), "ivanov", PASSWORD, REMOTE_ADDR="10.1.1.2")

    assert page.status_code == 302 and token.status_code == 200
    assert login_lines(caplog) == [("success", "ivanov", "10.1.1.1"), ("success", "ivanov", "10.1.1.2")]
    manager.refresh_from_db()
    assert manager.last_login is not None


def test_a_username_cannot_forge_a_log_line(manager, caplog):
    caplog.set_level(logging.INFO, logger="salesdept.security")

    obtain(APIClient(), "ivanov\nlogin success: username='head'", WRONG)

    assert "\n" not in caplog.records[-1].getMessage()


def test_the_admin_unlocks_a_locked_user_in_the_admin(client, manager, admin_user):
    for _ in range(LIMIT):
        obtain(APIClient(), "ivanov", WRONG)
    assert obtain(APIClient(), "ivanov", PASSWORD).status_code == 429
    client.force_login(admin_user)
    attempts = list(AccessAttempt.objects.filter(username="ivanov").values_list("pk", flat=True))

    changelist = client.get(reverse("admin:axes_accessattempt_changelist"))
    client.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "delete_selected", "_selected_action": attempts, "post": "yes"},
    )

    assert changelist.status_code == 200 and "ivanov" in changelist.content.decode()
    assert not AccessAttempt.objects.exists()
    assert obtain(APIClient(), "ivanov", PASSWORD).status_code == 200


def test_axes_reset_username_unlocks_from_the_command_line(client, manager):
    for _ in range(LIMIT):
        login_page(client, "ivanov", WRONG)

    call_command("axes_reset_username", "ivanov", verbosity=0)

    assert login_page(client, "ivanov", PASSWORD).status_code == 302


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "6.6.6.6", "10.0.0.1"),  # no proxy is trusted: the header is the caller's word
        (1, "6.6.6.6, 203.0.113.7", "203.0.113.7"),  # the proxy appended the address it saw
        (2, "203.0.113.7, 172.16.0.2", "203.0.113.7"),
        (2, "172.16.0.2", "10.0.0.1"),  # fewer hops than proxies: fall back to the socket
    ],
)
def test_the_client_address_trusts_only_the_configured_proxies(proxies, forwarded, expected):
    request = RequestFactory().post("/login/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)

    with override_settings(TRUSTED_PROXY_COUNT=proxies):
        assert client_ip(request) == expected


# --- throttling -------------------------------------------------------------------------------------------------


@pytest.fixture
def low_rates(monkeypatch):
    cache.clear()  # the throttles count in Redis; start from nothing
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "2/minute", "user": "3/minute"})
    yield
    cache.clear()


def test_the_api_throttles_a_user_and_says_when_to_come_back(low_rates, manager):
    api = APIClient()
    api.force_authenticate(manager)

    answers = [api.get("/api/v1/me/") for _ in range(4)]

    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert 0 < int(answers[3]["Retry-After"]) <= 60


def test_the_api_throttles_anonymous_callers_per_address(low_rates, manager):
    answers = [obtain(APIClient(), "ivanov", PASSWORD, REMOTE_ADDR="10.2.2.2") for _ in range(3)]
    other = obtain(APIClient(), "ivanov", PASSWORD, REMOTE_ADDR="10.2.2.3")

    assert [a.status_code for a in answers] == [200, 200, 429]
    assert 0 < int(answers[2]["Retry-After"]) <= 60
    assert other.status_code == 200
