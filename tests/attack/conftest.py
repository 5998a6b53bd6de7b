"""The attack suite's department and the WSGI calls that keep the test's transaction open."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.core.signals import got_request_exception, request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from rest_framework_simplejwt.tokens import RefreshToken

from crm.models import (
    LongList,
    LongListEntry,
    ProspectEntry,
    ProspectList,
    Reassignment,
    Role,
    StockRequest,
    Webhook,
    WebhookDelivery,
)
from planning.models import FeaturedItem, Tool2Item
from tests.crm.factories import (
    ActivityFactory,
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
from tests.planning.factories import make_plan, make_scheme


@pytest.fixture
def department(db) -> dict[str, Any]:
    """A small department whose rows the examples can name: a team of two managers, the head, clients and their work."""
    today = timezone.localdate()
    month = today.replace(day=1)
    team = TeamFactory(name="Группа атаки")
    manager = UserFactory(username="attack-manager", role=Role.MANAGER, team=team)
    teammate = UserFactory(username="сидоров", email="sidorov@example.ru", role=Role.MANAGER, team=team)
    head = UserFactory(username="attack-head", role=Role.HEAD)
    segment = SegmentFactory()
    clients = [
        ClientFactory(owner=manager, segment=segment),
        ClientFactory(owner=manager, owned_since=today - timedelta(days=200)),
        ClientFactory(owner=teammate),
    ]
    products = [ProductFactory(), ProductFactory()]
    contacts = [ContactFactory(client=client) for client in clients]
    deals = [DealFactory(client=client) for client in clients]
    activities = [ActivityFactory(client=client) for client in clients]
    sales = [SaleLineFactory(client=client, product=products[0], date=month) for client in clients]
    plans = [make_plan(manager, "100000", month=month), make_plan(teammate, "50000", month=month)]
    scheme = make_scheme(Role.MANAGER)
    prospect_list = ProspectList.objects.create(owner=manager, name="Выставка")
    prospects = [
        ProspectEntry.objects.create(prospect_list=prospect_list, name=name, normalized_name=name.lower())
        for name in ("ООО Ромашка", "АО Лютик")
    ]
    long_list = LongList.objects.create(owner=manager, month=month)
    long_entries = [LongListEntry.objects.create(long_list=long_list, client=clients[1], reason="never_bought", rank=1)]
    stock = StockRequest.objects.create(client=clients[0], requested_by=manager, item_name="Кабель", quantity=1)
    flag = Reassignment.objects.create(
        client=clients[1], owner=manager, owned_since=clients[1].owned_since, flagged_on=today
    )
    tool2 = Tool2Item.objects.create(manager=manager, kind=FeaturedItem.Kind.NEW, product=products[1])
    reason = LostReasonFactory()
    webhook = Webhook.objects.create(url="https://1c.example.ru/hooks", events=["deal.created"], secret="s" * 64)
    delivery = WebhookDelivery.objects.create(webhook=webhook, event="ping", payload={}, created_at=timezone.now())
    ids = {
        "activities": [a.pk for a in activities],
        "clients": [c.pk for c in clients],
        "contacts": [c.pk for c in contacts],
        "deals": [d.pk for d in deals],
        "plans": [p.pk for p in plans],
        "pay-schemes": [scheme.pk],
        "products": [p.pk for p in products],
        "prospect-lists": [prospect_list.pk],
        "prospect-entries": [p.pk for p in prospects],
        "long-lists": [long_list.pk],
        "long-list-entries": [e.pk for e in long_entries],
        "stock-requests": [stock.pk],
        "webhooks": [webhook.pk],
        "webhook-deliveries": [delivery.pk],
        "reassignments": [flag.pk],
        "sales": [s.pk for s in sales],
        "segments": [segment.pk],
        "lost-reasons": [reason.pk],
        "tool2-items": [tool2.pk],
        "teams": [team.pk],
        "users": [manager.pk, teammate.pk, head.pk],
        "brands": [products[0].brand_id],
        "product-categories": [products[0].category_id],
    }
    tokens = {
        role: str(RefreshToken.for_user(user).access_token) for role, user in (("manager", manager), ("head", head))
    }
    return {
        "ids": ids,
        "tokens": tokens,
        "manager": manager,
        "teammate": teammate,
        "head": head,
        "flag": flag,
        "plans": plans,
    }


@pytest.fixture
def server_errors() -> Iterator[list[BaseException]]:
    """The exceptions behind the 500s of the requests sent; the WSGI handler closes the database connection after each
    request, as in production, so that is turned off while the test's transaction must outlive them."""
    errors: list[BaseException] = []

    def record(**_: object) -> None:
        errors.append(sys.exc_info()[1])  # type: ignore[arg-type]

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    got_request_exception.connect(record)
    try:
        yield errors
    finally:
        got_request_exception.disconnect(record)
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
