"""Activities and the sales history through the API: logging, completing, filters, bad input."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from crm.models import Activity, SaleLine
from tests.api_errors import field_errors
from tests.conftest import api_as
from tests.crm.factories import ActivityFactory, ClientFactory, DealFactory, SaleLineFactory

DUE = "2026-11-25T10:00:00+03:00"


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_a_manager_plans_a_task_on_his_deal_and_completes_it(manager):
    deal = DealFactory(client=ClientFactory(owner=manager))
    api = api_as(manager)
    body = {"kind": "task", "client": deal.client_id, "deal": deal.pk, "subject": "Перезвонить", "due_at": DUE}

    created = api.post("/api/v1/activities/", body, format="json")
    done = api.post(f"/api/v1/activities/{created.json()['id']}/complete/", {"note": "Договорились"}, format="json")

    assert created.status_code == 201, created.content
    assert (created.json()["owner"], created.json()["is_done"], created.json()["deal_title"]) == (
        manager.pk,
        False,
        deal.title,
    )
    assert done.status_code == 200
    assert done.json()["is_done"] is True
    assert Activity.objects.get().note == "Договорились"


def test_completing_at_a_given_time_records_that_time(manager):
    task = ActivityFactory(client=ClientFactory(owner=manager), kind="task", due_at=timezone.now(), done_at=None)

    response = api_as(manager).post(
        f"/api/v1/activities/{task.pk}/complete/", {"done_at": "2026-11-20T09:30:00Z"}, format="json"
    )

    assert response.status_code == 200
    task.refresh_from_db()
    assert task.done_at == datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"kind": "task", "subject": "Без срока"}, {"due_at"}),
        ({"kind": "visit", "subject": "Визит", "due_at": DUE}, {"kind"}),
        ({"kind": "call", "subject": "Звонок", "due_at": "завтра"}, {"due_at"}),
        ({"kind": "call", "subject": "Звонок", "done_at": DUE, "duration_seconds": -5}, {"duration_seconds"}),
        ({"kind": "meeting", "subject": "Встреча", "due_at": DUE, "call_result": "reached"}, {"call_result"}),
        ({"kind": "call", "due_at": DUE}, {"subject"}),
        ({"kind": "call", "subject": "Чужой клиент", "due_at": DUE, "client": "foreign"}, {"client"}),
        ({"kind": "call", "subject": "Чужая сделка", "due_at": DUE, "deal": "foreign"}, {"deal"}),
        ({"kind": "call", "subject": "Сделка другого клиента", "due_at": DUE, "deal": "own_other"}, {"deal"}),
    ],
)
def test_bad_activity_input_is_400_under_its_field(manager, other_manager, body, fields):
    own = ClientFactory(owner=manager)
    foreign_client = ClientFactory(owner=other_manager)
    refs = {
        "foreign": DealFactory(client=foreign_client).pk,
        "own_other": DealFactory(client=ClientFactory(owner=manager)).pk,
    }
    body = {"client": own.pk, **body}
    if body["client"] == "foreign":
        body["client"] = foreign_client.pk
    if "deal" in body:
        body["deal"] = refs[body["deal"]]

    response = api_as(manager).post("/api/v1/activities/", body, format="json")

    assert response.status_code == 400
    assert set(field_errors(response)) == fields
    assert Activity.objects.count() == 0


def test_activities_filter_by_kind_client_deal_done_and_due_window(manager):
    client = ClientFactory(owner=manager)
    deal = DealFactory(client=client)
    now = timezone.now()
    done_call = ActivityFactory(client=client, kind="call", done_at=now)
    late_task = ActivityFactory(client=client, deal=deal, kind="task", due_at=now - timedelta(days=2), done_at=None)
    next_task = ActivityFactory(client=client, kind="task", due_at=now + timedelta(days=2), done_at=None)
    elsewhere = ActivityFactory(client=ClientFactory(owner=manager), kind="call", done_at=now)
    api = api_as(manager)

    assert ids(api.get("/api/v1/activities/?kind=task")) == {late_task.pk, next_task.pk}
    assert ids(api.get(f"/api/v1/activities/?client={client.pk}")) == {done_call.pk, late_task.pk, next_task.pk}
    assert ids(api.get(f"/api/v1/activities/?deal={deal.pk}")) == {late_task.pk}
    assert ids(api.get("/api/v1/activities/?done=true")) == {done_call.pk, elsewhere.pk}
    assert ids(api.get("/api/v1/activities/?done=false")) == {late_task.pk, next_task.pk}
    assert ids(api.get("/api/v1/activities/", {"due_before": now.isoformat()})) == {late_task.pk}
    assert ids(api.get("/api/v1/activities/", {"due_after": now.isoformat()})) == {next_task.pk}


@pytest.mark.parametrize("query", ["kind=visit", "done=perhaps", "due_before=tomorrow", "due_after=1", "deal=x"])
def test_a_bad_activity_filter_value_is_400(manager, query):
    response = api_as(manager).get(f"/api/v1/activities/?{query}")

    assert response.status_code == 400
    assert query.split("=")[0] in field_errors(response)


def test_a_manager_changes_his_activity_but_not_onto_another_managers_client(manager, other_manager):
    activity = ActivityFactory(client=ClientFactory(owner=manager), subject="Звонок")
    foreign = ClientFactory(owner=other_manager)
    api = api_as(manager)

    renamed = api.patch(f"/api/v1/activities/{activity.pk}/", {"subject": "Звонок ЛПР"}, format="json")
    moved = api.patch(f"/api/v1/activities/{activity.pk}/", {"client": foreign.pk}, format="json")

    assert renamed.status_code == 200
    assert moved.status_code == 400
    activity.refresh_from_db()
    assert (activity.subject, activity.client.owner) == ("Звонок ЛПР", manager)


def test_the_sales_list_is_read_only(manager, head):
    line = SaleLineFactory(client=ClientFactory(owner=manager))

    created = api_as(head).post("/api/v1/sales/", {"amount": "1"}, format="json")
    changed = api_as(head).patch(f"/api/v1/sales/{line.pk}/", {"amount": "1"}, format="json")
    deleted = api_as(head).delete(f"/api/v1/sales/{line.pk}/")

    assert (created.status_code, changed.status_code, deleted.status_code) == (405, 405, 405)
    assert SaleLine.objects.get().amount == Decimal("10000.00")


def test_sales_filter_by_client_manager_dates_and_payment(manager, teammate, team_lead):
    client = ClientFactory(owner=manager)
    march = SaleLineFactory(client=client, date=date(2026, 3, 15), amount=Decimal("1234.50"))
    april = SaleLineFactory(client=client, date=date(2026, 4, 2), is_paid=False)
    other = SaleLineFactory(client=ClientFactory(owner=teammate), date=date(2026, 4, 20))
    api = api_as(team_lead)

    assert ids(api.get(f"/api/v1/sales/?client={client.pk}")) == {march.pk, april.pk}
    assert ids(api.get(f"/api/v1/sales/?manager={teammate.pk}")) == {other.pk}
    assert ids(api.get("/api/v1/sales/?date_from=2026-04-01&date_to=2026-04-10")) == {april.pk}
    assert ids(api.get("/api/v1/sales/?is_paid=false")) == {april.pk}
    row = api.get(f"/api/v1/sales/{march.pk}/").json()
    assert (row["amount"], row["client_name"], row["manager"]) == ("1234.50", client.name, manager.pk)


@pytest.mark.parametrize("query", ["date_from=март", "date_to=2026-02-30", "is_paid=yesno", "client=abc"])
def test_a_bad_sales_filter_value_is_400(manager, query):
    response = api_as(manager).get(f"/api/v1/sales/?{query}")

    assert response.status_code == 400
    assert query.split("=")[0] in field_errors(response)


def test_updated_since_on_activities_and_sales_returns_only_newer_rows(manager):
    client = ClientFactory(owner=manager)
    old_activity, new_activity = ActivityFactory(client=client), ActivityFactory(client=client)
    old_line, new_line = SaleLineFactory(client=client), SaleLineFactory(client=client)
    past = timezone.now() - timedelta(days=3)
    Activity.objects.filter(pk=old_activity.pk).update(updated_at=past)
    SaleLine.objects.filter(pk=old_line.pk).update(updated_at=past)
    since = {"updated_since": (timezone.now() - timedelta(hours=1)).isoformat()}
    api = api_as(manager)

    assert ids(api.get("/api/v1/activities/", since)) == {new_activity.pk}
    assert ids(api.get("/api/v1/sales/", since)) == {new_line.pk}
