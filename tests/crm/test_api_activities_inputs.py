"""Activities (issue 10, item 7): dates in the sane years only, datetimes in RFC 3339, and the client's owner
sees every activity on his client, whoever logged it."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from crm.models import Activity
from tests.api_errors import field_errors
from tests.conftest import api_as
from tests.crm.factories import ActivityFactory, ClientFactory

# RFC 3339 date-time: the offset is Z or +hh:mm, never seconds (Moscow's LMT is +02:30:17).
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("due_at", "0012-05-01T10:00:00+03:00"),
        ("due_at", "1899-05-01T10:00:00"),
        ("due_at", "2101-01-01T10:00:00+03:00"),
        ("done_at", "0012-05-01T10:00:00"),
        ("done_at", "9999-12-31T23:59:59Z"),
    ],
)
def test_an_activity_dated_outside_2000_to_2100_is_a_400_under_its_field(manager, field, value):
    client = ClientFactory(owner=manager)
    body = {"kind": "meeting", "client": client.pk, "subject": "Встреча", field: value}

    response = api_as(manager).post("/api/v1/activities/", body, format="json")

    assert response.status_code == 400, response.content
    assert field in field_errors(response)
    assert not Activity.objects.exists()


def test_completing_an_activity_in_year_12_is_refused(manager):
    activity = ActivityFactory(
        client=ClientFactory(owner=manager), owner=manager, kind="task", done_at=None, due_at=timezone.now()
    )

    response = api_as(manager).post(
        f"/api/v1/activities/{activity.pk}/complete/", {"done_at": "0012-01-01T00:00:00"}, format="json"
    )

    assert response.status_code == 400
    assert "done_at" in field_errors(response)
    activity.refresh_from_db()
    assert activity.done_at is None


def test_the_call_page_refuses_a_next_step_in_year_9999(client, manager):
    mine = ClientFactory(owner=manager)
    client.force_login(manager)

    response = client.post(
        reverse("call_log", args=[mine.pk]),
        {
            "direction": "out",
            "call_result": "reached",
            "next_subject": "Перезвонить",
            "next_due_at": "9999-12-31T10:00",
        },
    )

    assert response.status_code in (200, 400)
    assert not Activity.objects.exists()


def rfc3339_everywhere(data, path="") -> list[str]:
    """The paths of every datetime-looking string that is not RFC 3339."""
    bad = []
    if isinstance(data, dict):
        for key, value in data.items():
            bad += rfc3339_everywhere(value, f"{path}.{key}")
    elif isinstance(data, list):
        for index, value in enumerate(data):
            bad += rfc3339_everywhere(value, f"{path}[{index}]")
    elif isinstance(data, str) and re.match(r"^\d{4}-\d{2}-\d{2}T", data) and not RFC3339.match(data):
        bad.append(f"{path}={data}")
    return bad


def test_every_datetime_the_activities_and_clients_api_writes_is_rfc_3339(manager):
    api = api_as(manager)
    client = ClientFactory(owner=manager)
    created = api.post(
        "/api/v1/activities/",
        {"kind": "task", "client": client.pk, "subject": "Позвонить", "due_at": "2026-05-01T10:00:00+05:45"},
        format="json",
    )
    assert created.status_code == 201, created.content

    for url in ("/api/v1/activities/", "/api/v1/clients/", f"/api/v1/activities/{created.json()['id']}/"):
        response = api.get(url)
        assert response.status_code == 200
        assert rfc3339_everywhere(response.json()) == []
    assert created.json()["due_at"] == "2026-05-01T07:15:00+03:00"


AUTHORS = ["vip_head", "base_manager", "team_lead", "head", "manager"]


@pytest.mark.parametrize("author", AUTHORS)
def test_the_owner_sees_every_activity_on_his_client_whoever_logged_it(request, manager, author):
    client = ClientFactory(owner=manager)
    by = request.getfixturevalue(author)
    created = api_as(by).post(
        "/api/v1/activities/",
        {"kind": "call", "client": client.pk, "subject": "Звонок", "done_at": "2026-05-01T10:00:00+03:00"},
        format="json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]

    listed = api_as(manager).get("/api/v1/activities/", {"client": client.pk})
    assert [row["id"] for row in listed.json()["results"]] == [pk]
    assert api_as(manager).get(f"/api/v1/activities/{pk}/").status_code == 200
    assert api_as(by).get(f"/api/v1/activities/{pk}/").status_code == 200


@pytest.mark.parametrize("author", AUTHORS)
def test_the_owner_sees_it_on_the_client_card_too(client, request, manager, author):
    mine = ClientFactory(owner=manager)
    activity = ActivityFactory(client=mine, owner=request.getfixturevalue(author), subject="Особый звонок")
    client.force_login(manager)

    response = client.get(reverse("client_detail", args=[mine.pk]))

    assert response.status_code == 200
    assert activity.subject in response.content.decode()


@pytest.mark.parametrize(
    ("viewer", "sees"),
    [
        ("manager", True),
        ("team_lead", True),
        ("head", True),
        ("admin_user", True),
        ("other_manager", False),
        ("teammate", False),
        ("service_owner", False),
        ("base_manager", False),
    ],
)
def test_who_else_sees_an_activity_the_vip_head_logged_on_a_managers_client(request, manager, vip_head, viewer, sees):
    activity = ActivityFactory(client=ClientFactory(owner=manager), owner=vip_head)

    visible = Activity.objects.visible_to(request.getfixturevalue(viewer)).filter(pk=activity.pk).exists()

    assert visible is sees
    assert Activity.objects.visible_to(vip_head).filter(pk=activity.pk).exists()
