"""The head's webhook pages and API: who reaches them, forms that keep what was typed, the test button, 400s."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse
from pytest_httpserver import HTTPServer

from crm.models import Webhook, WebhookDelivery
from crm.services.webhooks import webhook_create
from tests.api_errors import field_errors
from tests.conftest import api_as

pytestmark = pytest.mark.django_db

OTHERS = ["manager", "team_lead", "vip_head", "service_owner", "base_manager"]
HEADS = ["head", "admin_user"]


@pytest.fixture
def webhook(head) -> Webhook:
    return webhook_create(by=head, url="https://1c.example.ru/hooks/crm", events=["client.created"], description="1С")


def pages(webhook: Webhook) -> list[tuple[str, str]]:
    pk = webhook.pk
    return [
        ("get", reverse("webhook_list")),
        ("get", reverse("webhook_create")),
        ("get", reverse("webhook_detail", args=[pk])),
        ("get", reverse("webhook_update", args=[pk])),
        ("get", reverse("webhook_delete", args=[pk])),
        ("post", reverse("webhook_test", args=[pk])),
        ("post", reverse("webhook_secret", args=[pk])),
    ]


@pytest.mark.parametrize("role", OTHERS)
def test_no_one_but_the_head_and_admin_reaches_the_pages(role, request, client, webhook):
    client.force_login(request.getfixturevalue(role))
    for method, url in pages(webhook):
        assert getattr(client, method)(url).status_code == 403, url
    assert WebhookDelivery.objects.count() == 0
    assert "nav-webhooks" not in client.get(reverse("my_settings")).content.decode()


@pytest.mark.parametrize("role", HEADS)
def test_the_head_and_admin_see_the_list_the_secret_and_the_nav_link(role, request, client, webhook):
    client.force_login(request.getfixturevalue(role))
    listing = client.get(reverse("webhook_list"))
    assert listing.status_code == 200
    text = listing.content.decode()
    assert "https://1c.example.ru/hooks/crm" in text and 'data-testid="nav-webhooks"' in text
    detail = client.get(reverse("webhook_detail", args=[webhook.pk]))
    assert detail.status_code == 200 and webhook.secret in detail.content.decode()
    assert client.get(reverse("department_settings")).content.decode().count(reverse("webhook_list")) >= 1


def test_anonymous_visitors_go_to_the_login_page(client, webhook):
    for method, url in pages(webhook):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and reverse("login") in response["Location"]


def test_the_form_keeps_what_was_typed_with_the_error_under_its_field(head, client):
    client.force_login(head)
    typed = {
        "url": "http://localhost:8000/api/v1/",
        "events": ["deal.created", "payment.received"],
        "description": "БИ",
    }

    with override_settings(SITE_URL="http://localhost:8000"):
        response = client.post(reverse("webhook_create"), typed)

    assert response.status_code == 400
    form = response.context["form"]
    assert list(form.errors) == ["url"]
    text = response.content.decode()
    assert 'value="http://localhost:8000/api/v1/"' in text and 'value="БИ"' in text
    assert 'id="id_url_errors"' in text
    assert [c.data["value"] for c in form["events"] if c.data["selected"]] == ["deal.created", "payment.received"]
    assert not Webhook.objects.exists()

    # The form's own checks first (no event, a description too long), then the service's (the address).
    response = client.post(reverse("webhook_create"), {"url": "not a url", "description": "x" * 300})
    assert response.status_code == 400 and set(response.context["form"].errors) == {"events", "description"}
    response = client.post(reverse("webhook_create"), {"url": "not a url", "events": ["deal.created"]})
    assert response.status_code == 400 and list(response.context["form"].errors) == ["url"]
    assert 'value="not a url"' in response.content.decode()


def test_the_head_creates_edits_tests_and_deletes_a_webhook_from_the_pages(
    head, client, httpserver: HTTPServer, django_capture_on_commit_callbacks
):
    client.force_login(head)
    httpserver.expect_request("/crm").respond_with_data("принято", status=200)
    url = httpserver.url_for("/crm")

    response = client.post(reverse("webhook_create"), {"url": url, "events": ["client.created"], "is_active": "on"})
    webhook = Webhook.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("webhook_detail", args=[webhook.pk])
    assert (webhook.url, webhook.events, webhook.is_active, webhook.created_by) == (url, ["client.created"], True, head)

    response = client.post(
        reverse("webhook_update", args=[webhook.pk]),
        {"url": url, "events": ["deal.stage_changed"], "description": "1С"},
    )
    webhook.refresh_from_db()
    assert response.status_code == 302
    assert (webhook.events, webhook.is_active, webhook.description) == (["deal.stage_changed"], False, "1С")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("webhook_test", args=[webhook.pk]))
    assert response.status_code == 302
    assert len(httpserver.log) == 1 and httpserver.log[0][0].headers["X-Salesdept-Event"] == "ping"
    log = client.get(reverse("webhook_detail", args=[webhook.pk]), headers={"HX-Request": "true"})
    assert 'data-status="delivered"' in log.content.decode() and "принято" in log.content.decode()

    secret = webhook.secret
    client.post(reverse("webhook_secret", args=[webhook.pk]))
    webhook.refresh_from_db()
    assert webhook.secret != secret

    response = client.post(reverse("webhook_delete", args=[webhook.pk]))
    assert response.status_code == 302 and not Webhook.objects.exists() and not WebhookDelivery.objects.exists()


def test_an_unknown_webhook_is_a_404(head, client):
    client.force_login(head)
    assert client.get(reverse("webhook_detail", args=[999999])).status_code == 404


# -- API ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", OTHERS)
def test_the_api_refuses_everyone_but_the_head(role, request, webhook):
    api = api_as(request.getfixturevalue(role))
    assert api.get("/api/v1/webhooks/").status_code == 403
    assert api.get(f"/api/v1/webhooks/{webhook.pk}/").status_code == 403
    assert (
        api.post("/api/v1/webhooks/", {"url": "https://bi.example.ru/h", "events": ["deal.created"]}).status_code == 403
    )
    assert api.post(f"/api/v1/webhooks/{webhook.pk}/test/").status_code == 403
    assert api.delete(f"/api/v1/webhooks/{webhook.pk}/").status_code == 403
    assert api.get("/api/v1/webhook-deliveries/").status_code == 403
    assert Webhook.objects.count() == 1 and WebhookDelivery.objects.count() == 0


@pytest.mark.parametrize("role", HEADS)
def test_the_head_manages_webhooks_through_the_api(
    role, request, httpserver: HTTPServer, django_capture_on_commit_callbacks
):
    api = api_as(request.getfixturevalue(role))
    httpserver.expect_request("/bi").respond_with_data("", status=500)

    created = api.post(
        "/api/v1/webhooks/", {"url": httpserver.url_for("/bi"), "events": ["deal.created"]}, format="json"
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert len(body["secret"]) == 64 and body["events"] == ["deal.created"] and body["is_active"] is True
    pk = body["id"]

    changed = api.patch(f"/api/v1/webhooks/{pk}/", {"events": ["deal.created", "deal.deleted"]}, format="json")
    assert changed.status_code == 200 and changed.json()["events"] == ["deal.created", "deal.deleted"]

    with django_capture_on_commit_callbacks(execute=True):
        tested = api.post(f"/api/v1/webhooks/{pk}/test/")
    assert tested.status_code == 202 and tested.json()["event"] == "ping"
    delivery = api.get(f"/api/v1/webhook-deliveries/{tested.json()['id']}/").json()
    assert (delivery["status"], delivery["attempts"], delivery["response_status"]) == ("pending", 1, 500)
    assert delivery["attempt_log"][0]["status"] == 500
    listed = api.get(f"/api/v1/webhook-deliveries/?webhook={pk}").json()
    assert [row["id"] for row in listed["results"]] == [delivery["id"]]

    assert api.delete(f"/api/v1/webhooks/{pk}/").status_code == 204
    assert not Webhook.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"url": "http://localhost:8000/x", "events": ["deal.created"]}, "url"),
        ({"url": "ftp://1c.example.ru/", "events": ["deal.created"]}, "url"),
        ({"url": "https://1c.example.ru/", "events": ["deal.eaten"]}, "events.0"),
        ({"url": "https://1c.example.ru/", "events": []}, "events"),
        ({"url": "https://1c.example.ru/", "events": "deal.created"}, "events"),
        ({"url": "https://1c.example.ru/", "events": ["ping"]}, "events.0"),
        ({"events": ["deal.created"]}, "url"),
        ({"url": "https://1c.example.ru/" + "x" * 600, "events": ["deal.created"]}, "url"),
        ({"url": "https://1c.example.ru/", "events": ["deal.created"], "is_active": "maybe"}, "is_active"),
    ],
)
@override_settings(SITE_URL="http://localhost:8000")
def test_bad_input_is_a_400_on_its_field(head, body, field):
    response = api_as(head).post("/api/v1/webhooks/", body, format="json")
    assert response.status_code == 400, response.content
    errors = field_errors(response)
    assert any(name == field or name.split(".")[0] == field.split(".")[0] for name in errors), errors
    assert not Webhook.objects.exists()


def test_a_bad_filter_is_a_400_and_a_missing_webhook_a_404(head, webhook):
    api = api_as(head)
    assert api.get("/api/v1/webhook-deliveries/?webhook=abc").status_code == 400
    assert api.get("/api/v1/webhooks/999999/").status_code == 404
    assert (
        api.patch(f"/api/v1/webhooks/{webhook.pk}/", {"url": "javascript:alert(1)"}, format="json").status_code == 400
    )
    webhook.refresh_from_db()
    assert webhook.url == "https://1c.example.ru/hooks/crm"
