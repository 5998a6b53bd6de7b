"""`/api/v1/vip/` programme, campaigns, templates, offers and referrals: the pages' visibility, bad input as 400."""

from datetime import date

import pytest

from tests.api_errors import field_errors
from tests.conftest import api_as
from tests.crm.factories import ClientFactory, ContactFactory, SegmentFactory
from vip.models import Campaign, ProgrammeClient, QuestionnaireOffer, Referral, StaffAssignment
from vip.services.after import offer_create, referral_add
from vip.services.questionnaires import questionnaire_create

pytestmark = pytest.mark.django_db

BASE = "/api/v1/vip/"


@pytest.fixture
def stranger(template, other_manager):
    client = ClientFactory(owner=other_manager)
    ProgrammeClient.objects.create(client=client, assigned_to=other_manager)
    return questionnaire_create(client=client, by=other_manager, meeting_date=date(2026, 6, 2))


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize(
    ("who", "sees_mine", "sees_other"),
    [
        ("vip_head", True, True),
        ("head", True, True),
        ("manager", True, False),
        ("team_lead", True, False),
        ("other_manager", False, True),
        ("service_owner", False, False),
        ("base_manager", False, False),
    ],
)
def test_visibility_of_programme_offers_and_referrals(
    request, questionnaire, stranger, manager, other_manager, who, sees_mine, sees_other
):
    mine_offer = offer_create(questionnaire=questionnaire, by=manager, data={"kind": "volume", "text": "a"})
    other_offer = offer_create(questionnaire=stranger, by=other_manager, data={"kind": "volume", "text": "b"})
    mine_ref = referral_add(questionnaire=questionnaire, by=manager, data={"name": "ООО Один"})
    other_ref = referral_add(questionnaire=stranger, by=other_manager, data={"name": "ООО Два"})
    api = api_as(request.getfixturevalue(who))
    mine_entry = ProgrammeClient.objects.get(client=questionnaire.client)
    other_entry = ProgrammeClient.objects.get(client=stranger.client)
    for url, mine, other in (
        ("programme/", mine_entry.pk, other_entry.pk),
        ("offers/", mine_offer.pk, other_offer.pk),
        ("referrals/", mine_ref.pk, other_ref.pk),
    ):
        seen = ids(api.get(BASE + url))
        assert (mine in seen) is sees_mine, url
        assert (other in seen) is sees_other, url
        assert api.get(f"{BASE}{url}{other}/").status_code == (200 if sees_other else 404)


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("vip_head", 200),
        ("head", 200),
        ("manager", 200),
        ("team_lead", 200),
        ("service_owner", 403),
        ("base_manager", 403),
    ],
)
def test_templates_for_everyone_who_sees_questionnaires(request, template, who, status):
    api = api_as(request.getfixturevalue(who))
    response = api.get(BASE + "templates/")
    assert response.status_code == status
    if status == 200:
        assert ids(response) == {template.pk}
        detail = api.get(f"{BASE}templates/{template.pk}/").json()
        assert len(detail["questions"]) == template.questions.count() > 0


def test_the_vip_head_adds_and_removes_programme_clients(vip_head, manager):
    api = api_as(vip_head)
    client = ClientFactory(owner=manager)
    response = api.post(BASE + "programme/", {"client": client.pk, "tier": "quarterly"}, format="json")
    assert response.status_code == 201, response.content
    entry_id = response.json()["id"]
    assert response.json()["assigned_to"] == manager.pk
    again = api.post(BASE + "programme/", {"client": client.pk}, format="json")
    assert again.status_code == 400 and "client" in field_errors(again)
    assert api.delete(f"{BASE}programme/{entry_id}/").status_code == 204
    assert not ProgrammeClient.objects.filter(pk=entry_id).exists()


@pytest.mark.parametrize("who", ["manager", "team_lead", "service_owner", "base_manager"])
def test_others_cannot_change_the_programme(request, vip_client, who):
    api = api_as(request.getfixturevalue(who))
    other = ClientFactory(owner=request.getfixturevalue("manager"))
    assert api.post(BASE + "programme/", {"client": other.pk}, format="json").status_code in (400, 403)
    entry = ProgrammeClient.objects.get(client=vip_client)
    assert api.delete(f"{BASE}programme/{entry.pk}/").status_code in (403, 404)
    assert ProgrammeClient.objects.filter(pk=entry.pk).exists()
    assert not ProgrammeClient.objects.filter(client=other).exists()


@pytest.mark.parametrize(
    "data",
    [{}, {"client": "x"}, {"client": 0}, {"client": 2**64}, {"client": 1, "tier": "weekly"}, {"client": 999999}],
)
def test_bad_programme_input_is_400(vip_head, data):
    response = api_as(vip_head).post(BASE + "programme/", data, format="json")
    assert response.status_code == 400
    assert response.json()


def test_campaigns_create_list_and_assign(vip_head, manager, base_manager):
    api = api_as(vip_head)
    response = api.post(BASE + "campaigns/", {"name": "Осень", "start": "2026-09-01", "weeks": 13}, format="json")
    assert response.status_code == 201, response.content
    campaign_id = response.json()["id"]
    assign = api.post(
        f"{BASE}campaigns/{campaign_id}/assignments/", {"user": manager.pk, "load": "dedicated"}, format="json"
    )
    assert assign.status_code == 200 and assign.json()["load"] == "dedicated"
    bad_user = api.post(
        f"{BASE}campaigns/{campaign_id}/assignments/", {"user": base_manager.pk, "load": "dedicated"}, format="json"
    )
    assert bad_user.status_code == 400 and "user" in field_errors(bad_user)
    bad_load = api.post(f"{BASE}campaigns/{campaign_id}/assignments/", {"user": manager.pk, "load": "x"}, format="json")
    assert bad_load.status_code == 400 and "load" in field_errors(bad_load)
    detail = api.get(f"{BASE}campaigns/{campaign_id}/").json()
    assert [a["user"] for a in detail["assignments"]] == [manager.pk]


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"name": "", "start": "2026-09-01", "weeks": 13},
        {"name": "X", "start": "сентябрь", "weeks": 13},
        {"name": "X", "start": "2026-09-01", "weeks": 0},
        {"name": "X", "start": "2026-09-01", "weeks": 100},
    ],
)
def test_bad_campaign_input_is_400(vip_head, data):
    assert api_as(vip_head).post(BASE + "campaigns/", data, format="json").status_code == 400


def test_campaigns_staff_see_theirs_others_cannot_plan(campaign, manager, other_manager, team_lead):
    other = Campaign.objects.create(name="Зима", start=date(2026, 12, 1), weeks=8)
    StaffAssignment.objects.create(campaign=other, user=other_manager, load=StaffAssignment.Load.PART_TIME)
    api = api_as(manager)
    assert ids(api.get(BASE + "campaigns/")) == {campaign.pk}
    assert api.get(f"{BASE}campaigns/{other.pk}/").status_code == 404
    data = {"name": "Моя", "start": "2026-09-01", "weeks": 4}
    assert api.post(BASE + "campaigns/", data, format="json").status_code == 403
    assign = {"user": manager.pk, "load": "dedicated"}
    assert api.post(f"{BASE}campaigns/{campaign.pk}/assignments/", assign, format="json").status_code == 403
    assert ids(api_as(team_lead).get(BASE + "campaigns/")) == set()


def test_offer_and_referral_through_the_api(questionnaire, manager, vip_client, other_manager, stranger):
    vip_client.segment = SegmentFactory()
    vip_client.save()
    ContactFactory(client=vip_client)
    api = api_as(manager)
    offer = api.post(
        BASE + "offers/",
        {"questionnaire": questionnaire.pk, "kind": "new_product", "text": "Аренда техники", "amount": "1000.50"},
        format="json",
    )
    assert offer.status_code == 201, offer.content
    assert offer.json()["deal_stage"] == "proposal" and offer.json()["deal_owner"] == manager.pk
    referral = api.post(BASE + "referrals/", {"questionnaire": questionnaire.pk, "name": "ООО Сосед"}, format="json")
    assert referral.status_code == 201, referral.content
    assert referral.json()["referrer"] == vip_client.pk and referral.json()["status"] == "prospect"
    assert ids(api.get(BASE + "referrals/", {"client": vip_client.pk})) == {referral.json()["id"]}
    assert ids(api.get(BASE + "referrals/", {"client": stranger.client.pk})) == set()
    assert ids(api.get(BASE + "offers/", {"questionnaire": questionnaire.pk})) == {offer.json()["id"]}
    # Another's questionnaire is "no such questionnaire", and nothing is made.
    for url, data in (("offers/", {"kind": "volume", "text": "x"}), ("referrals/", {"name": "ООО"})):
        response = api.post(BASE + url, {"questionnaire": stranger.pk, **data}, format="json")
        assert response.status_code == 400 and "questionnaire" in field_errors(response)
    assert QuestionnaireOffer.objects.count() == 1 and Referral.objects.count() == 1


@pytest.mark.parametrize(
    ("url", "data", "field"),
    [
        ("offers/", {"kind": "x", "text": "a"}, "kind"),
        ("offers/", {"kind": "volume", "text": ""}, "text"),
        ("offers/", {"kind": "volume", "text": "a", "amount": "-1"}, "amount"),
        ("offers/", {"kind": "volume", "text": "a", "amount": "abc"}, "amount"),
        ("offers/", {"kind": "volume", "text": "a", "product": 999999}, "product"),
        ("referrals/", {"name": ""}, "name"),
        ("referrals/", {"name": "ООО", "inn": "123"}, "inn"),
        ("referrals/", {"name": "ООО", "phone": "нет"}, "phone"),
        ("referrals/", {"name": "ООО", "assigned_to": 999999}, "assigned_to"),
    ],
)
def test_bad_offer_and_referral_input_is_400(questionnaire, manager, url, data, field):
    response = api_as(manager).post(BASE + url, {"questionnaire": questionnaire.pk, **data}, format="json")
    assert response.status_code == 400
    assert field in field_errors(response)


@pytest.mark.parametrize("param", ["x", "-1", "1.5", str(2**64)])
def test_bad_filters_are_400(manager, param):
    api = api_as(manager)
    assert api.get(BASE + "offers/", {"questionnaire": param}).status_code == 400
    assert api.get(BASE + "referrals/", {"client": param}).status_code == 400


def test_queries_are_constant_in_rows(questionnaire, manager, vip_head, campaign):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def make(n):
        for i in range(n):
            offer_create(questionnaire=questionnaire, by=manager, data={"kind": "volume", "text": f"п{i}"})
            referral_add(questionnaire=questionnaire, by=manager, data={"name": f"ООО {i}"})
            c = ClientFactory(owner=manager)
            ProgrammeClient.objects.create(client=c, assigned_to=manager)
            camp = Campaign.objects.create(name=f"К{i}", start=date(2026, 1, 1), weeks=4)
            StaffAssignment.objects.create(campaign=camp, user=manager, load=StaffAssignment.Load.DEDICATED)

    api = api_as(vip_head)
    urls = [BASE + u for u in ("programme/", "offers/", "referrals/", "campaigns/", "templates/")]
    make(1)
    counts_one = []
    for url in urls:
        with CaptureQueriesContext(connection) as ctx:
            assert api.get(url).status_code == 200
        counts_one.append(len(ctx))
    make(5)
    for url, one in zip(urls, counts_one, strict=True):
        with CaptureQueriesContext(connection) as ctx:
            assert api.get(url).status_code == 200
        assert len(ctx) == one, url
