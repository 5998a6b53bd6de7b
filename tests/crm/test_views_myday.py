"""My day, the sellers' home page: tasks, calls due, deal hygiene, logging a call with its next task."""

import re
from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from crm.models import Activity, Client
from crm.rules.stages import Stage
from crm.selectors.clients import calls_due, day_bounds
from crm.services.activities import call_log_with_next_task
from tests.crm.factories import ActivityFactory, ClientFactory, DealFactory, SaleLineFactory

EXTERNAL = re.compile(
    r"""(?:src|href|action|srcset|poster|data)\s*=\s*["']?\s*(?:https?:)?//(?!testserver[/:"'])""", re.I
)


def later_today(now):
    return min(now + timedelta(minutes=1), day_bounds(now)[1] - timedelta(microseconds=1))


def local_input(moment):
    """A moment as a datetime-local input sends it."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def make_day(owner, *, prefix, now):
    """A client with a task due later today, an overdue task on a deal, and a deal without any task."""
    client = ClientFactory(owner=owner, name=f"{prefix} клиент")
    late_deal = DealFactory(client=client, title=f"{prefix} просроченная сделка", stage=Stage.FIRST_MEETING)
    bare_deal = DealFactory(client=client, title=f"{prefix} сделка без задачи", stage=Stage.PROPOSAL)
    ActivityFactory(
        client=client, kind="task", subject=f"{prefix} задача сегодня", due_at=later_today(now), done_at=None
    )
    ActivityFactory(
        client=client,
        deal=late_deal,
        kind="task",
        subject=f"{prefix} просроченная задача",
        due_at=now - timedelta(days=2),
        done_at=None,
    )
    return client, late_deal, bare_deal


def call_data(**overrides):
    data = {
        "direction": "out",
        "call_result": "reached",
        "duration_minutes": "5",
        "note": "Обсудили отгрузку в декабре",
        "next_subject": "Отправить КП",
        "next_due_at": local_input(timezone.now() + timedelta(days=1)),
    }
    data.update(overrides)
    return data


# --- what My day shows -----------------------------------------------------------------------------------------


def test_my_day_is_the_managers_home_and_shows_only_his_tasks_clients_and_deals(client, manager, other_manager):
    now = timezone.now()
    make_day(manager, prefix="Мой", now=now)
    make_day(other_manager, prefix="Чужой", now=now)
    client.force_login(manager)

    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert "crm/myday/myday.html" in [t.name for t in response.templates]
    day = response.context["day"]
    assert [t.subject for t in day.due_tasks] == ["Мой просроченная задача", "Мой задача сегодня"]
    assert (day.overdue_tasks_count, day.today_tasks_count, day.due_tasks_count) == (1, 1, 2)
    assert [c.name for c in day.calls] == ["Мой клиент"]
    assert [d.title for d in day.without_task] == ["Мой сделка без задачи"]
    assert [d.title for d in day.overdue_deals] == ["Мой просроченная сделка"]
    assert (day.clients_count, day.open_deals_count, day.open_deals_amount) == (1, 2, Decimal("200000.00"))
    html = response.content.decode()
    assert "Мой задача сегодня" in html and "Мой сделка без задачи" in html and "Мой клиент" in html
    assert "Чужой" not in html
    assert f'href="{reverse("deal_detail", args=[day.without_task[0].pk])}"' in html
    assert f'href="{reverse("client_detail", args=[day.calls[0].pk])}"' in html
    assert 'data-testid="log-call"' in html


def test_calls_due_lists_clients_never_contacted_first_then_the_longest_without_contact(manager, other_manager):
    now = timezone.now()
    today = timezone.localdate(now)
    recent = ClientFactory(owner=manager, name="Недавний")
    old = ClientFactory(owner=manager, name="Давний")
    ClientFactory(owner=manager, name="Без звонков")
    ClientFactory(owner=manager, name="Потерянный", status=Client.Status.LOST)
    ClientFactory(owner=other_manager, name="Чужой")
    ActivityFactory(client=recent, kind="call", done_at=now - timedelta(days=1))
    ActivityFactory(client=old, kind="meeting", done_at=now - timedelta(days=20))
    ActivityFactory(client=old, kind="email", done_at=now - timedelta(days=2))  # an e-mail is not a contact
    ActivityFactory(client=old, kind="call", due_at=now - timedelta(hours=1), done_at=None)  # planned, not done
    SaleLineFactory(client=old, date=today - timedelta(days=40), amount=Decimal("5000.00"))
    SaleLineFactory(client=old, date=today - timedelta(days=10), amount=Decimal("7000.00"))

    rows = list(calls_due(user=manager, today=today))

    assert [c.name for c in rows] == ["Без звонков", "Давний", "Недавний"]
    assert rows[0].last_contact is None and rows[0].last_purchase is None
    assert timezone.localdate(rows[1].last_contact) == today - timedelta(days=20)
    assert rows[1].last_purchase == today - timedelta(days=10)
    assert rows[1].turnover_12m == Decimal("12000.00")


def test_calls_due_puts_regular_clients_first_those_that_bought_in_3_of_the_4_previous_months(client, manager):
    regular = ClientFactory(owner=manager, name="Постоянный")
    occasional = ClientFactory(owner=manager, name="Разовый")
    ActivityFactory(client=regular, kind="call", done_at=timezone.now() - timedelta(days=1))
    for month in (7, 8, 10):  # 3 of the 4 months before November
        SaleLineFactory(client=regular, date=date(2026, month, 5))
    SaleLineFactory(client=regular, date=date(2026, 11, 2))  # this month does not count
    SaleLineFactory(client=occasional, date=date(2026, 9, 5))
    SaleLineFactory(client=occasional, date=date(2026, 6, 5))  # before the window

    rows = [(c.name, c.months_bought) for c in calls_due(user=manager, today=date(2026, 11, 23))]
    only_regular = [c.name for c in calls_due(user=manager, today=date(2026, 11, 23), regular_only=True)]

    assert rows == [("Постоянный", 3), ("Разовый", 1)]  # contacted yesterday, yet first: a regular client
    assert only_regular == ["Постоянный"]


def test_a_team_lead_sees_the_teams_tasks_and_deals_but_calls_only_his_own_clients(
    client, team_lead, manager, other_manager
):
    now = timezone.now()
    make_day(manager, prefix="Командный", now=now)
    make_day(other_manager, prefix="Чужой", now=now)
    ClientFactory(owner=team_lead, name="Клиент руководителя")
    client.force_login(team_lead)

    response = client.get(reverse("home"))

    ctx = response.context
    assert ctx["kind"] == "my_day" and ctx["show_owner"] is True
    day = ctx["day"]
    assert [d.title for d in day.without_task] == ["Командный сделка без задачи"]
    assert [t.subject for t in day.due_tasks] == ["Командный просроченная задача", "Командный задача сегодня"]
    assert [c.name for c in day.calls] == ["Клиент руководителя"]
    assert day.clients_count == 1
    assert {m.username for m in ctx["managers"]} == {"lead", "ivanov"}
    html = response.content.decode()
    assert 'data-testid="managers"' in html
    assert "Чужой" not in html


def test_the_calls_export_holds_exactly_the_clients_my_day_lists(client, manager, other_manager):
    for i in range(3):
        ClientFactory(owner=manager, name=f"Клиент {i}")
    ClientFactory(owner=other_manager, name="Чужой")
    client.force_login(manager)
    listed = [c.name for c in client.get(reverse("home")).context["day"].calls]

    response = client.get(reverse("my_day_calls_export"))

    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == listed == ["Клиент 0", "Клиент 1", "Клиент 2"]


# --- logging a call ---------------------------------------------------------------------------------------------


def test_logging_a_call_creates_the_call_and_the_next_task_and_the_deal_gets_a_next_task(client, manager):
    now = timezone.now()
    own, _, bare = make_day(manager, prefix="Мой", now=now)
    client.force_login(manager)
    due = timezone.localtime(now + timedelta(days=1)).replace(second=0, microsecond=0)

    response = client.post(
        f"{reverse('call_log', args=[own.pk])}?next={reverse('home')}",
        call_data(deal=str(bare.pk), next_due_at=local_input(due), next={reverse("home")}),
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    call = Activity.objects.get(deal=bare, kind="call")
    assert (call.call_result, call.direction, call.duration_seconds) == ("reached", "out", 300)
    assert call.done_at is not None and call.owner == manager
    assert call.note == "Обсудили отгрузку в декабре"
    task = Activity.objects.get(deal=bare, kind="task")
    assert (task.subject, task.due_at, task.done_at, task.client) == ("Отправить КП", due, None, own)
    day = client.get(reverse("home")).context["day"]
    assert bare.pk not in [d.pk for d in day.without_task]


def test_a_call_without_a_result_is_refused_and_keeps_what_was_typed(client, manager):
    own = ClientFactory(owner=manager)
    client.force_login(manager)

    response = client.post(reverse("call_log", args=[own.pk]), call_data(call_result=""))

    assert response.status_code == 400
    html = response.content.decode()
    errors = response.context["form"].errors["call_result"]
    assert errors and errors[0] in html
    assert "Обсудили отгрузку в декабре" in html
    assert 'value="Отправить КП"' in html
    assert not Activity.objects.exists()


def test_a_next_task_due_in_the_past_is_refused_with_a_message_and_nothing_is_saved(client, manager):
    own = ClientFactory(owner=manager)
    client.force_login(manager)
    yesterday = local_input(timezone.now() - timedelta(days=1))

    response = client.post(reverse("call_log", args=[own.pk]), call_data(next_due_at=yesterday))

    assert response.status_code == 400
    errors = response.context["form"].errors["next_due_at"]
    assert errors and errors[0] in response.content.decode()
    assert f'value="{yesterday}"' in response.content.decode()
    assert not Activity.objects.exists()


def test_the_call_and_its_next_task_are_saved_together_or_not_at_all(manager):
    own = ClientFactory(owner=manager)

    with pytest.raises(ValidationError) as refused:
        call_log_with_next_task(
            by=manager,
            client=own,
            direction="out",
            call_result="reached",
            next_subject="х" * 300,  # the task fails after the call was written
            next_due_at=timezone.now() + timedelta(days=1),
        )

    assert "subject" in refused.value.message_dict
    assert not Activity.objects.exists()


def test_a_deal_of_another_client_is_not_offered_when_logging_a_call(client, manager):
    own = ClientFactory(owner=manager)
    elsewhere = DealFactory(client=ClientFactory(owner=manager), stage=Stage.PROPOSAL)
    client.force_login(manager)

    response = client.post(reverse("call_log", args=[own.pk]), call_data(deal=str(elsewhere.pk)))

    assert response.status_code == 400
    assert response.context["form"].errors["deal"]
    assert not Activity.objects.exists()


def test_htmx_gets_the_bare_form_and_a_redirect_header_after_saving(client, manager):
    own = ClientFactory(owner=manager)
    client.force_login(manager)
    url = f"{reverse('call_log', args=[own.pk])}?next=/clients/"

    form = client.get(url, HTTP_HX_REQUEST="true")
    refused = client.post(url, call_data(call_result="", next="/clients/"), HTTP_HX_REQUEST="true")
    saved = client.post(url, call_data(next="/clients/"), HTTP_HX_REQUEST="true")

    assert form.status_code == 200
    assert "<html" not in form.content.decode() and 'data-testid="call-form"' in form.content.decode()
    assert refused.status_code == 400 and "<html" not in refused.content.decode()
    assert saved.status_code == 204 and saved["HX-Redirect"] == "/clients/"
    assert Activity.objects.filter(client=own).count() == 2


def test_a_call_on_another_managers_client_is_not_found_and_writes_nothing(client, manager, other_manager):
    foreign = ClientFactory(owner=other_manager)
    client.force_login(manager)

    assert client.get(reverse("call_log", args=[foreign.pk])).status_code == 404
    assert client.post(reverse("call_log", args=[foreign.pk]), call_data()).status_code == 404
    assert not Activity.objects.exists()


def test_a_redirect_after_a_call_never_leaves_the_site(client, manager):
    own = ClientFactory(owner=manager)
    client.force_login(manager)

    response = client.post(reverse("call_log", args=[own.pk]), call_data(next="https://evil.example/"))

    assert response.status_code == 302
    assert response["Location"] == reverse("home")


# --- completing a task ----------------------------------------------------------------------------------------------


def test_completing_a_task_marks_it_done_and_it_leaves_my_day(client, manager):
    now = timezone.now()
    own = ClientFactory(owner=manager)
    task = ActivityFactory(client=own, kind="task", subject="Перезвонить", due_at=now, done_at=None)
    client.force_login(manager)

    response = client.post(reverse("activity_complete", args=[task.pk]), {"next": reverse("home")})

    assert response.status_code == 302
    task.refresh_from_db()
    assert task.done_at is not None
    assert client.get(reverse("home")).context["day"].due_tasks == []


def test_another_managers_task_cannot_be_completed(client, manager, other_manager):
    task = ActivityFactory(client=ClientFactory(owner=other_manager), kind="task", due_at=timezone.now(), done_at=None)
    client.force_login(manager)

    response = client.post(reverse("activity_complete", args=[task.pk]))

    assert response.status_code == 404
    task.refresh_from_db()
    assert task.done_at is None


# --- query counts and hosts -------------------------------------------------------------------------------------


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("viewer", ["manager", "team_lead"])
def test_my_day_query_count_does_not_grow_with_rows(client, request, viewer, manager):
    user = request.getfixturevalue(viewer)
    now = timezone.now()
    client.force_login(user)

    def add(n, start):
        for i in range(start, start + n):
            own, _, _ = make_day(manager, prefix=f"Клиент {i}", now=now)
            SaleLineFactory(client=own, date=timezone.localdate(now) - timedelta(days=30))
            ActivityFactory(client=own, kind="call", done_at=now - timedelta(days=i + 1))

    add(3, 0)
    with_3 = count_queries(client, reverse("home"))
    add(27, 3)
    with_30 = count_queries(client, reverse("home"))

    assert with_3 == with_30


def test_my_day_and_the_call_form_load_nothing_from_another_host(client, manager):
    own, _, _ = make_day(manager, prefix="Мой", now=timezone.now())
    client.force_login(manager)

    for url in [reverse("home"), reverse("call_log", args=[own.pk])]:
        html = client.get(url).content.decode()
        assert not EXTERNAL.findall(html), url
        assert "/static/js/myday.js" in html or "call-form" in html
