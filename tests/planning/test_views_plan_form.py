"""The plan form: the month defaults to next month, T to the manager's last approved target (else A rounded to
thousands), and a plan whose G is negative is approved only when the head confirms it with its figures (page, API)."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from core.calendar import month_shift
from crm.models import ChangeLog
from planning.models import Plan
from planning.selectors.plans import default_target
from planning.services.plans import plan_approve, plan_generate
from planning.views.plans import chosen_month
from tests.api_errors import field_errors
from tests.conftest import api_as
from tests.crm.factories import ClientFactory, SaleLineFactory

pytestmark = pytest.mark.django_db

MAY = date(2026, 5, 1)
NBSP = "\xa0"


def worked_example(manager, extra_april: int = 0):
    """DOMAIN.md section 4: R = 145 000, A = 860 000 / 4 = 215 000, O = 0.20 x 70 000 = 14 000."""
    table = {
        "Alfa": (100_000, 120_000, 80_000, 100_000),
        "Beta": (0, 60_000, 60_000, 60_000),
        "Gamma": (200_000, 0, 0, 0),
        "Delta": (50_000, 0, 0, 30_000 + extra_april),
    }
    for name, amounts in table.items():
        client = ClientFactory(name=name, owner=manager)
        for month, amount in enumerate(amounts, start=1):
            if amount:
                SaleLineFactory(client=client, manager=manager, date=date(2026, month, 10), amount=Decimal(amount))


def rub(text: str) -> str:
    return text.replace(" ", NBSP) + NBSP + "₽"


def test_the_month_defaults_to_next_month_of_the_given_today():
    assert chosen_month(None, date(2026, 12, 15)) == date(2027, 1, 1)
    assert chosen_month("garbage", date(2026, 11, 30)) == date(2026, 12, 1)
    assert chosen_month("2026-07", date(2026, 11, 30)) == date(2026, 7, 1)


def test_the_form_starts_on_next_month(client, head, manager):
    client.force_login(head)
    response = client.get(reverse("plan_list"))
    next_month = month_shift(timezone.localdate(), 1)
    assert response.context["form"].initial["month"] == next_month
    # The month input shows it (an <input type="month"> takes only YYYY-MM).
    assert f'type="month" name="month" value="{next_month:%Y-%m}"' in response.content.decode()


def test_t_defaults_to_a_rounded_half_up_to_thousands_without_an_approved_plan(head, manager):
    worked_example(manager, extra_april=2_000)  # A = 862 000 / 4 = 215 500 -> 216 000
    default = default_target(user=head, manager=manager, month=MAY)
    assert default.average_monthly == Decimal("215500.00")
    assert default.target == Decimal("216000.00")
    assert default.approved_month is None


def test_t_defaults_to_the_last_approved_target_before_the_month(head, manager):
    worked_example(manager)
    march = plan_generate(manager=manager, month=date(2026, 3, 1), target=Decimal("230000"), by=head)
    plan_approve(plan=march, by=head, confirm_negative_g=True)
    april = plan_generate(manager=manager, month=date(2026, 4, 1), target=Decimal("240000"), by=head)
    plan_approve(plan=april, by=head, confirm_negative_g=True)
    # A later month's approved plan and a draft of April do not count.
    june = plan_generate(manager=manager, month=date(2026, 6, 1), target=Decimal("990000"), by=head)
    plan_approve(plan=june, by=head)
    plan_generate(manager=manager, month=date(2026, 4, 1), target=Decimal("777000"), by=head)
    default = default_target(user=head, manager=manager, month=MAY)
    assert default.target == Decimal("240000.00")
    assert default.approved_month == date(2026, 4, 1)


def test_the_form_for_a_chosen_manager_carries_his_default_t(client, head, manager, other_manager):
    worked_example(manager)
    client.force_login(head)
    response = client.get(reverse("plan_list"), {"month": "2026-05", "manager": manager.pk})
    form = response.context["form"]
    assert form.initial["manager"] == manager.pk
    assert form.initial["month"] == MAY
    assert form.initial["target"] == Decimal("215000.00")
    html = response.content.decode()
    assert 'value="215000' in html
    # Each row the head may plan for links to the form with that manager chosen.
    assert f'href="?month=2026-05&amp;manager={manager.pk}#plan-generate" data-testid="plan-new-for"' in html
    # Without a manager chosen (two to choose from) T waits for the choice.
    assert "target" not in client.get(reverse("plan_list"), {"month": "2026-05"}).context["form"].initial


def test_a_manager_id_the_user_may_not_plan_for_is_ignored(client, team_lead, manager, other_manager):
    worked_example(other_manager)
    client.force_login(team_lead)
    form = client.get(reverse("plan_list"), {"month": "2026-05", "manager": other_manager.pk}).context["form"]
    assert form.initial["manager"] != other_manager.pk


def test_generating_with_t_left_empty_uses_the_default(client, head, manager):
    worked_example(manager)
    client.force_login(head)
    response = client.post(
        reverse("plan_generate"),
        {
            "manager": manager.pk,
            "month": "2026-05",
            "target": "",
            "active_existing_share": "0.5",
            "one_off_share": "0.2",
        },
    )
    assert response.status_code == 302
    plan = Plan.objects.get(manager=manager, month=MAY)
    assert plan.target == Decimal("215000.00")
    assert plan.active_gap == Decimal("56000.00")  # 215 000 - 145 000 - 14 000


@pytest.fixture
def negative(manager, head):
    """T = 150 000 below R + O = 159 000: G = 150 000 - 145 000 - 14 000 = -9 000."""
    worked_example(manager)
    return plan_generate(manager=manager, month=MAY, target=Decimal("150000"), by=head)


def test_the_worked_negative_plan(negative):
    assert (negative.regular_total, negative.average_monthly, negative.one_off, negative.active_gap) == (
        Decimal("145000.00"),
        Decimal("215000.00"),
        Decimal("14000.00"),
        Decimal("-9000.00"),
    )


@pytest.mark.russian
def test_approving_a_negative_g_shows_the_figures_and_asks_to_confirm(client, head, negative):
    client.force_login(head)
    detail = client.get(reverse("plan_detail", args=[negative.pk])).content.decode()
    assert f'href="{reverse("plan_approve", args=[negative.pk])}" data-testid="plan-approve"' in detail
    html = client.get(reverse("plan_approve", args=[negative.pk])).content.decode()
    # Plan figures in whole roubles, on the page and in the sentence ticked.
    for figure in ("-9 000", "145 000", "215 000", "14 000", "150 000"):
        assert rub(figure) in html
    assert f"Подтверждаю G = {rub('-9 000')} (R = {rub('145 000')}" in html
    assert 'name="confirm_negative_g"' in html and 'type="checkbox"' in html


def test_approving_a_negative_g_without_the_tick_is_refused_and_writes_nothing(client, head, negative):
    client.force_login(head)
    changes = ChangeLog.objects.count()
    response = client.post(reverse("plan_approve", args=[negative.pk]))
    assert response.status_code == 400
    assert response.context["form"].errors["confirm_negative_g"]
    negative.refresh_from_db()
    assert negative.status == Plan.Status.DRAFT
    assert negative.approved_by is None
    assert ChangeLog.objects.count() == changes


def test_approving_a_negative_g_with_the_tick_approves(client, head, negative):
    client.force_login(head)
    response = client.post(reverse("plan_approve", args=[negative.pk]), {"confirm_negative_g": "on"})
    assert response.status_code == 302
    negative.refresh_from_db()
    assert negative.status == Plan.Status.APPROVED
    assert negative.approved_by == head


def test_a_positive_g_is_approved_in_one_step(client, head, manager):
    worked_example(manager)
    plan = plan_generate(manager=manager, month=MAY, target=Decimal("250000"), by=head)  # G = 91 000
    client.force_login(head)
    assert client.post(reverse("plan_approve", args=[plan.pk])).status_code == 302
    plan.refresh_from_db()
    assert plan.status == Plan.Status.APPROVED


def test_the_confirmation_page_is_the_heads_and_404_for_another_managers_plan(client, manager, negative, head):
    client.force_login(manager)
    assert client.get(reverse("plan_approve", args=[negative.pk])).status_code == 403
    assert client.post(reverse("plan_approve", args=[negative.pk]), {"confirm_negative_g": "on"}).status_code == 403
    from tests.crm.factories import UserFactory

    stranger = UserFactory(username="stranger", role="manager")
    client.force_login(stranger)
    assert client.get(reverse("plan_approve", args=[negative.pk])).status_code == 404


def test_the_service_refuses_a_negative_g_without_confirmation(head, negative):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        plan_approve(plan=negative, by=head)
    assert "confirm_negative_g" in caught.value.message_dict
    negative.refresh_from_db()
    assert negative.status == Plan.Status.DRAFT


def test_the_api_approval_of_a_negative_g_needs_confirm_negative_g(head, negative):
    api = api_as(head)
    response = api.post(f"/api/v1/plans/{negative.pk}/approve/", {}, format="json")
    assert response.status_code == 400
    assert "confirm_negative_g" in field_errors(response)
    negative.refresh_from_db()
    assert negative.status == Plan.Status.DRAFT
    response = api.post(f"/api/v1/plans/{negative.pk}/approve/", {"confirm_negative_g": True}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "approved"
