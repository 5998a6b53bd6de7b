"""Our own 404, 403 and 500 pages, in Russian and in the site's frame (DEBUG off), JSON for the same under /api/, and
the favicon that browsers ask for at /favicon.ico."""

from pathlib import Path

import pytest
from django.template.loader import render_to_string
from django.test import override_settings
from django.urls import path, reverse

from salesdept import urls as site_urls
from tests.api_errors import error_codes, field_errors


def boom(request):
    raise RuntimeError("a bug in a view")


# This module is the URL conf of the tests below: the site's URLs, its handlers, and a view that raises.
urlpatterns = [path("test-boom/", boom), path("api/v1/test-boom/", boom), *site_urls.urlpatterns]
handler403 = site_urls.handler403
handler404 = site_urls.handler404
handler500 = site_urls.handler500

pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]


def test_the_site_urls_wire_our_handlers():
    assert site_urls.handler403 == "salesdept.errors.permission_denied"
    assert site_urls.handler404 == "salesdept.errors.page_not_found"
    assert site_urls.handler500 == "salesdept.errors.server_error"


@override_settings(DEBUG=False)
def test_a_missing_page_is_the_russian_404_in_the_frame(client, manager):
    client.force_login(manager)
    response = client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Такой страницы нет" in html
    assert 'data-testid="current-user"' in html  # the frame: the top bar with the user
    assert 'href="/favicon.ico"' not in html and 'rel="icon"' in html


@override_settings(DEBUG=False)
def test_another_managers_client_is_the_same_404(client, manager, other_manager):
    from tests.crm.factories import ClientFactory

    theirs = ClientFactory(owner=other_manager)
    client.force_login(manager)
    response = client.get(reverse("client_detail", args=[theirs.pk]))
    assert response.status_code == 404
    assert "Такой страницы нет" in response.content.decode()


@override_settings(DEBUG=False)
def test_a_page_for_another_role_is_the_russian_403_with_the_reason(client, manager):
    client.force_login(manager)
    response = client.get(reverse("nightly_runs"))
    html = response.content.decode()
    assert response.status_code == 403
    assert "Доступ запрещён" in html
    assert 'data-testid="current-user"' in html


@override_settings(DEBUG=False)
def test_a_view_that_raises_gives_the_russian_500_page(client, manager):
    client.force_login(manager)
    client.raise_request_exception = False
    response = client.get("/test-boom/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "Ошибка сервера" in html
    assert "a bug in a view" not in html
    assert "tabler.min.css" in html  # the site's look, without the user's top bar


def test_the_500_page_renders_without_a_request_context():
    html = render_to_string("500.html")
    assert "Ошибка сервера" in html
    assert 'href="/"' in html


@override_settings(DEBUG=False)
def test_the_api_answers_its_errors_as_json(client, manager, other_manager):
    from tests.crm.factories import ClientFactory

    theirs = ClientFactory(owner=other_manager)
    client.force_login(manager)
    client.raise_request_exception = False
    for url, status, error_type, code in [
        (f"/api/v1/clients/{theirs.pk}/", 404, "client_error", "not_found"),
        ("/api/v1/no-such-resource/", 404, "client_error", "not_found"),
        ("/api/v1/test-boom/", 500, "server_error", "error"),
    ]:
        response = client.get(url)
        assert response.status_code == status, url
        assert response["Content-Type"].startswith("application/json"), url
        assert response.json()["type"] == error_type, url
        assert error_codes(response) == {"non_field_errors": [code]}, url
        assert field_errors(response)["non_field_errors"][0], url
        assert "a bug in a view" not in response.content.decode()


def test_favicon_ico_redirects_to_the_static_mark(client):
    response = client.get("/favicon.ico")
    assert response.status_code in (301, 302)
    assert response["Location"].endswith("favicon.svg")
    from django.contrib.staticfiles import finders

    assert response["Location"] == "/static/favicon.svg"
    assert "<svg" in Path(finders.find("favicon.svg")).read_text()
