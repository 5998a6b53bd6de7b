"""Odd input anywhere answers a precise 4xx with field errors, never a 500."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from crm.models import Client, Deal, ImportJob
from crm.rules.stages import Stage
from planning.models import Plan
from tests.api_errors import error_codes, field_errors
from tests.conftest import api_as
from tests.crm.factories import ActivityFactory, ClientFactory, DealFactory, LostReasonFactory

# (method, url template, body, status, error field or None); {client}, {deal}, {activity} are the head's rows.
CASES = [
    (
        "post",
        "/api/v1/deals/",
        {"client": "{client}", "title": "T", "products": [{"product": 999999}]},
        400,
        "products.0.product",
    ),
    (
        "post",
        "/api/v1/deals/",
        {"client": "{client}", "title": "T", "products": "камеры"},
        400,
        "products.non_field_errors",
    ),
    ("post", "/api/v1/deals/", {"client": "{client}", "title": "T", "amount": "1e20"}, 400, "amount"),
    ("post", "/api/v1/deals/", {"client": "{client}", "title": "T", "owner": "{head}"}, 400, "owner"),
    ("post", "/api/v1/deals/", [1, 2], 400, "non_field_errors"),
    ("post", "/api/v1/deals/{deal}/move/", ["market"], 400, "non_field_errors"),
    ("post", "/api/v1/deals/{deal}/move/", {"stage": ["market"]}, 400, "stage"),
    ("post", "/api/v1/deals/{deal}/lose/", {"reason": "цена"}, 400, "reason"),
    ("post", "/api/v1/deals/{deal}/payments/", {"amount": "100", "paid_on": "2026-11-20"}, 400, "stage"),
    ("post", "/api/v1/activities/{activity}/complete/", {"done_at": "вчера"}, 400, "done_at"),
    ("patch", "/api/v1/activities/{activity}/", {"duration_seconds": "долго"}, 400, "duration_seconds"),
    ("post", "/api/v1/clients/", {"name": "Я" * 300}, 400, "name"),
    ("post", "/api/v1/clients/", {"name": "ООО Тест", "owner": "{head}"}, 400, "owner"),
    ("post", "/api/v1/clients/{client}/reassign/", {"owner": "{head}", "reason": "x"}, 400, "owner"),
    ("post", "/api/v1/clients/{client}/reassign/", {"owner": 999999, "reason": "x"}, 400, "owner"),
    ("post", "/api/v1/teams/", {"name": "Группа 7", "lead": "{head}"}, 400, "lead"),
    ("patch", "/api/v1/users/{head}/", {"is_active": "наверное"}, 400, "is_active"),
    ("get", "/api/v1/clients/?page=999", None, 404, None),
    ("get", "/api/v1/clients/?page_size=abc", None, 400, "page_size"),
    ("get", "/api/v1/deals/?ordering=stage_display", None, 200, None),
    ("delete", "/api/v1/sales/1/", None, 405, None),
    ("delete", "/api/v1/users/{head}/", None, 405, None),
    ("get", "/api/v1/deals/abc/", None, 404, None),
]


@pytest.mark.parametrize(("method", "url", "body", "status", "field"), CASES)
def test_odd_input_answers_a_precise_status_and_never_500(head, manager, method, url, body, status, field):
    client = ClientFactory(owner=manager)
    deal = DealFactory(client=client, stage=Stage.GOAL)
    activity = ActivityFactory(client=client, deal=deal)
    LostReasonFactory(name="Цена")
    refs = {"{client}": client.pk, "{deal}": deal.pk, "{activity}": activity.pk, "{head}": head.pk}
    for key, value in refs.items():
        url = url.replace(key, str(value))
    if isinstance(body, dict):
        body = {k: refs.get(v, v) if isinstance(v, str) else v for k, v in body.items()}
    counts = (Client.objects.count(), Deal.objects.count())

    response = getattr(api_as(head), method)(url, body, format="json")

    assert response.status_code == status, response.content
    if field:
        assert field in field_errors(response)
    assert (Client.objects.count(), Deal.objects.count()) == counts


# -- issue 10, item 5: each server error found by fuzzing, as a regression test ---------------------------------

BAD_OFFSETS = [
    "2026-01-01T00:00:00-19:00",
    "2026-01-01T00:00:00+99:00",
    "0000-01-01T00:00:00Z",
    "10000-01-01T00:00:00Z",
    "2026-02-30T00:00:00Z",
]


def list_routes():
    """Every /api/v1/ list whose FilterSet filters by `updated_since`."""
    from salesdept.urls import router

    for prefix, viewset, _basename in router.registry:
        filterset = getattr(viewset, "filterset_class", None)
        if filterset is not None and "updated_since" in filterset.base_filters:
            yield prefix


def test_every_list_filters_by_updated_since():
    assert {"clients", "deals", "activities", "plans", "imports", "stock-requests"} <= set(list_routes())


@pytest.mark.parametrize("since", BAD_OFFSETS)
def test_updated_since_that_postgresql_cannot_hold_is_a_400_on_every_list(head, since):
    api = api_as(head)
    for prefix in list_routes():
        response = api.get(f"/api/v1/{prefix}/", {"updated_since": since})

        assert response.status_code == 400, (prefix, response.content)
        assert "updated_since" in field_errors(response), prefix


def test_updated_since_with_a_real_offset_or_from_1970_still_filters(head, manager):
    ClientFactory(owner=manager)
    api = api_as(head)

    assert api.get("/api/v1/clients/", {"updated_since": "1970-01-01T00:00:00Z"}).json()["count"] == 1
    assert api.get("/api/v1/clients/", {"updated_since": "2100-01-01T00:00:00+14:00"}).json()["count"] == 0
    assert api.get("/api/v1/activities/", {"due_after": "2026-01-01T00:00:00-19:00"}).status_code == 400


@pytest.mark.parametrize("name", ["client_list", "client_list_print", "client_export", "board", "stock_request_list"])
def test_pages_with_a_bad_updated_since_show_an_error_or_ignore_it(client, head, name):
    client.force_login(head)
    for since in BAD_OFFSETS:
        assert client.get(reverse(name), {"updated_since": since}).status_code in (200, 400), (name, since)


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/prospect-entries/abc/claim/",
        "/api/v1/prospect-entries/²/claim/",
        "/api/v1/deals/abc/move/",
        "/api/v1/clients/1.5/reassign/",
        "/api/v1/plans/abc/approve/",
        "/api/v1/imports/abc/confirm/",
        "/api/v1/prospect-entries/9999999999999999999/claim/",
        "/api/v1/prospect-entries/99999999999999999999/claim/",
    ],
)
def test_a_non_numeric_or_huge_id_in_an_action_is_404(head, url):
    assert api_as(head).post(url, {}, format="json").status_code == 404


def test_every_router_detail_route_takes_only_digits(head):
    from salesdept.urls import router

    api = api_as(head)
    for prefix, _viewset, _basename in router.registry:
        for bad in ("abc", "²", "-1"):
            assert api.get(f"/api/v1/{prefix}/{bad}/").status_code == 404, (prefix, bad)


def nested(depth: int) -> str:
    return '{"name": ' + "[" * depth + "]" * depth + "}"


@pytest.mark.parametrize("depth", [33, 1000, 100_000])
def test_json_nested_deeper_than_32_levels_is_a_400_on_any_endpoint(manager, depth):
    api = api_as(manager)
    for url in ("/api/v1/clients/", "/api/v1/deals/", "/api/v1/activities/", "/api/v1/plans/generate/"):
        response = api.post(url, data=nested(depth), content_type="application/json")

        assert response.status_code == 400, (url, response.content[:200])
    assert Client.objects.count() == 0


def test_json_of_32_levels_is_parsed(manager):
    response = api_as(manager).post("/api/v1/clients/", data=nested(30), content_type="application/json")

    assert response.status_code == 400
    assert "name" in field_errors(response)  # the serializer saw it: a list is no name


def raw_json(api, method, url, text):
    return getattr(api, method)(url, data=text, content_type="application/json")


@pytest.mark.parametrize(
    ("method", "url", "body", "field"),
    [
        ("post", "/api/v1/activities/", '{"kind": "\\ud800", "client": {client}, "subject": "x"}', "kind"),
        ("post", "/api/v1/activities/", '{"kind": "call", "client": {client}, "subject": "\\udfff"}', "subject"),
        ("post", "/api/v1/deals/{deal}/move/", '{"stage": "\\ud800"}', "stage"),
        ("patch", "/api/v1/users/{manager}/", '{"role": "\\ud800"}', "role"),
        ("post", "/api/v1/clients/", '{"name": "ООО \\ud800"}', "name"),
        ("post", "/api/v1/deals/", '{"client": {client}, "title": "T", "products": [{"note": "\\ud83d"}]}', "products"),
        ("post", "/api/v1/clients/", '{"\\ud800": "x"}', "non_field_errors"),
    ],
)
def test_a_lone_surrogate_in_any_text_or_choice_is_a_400_under_its_field(head, manager, method, url, body, field):
    client = ClientFactory(owner=manager)
    deal = DealFactory(client=client, stage=Stage.GOAL)
    refs = {"{client}": client.pk, "{deal}": deal.pk, "{manager}": manager.pk}
    for key, value in refs.items():
        url, body = url.replace(key, str(value)), body.replace(key, str(value))
    counts = (Client.objects.count(), Deal.objects.count())

    response = raw_json(api_as(head), method, url, body)

    assert response.status_code == 400, response.content
    assert field in field_errors(response)
    assert (Client.objects.count(), Deal.objects.count()) == counts


def test_a_lone_surrogate_sent_by_an_html_form_is_replaced_not_a_500(client, manager):
    """Browsers send UTF-8; an encoded surrogate half is invalid UTF-8, which Django decodes as U+FFFD."""
    mine = ClientFactory(owner=manager)
    client.force_login(manager)

    response = client.post(
        reverse("client_update", args=[mine.pk]),
        data=b"name=%ED%A0%80",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code in (200, 302, 400)
    mine.refresh_from_db()
    assert "\ud800" not in mine.name


@pytest.mark.parametrize("url", ["/api/v1/pay/", "/api/v1/plan-fact/", "/api/v1/cross-sell/", "/api/v1/tool2/"])
@pytest.mark.parametrize("manager_id", ["²", "٣", "1e3", "abc"])
def test_a_unicode_digit_as_manager_is_a_400_in_the_api(head, url, manager_id):
    response = api_as(head).get(url, {"manager": manager_id})

    assert response.status_code == 400, response.content
    assert "manager" in field_errors(response)


@pytest.mark.parametrize("name", ["my_pay", "plan_fact", "plan_fact_export", "cross_sell", "tool2", "plan_work"])
def test_a_unicode_digit_as_manager_on_a_page_finds_nobody(client, head, name):
    client.force_login(head)
    assert client.get(reverse(name), {"manager": "²"}).status_code == 404


@pytest.mark.parametrize("url", ["/api/v1/pay/", "/api/v1/plan-fact/", "/api/v1/cross-sell/", "/api/v1/plans/"])
@pytest.mark.parametrize("month", ["9999-12", "0000-01", "1999-12", "2026-13", "²⁰²⁶-01"])
def test_a_month_out_of_range_is_a_400_under_month_in_the_api(manager, url, month):
    response = api_as(manager).get(url, {"month": month})

    assert response.status_code == 400, response.content
    assert "month" in field_errors(response)


@pytest.mark.parametrize(
    ("name", "status"),
    [
        # The pages that page through months show this month (or the next, for plans) instead.
        ("my_pay", 200),
        ("plan_list", 200),
        ("pay_kpi_results", 200),
        ("long_list", 200),
        # The plan-work pages treat a month they cannot show as not found, as they do a malformed one.
        ("plan_fact", 404),
        ("plan_fact_export", 404),
        ("cross_sell", 404),
    ],
)
def test_a_month_out_of_range_on_a_page_is_the_default_month_or_not_found(client, head, manager, name, status):
    client.force_login(manager if name != "pay_kpi_results" else head)
    for month in ("9999-12", "0000-01", "1999-12"):
        assert client.get(reverse(name), {"month": month}).status_code == status, month


@pytest.mark.parametrize("month", ["9999-12", "1999-12", "2101-01"])
def test_a_plan_for_a_year_out_of_range_is_refused(head, manager, month):
    response = api_as(head).post(
        "/api/v1/plans/generate/", {"manager": manager.pk, "month": month, "target": "1000"}, format="json"
    )

    assert response.status_code == 400, response.content
    assert "month" in field_errors(response)
    assert not Plan.objects.exists()


def test_the_plan_page_refuses_a_year_out_of_range_on_the_form(client, head, manager):
    client.force_login(head)

    response = client.post(
        reverse("plan_generate"),
        {
            "manager": manager.pk,
            "month": "9999-12",
            "target": "1000",
            "active_existing_share": "0.5",
            "one_off_share": "0.2",
        },
    )

    assert response.status_code == 400
    assert "month" in response.context["form"].errors
    assert not Plan.objects.exists()


# -- issue 10, item 4: request bodies within the limits ---------------------------------------------------------


@override_settings(API_JSON_MAX_BYTES=10_000)
def test_a_json_body_over_the_limit_is_413_and_writes_nothing(manager):
    body = '{"name": "' + "Я" * 10_000 + '"}'

    response = api_as(manager).post("/api/v1/clients/", data=body, content_type="application/json")

    assert response.status_code == 413
    assert error_codes(response) == {"non_field_errors": ["too_large"]}
    assert Client.objects.count() == 0


def test_a_60_mb_json_body_is_refused_by_the_default_limit(manager):
    body = b'{"name": "' + b"x" * (60 * 1024 * 1024) + b'"}'

    response = api_as(manager).generic("POST", "/api/v1/clients/", body, content_type="application/json")

    assert response.status_code == 413


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_a_form_body_is_415_the_api_takes_json(manager):
    """Request bodies are JSON only (multipart only where a file is uploaded): a form is never parsed."""
    response = api_as(manager).post(
        "/api/v1/clients/", data="name=" + "x" * 2000, content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 415
    assert not Client.objects.exists()


@override_settings(API_UPLOAD_MAX_BYTES=1000)
def test_a_multipart_body_over_the_limit_is_413(head):
    upload = SimpleUploadedFile("clients.csv", b"name\n" + b"x" * 2000 + b"\n", content_type="text/csv")

    response = api_as(head).post("/api/v1/imports/", {"file": upload, "kind": "clients"}, format="multipart")

    assert response.status_code == 413
    assert not ImportJob.objects.exists()
