"""The long list page: call tracking in the month, the short list, the potential threshold, Excel, print."""

from datetime import UTC, date, datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from crm.models import DepartmentSettings, LongList, LongListEntry
from crm.selectors.hunting import long_list_page
from crm.services.hunting import long_list_entry_update
from tests.crm.factories import ActivityFactory, ClientFactory

pytestmark = pytest.mark.django_db

MONTH = date(2026, 12, 1)


def make_list(owner, n=3, month=MONTH):
    long_list = LongList.objects.create(owner=owner, month=month)
    for i in range(n):
        LongListEntry.objects.create(
            long_list=long_list,
            client=ClientFactory(owner=owner, name=f"Компания {i:02d}"),
            reason="never_bought",
            rank=i + 1,
        )
    return long_list


def entries(long_list):
    return list(long_list.entries.order_by("rank"))


def call(entry, when, direction="out", done=True):
    return ActivityFactory(
        client=entry.client,
        owner=entry.long_list.owner,
        direction=direction,
        done_at=when if done else None,
        due_at=when,
    )


# --- one call each early in the month ----------------------------------------------------------------------------


def test_the_page_counts_called_entries_by_the_first_outgoing_done_call_this_month(manager):
    long_list = make_list(manager, 4)
    first, second, third, fourth = entries(long_list)
    call(first, datetime(2026, 12, 3, 10, tzinfo=UTC))
    call(first, datetime(2026, 12, 2, 10, tzinfo=UTC))
    call(second, datetime(2026, 11, 30, 10, tzinfo=UTC))  # last month: does not count
    call(third, datetime(2026, 12, 4, 10, tzinfo=UTC), direction="in")  # incoming: does not count
    call(fourth, datetime(2026, 12, 4, 10, tzinfo=UTC), done=False)  # only planned: does not count

    page = long_list_page(long_list=long_list, today=date(2026, 12, 5), settings=DepartmentSettings.current())

    assert page.called == 1 and page.not_called == 3
    assert page.entries[0].first_call_at == datetime(2026, 12, 2, 10, tzinfo=UTC)
    assert [bool(e.first_call_at) for e in page.entries] == [True, False, False, False]
    assert page.in_first_days and page.first_days_left == 6 and page.overdue == 0


def test_after_the_tenth_the_entries_not_called_are_overdue(manager):
    long_list = make_list(manager, 2)
    call(entries(long_list)[0], datetime(2026, 12, 12, 10, tzinfo=UTC))

    page = long_list_page(long_list=long_list, today=date(2026, 12, 11), settings=DepartmentSettings.current())

    assert not page.in_first_days
    assert page.overdue == 1
    assert [e.is_overdue for e in page.entries] == [False, True]
    assert page.entries[0].on_time is False  # called, but after the first ten days


def test_the_page_shows_progress_and_highlights_the_rows_not_called(client, manager):
    long_list = make_list(manager, 3, month=timezone.localdate().replace(day=1))
    call(entries(long_list)[0], timezone.now())
    client.force_login(manager)

    response = client.get(reverse("long_list"))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="long-list-called">1 / 3<' in html
    assert html.count('data-called="0"') == 2
    assert 'data-testid="long-list-below-min"' in html  # 3 is below the minimum of 50


# --- the short list and the threshold ------------------------------------------------------------------------------


def test_an_interested_entry_moves_to_the_short_list_with_its_needs(manager):
    entry = entries(make_list(manager, 1))[0]

    long_list_entry_update(
        entry=entry,
        by=manager,
        data={"short_listed": True, "needs": "Поставки раз в месяц", "objections": "Дорого: показали скидку"},
    )

    entry.refresh_from_db()
    assert entry.short_listed and entry.interested is True
    assert entry.needs == "Поставки раз в месяц" and entry.objections == "Дорого: показали скидку"


def test_a_company_not_interested_cannot_be_short_listed(manager):
    entry = entries(make_list(manager, 1))[0]

    with pytest.raises(ValidationError) as error:
        long_list_entry_update(entry=entry, by=manager, data={"interested": False, "short_listed": True})

    assert "short_listed" in error.value.message_dict
    entry.refresh_from_db()
    assert not entry.short_listed


@pytest.mark.parametrize(("potential", "not_worth"), [("59999", True), ("60000", False), ("59999.99", True)])
def test_below_the_potential_threshold_an_entry_is_not_worth_the_time(manager, potential, not_worth):
    entry = entries(make_list(manager, 1))[0]

    long_list_entry_update(entry=entry, by=manager, data={"potential_monthly": Decimal(potential)})

    entry.refresh_from_db()
    assert entry.not_worth is not_worth


def test_the_threshold_follows_the_department_settings(manager):
    settings = DepartmentSettings.current()
    settings.potential_threshold = Decimal("100000")
    settings.save()
    entry = entries(make_list(manager, 1))[0]

    long_list_entry_update(entry=entry, by=manager, data={"potential_monthly": Decimal("60000")})

    assert entry.not_worth is True


@pytest.mark.parametrize(
    ("monthly", "yearly", "not_worth"),
    [
        ("60000", None, False),  # 60 000 a month
        ("59999", None, True),
        (None, "500000", False),  # or 500 000 a year: either suffices
        (None, "499999", True),
        ("40000", "600000", False),
        ("59999", "499999", True),
        (None, None, False),  # nothing known yet: not marked
    ],
)
def test_a_company_is_worth_the_time_at_60_000_a_month_or_500_000_a_year(manager, monthly, yearly, not_worth):
    entry = entries(make_list(manager, 1))[0]
    data = {"potential_monthly": monthly and Decimal(monthly), "potential_yearly": yearly and Decimal(yearly)}

    long_list_entry_update(entry=entry, by=manager, data=data)

    assert entry.not_worth is not_worth


def test_another_manager_may_not_change_an_entry(manager, other_manager):
    entry = entries(make_list(manager, 1))[0]

    with pytest.raises(PermissionDenied):
        long_list_entry_update(entry=entry, by=other_manager, data={"needs": "Чужое"})


def test_the_entry_form_saves_and_the_list_shows_it_greyed_when_not_worth(client, manager):
    long_list = make_list(manager, 1, month=timezone.localdate().replace(day=1))
    entry = entries(long_list)[0]
    client.force_login(manager)

    response = client.post(
        reverse("long_list_entry", args=[entry.pk]),
        {"interested": "yes", "short_listed": "on", "potential_monthly": "59999", "needs": "Нужна рассрочка"},
    )

    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.short_listed and entry.not_worth and entry.needs == "Нужна рассрочка"
    html = client.get(reverse("long_list")).content.decode()
    assert 'data-testid="not-worth"' in html and 'data-testid="short-list-row"' in html


def test_the_entry_form_keeps_typed_values_on_bad_input(client, manager):
    entry = entries(make_list(manager, 1))[0]
    client.force_login(manager)

    response = client.post(
        reverse("long_list_entry", args=[entry.pk]),
        {"interested": "no", "short_listed": "on", "potential_monthly": "-5", "needs": "Набранный текст"},
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "Набранный текст" in html and 'value="-5"' in html
    entry.refresh_from_db()
    assert entry.needs == ""


def test_the_entry_form_of_another_managers_list_is_404(client, manager, other_manager):
    entry = entries(make_list(other_manager, 1))[0]
    client.force_login(manager)

    assert client.get(reverse("long_list_entry", args=[entry.pk])).status_code == 404
    assert client.post(reverse("long_list_entry", args=[entry.pk]), {"needs": "x"}).status_code == 404


# --- who sees which list ----------------------------------------------------------------------------------------------


def test_a_manager_sees_only_his_own_list_even_when_asking_for_another(client, manager, other_manager):
    month = timezone.localdate().replace(day=1)
    make_list(manager, 1, month=month)
    foreign = make_list(other_manager, 1, month=month)
    client.force_login(manager)

    response = client.get(reverse("long_list"), {"manager": other_manager.pk})

    assert response.context["page"].long_list.owner == manager
    assert foreign.pk not in [e.long_list_id for e in response.context["page"].entries]
    assert response.context["query"].managers == [manager]


def test_the_head_chooses_a_manager(client, head, manager, other_manager):
    month = timezone.localdate().replace(day=1)
    make_list(manager, 1, month=month)
    theirs = make_list(other_manager, 2, month=month)
    client.force_login(head)

    response = client.get(reverse("long_list"), {"manager": other_manager.pk})

    assert response.context["page"].long_list == theirs
    assert response.context["page"].total == 2


@pytest.mark.parametrize("role_fixture", ["vip_head", "service_owner", "base_manager"])
def test_roles_that_do_not_sell_get_403(client, request, role_fixture):
    client.force_login(request.getfixturevalue(role_fixture))

    assert client.get(reverse("long_list")).status_code == 403
    assert client.get(reverse("long_list_export")).status_code == 403


def test_the_head_drafts_a_list_for_a_new_manager_by_hand(client, head, manager):
    ClientFactory(owner=manager, status="prospect")
    client.force_login(head)
    month = timezone.localdate().replace(day=1)

    response = client.post(f"{reverse('long_list_draft')}?manager={manager.pk}&month={month:%Y-%m}")

    assert response.status_code == 302
    assert LongList.objects.get(owner=manager, month=month).entries.count() == 1


def test_a_manager_may_not_draft_by_hand(client, manager):
    client.force_login(manager)

    client.post(reverse("long_list_draft"))

    assert not LongList.objects.exists()


# --- Excel, print, queries ------------------------------------------------------------------------------------------


def test_the_export_holds_exactly_the_shown_list(client, manager, other_manager):
    month = timezone.localdate().replace(day=1)
    make_list(manager, 3, month=month)
    make_list(other_manager, 5, month=month)
    client.force_login(manager)

    response = client.get(reverse("long_list_export"))

    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ["Компания 00", "Компания 01", "Компания 02"]


def test_the_print_view_is_an_a4_sheet_without_navigation(client, manager):
    make_list(manager, 2, month=timezone.localdate().replace(day=1))
    client.force_login(manager)

    html = client.get(reverse("long_list_print")).content.decode()

    assert 'data-testid="long-list-print-sheet"' in html
    assert "navbar" not in html
    assert "Компания 01" in html


def queries_of(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("viewer", ["manager", "head"])
def test_the_page_runs_the_same_queries_for_3_and_30_entries(client, request, viewer, manager):
    month = timezone.localdate().replace(day=1)
    long_list = make_list(manager, 3, month=month)
    client.force_login(request.getfixturevalue(viewer))
    url = f"{reverse('long_list')}?manager={manager.pk}"
    queries_of(client, url)  # settings row created

    few = queries_of(client, url)
    for i in range(3, 30):
        entry = LongListEntry.objects.create(
            long_list=long_list, client=ClientFactory(owner=manager), reason="never_bought", rank=i + 1
        )
        call(entry, timezone.now())
    many = queries_of(client, url)

    assert few == many
    for name in ("long_list_print", "long_list_export"):
        assert queries_of(client, f"{reverse(name)}?manager={manager.pk}") > 0
