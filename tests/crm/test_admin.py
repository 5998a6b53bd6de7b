"""The back-office admin: every page renders, and edits leave the same history as the services do."""

from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from crm.models import ChangeLog, Client, Deal, DealStageChange, OwnershipChange, Role
from crm.models.validators import normalize_name
from crm.rules.stages import Stage
from crm.services.clients import client_create
from tests.crm.factories import (
    ActivityFactory,
    ClientFactory,
    ContactFactory,
    DealFactory,
    LostReasonFactory,
    SaleLineFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

CRM_MODELS = list(apps.get_app_config("crm").get_models())
HISTORY_MODELS = {
    "changelog",
    "ownershipchange",
    "dealstagechange",
    "dealpayment",
    "importjob",
    "reassignment",
    "stockrequest",
    "clientcategorypurchase",
    # Webhooks are the head's pages' (crm/views/webhooks.py); the admin only shows them and their log.
    "webhook",
    "webhookdelivery",
    # Mobile sync's tombstones are written by the rules (crm/sync.py); the admin only shows them.
    "tombstone",
}


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def superuser_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def some_rows(manager, admin_user):
    crm_client = client_create(by=admin_user, data={"name": "ООО Ромашка", "inn": "7707083893"}, today=date(2026, 1, 1))
    ContactFactory(client=crm_client)
    deal = DealFactory(client=crm_client, owner=manager)
    ActivityFactory(client=crm_client, deal=deal, owner=manager)
    SaleLineFactory(client=crm_client)
    LostReasonFactory()
    return crm_client


def test_every_crm_model_has_an_admin():
    assert [m.__name__ for m in CRM_MODELS if not admin.site.is_registered(m)] == []


@pytest.mark.parametrize("model", CRM_MODELS, ids=lambda m: m.__name__)
def test_changelist_renders_for_a_superuser(superuser_client, some_rows, model):
    response = superuser_client.get(admin_url(model, "changelist"))

    assert response.status_code == 200


@pytest.mark.parametrize("model", CRM_MODELS, ids=lambda m: m.__name__)
def test_add_page_renders_unless_the_model_is_history(superuser_client, model):
    response = superuser_client.get(admin_url(model, "add"))

    assert response.status_code == (403 if model._meta.model_name in HISTORY_MODELS else 200)


def test_client_and_deal_change_pages_render(superuser_client, some_rows):
    deal = Deal.objects.get()

    assert superuser_client.get(admin_url(Client, "change", some_rows.pk)).status_code == 200
    assert superuser_client.get(admin_url(Deal, "change", deal.pk)).status_code == 200


def test_client_changelist_does_not_grow_queries_with_rows(superuser_client, manager, django_assert_max_num_queries):
    ClientFactory.create_batch(3, owner=manager)
    with django_assert_max_num_queries(12) as few:
        superuser_client.get(admin_url(Client, "changelist"))
    ClientFactory.create_batch(30, owner=manager)

    with django_assert_max_num_queries(len(few.captured_queries)):
        assert superuser_client.get(admin_url(Client, "changelist")).status_code == 200


def _client_form(client_obj, **changes):
    data = {
        "name": client_obj.name,
        "inn": client_obj.inn,
        "kpp": client_obj.kpp,
        "status": client_obj.status,
        "category": client_obj.category,
        "phone": client_obj.phone,
        "phone_extra": client_obj.phone_extra,
        "email": client_obj.email,
        "address": client_obj.address,
        "region": client_obj.region,
        "segment": client_obj.segment_id or "",
        "source": client_obj.source,
        "source_detail": client_obj.source_detail,
        "channel": client_obj.channel,
        "owner": client_obj.owner_id or "",
        "owned_since": client_obj.owned_since.isoformat() if client_obj.owned_since else "",
        "owner_change_reason": "",
    }
    for prefix in ("contacts", "ownership_changes"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    data.update(changes)
    return data


def test_changing_a_client_in_the_admin_writes_a_change_log_row(superuser_client, admin_user, manager):
    crm_client = ClientFactory(owner=manager, name="ООО Ромашка", phone="+74951234567")

    response = superuser_client.post(
        admin_url(Client, "change", crm_client.pk),
        _client_form(crm_client, name="ООО Василёк", phone="8 (495) 765-43-21"),
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    crm_client.refresh_from_db()
    assert (crm_client.name, crm_client.normalized_name, crm_client.phone) == (
        "ООО Василёк",
        normalize_name("ООО Василёк"),
        "+74957654321",
    )
    log = ChangeLog.objects.get(object_id=crm_client.pk)
    assert (log.action, log.by) == (ChangeLog.Action.UPDATE, admin_user)
    assert log.changes["name"] == ["ООО Ромашка", "ООО Василёк"]
    assert log.changes["phone"] == ["+74951234567", "+74957654321"]
    assert not OwnershipChange.objects.exists()


def test_saving_a_client_unchanged_writes_no_history(superuser_client, manager):
    crm_client = ClientFactory(owner=manager, name="ООО Ромашка", normalized_name=normalize_name("ООО Ромашка"))

    response = superuser_client.post(admin_url(Client, "change", crm_client.pk), _client_form(crm_client))

    assert response.status_code == 302
    assert not ChangeLog.objects.exists()


def test_changing_the_owner_in_the_admin_writes_an_ownership_change(superuser_client, admin_user, manager, teammate):
    crm_client = ClientFactory(owner=manager, owned_since=date(2025, 1, 1))

    response = superuser_client.post(
        admin_url(Client, "change", crm_client.pk),
        _client_form(crm_client, owner=teammate.pk, owner_change_reason="Три месяца без сделки"),
    )

    assert response.status_code == 302
    crm_client.refresh_from_db()
    assert crm_client.owner == teammate
    assert crm_client.owned_since > date(2025, 1, 1)
    change = OwnershipChange.objects.get(client=crm_client)
    assert (change.from_owner, change.to_owner, change.by, change.reason) == (
        manager,
        teammate,
        admin_user,
        "Три месяца без сделки",
    )
    assert ChangeLog.objects.get(object_id=crm_client.pk).changes["owner_id"] == [manager.pk, teammate.pk]


def test_changing_the_owner_without_a_reason_is_refused(superuser_client, manager, teammate):
    crm_client = ClientFactory(owner=manager)

    response = superuser_client.post(
        admin_url(Client, "change", crm_client.pk), _client_form(crm_client, owner=teammate.pk)
    )

    assert response.status_code == 200
    assert "owner_change_reason" in response.context["adminform"].form.errors
    crm_client.refresh_from_db()
    assert crm_client.owner == manager
    assert not OwnershipChange.objects.exists()


def test_a_client_cannot_be_given_to_someone_who_does_not_sell(superuser_client, manager):
    crm_client = ClientFactory(owner=manager)
    vip = UserFactory(role=Role.VIP_HEAD)

    response = superuser_client.post(
        admin_url(Client, "change", crm_client.pk), _client_form(crm_client, owner=vip.pk, owner_change_reason="x")
    )

    assert "owner" in response.context["adminform"].form.errors
    crm_client.refresh_from_db()
    assert crm_client.owner == manager


def test_adding_a_client_with_an_owner_records_its_first_ownership(superuser_client, manager):
    form = _client_form(ClientFactory.build(owner=manager, segment=None, owned_since=None), inn="7736207543")

    response = superuser_client.post(admin_url(Client, "add"), form)

    assert response.status_code == 302
    crm_client = Client.objects.get(inn="7736207543")
    assert ChangeLog.objects.get(object_id=crm_client.pk).action == ChangeLog.Action.CREATE
    assert OwnershipChange.objects.get(client=crm_client).to_owner == manager


def _deal_form(deal, **changes):
    data = {
        "client": deal.client_id,
        "owner": deal.owner_id,
        "title": deal.title,
        "amount": str(deal.amount),
        "probability": deal.probability,
        "stage": Stage.CLOSING,  # read-only: must be ignored
    }
    for prefix in ("lines", "payments", "stage_changes"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    data.update(changes)
    return data


def test_deal_stage_is_read_only_and_deal_edits_are_logged(superuser_client, admin_user, manager):
    deal = DealFactory(client=ClientFactory(owner=manager), stage=Stage.PROPOSAL, title="Камеры")

    response = superuser_client.post(
        admin_url(Deal, "change", deal.pk), _deal_form(deal, title="Камеры и регистраторы")
    )

    assert response.status_code == 302
    deal.refresh_from_db()
    assert (deal.stage, deal.title) == (Stage.PROPOSAL, "Камеры и регистраторы")
    log = ChangeLog.objects.get(object_id=deal.pk)
    assert (log.by, log.changes) == (admin_user, {"title": ["Камеры", "Камеры и регистраторы"]})
    assert not DealStageChange.objects.exists()


def test_a_deal_added_in_the_admin_starts_at_goal_with_its_first_stage_change(superuser_client, manager):
    template = DealFactory.build(client=ClientFactory(owner=manager), owner=manager, title="Новая")

    response = superuser_client.post(admin_url(Deal, "add"), _deal_form(template))

    assert response.status_code == 302
    deal = Deal.objects.get(title="Новая")
    assert deal.stage == Stage.GOAL
    assert list(deal.stage_changes.values_list("from_stage", "to_stage")) == [("", Stage.GOAL)]
    assert ChangeLog.objects.get(object_id=deal.pk).action == ChangeLog.Action.CREATE


def test_deleting_a_client_in_the_admin_keeps_a_change_log_row(superuser_client, admin_user, manager):
    crm_client = ClientFactory(owner=manager, name="ООО Ошибка")

    response = superuser_client.post(admin_url(Client, "delete", crm_client.pk), {"post": "yes"})

    assert response.status_code == 302
    assert not Client.objects.filter(pk=crm_client.pk).exists()
    log = ChangeLog.objects.get(object_id=crm_client.pk)
    assert (log.action, log.by, log.changes["name"]) == (ChangeLog.Action.DELETE, admin_user, [None, "ООО Ошибка"])


def test_a_deal_with_payments_cannot_be_deleted_in_the_admin(superuser_client, manager):
    deal = DealFactory(client=ClientFactory(owner=manager), stage=Stage.PAYMENT)
    deal.payments.create(paid_on=date(2026, 6, 1), amount=Decimal("1000.00"))

    response = superuser_client.post(admin_url(Deal, "delete", deal.pk), {"post": "yes"})

    assert response.status_code == 403
    assert Deal.objects.filter(pk=deal.pk).exists()
