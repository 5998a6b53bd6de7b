"""Transport (docs/api.md): `page_size` within 1..500 or a 400 naming the maximum; `updated_since` with an offset."""

from __future__ import annotations

from datetime import UTC, timedelta

import pytest
from django.utils import timezone

from crm.models import Client
from tests.api_errors import field_errors
from tests.conftest import api_as
from tests.crm.factories import ClientFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("size", ["501", "100000", "99999999999999999999"])
def test_a_page_size_above_the_maximum_is_a_400_naming_it(manager, size):
    answer = api_as(manager).get("/api/v1/clients/", {"page_size": size})
    assert answer.status_code == 400
    assert "500" in field_errors(answer)["page_size"][0]


@pytest.mark.parametrize("size", ["0", "-1", "abc", "1.5", "²"])
def test_a_page_size_that_is_not_a_whole_number_from_1_is_a_400(manager, size):
    answer = api_as(manager).get("/api/v1/clients/", {"page_size": size})
    assert answer.status_code == 400
    assert "page_size" in field_errors(answer)


@pytest.mark.parametrize(("size", "rows"), [("500", 3), ("2", 2), ("", 3)])
def test_a_page_size_within_the_limits_is_applied(manager, size, rows):
    for _ in range(3):
        ClientFactory(owner=manager)
    answer = api_as(manager).get("/api/v1/clients/", {"page_size": size})
    assert answer.status_code == 200
    assert len(answer.json()["results"]) == rows


@pytest.mark.parametrize("path", ["/api/v1/clients/", "/api/v1/deals/", "/api/v1/activities/", "/api/v1/imports/"])
def test_updated_since_without_an_offset_is_a_400(manager, path):
    answer = api_as(manager).get(path, {"updated_since": "2026-11-20T09:30:00"})
    assert answer.status_code == 400
    assert (
        "offset" in field_errors(answer)["updated_since"][0].lower() or "Z" in field_errors(answer)["updated_since"][0]
    )


def test_updated_since_takes_z_and_an_offset_the_same_way(manager):
    ClientFactory(owner=manager)
    Client.objects.update(updated_at=timezone.now() - timedelta(hours=1))
    fresh = ClientFactory(owner=manager)
    moment = timezone.now() - timedelta(minutes=30)
    utc = moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    moscow = (moment + timedelta(hours=3)).replace(tzinfo=None).strftime("%Y-%m-%dT%H:%M:%S+03:00")
    api = api_as(manager)
    for value in (utc, moscow):
        answer = api.get("/api/v1/clients/", {"updated_since": value})
        assert answer.status_code == 200, value
        assert [row["id"] for row in answer.json()["results"]] == [fresh.pk]
