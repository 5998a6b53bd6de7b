"""The head's audit log (issue 10): every create, change and delete with who and when, searchable."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from crm.services.activities import activity_create, activity_update
from crm.services.clients import client_update, contact_create, contact_update
from planning.services.plans import plan_approve, plan_generate
from tests.crm.factories import ClientFactory

pytestmark = pytest.mark.django_db


def test_contacts_activities_and_plans_are_audited_and_the_head_finds_them(client, head, manager):
    customer = ClientFactory(owner=manager)
    contact = contact_create(by=manager, client=customer, data={"full_name": "Иван Петров"})
    contact_update(contact=contact, by=manager, data={"position": "Закупщик"})
    call = activity_create(
        by=manager,
        data={
            "client": customer,
            "kind": "call",
            "subject": "Звонок",
            "done_at": datetime(2026, 11, 30, 10, tzinfo=UTC),
        },
    )
    activity_update(activity=call, by=manager, data={"subject": "Звонок о поставке"})
    plan = plan_generate(manager=manager, month=date(2026, 12, 1), target=Decimal("100000"), by=head)
    plan_approve(plan=plan, by=head)
    client_update(client=customer, by=manager, data={"region": "Тверь"})
    client.force_login(head)

    everything = client.get(reverse("audit"))
    contacts = client.get(reverse("audit"), {"kind": "contact"})
    plans = client.get(reverse("audit"), {"kind": "plan", "by": head.pk})

    assert everything.status_code == 200
    assert everything.content.decode().count('data-testid="audit-row"') >= 7
    html = contacts.content.decode()
    assert html.count('data-testid="audit-row"') == 2 and "Закупщик" in html and str(manager) in html
    assert plans.content.decode().count('data-testid="audit-row"') == 2
    assert "approved" in plans.content.decode()


@pytest.mark.parametrize("query", [{"object_id": "abc"}, {"date_from": "31.02.2026"}, {"by": "999999"}, {"kind": "x"}])
def test_a_bad_filter_shows_the_page_not_an_error(client, head, query):
    client.force_login(head)
    assert client.get(reverse("audit"), query).status_code == 200


def test_the_audit_page_reads_a_constant_number_of_queries(client, head, manager, django_assert_max_num_queries):
    client.force_login(head)
    customer = ClientFactory(owner=manager)
    client_update(client=customer, by=manager, data={"region": "Тверь"})
    with django_assert_max_num_queries(8):
        client.get(reverse("audit"))
    for n in range(10):
        client_update(client=customer, by=manager, data={"region": f"Город {n}"})
    with django_assert_max_num_queries(8):
        assert client.get(reverse("audit")).status_code == 200


@pytest.mark.parametrize("role", ["manager", "team_lead", "vip_head", "service_owner", "base_manager"])
def test_only_the_head_reads_the_audit_log(client, role, request):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("audit")).status_code == 403


def test_the_logins_tab_shows_successes_and_failures_with_the_address(client, head, manager):
    client.post(reverse("login"), {"username": manager.username, "password": "wrong"}, REMOTE_ADDR="10.1.2.3")
    client.force_login(head)

    page = client.get(reverse("audit"), {"tab": "logins", "username": manager.username})

    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-ok="0"' in html and "10.1.2.3" in html and manager.username in html
    assert 'data-ok="1"' not in html
