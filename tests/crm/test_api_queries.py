"""Every list endpoint: the number of SQL queries does not grow with the rows, and `updated_since` works."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from crm.models import DealProduct, DealStageChange, ImportJob, LostReason
from tests.conftest import api_as
from tests.crm.factories import (
    ActivityFactory,
    BrandFactory,
    CategoryFactory,
    ClientFactory,
    ContactFactory,
    DealFactory,
    LostReasonFactory,
    ProductFactory,
    SaleLineFactory,
    SegmentFactory,
    TeamFactory,
    UserFactory,
)

AT = datetime(2026, 11, 1, tzinfo=UTC)


def deal_with_lines(owner):
    deal = DealFactory(client=ClientFactory(owner=owner, segment=SegmentFactory()), lost_reason=LostReasonFactory())
    for product in (ProductFactory(), ProductFactory()):
        DealProduct.objects.create(deal=deal, product=product, quantity=Decimal("2"), price=Decimal("10.00"))
    return deal


def lost_reason(owner):
    return LostReasonFactory(name=f"Причина {LostReason.objects.count()}")


MAKERS = {
    "clients": lambda owner: ClientFactory(owner=owner, segment=SegmentFactory()),
    "contacts": lambda owner: ContactFactory(client=ClientFactory(owner=owner)),
    "products": lambda owner: ProductFactory(),
    "product-categories": lambda owner: CategoryFactory(parent=CategoryFactory()),
    "brands": lambda owner: BrandFactory(),
    "segments": lambda owner: SegmentFactory(),
    "lost-reasons": lost_reason,
    "deals": deal_with_lines,
    "activities": lambda owner: ActivityFactory(client=(c := ClientFactory(owner=owner)), deal=DealFactory(client=c)),
    "sales": lambda owner: SaleLineFactory(client=ClientFactory(owner=owner)),
    "users": lambda owner: UserFactory(team=owner.team),
    "teams": lambda owner: TeamFactory(lead=UserFactory(team=owner.team)),
    "imports": lambda owner: ImportJob.objects.create(
        kind=ImportJob.Kind.SALES, file="imports/x.csv", original_name="x.csv", created_by=owner
    ),
}


def count_queries(api, url: str, rows: int) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = api.get(f"{url}{'&' if '?' in url else '?'}page_size=100")
    assert response.status_code == 200, response.content
    body = response.json()
    assert len(body["results"] if isinstance(body, dict) else body) >= rows
    return len(queries)


# A team lead sees one team only, so the teams list is measured for the head alone.
VIEWS = [
    (role, resource)
    for resource in sorted(MAKERS)
    for role in ("head", "team_lead")
    if (role, resource) != ("team_lead", "teams")
]


@pytest.mark.parametrize(("role", "resource"), VIEWS)
def test_a_list_takes_as_many_queries_for_30_rows_as_for_3(request, role, resource, manager):
    viewer = request.getfixturevalue(role)
    owner = viewer if resource == "imports" else manager
    api = api_as(viewer)
    make = MAKERS[resource]
    for _ in range(3):
        make(owner)
    with_3 = count_queries(api, f"/api/v1/{resource}/", 3)
    for _ in range(27):
        make(owner)

    with_30 = count_queries(api, f"/api/v1/{resource}/", 30)

    assert with_30 == with_3
    assert with_3 <= 4


def test_the_stage_history_takes_as_many_queries_for_30_changes_as_for_3(manager):
    deal = DealFactory(client=ClientFactory(owner=manager))
    api = api_as(manager)

    def add(n):
        DealStageChange.objects.bulk_create(
            DealStageChange(deal=deal, from_stage="goal", to_stage="market", by=UserFactory(), at=AT) for _ in range(n)
        )

    add(3)
    with_3 = count_queries(api, f"/api/v1/deals/{deal.pk}/history/", 3)
    add(27)

    assert count_queries(api, f"/api/v1/deals/{deal.pk}/history/", 30) == with_3


def test_filtered_deal_lists_keep_a_constant_number_of_queries(manager):
    api = api_as(manager)
    url = f"/api/v1/deals/?no_open_task=true&stage=goal&team={manager.team_id}"
    for _ in range(3):
        deal_with_lines(manager)
    with_3 = count_queries(api, url, 3)
    for _ in range(27):
        deal_with_lines(manager)

    assert count_queries(api, url, 30) == with_3


@pytest.mark.parametrize("resource", sorted(MAKERS))
def test_every_list_returns_only_rows_changed_since_updated_since(head, resource):
    old, new = MAKERS[resource](head), MAKERS[resource](head)
    type(old).objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=2))
    since = (timezone.now() - timedelta(hours=1)).isoformat()

    response = api_as(head).get(f"/api/v1/{resource}/", {"updated_since": since, "page_size": 500})

    assert response.status_code == 200
    listed = {row["id"] for row in response.json()["results"]}
    assert new.pk in listed
    assert old.pk not in listed
