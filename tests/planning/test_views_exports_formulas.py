"""Plan/fact's export opens without running a manager's or a team's name typed as a formula (issue 10, item 1)."""

from datetime import timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from crm.models import Role
from planning.models import Plan
from tests.crm.factories import TeamFactory, UserFactory
from tests.formulas import FORMULAS, assert_no_live_formulas, workbook_bytes


def test_the_plan_fact_export_holds_no_live_formula(client, head):
    month = timezone.localdate().replace(day=1)
    for n, formula in enumerate(FORMULAS):
        manager = UserFactory(username=f"m{n}", role=Role.MANAGER, team=TeamFactory(name=formula), last_name=formula)
        Plan.objects.create(
            manager=manager,
            month=month,
            target=Decimal("300000"),
            window_start=month - timedelta(days=120),
            window_end=month - timedelta(days=1),
            status=Plan.Status.APPROVED,
        )
    client.force_login(head)

    response = client.get(reverse("plan_fact_export"))

    assert response.status_code == 200
    assert assert_no_live_formulas(workbook_bytes(response)) >= len(FORMULAS)
