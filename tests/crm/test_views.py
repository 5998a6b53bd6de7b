"""The server-rendered pages: login, the home page of every role, and what every page may load."""

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from crm.models import Client, Role
from crm.rules.stages import Stage
from crm.views.home import day_bounds
from tests.crm.factories import ActivityFactory, ClientFactory, DealFactory, TeamFactory, UserFactory

ROLE_FIXTURES = ["manager", "team_lead", "head", "admin_user", "vip_head", "service_owner", "base_manager"]


def logged_in(client, user):
    client.force_login(user)
    return client


def make_pipeline(owner, *, title_prefix, now):
    """One client: an open deal without a task, one with an overdue task, a finished (account-stage) deal."""
    client = ClientFactory(owner=owner, name=f"{title_prefix} клиент", category=Client.Category.A)
    bare = DealFactory(client=client, title=f"{title_prefix} без задачи", stage=Stage.PROPOSAL)
    late = DealFactory(client=client, title=f"{title_prefix} просрочена", stage=Stage.FIRST_MEETING)
    DealFactory(client=client, title=f"{title_prefix} выиграна", stage=Stage.ACCOUNT)
    ActivityFactory(
        client=client,
        deal=late,
        kind="task",
        subject=f"{title_prefix} позвонить",
        due_at=now - timedelta(days=1),
        done_at=None,
    )
    return client, bare, late


# --- logging in -------------------------------------------------------------------------------------------


def test_login_with_the_right_password_opens_the_home_page(client, manager):
    response = client.post(reverse("login"), {"username": "ivanov", "password": "pass12345"})

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200


def test_login_with_a_wrong_password_shows_a_readable_error_and_keeps_the_username(client, manager):
    response = client.post(reverse("login"), {"username": "ivanov", "password": "wrong-password"})

    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="form-errors"' in html
    assert response.context["form"].non_field_errors()
    assert response.context["form"].non_field_errors()[0] in html
    assert 'value="ivanov"' in html
    assert "_auth_user_id" not in client.session


def test_a_deactivated_user_cannot_log_in(client, manager):
    manager.is_active = False
    manager.save()

    response = client.post(reverse("login"), {"username": "ivanov", "password": "pass12345"})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_the_home_page_sends_an_anonymous_visitor_to_login(client, db):
    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_logout_is_a_post_form_that_ends_the_session(client, manager):
    logged_in(client, manager)
    html = client.get(reverse("home")).content.decode()
    assert f'<form method="post" action="{reverse("logout")}"' in html

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


# --- the home page of every role ----------------------------------------------------------------------------


@pytest.mark.parametrize("role_fixture", ROLE_FIXTURES)
def test_the_home_page_renders_for_every_role_with_name_and_role_in_the_top_bar(client, request, role_fixture):
    user = request.getfixturevalue(role_fixture)
    logged_in(client, user)

    response = client.get(reverse("home"))

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="ru">' in html
    assert user.get_full_name() in html
    assert str(user.get_role_display()) in html
    assert 'hx-headers=\'{"X-CSRFToken": "' in html


def test_a_manager_home_is_my_day_counting_only_own_work_and_never_another_managers_deals(
    client, manager, other_manager
):
    now = timezone.now()
    own, _, _ = make_pipeline(manager, title_prefix="Моя", now=now)
    later_today = min(now + timedelta(minutes=1), day_bounds(now)[1] - timedelta(microseconds=1))
    ActivityFactory(client=own, kind="task", subject="Сегодня встреча", due_at=later_today, done_at=None)
    make_pipeline(other_manager, title_prefix="Чужая", now=now)
    logged_in(client, manager)

    response = client.get(reverse("home"))

    ctx = response.context
    assert ctx["kind"] == "my_day"
    assert ctx["show_owner"] is False
    assert "managers" not in ctx
    day = ctx["day"]
    assert day.clients_count == 1
    assert day.open_deals_count == 2
    assert day.open_deals_amount == Decimal("200000.00")
    assert day.without_task_count == 1
    assert [d.title for d in day.without_task] == ["Моя без задачи"]
    assert day.overdue_deals_count == 1
    assert [d.title for d in day.overdue_deals] == ["Моя просрочена"]
    assert day.overdue_tasks_count == 1
    assert day.today_tasks_count == 1
    assert day.due_tasks_count == 2
    assert [t.subject for t in day.due_tasks] == ["Моя позвонить", "Сегодня встреча"]
    html = response.content.decode()
    assert "Моя без задачи" in html and "Моя позвонить" in html and "Сегодня встреча" in html
    assert "Чужая" not in html
    assert "200\u00a0000\u00a0₽" in html  # a total: whole roubles


def test_a_team_lead_home_is_my_day_for_the_team_and_not_other_teams(client, team_lead, manager, other_manager):
    now = timezone.now()
    make_pipeline(manager, title_prefix="Командная", now=now)
    make_pipeline(other_manager, title_prefix="Чужая", now=now)
    logged_in(client, team_lead)

    response = client.get(reverse("home"))

    ctx = response.context
    assert ctx["kind"] == "my_day"
    assert ctx["show_owner"] is True
    assert ctx["day"].open_deals_count == 2
    assert {m.username for m in ctx["managers"]} == {"lead", "ivanov"}
    html = response.content.decode()
    assert "Командная без задачи" in html
    assert "Чужая" not in html


def test_the_head_home_shows_the_department_and_figures_per_manager(client, head, manager, other_manager):
    now = timezone.now()
    make_pipeline(manager, title_prefix="Иванов", now=now)
    make_pipeline(other_manager, title_prefix="Петров", now=now)
    make_pipeline(other_manager, title_prefix="Петров-2", now=now)
    logged_in(client, head)

    response = client.get(reverse("home"))

    ctx = response.context
    assert ctx["kind"] == "department"
    assert ctx["clients_count"] == 3
    assert ctx["open_deals_count"] == 6
    assert ctx["without_task_count"] == 3
    assert ctx["overdue_deals_count"] == 3
    rows = {m.username: m for m in ctx["managers"]}
    assert set(rows) == {"ivanov", "petrov"}
    petrov = rows["petrov"]
    assert (petrov.clients_count, petrov.open_deals_count, petrov.without_task_count) == (2, 4, 2)
    assert (petrov.overdue_deals_count, petrov.overdue_tasks_count) == (2, 2)
    assert petrov.open_deals_amount == Decimal("400000.00")
    assert rows["ivanov"].open_deals_count == 2
    assert ctx["clients_total"] == 3
    html = response.content.decode()
    assert "Иванов без задачи" in html and "Петров без задачи" in html


def test_the_head_home_totals_are_the_sums_of_every_owner_group_ownerless_clients_included(client, head, manager):
    now = timezone.now()
    make_pipeline(manager, title_prefix="Иванов", now=now)
    ClientFactory(owner=None)
    logged_in(client, head)

    ctx = client.get(reverse("home")).context

    assert ctx["clients_count"] == 2 == ctx["clients_total"]
    assert (ctx["open_deals_count"], ctx["without_task_count"], ctx["overdue_deals_count"]) == (2, 1, 1)
    row = next(m for m in ctx["managers"] if m.pk == manager.pk)
    assert ctx["overdue_tasks_count"] == row.overdue_tasks_count == 1
    assert ctx["due_tasks_count"] == ctx["overdue_tasks_count"] + ctx["today_tasks_count"]
    assert ctx["open_deals_amount"] == row.open_deals_amount


def test_the_vip_head_home_counts_clients_by_category_and_source(client, vip_head, manager):
    ClientFactory.create_batch(2, owner=manager, category=Client.Category.VIP, source=Client.Source.WARM)
    ClientFactory(owner=manager, category=Client.Category.B, source=Client.Source.COLD)
    ClientFactory(owner=None, category="", source=Client.Source.COLD, phone="", email="")
    logged_in(client, vip_head)

    response = client.get(reverse("home"))

    ctx = response.context
    assert ctx["kind"] == "clients"
    assert ctx["clients_total"] == 4
    assert ctx["clients_without_owner"] == 1
    assert ctx["clients_without_contacts"] == 1
    assert {str(row["label"]): row["count"] for row in ctx["by_category"]} == {"VIP": 2, "B": 1, "Не указано": 1}
    assert {str(row["label"]): row["count"] for row in ctx["by_source"]} == {"Тёплый": 2, "Холодный": 2}
    assert "open_deals" not in ctx


def test_the_base_manager_home_shows_the_client_base_and_own_tasks(client, base_manager, manager):
    target = ClientFactory(owner=None)
    ActivityFactory(
        client=target, owner=base_manager, kind="task", subject="Проверить базу", due_at=timezone.now(), done_at=None
    )
    ActivityFactory(
        client=target, owner=manager, kind="task", subject="Чужая задача", due_at=timezone.now(), done_at=None
    )
    logged_in(client, base_manager)

    response = client.get(reverse("home"))

    assert response.context["clients_total"] == 1
    html = response.content.decode()
    assert "Проверить базу" in html
    assert "Чужая задача" not in html


def test_the_service_owner_home_explains_the_problem_register_and_shows_no_sales_data(client, service_owner, manager):
    make_pipeline(manager, title_prefix="Продажа", now=timezone.now())
    logged_in(client, service_owner)

    response = client.get(reverse("home"))

    html = response.content.decode()
    assert 'data-testid="service-note"' in html
    assert "Продажа" not in html
    assert "clients_count" not in response.context


# --- query counts ---------------------------------------------------------------------------------------------


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def add_department_rows(n, now):
    team = TeamFactory()
    for _ in range(n):
        seller = UserFactory(role=Role.MANAGER, team=team)
        make_pipeline(seller, title_prefix=f"Сделка {seller.username}", now=now)


@pytest.mark.parametrize("viewer", ["head", "team_lead", "manager"])
def test_the_home_page_query_count_does_not_grow_with_rows(client, request, viewer):
    user = request.getfixturevalue(viewer)
    now = timezone.now()
    logged_in(client, user)

    add_department_rows(3, now)
    if viewer == "manager":
        for i in range(3):
            make_pipeline(user, title_prefix=f"Своя {i}", now=now)
    with_3 = count_queries(client, reverse("home"))
    add_department_rows(27, now)
    if viewer == "manager":
        for i in range(27):
            make_pipeline(user, title_prefix=f"Своя ещё {i}", now=now)
    with_30 = count_queries(client, reverse("home"))

    assert with_3 == with_30


# --- no page loads anything from another host ------------------------------------------------------------------

EXTERNAL = re.compile(
    r"""(?:src|href|action|srcset|poster|data)\s*=\s*["']?\s*(?:https?:)?//(?!testserver[/:"'])""", re.I
)
CSS_REMOTE = re.compile(r"""@import[^;]*(?:https?:)?//|url\(\s*["']?(?:https?:)?//""", re.I)


def test_no_page_references_another_host(client, head, manager, team):
    pages = [reverse("login")]
    logged_in(client, head)
    pages += [
        reverse("home"),
        reverse("user_list"),
        reverse("user_create"),
        reverse("user_update", args=[manager.pk]),
        reverse("team_list"),
        reverse("team_create"),
        reverse("team_update", args=[team.pk]),
    ]
    anonymous_login = client.__class__().get(pages[0]).content.decode()
    assert not EXTERNAL.findall(anonymous_login)
    for url in pages[1:]:
        html = client.get(url).content.decode()
        assert 'href="/static/vendor/tabler/css/tabler.min.css"' in html, url
        assert not EXTERNAL.findall(html), url
        assert "fonts.googleapis" not in html, url
    client.force_login(manager)
    forbidden = client.get(reverse("user_list"))
    assert forbidden.status_code == 403
    assert not EXTERNAL.findall(forbidden.content.decode())


def test_vendored_stylesheets_import_nothing_from_another_host():
    vendor = Path(settings.BASE_DIR) / "static" / "vendor"
    sheets = list(vendor.rglob("*.css"))

    assert sheets, "run scripts/vendor_assets.sh"
    for sheet in sheets:
        assert not CSS_REMOTE.search(sheet.read_text(encoding="utf-8")), sheet


def test_every_vendored_library_is_present():
    vendor = Path(settings.BASE_DIR) / "static" / "vendor"
    for path in [
        "tabler/css/tabler.min.css",
        "tabler/js/tabler.min.js",
        "htmx/htmx.min.js",
        "echarts/echarts.min.js",
        "sortablejs/Sortable.min.js",
    ]:
        assert (vendor / path).stat().st_size > 10_000, path


# --- language ---------------------------------------------------------------------------------------------------


def test_the_language_switch_turns_the_pages_english(client, head):
    logged_in(client, head)
    assert '<html lang="ru">' in client.get(reverse("home")).content.decode()

    response = client.post("/i18n/setlang/", {"language": "en", "next": reverse("home")}, follow=True)

    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "The department today" in html
    assert "Users" in html


# --- formatting filters ------------------------------------------------------------------------------------------


def render(source, **context):
    return Template("{% load crm_format %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("1234567.5"), "1\u00a0234\u00a0568\u00a0₽"),
        (Decimal("0.005"), "0\u00a0₽"),
        (1000, "1\u00a0000\u00a0₽"),
        (Decimal("-950.1"), "-950\u00a0₽"),
        (None, "—"),
        ("not a number", "—"),
    ],
)
def test_the_money_filter_writes_whole_roubles_russian_style(value, expected):
    assert render("{{ value|money }}", value=value) == expected


def test_the_ru_date_filter_writes_day_month_year_with_dots():
    assert render("{{ value|ru_date }}", value=date(2026, 11, 22)) == "22.11.2026"
    assert render("{{ value|ru_date }}", value=None) == ""


def test_the_ru_date_filter_shows_a_moment_in_moscow_time():
    late_evening_utc = datetime(2026, 11, 22, 22, 30, tzinfo=UTC)  # 01:30 on the 23rd in Moscow

    with timezone.override("Europe/Moscow"), translation.override("en"):
        assert render("{{ value|ru_date }}", value=late_evening_utc) == "23.11.2026"
        assert render("{{ value|ru_datetime }}", value=late_evening_utc) == "23.11.2026 01:30"
