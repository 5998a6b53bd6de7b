"""Page numbers read ids first past page 1 and from the other end past the middle: the same rows as OFFSET."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from crm.models import Deal
from tests.conftest import api_as
from tests.crm.factories import ClientFactory, DealFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def deals(manager):
    client = ClientFactory(owner=manager)
    now = timezone.now()
    made = [DealFactory(client=client, owner=manager, amount=100 + i % 4) for i in range(23)]
    for i, deal in enumerate(made):
        # Pairs with one updated_at: the id breaks the tie.
        Deal.objects.filter(pk=deal.pk).update(updated_at=now - timedelta(minutes=i // 2))
    return made


def all_pages(api, **query):
    ids, page = [], 1
    while True:
        body = api.get("/api/v1/deals/", {"page_size": 5, "page": page, **query}).json()
        ids += [row["id"] for row in body["results"]]
        if body["next"] is None:
            return ids, body["count"]
        page += 1


@pytest.mark.parametrize("ordering", [None, "amount", "-amount", "expected_close_date", "-id"])
def test_every_page_gives_the_rows_of_the_order_once(head, deals, ordering):
    query = {"ordering": ordering} if ordering else {}
    ids, count = all_pages(api_as(head), **query)
    expected = Deal.objects.order_by(*((ordering,) if ordering else ("-updated_at", "-id")), "pk")
    assert count == 23
    assert ids == list(expected.values_list("pk", flat=True))


def test_a_deep_page_takes_as_many_queries_as_a_middle_one(head, deals):
    def queries(page):
        with CaptureQueriesContext(connection) as captured:
            response = api_as(head).get("/api/v1/deals/", {"page_size": 5, "page": page})
        assert response.status_code == 200
        assert len(response.json()["results"]) == (3 if page == 5 else 5)
        return len(captured)

    assert queries(2) == queries(5)


def test_the_last_page_reads_its_ids_from_the_other_end(head, deals):
    with CaptureQueriesContext(connection) as captured:
        api_as(head).get("/api/v1/deals/", {"page_size": 5, "page": 5})
    narrow = next(q["sql"] for q in captured if q["sql"].startswith('SELECT "crm_deal"."id" AS "pk"'))
    assert "ASC" in narrow and "OFFSET" not in narrow  # LIMIT 3 from the oldest end: nothing skipped
