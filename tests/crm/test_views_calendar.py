"""The head's working calendar (issue 9 rule 10): the production calendar, his corrections, and the figures that
use them from the next computation on."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from crm.models import WorkingDayOverride
from crm.selectors.calendar import work_calendar
from planning.rules.pay import Threshold, pay_outlook

pytestmark = pytest.mark.django_db


def test_the_head_sees_the_year_with_its_holidays_and_working_days_a_month(client, head):
    client.force_login(head)

    page = client.get(reverse("working_calendar"), {"year": "2026"})

    html = page.content.decode()
    assert page.status_code == 200
    assert "04.11.2026" in html and "12.06.2026" in html
    assert 'data-month="11"><td>11.2026</td><td class="text-end">20</td>' in html
    assert 'data-month="05"><td>05.2026</td><td class="text-end">19</td>' in html


def test_a_correction_changes_the_next_computation_and_can_be_removed(client, head):
    client.force_login(head)
    response = client.post(reverse("working_calendar"), {"day": "04.11.2026", "is_working": "1", "note": "Работаем"})
    assert response.status_code == 302
    assert WorkingDayOverride.objects.get(day=date(2026, 11, 4)).is_working is True

    outlook = pay_outlook(
        month=date(2026, 11, 1),
        today=date(2026, 11, 23),
        fact_so_far=Decimal("480000"),
        target=Decimal("1000000"),
        fixed=Decimal("0"),
        soft=Decimal("0"),
        kpis=[],
        thresholds=[Threshold(80, Decimal("3"))],
        calendar=work_calendar(),
    )
    assert (outlook.days_in_month, outlook.days_passed) == (21, 16)  # 4 November counts again
    page = client.get(reverse("working_calendar"), {"year": "2026"})
    assert 'data-month="11"><td>11.2026</td><td class="text-end">20</td><td class="text-end fw-bold">21</td>' in (
        page.content.decode()
    )

    client.post(reverse("working_calendar"), {"day": "2026-11-04", "reset": "1"})
    assert not WorkingDayOverride.objects.exists()
    assert len(work_calendar().working_days_of(date(2026, 11, 1))) == 20


def test_a_saturday_made_working_by_the_head_counts(client, head):
    client.force_login(head)
    client.post(reverse("working_calendar"), {"day": "28.11.2026", "is_working": "1"})
    assert work_calendar().is_working_day(date(2026, 11, 28))


@pytest.mark.parametrize(
    "data",
    [
        {"day": "31.02.2026", "is_working": "1"},
        {"day": "", "is_working": "0"},
        {"day": "01.12.2026", "is_working": "x"},
    ],
)
def test_bad_input_keeps_the_form_and_writes_nothing(client, head, data):
    client.force_login(head)
    response = client.post(reverse("working_calendar"), {**data, "note": "заметка"})
    assert response.status_code == 400
    assert 'value="заметка"' in response.content.decode()
    assert not WorkingDayOverride.objects.exists()


@pytest.mark.parametrize("year", ["abc", "99999", "-5", ""])
def test_a_bad_year_shows_a_year_not_an_error(client, head, year):
    client.force_login(head)
    assert client.get(reverse("working_calendar"), {"year": year}).status_code == 200


@pytest.mark.parametrize("role", ["manager", "team_lead", "vip_head", "service_owner", "base_manager"])
def test_only_the_head_corrects_the_calendar(client, role, request):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("working_calendar")).status_code == 403
    assert client.post(reverse("working_calendar"), {"day": "04.11.2026", "is_working": "1"}).status_code == 403
    assert not WorkingDayOverride.objects.exists()
