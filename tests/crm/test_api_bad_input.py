"""Odd input anywhere answers a precise 4xx with field errors, never a 500."""

import pytest

from crm.models import Client, Deal
from crm.rules.stages import Stage
from tests.conftest import api_as
from tests.crm.factories import ActivityFactory, ClientFactory, DealFactory, LostReasonFactory

# (method, url template, body, status, error field or None); {client}, {deal}, {activity} are the head's rows.
CASES = [
    (
        "post",
        "/api/v1/deals/",
        {"client": "{client}", "title": "T", "products": [{"product": 999999}]},
        400,
        "products",
    ),
    ("post", "/api/v1/deals/", {"client": "{client}", "title": "T", "products": "камеры"}, 400, "products"),
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
    ("get", "/api/v1/clients/?page_size=abc", None, 200, None),
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
        assert field in response.json()
    assert (Client.objects.count(), Deal.objects.count()) == counts
