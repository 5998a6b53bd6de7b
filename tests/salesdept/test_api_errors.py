"""One error shape on the whole API (issue 14, "Errors"): `{"type", "errors": [{"code", "detail", "attr"}]}` for every
4xx and 5xx, codes a program can read, messages in the language of Accept-Language (JWT, 404 and throttling too),
and every 4xx documented in the schema."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError as DjangoValidationError
from django.test import override_settings
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle
from rest_framework_simplejwt.tokens import AccessToken

from salesdept.api import validation_error
from salesdept.middleware import accepted_language
from tests.api_errors import error_codes, field_errors
from tests.conftest import api_as
from tests.crm.factories import ClientFactory, DealFactory

pytestmark = pytest.mark.django_db

PASSWORD = "pass12345"  # set by UserFactory


def only_error(response) -> dict:
    body = response.json()
    assert set(body) == {"type", "errors"}, body
    assert len(body["errors"]) == 1, body
    assert set(body["errors"][0]) == {"code", "detail", "attr"}
    return {"type": body["type"], **body["errors"][0]}


def bearer(token: str, language: str | None = None) -> APIClient:
    api = APIClient()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    if language:
        headers["HTTP_ACCEPT_LANGUAGE"] = language
    api.credentials(**headers)
    return api


@pytest.fixture
def low_rates(monkeypatch):
    cache.clear()  # the throttles count in Redis
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "1/minute", "user": "1/minute"})
    yield
    cache.clear()


# -- 400 ---------------------------------------------------------------------------------------------------------------


def test_a_missing_field_is_a_validation_error_with_its_code_and_attr(manager):
    response = api_as(manager).post("/api/v1/clients/", {}, format="json", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    body = response.json()
    assert body["type"] == "validation_error"
    assert {"code": "required", "detail": "This field is required.", "attr": "name"} in body["errors"]


def test_a_nested_field_is_named_by_its_path(manager):
    client = ClientFactory(owner=manager)
    body = {"client": client.pk, "title": "Камеры", "products": [{"product": 999999, "quantity": "1"}]}

    response = api_as(manager).post("/api/v1/deals/", body, format="json")

    assert response.status_code == 400
    assert error_codes(response) == {"products.0.product": ["does_not_exist"]}


def test_a_body_that_is_no_object_is_a_non_field_error(manager):
    response = api_as(manager).post("/api/v1/deals/", [1, 2], format="json")

    assert response.status_code == 400 and response.json()["type"] == "validation_error"
    assert error_codes(response) == {"non_field_errors": ["invalid"]}
    assert response.json()["errors"][0]["attr"] == "non_field_errors"


def test_a_refusal_of_a_service_is_a_field_error(manager):
    deal = DealFactory(client=ClientFactory(owner=manager), owner=manager)

    response = api_as(manager).post(f"/api/v1/deals/{deal.pk}/move/", {"stage": "prospect_list"}, format="json")

    assert response.status_code == 400
    assert response.json()["type"] == "validation_error"
    assert list(error_codes(response)) == ["stage"]
    assert all(code for codes in error_codes(response).values() for code in codes)


def test_a_services_validation_error_keeps_its_code_and_whole_object_errors_are_non_field_errors():
    single = validation_error(DjangoValidationError("Уже у другого менеджера.", code="taken"))
    by_field = validation_error(
        DjangoValidationError(
            {
                "inn": [DjangoValidationError("ИНН уже есть.", code="duplicate_inn")],
                "__all__": [DjangoValidationError("Нельзя.")],
            }
        )
    )

    assert single.detail == {"non_field_errors": ["Уже у другого менеджера."]}
    assert single.detail["non_field_errors"][0].code == "taken"
    assert by_field.detail["inn"][0].code == "duplicate_inn"
    assert by_field.detail["non_field_errors"][0].code == "invalid"


def test_a_bad_query_parameter_is_a_validation_error_with_a_code(manager):
    response = api_as(manager).get("/api/v1/clients/", {"updated_since": "вчера"})

    assert response.status_code == 400
    assert error_codes(response) == {"updated_since": ["invalid"]}


# -- 401, 403, 404, 405, 412, 413, 415, 429, 500 --------------------------------------------------------------------


def test_no_token_is_401_not_authenticated():
    response = APIClient().get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 401
    assert only_error(response) == {
        "type": "client_error",
        "code": "not_authenticated",
        "detail": "Authentication credentials were not provided.",
        "attr": None,
    }


def test_a_bad_token_is_401_token_not_valid_with_the_reason(manager):
    response = bearer("junk", "en").get("/api/v1/me/")

    assert response.status_code == 401
    assert only_error(response) == {
        "type": "client_error",
        "code": "token_not_valid",
        "detail": "Token is invalid",
        "attr": None,
    }


def test_wrong_credentials_are_401_no_active_account(manager):
    response = APIClient().post("/api/v1/auth/token/", {"username": "ivanov", "password": "нет"}, format="json")

    assert response.status_code == 401
    assert only_error(response)["code"] == "no_active_account"


def test_another_roles_resource_is_403_permission_denied(vip_head):
    response = api_as(vip_head).get("/api/v1/pay/")

    assert response.status_code == 403
    assert only_error(response)["code"] == "permission_denied"
    assert only_error(response)["type"] == "client_error"


def test_an_unknown_id_and_an_unknown_url_are_both_404_not_found(manager, other_manager):
    theirs = ClientFactory(owner=other_manager)
    api = api_as(manager)

    for url in (f"/api/v1/clients/{theirs.pk}/", "/api/v1/clients/999999/", "/api/v1/no-such-thing/", "/api/x/"):
        response = api.get(url, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 404, url
        assert only_error(response) == {
            "type": "client_error",
            "code": "not_found",
            "detail": "Not found.",
            "attr": None,
        }


def test_a_wrong_method_is_405(manager):
    response = api_as(manager).delete("/api/v1/sales/1/")

    assert response.status_code == 405
    assert only_error(response)["code"] == "method_not_allowed"


def test_a_stale_if_match_is_412_with_who_changed_it_and_the_current_etag(manager):
    deal = DealFactory(client=ClientFactory(owner=manager), owner=manager)
    api = api_as(manager)
    assert (
        api.patch(f"/api/v1/deals/{deal.pk}/", {"title": "Первая"}, format="json", HTTP_IF_MATCH='"1"').status_code
        == 200
    )

    stale = api.patch(f"/api/v1/deals/{deal.pk}/", {"title": "Вторая"}, format="json", HTTP_IF_MATCH='"1"')

    assert stale.status_code == 412 and stale["ETag"] == '"2"'
    error = only_error(stale)
    assert (error["type"], error["code"], error["attr"]) == ("client_error", "precondition_failed", None)
    assert str(manager) in error["detail"]


@override_settings(API_JSON_MAX_BYTES=1_000)
def test_a_body_too_large_is_413_too_large(manager):
    body = '{"name": "' + "Я" * 1_000 + '"}'

    response = api_as(manager).post("/api/v1/clients/", data=body, content_type="application/json")

    assert response.status_code == 413
    assert only_error(response)["code"] == "too_large"


def test_an_unknown_media_type_is_415(manager):
    response = api_as(manager).post("/api/v1/clients/", data="name=x", content_type="text/plain")

    assert response.status_code == 415
    assert only_error(response)["code"] == "unsupported_media_type"


def test_malformed_json_is_400_parse_error(manager):
    response = api_as(manager).post("/api/v1/clients/", data="{", content_type="application/json")

    assert response.status_code == 400
    assert only_error(response)["type"] == "client_error"
    assert only_error(response)["code"] == "parse_error"


def test_too_many_requests_is_429_throttled_with_retry_after(low_rates, manager):
    api = api_as(manager)
    assert api.get("/api/v1/me/").status_code == 200

    response = api.get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 429 and 0 < int(response["Retry-After"]) <= 60
    error = only_error(response)
    assert error["code"] == "throttled"
    assert error["detail"] == f"Request was throttled. Expected available in {response['Retry-After']} seconds."


# -- the language -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "expected"),
    [("ru", "Токен недействителен"), ("ru-RU,ru;q=0.9,en;q=0.5", "Токен недействителен"), ("en", "Token is invalid")],
)
def test_a_bad_token_speaks_the_language_asked_for(manager, language, expected):
    response = bearer("junk", language).get("/api/v1/me/")

    assert only_error(response)["detail"] == expected


@pytest.mark.parametrize(("language", "expected"), [("ru", "Срок действия токена истёк"), ("en", "Token is expired")])
def test_an_expired_token_speaks_the_language_asked_for(manager, language, expected):
    token = AccessToken.for_user(manager)
    token.set_exp(lifetime=-timedelta(minutes=1))

    response = bearer(str(token), language).get("/api/v1/me/")

    assert response.status_code == 401
    assert only_error(response)["detail"] == expected


def test_a_blacklisted_refresh_token_and_wrong_credentials_are_russian(manager, settings):
    settings.JWT_REFRESH_GRACE_SECONDS = 0  # past the grace for a repeat (tests/crm/test_api_retries.py)
    api = APIClient(HTTP_ACCEPT_LANGUAGE="ru")
    tokens = api.post("/api/v1/auth/token/", {"username": "ivanov", "password": PASSWORD}, format="json").json()
    assert api.post("/api/v1/auth/token/refresh/", {"refresh": tokens["refresh"]}, format="json").status_code == 200

    reused = api.post("/api/v1/auth/token/refresh/", {"refresh": tokens["refresh"]}, format="json")
    wrong = api.post("/api/v1/auth/token/", {"username": "ivanov", "password": "нет"}, format="json")

    assert reused.status_code == 401
    assert only_error(reused)["detail"] == "Токен занесен в черный список"
    assert only_error(wrong)["detail"] == "Не найдено активной учетной записи с указанными данными"


def test_a_valid_token_request_speaks_the_language_asked_for(manager):
    token = str(AccessToken.for_user(manager))

    russian = bearer(token, "ru").post("/api/v1/clients/", {}, format="json")
    english = bearer(token, "en").post("/api/v1/clients/", {}, format="json")

    assert field_errors(russian)["name"] == ["Обязательное поле."]
    assert field_errors(english)["name"] == ["This field is required."]


@pytest.mark.parametrize(
    ("language", "not_authenticated", "not_found"),
    [
        ("ru", "Учетные данные не были предоставлены.", "Не найдено."),
        ("en", "Authentication credentials were not provided.", "Not found."),
    ],
)
def test_401_and_404_speak_the_language_asked_for(manager, language, not_authenticated, not_found):
    anonymous = APIClient().get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE=language)
    missing = api_as(manager).get("/api/v1/clients/999999/", HTTP_ACCEPT_LANGUAGE=language)
    no_url = api_as(manager).get("/api/v1/no-such-thing/", HTTP_ACCEPT_LANGUAGE=language)

    assert only_error(anonymous)["detail"] == not_authenticated
    assert only_error(missing)["detail"] == only_error(no_url)["detail"] == not_found


@pytest.mark.parametrize(
    ("language", "start"), [("ru", "Слишком много запросов. Повторите через "), ("en", "Request was throttled.")]
)
def test_429_speaks_the_language_asked_for(low_rates, manager, language, start):
    api = api_as(manager)
    api.get("/api/v1/me/")

    response = api.get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 429
    assert only_error(response)["detail"].startswith(start)


def test_405_and_415_speak_russian(manager):
    api = api_as(manager)

    wrong_method = api.delete("/api/v1/sales/1/", HTTP_ACCEPT_LANGUAGE="ru")
    wrong_type = api.post("/api/v1/clients/", data="x", content_type="text/plain", HTTP_ACCEPT_LANGUAGE="ru")

    assert only_error(wrong_method)["detail"] == 'Метод "DELETE" не разрешен.'
    assert only_error(wrong_type)["detail"] == 'Неподдерживаемый тип данных "text/plain" в запросе.'


def test_under_api_the_header_wins_over_a_language_cookie_and_without_one_it_is_russian(client, manager):
    client.force_login(manager)
    client.cookies["django_language"] = "en"

    asked = client.post("/api/v1/clients/", {}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="ru")
    unasked = APIClient().get("/api/v1/me/")

    assert field_errors(asked)["name"] == ["Обязательное поле."]
    assert only_error(unasked)["detail"] == "Учетные данные не были предоставлены."


def test_the_accepted_language_is_the_first_the_site_speaks():
    assert accepted_language("de-DE,de;q=0.9,en;q=0.8") == "en"
    assert accepted_language("ru-RU") == "ru"
    assert accepted_language("fr, *") is None
    assert accepted_language("") is None


# -- the schema -------------------------------------------------------------------------------------------------------


@pytest.fixture
def schema(head):
    response = api_as(head).get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def ref_of(operation: dict, status: str) -> str:
    return operation["responses"][status]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]


def test_the_schema_documents_the_4xx_of_an_update_with_the_error_components(schema):
    patch = schema["paths"]["/api/v1/deals/{id}/"]["patch"]

    assert {"400", "401", "404", "405", "412", "413", "415", "429"} <= set(patch["responses"])
    assert ref_of(patch, "401") == "ErrorResponse401"
    assert ref_of(patch, "404") == "ErrorResponse404"
    assert ref_of(patch, "412") == "ErrorResponse412"
    components = schema["components"]["schemas"]
    four_hundred = components[ref_of(patch, "400")]
    assert four_hundred["discriminator"]["propertyName"] == "type"
    assert set(four_hundred["discriminator"]["mapping"]) == {"validation_error", "client_error"}
    validation = components[four_hundred["discriminator"]["mapping"]["validation_error"].rsplit("/", 1)[-1]]
    item = components[validation["properties"]["errors"]["items"]["$ref"].rsplit("/", 1)[-1]]
    assert set(item["required"]) == {"code", "detail", "attr"}
    assert "`title`: `blank`" in item["properties"]["attr"]["description"]
    assert set(components["ErrorCode401Enum"]["enum"]) >= {"not_authenticated", "token_not_valid"}
    assert components["ErrorCode412Enum"]["enum"] == ["precondition_failed"]


def test_the_schema_documents_403_wherever_a_login_is_needed_and_no_412_without_if_match(schema):
    pay = schema["paths"]["/api/v1/pay/"]["get"]
    create = schema["paths"]["/api/v1/deals/"]["post"]

    assert ref_of(pay, "403") == "ErrorResponse403"
    assert "403" not in schema["paths"]["/api/v1/auth/token/"]["post"]["responses"]
    assert "412" not in create["responses"] and "412" not in pay["responses"]
    assert "413" in create["responses"] and "413" not in pay["responses"]
