"""After quality on the pages: proposals and referrals on the questionnaire page, the referrer's client card."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from crm.models import Deal
from tests.crm.factories import ContactFactory, SegmentFactory
from vip.models import QuestionnaireOffer, Referral
from vip.services.after import offer_create, referral_add

pytestmark = pytest.mark.django_db


def offers_url(q):
    return reverse("vip_offer_create", args=[q.pk])


def referrals_url(q):
    return reverse("vip_referral_create", args=[q.pk])


def detail_url(q):
    return reverse("vip_questionnaire_detail", args=[q.pk])


def test_the_employee_makes_a_proposal_and_sees_it_with_a_link(client, questionnaire, manager, vip_client):
    vip_client.segment = SegmentFactory()
    vip_client.save()
    ContactFactory(client=vip_client)
    client.force_login(manager)
    response = client.post(offers_url(questionnaire), {"kind": "volume", "text": "Щебень +20 %", "amount": "5000"})
    assert response.status_code == 302
    offer = QuestionnaireOffer.objects.get()
    assert offer.deal.stage == "proposal"
    page = client.get(detail_url(questionnaire)).content.decode()
    assert reverse("deal_detail", args=[offer.deal_id]) in page
    assert "Щебень +20 %" in page


def test_a_proposal_stopped_by_a_gate_says_what_the_card_lacks(client, questionnaire, manager):
    client.force_login(manager)
    response = client.post(offers_url(questionnaire), {"kind": "volume", "text": "Бетон"}, follow=True)
    assert "Set the client" in response.content.decode()
    assert Deal.objects.get().stage == "market"


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "x", "text": "a"},
        {"kind": "volume", "text": ""},
        {"kind": "volume", "text": "a", "amount": "много"},
        {"kind": "volume", "text": "a", "amount": "-1"},
        {"kind": "volume", "text": "a", "product": "abc"},
        {"kind": "volume", "text": "a", "amount": "1e400"},
    ],
)
def test_bad_proposal_input_is_400_with_the_field_message(client, questionnaire, manager, data):
    client.force_login(manager)
    response = client.post(offers_url(questionnaire), data)
    assert response.status_code == 400
    assert "invalid-feedback" in response.content.decode()
    assert not Deal.objects.exists()


@pytest.mark.parametrize(
    "data", [{"name": ""}, {"name": "ООО", "inn": "12"}, {"name": "ООО", "phone": "нет"}, {"name": "x" * 300}]
)
def test_bad_referral_input_is_400_with_the_field_message(client, questionnaire, manager, data):
    client.force_login(manager)
    response = client.post(referrals_url(questionnaire), data)
    assert response.status_code == 400
    assert "invalid-feedback" in response.content.decode()
    assert not Referral.objects.exists()


def test_referral_from_the_page_and_on_the_referrers_card(client, questionnaire, manager, vip_client):
    client.force_login(manager)
    response = client.post(referrals_url(questionnaire), {"name": "ООО Новый друг", "phone": "+7 495 000-11-22"})
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.referrer == vip_client and referral.assigned_to == manager
    page = client.get(detail_url(questionnaire)).content.decode()
    assert "ООО Новый друг" in page
    card = client.get(reverse("client_detail", args=[vip_client.pk])).content.decode()
    assert 'data-testid="vip-client-referrals"' in card and "ООО Новый друг" in card


def test_the_client_card_has_no_panel_without_referrals(client, vip_client, manager):
    client.force_login(manager)
    card = client.get(reverse("client_detail", args=[vip_client.pk])).content.decode()
    assert 'data-testid="vip-client-referrals"' not in card


def test_only_the_vip_head_sees_the_give_to_field(client, questionnaire, manager, vip_head, other_manager):
    client.force_login(manager)
    assert 'name="assigned_to"' not in client.get(detail_url(questionnaire)).content.decode()
    client.force_login(vip_head)
    assert 'name="assigned_to"' in client.get(detail_url(questionnaire)).content.decode()
    response = client.post(referrals_url(questionnaire), {"name": "ООО Пятый", "assigned_to": other_manager.pk})
    assert response.status_code == 302
    assert Referral.objects.get().assigned_to == other_manager


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("other_manager", 404),
        ("service_owner", 403),
        ("base_manager", 403),
        ("teammate", 404),
        ("team_lead", 403),  # sees his team's questionnaire, but only the employee or the VIP head fills it
    ],
)
def test_others_cannot_make_proposals_or_referrals(request, client, questionnaire, who, status):
    client.force_login(request.getfixturevalue(who))
    assert client.post(offers_url(questionnaire), {"kind": "volume", "text": "x"}).status_code == status
    assert client.post(referrals_url(questionnaire), {"name": "ООО"}).status_code == status
    assert not Deal.objects.exists() and not Referral.objects.exists()


@pytest.mark.parametrize(
    ("who", "sees"),
    [("manager", True), ("team_lead", True), ("vip_head", True), ("head", True), ("other_manager", False)],
)
def test_who_sees_the_referral_panel(request, client, questionnaire, manager, vip_client, who, sees):
    referral_add(questionnaire=questionnaire, by=manager, data={"name": "ООО Видимый"})
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("client_detail", args=[vip_client.pk]))
    if response.status_code == 404:
        assert not sees
        return
    assert ("ООО Видимый" in response.content.decode()) is sees


def test_queries_are_constant_in_offers_and_referrals(client, questionnaire, manager, vip_client):
    def make(n):
        for i in range(n):
            offer_create(questionnaire=questionnaire, by=manager, data={"kind": "volume", "text": f"Позиция {i}"})
            referral_add(questionnaire=questionnaire, by=manager, data={"name": f"ООО Друг {i}"})

    client.force_login(manager)
    make(1)
    with CaptureQueriesContext(connection) as one:
        assert client.get(detail_url(questionnaire)).status_code == 200
    with CaptureQueriesContext(connection) as card_one:
        assert client.get(reverse("client_detail", args=[vip_client.pk])).status_code == 200
    make(5)
    with CaptureQueriesContext(connection) as many:
        assert client.get(detail_url(questionnaire)).status_code == 200
    with CaptureQueriesContext(connection) as card_many:
        assert client.get(reverse("client_detail", args=[vip_client.pk])).status_code == 200
    assert len(many) == len(one)
    assert len(card_many) == len(card_one)


def test_the_meeting_date_is_the_plan_month(questionnaire, manager):
    offer = offer_create(questionnaire=questionnaire, by=manager, data={"kind": "volume", "text": "x"})
    assert offer.deal.plan_month == date(2026, 6, 1)


def test_the_answers_of_the_meeting_are_items_to_propose(client, questionnaire, manager):
    from tests.vip.conftest import question
    from vip.services.questionnaires import questionnaire_answer

    grow = question(questionnaire, "Where could the current volumes grow")
    new = question(questionnaire, "Which of our new products")
    questionnaire_answer(questionnaire=questionnaire, question=grow, raw="Щебень\n\nПесок", by=manager)
    questionnaire_answer(questionnaire=questionnaire, question=new, raw="Доставка", by=manager)
    client.force_login(manager)
    page = client.get(detail_url(questionnaire)).content.decode()
    assert page.count('data-testid="vip-offer-item"') == 3
    response = client.post(offers_url(questionnaire), {"kind": "volume", "text": "Песок"})
    assert response.status_code == 302
    page = client.get(detail_url(questionnaire)).content.decode()
    assert page.count('data-testid="vip-offer-item"') == 2  # "Песок" is proposed now
    assert QuestionnaireOffer.objects.get().kind == "volume"


def test_the_deal_link_shows_only_to_who_may_see_the_deal(client, questionnaire, manager, vip_head):
    offer = offer_create(questionnaire=questionnaire, by=manager, data={"kind": "volume", "text": "Гравий"})
    link = reverse("deal_detail", args=[offer.deal_id])
    client.force_login(manager)
    assert link in client.get(detail_url(questionnaire)).content.decode()
    client.force_login(vip_head)  # crm does not show deals to the VIP head
    page = client.get(detail_url(questionnaire)).content.decode()
    assert "Гравий" in page and link not in page


@pytest.mark.russian
def test_the_after_quality_card_reads_russian(client, questionnaire, manager):
    referral_add(questionnaire=questionnaire, by=manager, data={"name": "ООО Русский"})
    client.force_login(manager)
    page = client.get(detail_url(questionnaire)).content.decode()
    assert "Предложения и рекомендации по итогам встречи" in page
    assert "Новый потенциальный клиент" in page
    assert "Открыть сделку на этапе КП" in page
