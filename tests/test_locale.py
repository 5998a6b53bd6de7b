"""Russian first: pages are Russian whatever the browser says, until the user picks English."""

import pytest

from tests.api_errors import field_errors


@pytest.mark.django_db
def test_pages_are_russian_even_for_an_english_browser(client):
    response = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert '<html lang="ru"' in response.content.decode()


@pytest.mark.django_db
def test_the_language_switch_turns_pages_english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})

    response = client.get("/login/", HTTP_ACCEPT_LANGUAGE="ru")

    assert '<html lang="en"' in response.content.decode()


@pytest.mark.django_db
def test_the_api_honours_accept_language_for_mobile_clients(client):
    english = client.post("/api/v1/auth/token/", {}, HTTP_ACCEPT_LANGUAGE="en")
    russian = client.post("/api/v1/auth/token/", {})

    assert english.status_code == russian.status_code == 400
    assert field_errors(english)["username"] == ["This field is required."]
    assert field_errors(russian)["username"] == ["Обязательное поле."]
