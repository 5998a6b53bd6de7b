"""After quality: a proposal opens a crm deal walked to `proposal`; a referral becomes a checked prospect."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from crm.models import ChangeLog, ProspectEntry
from crm.rules.stages import Stage
from tests.crm.factories import ClientFactory, ContactFactory, ProductFactory, SegmentFactory
from vip.models import ProgrammeClient, Referral
from vip.services.after import REFERRAL_LIST_NAME, offer_create, referral_add
from vip.services.questionnaires import questionnaire_create

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 6, 11, 9, 0, tzinfo=UTC)


@pytest.fixture
def full_card(vip_client):
    vip_client.segment = SegmentFactory()
    vip_client.save()
    ContactFactory(client=vip_client)
    return vip_client


def test_offer_opens_deal_at_proposal_for_the_employee_owner(questionnaire, manager, full_card):
    product = ProductFactory()
    offer = offer_create(
        questionnaire=questionnaire,
        by=manager,
        data={"kind": "new_product", "text": "Доставка на объект", "product": product.pk, "amount": "150000"},
        now=NOW,
    )
    deal = offer.deal
    assert deal.stage == Stage.PROPOSAL
    assert deal.owner == manager and deal.client == full_card
    assert deal.amount == Decimal("150000.00")
    assert deal.needs == "Доставка на объект"
    assert deal.plan_month.isoformat() == "2026-06-01"
    assert offer.product == product and offer.questionnaire == questionnaire
    assert ChangeLog.objects.filter(object_id=str(offer.pk), action=ChangeLog.Action.CREATE).exists()


def test_offer_stops_at_the_gate_the_card_does_not_pass(questionnaire, manager, vip_client):
    # No segment: crm's gate "understanding the market" keeps the deal there; nothing is bent.
    offer = offer_create(questionnaire=questionnaire, by=manager, data={"kind": "volume", "text": "Щебень +20 %"})
    assert offer.deal.stage == Stage.MARKET
    assert "segment" in offer.stopped_by


def test_offer_of_a_colleague_given_the_client_goes_to_the_owner(manager, vip_head, template, full_card, teammate):
    ProgrammeClient.objects.filter(client=full_card).update(assigned_to=teammate)
    questionnaire = questionnaire_create(client=full_card, by=teammate, meeting_date=NOW.date())
    offer = offer_create(questionnaire=questionnaire, by=teammate, data={"kind": "volume", "text": "Бетон"}, now=NOW)
    assert offer.deal.owner == manager  # the client's owner keeps the client in sales
    assert offer.created_by == teammate
    assert offer.deal.stage == Stage.PROPOSAL


def test_vip_head_makes_the_proposal_in_the_owners_name(questionnaire, vip_head, manager, full_card):
    offer = offer_create(questionnaire=questionnaire, by=vip_head, data={"kind": "volume", "text": "Песок"}, now=NOW)
    assert offer.deal.owner == manager and offer.created_by == vip_head


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"kind": "bogus", "text": "x"}, "kind"),
        ({"kind": "volume", "text": "  "}, "text"),
        ({"kind": "volume", "text": "x", "amount": "abc"}, "amount"),
        ({"kind": "volume", "text": "x", "amount": "-5"}, "amount"),
        ({"kind": "volume", "text": "x", "product": "999999"}, "product"),
        ({"kind": "volume", "text": "x" * 256}, "text"),
    ],
)
def test_offer_bad_input_is_a_field_error(questionnaire, manager, data, field):
    with pytest.raises(ValidationError) as exc:
        offer_create(questionnaire=questionnaire, by=manager, data=data)
    assert field in exc.value.message_dict


def test_offer_refused_to_someone_not_filling(questionnaire, team_lead):
    with pytest.raises(PermissionDenied):
        offer_create(questionnaire=questionnaire, by=team_lead, data={"kind": "volume", "text": "x"})


def test_referral_free_becomes_a_prospect_of_the_employee(questionnaire, manager):
    referral = referral_add(
        questionnaire=questionnaire,
        by=manager,
        data={"name": "ООО Новые Горизонты", "inn": "", "phone": "8 (495) 111-22-33", "contact": "Иван, снабжение"},
    )
    assert referral.status == Referral.Status.PROSPECT
    assert referral.assigned_to == manager and referral.referrer == questionnaire.client
    entry = referral.entry
    assert entry.prospect_list.owner == manager and entry.prospect_list.name == REFERRAL_LIST_NAME
    assert entry.check_result == ProspectEntry.Check.FREE
    assert entry.source == "warm" and entry.source_detail == "referral"
    assert entry.phone == "+74951112233"
    # A second referral lands on the same list.
    second = referral_add(questionnaire=questionnaire, by=manager, data={"name": "АО Второй"})
    assert second.entry.prospect_list_id == entry.prospect_list_id


def test_referral_already_in_the_base_is_found_by_inn(questionnaire, manager, other_manager):
    known = ClientFactory(owner=other_manager)
    referral = referral_add(questionnaire=questionnaire, by=manager, data={"name": "Другое имя", "inn": known.inn})
    assert referral.status == Referral.Status.IN_BASE
    assert referral.entry.check_result == ProspectEntry.Check.TAKEN
    assert referral.entry.client == known


def test_referral_repeated_on_the_list_is_a_duplicate(questionnaire, manager):
    referral_add(questionnaire=questionnaire, by=manager, data={"name": "ООО Дубль"})
    again = referral_add(questionnaire=questionnaire, by=manager, data={"name": "ООО Дубль"})
    assert again.status == Referral.Status.DUPLICATE


def test_vip_head_gives_the_referral_to_another_seller(questionnaire, vip_head, other_manager):
    referral = referral_add(
        questionnaire=questionnaire, by=vip_head, data={"name": "ООО Третий"}, assigned_to=other_manager
    )
    assert referral.assigned_to == other_manager
    assert referral.entry.prospect_list.owner == other_manager


def test_only_the_vip_head_gives_a_referral_away(questionnaire, manager, other_manager):
    with pytest.raises(ValidationError) as exc:
        referral_add(questionnaire=questionnaire, by=manager, data={"name": "ООО"}, assigned_to=other_manager)
    assert "assigned_to" in exc.value.message_dict


def test_referral_to_a_non_seller_is_refused(questionnaire, vip_head, service_owner):
    with pytest.raises(ValidationError) as exc:
        referral_add(questionnaire=questionnaire, by=vip_head, data={"name": "ООО"}, assigned_to=service_owner)
    assert "assigned_to" in exc.value.message_dict


@pytest.mark.parametrize(
    ("data", "field"),
    [({"name": ""}, "name"), ({"name": "ООО", "inn": "123"}, "inn"), ({"name": "ООО", "phone": "abc"}, "phone")],
)
def test_referral_bad_input_is_a_field_error(questionnaire, manager, data, field):
    with pytest.raises(ValidationError) as exc:
        referral_add(questionnaire=questionnaire, by=manager, data=data)
    assert field in exc.value.message_dict
    assert not Referral.objects.exists()


def test_referral_of_a_vip_head_meeting_goes_to_the_owner(vip_head, manager, template, vip_client):
    questionnaire = questionnaire_create(client=vip_client, by=vip_head, meeting_date=NOW.date())
    referral = referral_add(questionnaire=questionnaire, by=vip_head, data={"name": "ООО Четвёртый"})
    assert referral.assigned_to == manager
