"""The one write of a client's owner: every path goes through `client_owners_set`, and each refuses the manager
who lost the client (the queue, the API, the admin, a prospect claim, an import)."""

import ast
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from crm.models import Client, OwnershipChange, Reassignment
from crm.models.validators import normalize_name
from crm.nightly import reassignment_flags_refresh
from crm.services.clients import client_reassign
from crm.services.imports import import_run, import_validate
from crm.services.ownership import client_owners_set, lost_by, lost_message
from crm.services.prospects import prospect_claim, prospect_entry_add, prospect_list_create
from crm.services.reassignments import reassignment_reassign
from tests.api_errors import field_errors
from tests.conftest import api_as
from tests.crm.factories import ClientFactory, make_inn

TAKEN_ON = date(2026, 1, 15)
RULE_DAY = date(2026, 4, 15)


@pytest.fixture
def lost_client(head, manager, other_manager):
    """A client `manager` lost to the 3-month rule: the head gave it to `other_manager` from the queue."""
    client = ClientFactory(
        owner=manager, owned_since=date(2025, 9, 1), name="ООО Ушедший", normalized_name=normalize_name("ООО Ушедший")
    )
    reassignment_flags_refresh(TAKEN_ON)
    flag = Reassignment.objects.get(client=client)
    reassignment_reassign(
        reassignment=flag, to_owner=other_manager, by=head, reason="Три месяца без сделки", today=TAKEN_ON
    )
    client.refresh_from_db()
    return client


def lost_refusal(client, manager) -> list[str]:
    """The refusal a manager who lost `client` gets: it says when and why (in the test's language)."""
    [message] = [lost_message(lost_by([client.pk])[client.pk][manager.pk])]
    assert timezone.localdate().strftime("%d.%m.%Y") in message and "Три месяца без сделки" in message
    return [message]


def owner_of(client):
    return Client.objects.values_list("owner_id", flat=True).get(pk=client.pk)


def test_the_service_restarts_the_clock_records_the_change_and_who_lost_it(lost_client, manager, other_manager):
    lost_client.refresh_from_db()
    assert (lost_client.owner, lost_client.owned_since) == (other_manager, TAKEN_ON)
    change = OwnershipChange.objects.filter(client=lost_client).latest("at")
    assert (change.from_owner, change.to_owner, change.reason) == (manager, other_manager, "Три месяца без сделки")
    assert change.cause == OwnershipChange.Cause.RULE
    assert set(lost_by([lost_client.pk])[lost_client.pk]) == {manager.pk}


def test_a_client_the_head_simply_moved_may_come_back_to_its_manager(head, manager, other_manager):
    client = ClientFactory(owner=manager, owned_since=date(2025, 9, 1))
    client_reassign(client=client, to_owner=other_manager, by=head, reason="Отпуск", today=TAKEN_ON)
    assert lost_by([client.pk]) == {}
    client_reassign(client=client, to_owner=manager, by=head, reason="Вернулся из отпуска", today=RULE_DAY)
    assert owner_of(client) == manager.pk


def test_the_service_refuses_the_manager_who_lost_the_client(lost_client, head, manager):
    with pytest.raises(ValidationError) as error:
        client_owners_set(clients=[lost_client], to_owner=manager, by=head, reason="Назад")
    assert error.value.message_dict["owner"] == lost_refusal(lost_client, manager)
    assert owner_of(lost_client) != manager.pk


def test_the_queue_refuses_the_manager_who_lost_the_client(lost_client, head, manager, other_manager):
    reassignment_flags_refresh(RULE_DAY)
    flag = Reassignment.objects.get(client=lost_client, owner=other_manager)
    with pytest.raises(ValidationError) as error:
        reassignment_reassign(reassignment=flag, to_owner=manager, by=head, reason="Назад", today=RULE_DAY)
    assert error.value.message_dict["owner"] == lost_refusal(lost_client, manager)
    assert owner_of(lost_client) == other_manager.pk


def test_the_api_refuses_the_manager_who_lost_the_client(lost_client, head, manager, other_manager):
    response = api_as(head).post(
        f"/api/v1/clients/{lost_client.pk}/reassign/", {"owner": manager.pk, "reason": "Назад"}, format="json"
    )
    assert response.status_code == 400
    assert field_errors(response)["owner"] == lost_refusal(lost_client, manager)
    assert owner_of(lost_client) == other_manager.pk


def test_the_admin_refuses_the_manager_who_lost_the_client(client, admin_user, lost_client, manager, other_manager):
    client.force_login(admin_user)
    url = reverse("admin:crm_client_change", args=[lost_client.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(owner=manager.pk, owner_change_reason="Назад")
    for prefix in ("contacts", "ownership_changes"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["owner"] == lost_refusal(lost_client, manager)
    assert owner_of(lost_client) == other_manager.pk


def test_a_claim_refuses_the_manager_who_lost_the_client(lost_client, head, manager):
    client_owners_set(clients=[lost_client], to_owner=None, by=head, reason="Освобождён")
    plist = prospect_list_create(by=manager, name="Назад")
    entry = prospect_entry_add(prospect_list=plist, by=manager, data={"name": "ООО Ушедший", "inn": lost_client.inn})
    assert entry.check_result == "free"
    with pytest.raises(ValidationError) as error:
        prospect_claim(entry=entry, by=manager)
    assert error.value.message_dict["owner"] == lost_refusal(lost_client, manager)
    assert owner_of(lost_client) is None


def test_an_import_never_hands_a_lost_client_back(lost_client, head, manager, other_manager):
    content = f"Наименование;ИНН;КПП;Менеджер\nООО Ушедший;{lost_client.inn};{lost_client.kpp};{manager.username}\n"
    job = import_validate(by=head, kind="clients", uploaded_file=SimpleUploadedFile("c.csv", content.encode()))
    job = import_run(job=job, by=head)
    assert (job.created_count, job.skipped_count) == (0, 1)
    assert owner_of(lost_client) == other_manager.pk
    assert not OwnershipChange.objects.filter(client=lost_client, to_owner=manager).exclude(from_owner=None).exists()


def test_an_import_gives_new_clients_to_their_manager_through_the_service(head, manager):
    inn = make_inn(77)
    content = f"Наименование;ИНН;Менеджер\nООО Новая;{inn};{manager.username}\n"
    job = import_validate(by=head, kind="clients", uploaded_file=SimpleUploadedFile("c.csv", content.encode()))
    import_run(job=job, by=head, today=date(2026, 3, 2))
    client = Client.objects.get(inn=inn)
    assert (client.owner, client.owned_since) == (manager, date(2026, 3, 2))
    change = OwnershipChange.objects.get(client=client)
    assert (change.from_owner, change.to_owner) == (None, manager)


def test_no_product_code_writes_a_clients_owner_outside_the_ownership_service():
    """A static guard: no assignment to a client's owner, no `.update(owner...)` on clients, no `Client(owner=...)`."""
    root = Path(__file__).resolve().parents[2]
    owner_fields = {"owner", "owner_id", "owned_since"}
    offenders = []
    for app in ("crm", "planning", "vip", "analytics", "salesdept", "core"):
        for path in (root / app).rglob("*.py"):
            rel = path.relative_to(root).as_posix()
            if "/migrations/" in rel or "/demo/" in rel or rel == "crm/services/ownership.py":
                continue
            source = path.read_text()
            for node in ast.walk(ast.parse(source)):
                if isinstance(node, ast.Assign):
                    for target in node.targets:
                        for leaf in target.elts if isinstance(target, ast.Tuple) else [target]:
                            if isinstance(leaf, ast.Attribute) and leaf.attr in owner_fields:
                                base = ast.get_source_segment(source, leaf.value) or ""
                                if "client" in base.lower() or base in ("c", "obj"):
                                    offenders.append(f"{rel}:{node.lineno}")
                elif isinstance(node, ast.Call) and {k.arg for k in node.keywords} & owner_fields:
                    called = ast.get_source_segment(source, node.func) or ""
                    if called == "Client" or (called.endswith(".update") and "Client" in called):
                        offenders.append(f"{rel}:{node.lineno}")
    assert offenders == []


# --- a reassigned client takes its work along (DOMAIN.md section 3) ---------------------------------------------


def test_a_reassigned_client_takes_its_open_deals_and_planned_work_along(head, manager, other_manager):
    from datetime import timedelta

    from django.utils import timezone

    from crm.models import Activity, ChangeLog, Deal
    from crm.rules.stages import Stage
    from tests.crm.factories import ActivityFactory, DealFactory

    client = ClientFactory(owner=manager, owned_since=date(2025, 9, 1))
    open_deal = DealFactory(client=client, owner=manager, stage=Stage.PROPOSAL)
    won_deal = DealFactory(client=client, owner=manager, stage=Stage.CLOSING)
    task = ActivityFactory(
        client=client, owner=manager, kind="task", done_at=None, due_at=timezone.now() + timedelta(days=1)
    )
    past_call = ActivityFactory(client=client, owner=manager, done_at=timezone.now() - timedelta(days=3))

    client_reassign(client=client, to_owner=other_manager, by=head, reason="Три месяца без сделки", today=TAKEN_ON)

    owners = dict(Deal.objects.filter(client=client).values_list("pk", "owner_id"))
    assert owners == {open_deal.pk: other_manager.pk, won_deal.pk: manager.pk}
    assert Activity.objects.get(pk=task.pk).owner == other_manager
    assert Activity.objects.get(pk=past_call.pk).owner == manager
    history = ChangeLog.objects.get(object_id=open_deal.pk, content_type__model="deal")
    assert (history.by, history.changes) == (head, {"owner_id": [manager.pk, other_manager.pk]})
    # The old owner loses the open work at once; the new owner reads the client's closed deals and past calls too.
    assert set(Deal.objects.visible_to(manager).filter(client=client)) == {won_deal}
    assert set(Deal.objects.visible_to(other_manager).filter(client=client)) == {open_deal, won_deal}
    assert not Activity.objects.visible_to(manager).filter(pk=task.pk).exists()
    assert set(Activity.objects.visible_to(other_manager).filter(client=client)) == {
        Activity.objects.get(pk=task.pk),
        Activity.objects.get(pk=past_call.pk),
    }
