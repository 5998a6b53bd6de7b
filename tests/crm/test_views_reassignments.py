"""The reassignment queue's pages: the head decides, sellers read their own flags, the warning on My day."""

from datetime import date, timedelta
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from crm.models import Client, OwnershipChange, Reassignment
from crm.nightly import reassignment_flags_refresh
from crm.rules.stages import Stage
from crm.services.reassignments import reassignment_reassign
from tests.crm.factories import ActivityFactory, ClientFactory, DealFactory, UserFactory

RULE_DAY = date(2026, 4, 15)
QUEUE = reverse("reassignment_queue")


def flag_for(owner, name="ООО «Вектор»", owned_since=date(2026, 1, 15)) -> Reassignment:
    client = ClientFactory(owner=owner, owned_since=owned_since, name=name)
    reassignment_flags_refresh(RULE_DAY)
    return Reassignment.objects.get(client=client)


def test_the_head_sees_the_facts_and_the_forms_with_the_lightest_manager_first(
    client, head, manager, other_manager, teammate
):
    flag = flag_for(manager)
    DealFactory(client=flag.client, stage=Stage.PROPOSAL, title="Видеонаблюдение склада")
    ClientFactory.create_batch(2, owner=other_manager)
    client.force_login(head)
    response = client.get(QUEUE)
    html = response.content.decode()
    assert response.status_code == 200
    assert "ООО «Вектор»" in html and "Видеонаблюдение склада" in html and "15.01.2026" in html
    form = response.context["rows"][0].forms["reassign_form"]
    assert [choice for choice, _label in form.fields["owner"].choices][1:] == [teammate.pk, other_manager.pk]
    assert 'data-testid="extend-form"' in html


def test_the_head_reassigns_from_the_queue_and_the_change_is_recorded(client, head, manager, other_manager):
    flag = flag_for(manager)
    client.force_login(head)
    response = client.post(
        reverse("reassignment_reassign", args=[flag.pk]),
        {f"r{flag.pk}-owner": other_manager.pk, f"r{flag.pk}-reason": "Три месяца без сделки"},
    )
    assert response.status_code == 302
    assert response["Location"] == QUEUE
    assert Client.objects.get(pk=flag.client_id).owner == other_manager
    assert (
        OwnershipChange.objects.get(client_id=flag.client_id, to_owner=other_manager).reason == "Три месяца без сделки"
    )
    history = client.get(QUEUE, {"status": "decided"}).content.decode()
    assert "Три месяца без сделки" in history and str(other_manager) in history


def test_a_manager_who_lost_the_client_is_not_offered_and_is_refused_keeping_the_reason(
    client, head, manager, other_manager
):
    flag = flag_for(manager)
    reassignment_reassign(reassignment=flag, to_owner=other_manager, by=head, reason="x", today=RULE_DAY)
    reassignment_flags_refresh(date(2026, 7, 15))
    second = Reassignment.objects.get(status=Reassignment.Status.PENDING)
    client.force_login(head)
    response = client.post(
        reverse("reassignment_reassign", args=[second.pk]),
        {f"r{second.pk}-owner": manager.pk, f"r{second.pk}-reason": "Вернуть Иванову"},
    )
    assert response.status_code == 400
    form = response.context["reassign_form"]
    assert "owner" in form.errors
    assert "Вернуть Иванову" in response.content.decode()
    assert manager.pk not in [choice for choice, _label in form.fields["owner"].choices]
    assert Client.objects.get(pk=flag.client_id).owner == other_manager


def test_an_empty_reason_is_refused_with_a_message(client, head, manager, other_manager):
    flag = flag_for(manager)
    client.force_login(head)
    response = client.post(reverse("reassignment_extend", args=[flag.pk]), {f"e{flag.pk}-reason": ""})
    assert response.status_code == 400
    assert "reason" in response.context["extend_form"].errors
    assert Reassignment.objects.get(pk=flag.pk).status == Reassignment.Status.PENDING


def test_the_head_extends_once_then_only_reassigning_is_offered(client, head, manager):
    flag = flag_for(manager)
    client.force_login(head)
    response = client.post(reverse("reassignment_extend", args=[flag.pk]), {f"e{flag.pk}-reason": "Тендер в мае"})
    assert response.status_code == 302
    flag.refresh_from_db()
    assert (flag.status, flag.reason) == (Reassignment.Status.EXTENDED, "Тендер в мае")
    assert "Тендер в мае" in client.get(QUEUE, {"status": "extended"}).content.decode()
    reassignment_flags_refresh(flag.extended_until + timedelta(days=1))
    html = client.get(QUEUE).content.decode()
    assert 'data-testid="reassign-form"' in html and 'data-testid="extend-form"' not in html
    refused = client.post(reverse("reassignment_extend", args=[flag.pk]), {f"e{flag.pk}-reason": "Ещё раз"})
    assert refused.status_code == 400
    assert Reassignment.objects.get(pk=flag.pk).status == Reassignment.Status.PENDING


def test_a_manager_reads_his_own_flags_without_forms_and_may_not_decide(client, manager, other_manager):
    mine = flag_for(manager, name="Мой клиент")
    theirs = flag_for(other_manager, name="Чужой клиент", owned_since=date(2026, 1, 10))
    client.force_login(manager)
    html = client.get(QUEUE).content.decode()
    assert "Мой клиент" in html and "Чужой клиент" not in html
    assert 'data-testid="reassign-form"' not in html
    assert client.get(reverse("reassignment_detail", args=[theirs.pk])).status_code == 404
    response = client.post(reverse("reassignment_extend", args=[mine.pk]), {f"e{mine.pk}-reason": "x"})
    assert response.status_code == 403
    assert (
        client.post(reverse("reassignment_extend", args=[theirs.pk]), {f"e{theirs.pk}-reason": "x"}).status_code == 404
    )
    assert Reassignment.objects.filter(status=Reassignment.Status.PENDING).count() == 2


@pytest.mark.parametrize("who", ["vip_head", "base_manager", "service_owner"])
def test_roles_outside_sales_may_not_open_the_queue(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(QUEUE).status_code == 403


def test_the_excel_export_holds_exactly_the_tab_shown(client, head, manager, other_manager):
    flag_for(manager, name="Ждёт решения")
    extended = flag_for(other_manager, name="Продлён", owned_since=date(2026, 1, 10))
    Reassignment.objects.filter(pk=extended.pk).update(status=Reassignment.Status.EXTENDED)
    client.force_login(head)
    response = client.get(reverse("reassignment_export"), {"status": "pending"})
    sheet = load_workbook(
        BytesIO(b"".join(response.streaming_content if response.streaming else [response.content]))
    ).active
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ["Ждёт решения"]


def test_the_queue_makes_the_same_number_of_queries_for_3_and_30_flags(client, head, team):
    owners = [UserFactory(team=team) for _ in range(3)]
    client.force_login(head)

    def make(n: int, start: int) -> None:
        for i in range(start, start + n):
            flagged = ClientFactory(owner=owners[i % 3], owned_since=date(2026, 1, 1), name=f"Клиент {i}")
            DealFactory(client=flagged)
            ActivityFactory(client=flagged)
            OwnershipChange.objects.create(client=flagged, from_owner=owners[(i + 1) % 3], to_owner=owners[i % 3])
        reassignment_flags_refresh(RULE_DAY)

    def count(params) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(QUEUE, params).status_code == 200
        return len(queries)

    make(3, 0)
    few = [count({}), count({"status": "decided"})]
    make(27, 3)
    assert Reassignment.objects.count() == 30
    assert [count({}), count({"status": "decided"})] == few


def test_my_day_warns_the_manager_of_clients_near_the_rule(client, manager, other_manager):
    today = timezone.localdate()
    ClientFactory(owner=manager, owned_since=today - timedelta(days=85), name="Скоро к РОПу")
    ClientFactory(owner=manager, owned_since=today - timedelta(days=30), name="Ещё рано")
    ClientFactory(owner=other_manager, owned_since=today - timedelta(days=85), name="Чужой")
    client.force_login(manager)
    response = client.get(reverse("home"))
    assert [c.name for c in response.context["near_rule"]] == ["Скоро к РОПу"]
    assert 'data-testid="near-rule"' in response.content.decode()
    page = client.get(reverse("clients_near_rule")).content.decode()
    assert "Скоро к РОПу" in page and "Ещё рано" not in page


def test_the_near_rule_page_is_paged_in_rule_date_order_with_constant_queries(client, head, manager):
    today = timezone.localdate()

    def make(n, start):
        for i in range(start, start + n):
            ClientFactory(owner=manager, owned_since=today - timedelta(days=85 - i % 3), name=f"Клиент {i:03d}")

    def get(page):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("clients_near_rule"), {"page": page})
        assert response.status_code == 200
        return [c.name for c in response.context["clients"]], len(queries)

    client.force_login(head)
    make(3, 0)
    _rows, few = get(1)
    make(52, 3)
    first, many = get(1)
    second, _queries = get(2)
    assert many == few
    assert (len(first), len(second)) == (50, 5)
    # The earliest rule date first (owned longest), then by name.
    expected = sorted(Client.objects.all(), key=lambda c: (c.owned_since, c.name))
    assert first + second == [c.name for c in expected]
    home = client.get(reverse("home"))
    assert home.status_code == 200
    client.force_login(manager)
    widget = client.get(reverse("home")).context
    assert (len(widget["near_rule"]), widget["near_rule_count"]) == (10, 55)
