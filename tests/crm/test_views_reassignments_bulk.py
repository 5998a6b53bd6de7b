"""The queue's bulk bar and its new columns: who may use it, what a refusal shows, the last purchase and the
12-month turnover, and a constant number of queries."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.calendar import year_before
from crm.models import Client, OwnershipChange, Reassignment, Role
from crm.selectors.reassignments import with_purchases
from tests.crm.factories import ClientFactory, SaleLineFactory, UserFactory

QUEUE = reverse("reassignment_queue")
BULK = reverse("reassignment_bulk")


def flag_for(owner, name="ООО «Вектор»") -> Reassignment:
    today = timezone.localdate()
    owned_since = today - timedelta(days=100)
    client = ClientFactory(owner=owner, owned_since=owned_since, name=name)
    return Reassignment.objects.create(client=client, owner=owner, owned_since=owned_since, flagged_on=today)


def bulk(client, user, flags, **data):
    client.force_login(user)
    return client.post(BULK, {"flags": [f.pk for f in flags], "reason": "Три месяца без сделки", **data})


def test_the_head_passes_five_clients_to_one_manager_and_reads_it_in_russian(client, head, manager, other_manager):
    flags = [flag_for(manager, f"Клиент {i}") for i in range(5)]

    response = bulk(client, head, flags, action="reassign", owner=other_manager.pk)

    assert response.status_code == 302 and response["Location"] == QUEUE
    assert set(Client.objects.filter(reassignments__in=flags).values_list("owner_id", flat=True)) == {other_manager.pk}
    page = client.get(QUEUE).content.decode()
    assert f"5 клиентов переданы новому менеджеру: {other_manager}" in page


def test_the_spread_reports_who_took_the_clients(client, head, manager, other_manager, teammate):
    flags = [flag_for(manager, f"Клиент {i}") for i in range(2)]

    response = bulk(client, head, flags, action="spread", managers=[other_manager.pk, teammate.pk])

    assert response.status_code == 302
    owners = set(Client.objects.filter(reassignments__in=flags).values_list("owner_id", flat=True))
    assert owners == {other_manager.pk, teammate.pk}
    assert "2 клиента переданы" in client.get(QUEUE).content.decode()


def test_the_selected_are_extended_from_the_bar(client, head, manager):
    flags = [flag_for(manager, f"Клиент {i}") for i in range(3)]

    response = bulk(client, head, flags, action="extend")

    assert response.status_code == 302
    assert set(Reassignment.objects.values_list("status", flat=True)) == {Reassignment.Status.EXTENDED}
    assert "3 клиента остаются у своих менеджеров до" in client.get(QUEUE).content.decode()


def test_a_refusal_names_the_client_keeps_the_selection_and_writes_nothing(client, head, manager, other_manager):
    flags = [flag_for(manager, name) for name in ("Альфа", "Бета", "Гамма")]
    OwnershipChange.objects.create(
        client=flags[1].client, from_owner=other_manager, to_owner=manager, by=head, cause=OwnershipChange.Cause.RULE
    )
    changes = OwnershipChange.objects.count()

    response = bulk(client, head, flags[:2], action="reassign", owner=other_manager.pk, reason="Передать Петрову")

    assert response.status_code == 400
    html = response.content.decode()
    assert "Бета: Этот менеджер потерял клиента" in html
    assert 'value="Передать Петрову"' in html
    checked = [f.pk for f in flags if f'value="{f.pk}" form="bulk-form" checked' in html]
    assert checked == [flags[0].pk, flags[1].pk]
    assert OwnershipChange.objects.count() == changes
    assert set(Client.objects.filter(reassignments__in=flags).values_list("owner_id", flat=True)) == {manager.pk}
    assert set(Reassignment.objects.values_list("status", flat=True)) == {Reassignment.Status.PENDING}


def test_reassigning_needs_a_manager_and_a_reason(client, head, manager):
    flag = flag_for(manager)

    response = bulk(client, head, [flag], action="reassign", reason="")

    assert response.status_code == 400
    assert set(response.context["bulk_form"].errors) == {"owner", "reason"}
    assert Reassignment.objects.get().status == Reassignment.Status.PENDING


def test_sellers_may_not_decide_in_bulk_even_on_their_own_flags(client, manager, team_lead, other_manager):
    own = flag_for(manager)
    for user in (manager, team_lead):
        response = bulk(client, user, [own], action="reassign", owner=other_manager.pk)
        assert response.status_code == 403
    assert Reassignment.objects.get().status == Reassignment.Status.PENDING


def test_flags_the_user_cannot_see_or_that_do_not_exist_answer_404(client, head, manager, other_manager, teammate):
    own, foreign = flag_for(manager), flag_for(other_manager, "Чужой")
    # A manager's selection with another's flag: 404, as for any other id he may not see; nothing is written.
    assert bulk(client, manager, [own, foreign], action="extend").status_code == 404
    # The head: an id that does not exist, or junk.
    client.force_login(head)
    gone = client.post(BULK, {"flags": [own.pk, foreign.pk + 1000], "action": "extend", "reason": "x"})
    assert gone.status_code == 404
    assert client.post(BULK, {"flags": ["x"], "action": "extend", "reason": "x"}).status_code == 404
    assert set(Reassignment.objects.values_list("status", flat=True)) == {Reassignment.Status.PENDING}


@pytest.mark.parametrize("role", [Role.VIP_HEAD, Role.BASE_MANAGER, Role.SERVICE])
def test_roles_outside_sales_get_403(client, manager, role):
    flag = flag_for(manager)
    assert bulk(client, UserFactory(role=role), [flag], action="extend").status_code == 403


def test_the_bar_and_the_checkboxes_are_the_heads_only(client, head, manager):
    flag_for(manager)
    client.force_login(manager)
    html = client.get(QUEUE).content.decode()
    assert 'data-testid="bulk-bar"' not in html and 'name="flags"' not in html
    client.force_login(head)
    html = client.get(QUEUE).content.decode()
    assert 'data-testid="bulk-bar"' in html and 'name="flags"' in html


def test_the_columns_show_the_last_purchase_and_the_12_month_turnover(client, head, manager):
    today = timezone.localdate()
    flag = flag_for(manager, "Альфа")
    last_day = today - timedelta(days=120)  # before the flagged ownership began: it is not a concluded deal
    for amount in ("12000.00", "3000.50"):
        SaleLineFactory(client=flag.client, date=last_day, amount=Decimal(amount))
    SaleLineFactory(client=flag.client, date=today - timedelta(days=200), amount=Decimal("40000"))
    SaleLineFactory(client=flag.client, date=year_before(today), amount=Decimal("99999"))  # 12 months ago: out
    flag_for(manager, "Без покупок")

    client.force_login(head)
    response = client.get(QUEUE)

    rows = {row.client.name: row for row in response.context["rows"]}
    alfa, none = rows["Альфа"], rows["Без покупок"]
    assert (alfa.last_purchase_on, alfa.last_purchase_amount, alfa.turnover_12m) == (
        last_day,
        Decimal("15000.50"),
        Decimal("55000.50"),
    )
    assert (none.last_purchase_on, none.last_purchase_amount, none.turnover_12m) == (None, None, Decimal("0"))
    html = response.content.decode()
    assert last_day.strftime("%d.%m.%Y") in html
    # Totals read in whole roubles, rounded half-up (the `money` filter).
    assert re.search(r"15\s001\s₽", html) and re.search(r"55\s001\s₽", html)


def test_with_purchases_reads_a_given_day(manager):
    flag = flag_for(manager)
    SaleLineFactory(client=flag.client, date=timezone.localdate() - timedelta(days=150), amount=Decimal("500"))
    day = timezone.localdate() - timedelta(days=160)  # before the sale
    row = with_purchases(Reassignment.objects.all(), user=manager, today=day).get()
    assert (row.last_purchase_on, row.turnover_12m) == (None, Decimal("0"))


def test_the_queue_runs_the_same_number_of_queries_for_one_and_many_rows(client, head, manager, other_manager):
    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(QUEUE)
        assert response.status_code == 200
        return len(captured)

    first = flag_for(manager, "Клиент 0")
    SaleLineFactory(client=first.client, date=timezone.localdate() - timedelta(days=120))
    client.force_login(head)
    one = count()
    for i in range(1, 7):
        flag = flag_for(manager if i % 2 else other_manager, f"Клиент {i}")
        SaleLineFactory(client=flag.client, date=timezone.localdate() - timedelta(days=120))
    many = count()
    assert len(client.get(QUEUE).context["rows"]) == 7
    assert many == one
