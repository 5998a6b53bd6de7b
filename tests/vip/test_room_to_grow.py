"""Room to grow per category on the questionnaire page (autosave into crm's ClientCategoryPurchase, our 12-month
sales beside each figure, the share) and the new products suggested from the client's owner's Tool 2."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from core.money import format_rub
from crm.models import ClientCategoryPurchase
from planning.models import FeaturedItem, Tool2Item, Tool2Strike
from tests.crm.factories import CategoryFactory, ClientFactory, ProductFactory, SaleLineFactory
from vip.models import Answer, ProgrammeClient
from vip.services.questionnaires import questionnaire_answer, questionnaire_create
from vip.services.wallet import questionnaire_wallet_record

from .conftest import question

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


def detail_url(q):
    return reverse("vip_questionnaire_detail", args=[q.pk])


def wallet_url(q, category):
    return reverse("vip_wallet_record", args=[q.pk, category.pk])


def rub(amount):
    return format_rub(Decimal(amount), kopecks=False)


@pytest.fixture
def stone_sand(vip_client):
    """The meeting is on 10.06.2026: the window is 01.06.2025 .. 31.05.2026."""
    stone, sand = CategoryFactory(name="Щебень"), CategoryFactory(name="Песок")
    p_stone, p_sand = ProductFactory(category=stone), ProductFactory(category=sand)
    table = [
        (p_stone, date(2025, 5, 31), "500000.00"),  # before the window
        (p_stone, date(2025, 6, 1), "1000000.00"),
        (p_stone, date(2025, 12, 20), "200000.25"),
        (p_stone, date(2026, 5, 31), "34567.25"),
        (p_stone, date(2026, 6, 5), "90000.00"),  # the meeting's month: after the window
        (p_sand, date(2026, 2, 1), "120000.00"),
    ]
    for product, day, amount in table:
        SaleLineFactory(client=vip_client, product=product, date=day, amount=Decimal(amount))
    return stone, sand


def test_lines_are_the_categories_bought_in_12_months_with_our_sales(client, questionnaire, manager, stone_sand):
    stone, sand = stone_sand
    client.force_login(manager)
    page = client.get(detail_url(questionnaire)).content.decode()
    # Stone: 1 000 000 + 200 000,25 + 34 567,25 = 1 234 567,50 -> 1 234 568 ₽ (whole roubles, half up)
    assert f"our sales: {rub('1234568')}" in page
    assert f"our sales: {rub('120000')}" in page
    assert page.index(f'data-category="{stone.pk}"') < page.index(f'data-category="{sand.pk}"')  # largest first
    assert "01.06.2025" in page and "31.05.2026" in page  # the formula names the window


def test_typing_saves_the_figure_and_shows_the_share(client, questionnaire, manager, stone_sand):
    stone, _sand = stone_sand
    client.force_login(manager)
    response = client.post(wallet_url(questionnaire, stone), {"value": "3 600 000"}, **HX)
    assert response.status_code == 200
    body = response.content.decode()
    assert "our share 34 %" in body  # 1 234 567,50 / 3 600 000 = 34,29 %
    assert f"({rub('1234568')} / {rub('3600000')})" in body
    row = ClientCategoryPurchase.objects.get()
    assert (row.client, row.category, row.yearly_amount) == (questionnaire.client, stone, Decimal("3600000.00"))
    assert (row.recorded_on, row.source, row.recorded_by) == (date(2026, 6, 10), "questionnaire", manager)
    # Typing on: the same recording is corrected, no new row.
    client.post(wallet_url(questionnaire, stone), {"value": "4000000"}, **HX)
    assert ClientCategoryPurchase.objects.get().yearly_amount == Decimal("4000000.00")
    page = client.get(detail_url(questionnaire)).content.decode()
    assert 'value="4000000"' in page and "our share 31 %" in page


@pytest.mark.parametrize("raw", ["-1", "много", "1e13", ""])
def test_bad_figure_is_a_field_message_and_keeps_the_other_answers(client, questionnaire, manager, stone_sand, raw):
    stone, sand = stone_sand
    questionnaire_answer(
        questionnaire=questionnaire, question=question(questionnaire, "Where could"), raw="Ещё два офиса", by=manager
    )
    questionnaire_wallet_record(questionnaire=questionnaire, category=sand, raw="500000", by=manager)
    client.force_login(manager)
    response = client.post(wallet_url(questionnaire, stone), {"value": raw}, **HX)
    assert response.status_code == 200
    assert 'data-testid="answer-error"' in response.content.decode()
    assert list(ClientCategoryPurchase.objects.values_list("category", "yearly_amount")) == [
        (sand.pk, Decimal("500000.00"))
    ]
    assert Answer.objects.get(questionnaire=questionnaire).text == "Ещё два офиса"
    # A plain POST redirects back with the message.
    assert client.post(wallet_url(questionnaire, stone), {"value": raw}).status_code == 302


def test_another_catalogue_category_is_added(client, questionnaire, manager, stone_sand):
    cement = CategoryFactory(name="Цемент")
    client.force_login(manager)
    page = client.get(detail_url(questionnaire)).content.decode()
    assert f'<option value="{cement.pk}">Цемент</option>' in page
    response = client.post(
        reverse("vip_wallet_add", args=[questionnaire.pk]), {"category": cement.pk, "value": "250000"}, **HX
    )
    assert response.status_code == 200 and response["HX-Refresh"] == "true"
    page = client.get(detail_url(questionnaire)).content.decode()
    assert f'data-category="{cement.pk}"' in page and f"our sales: {rub('0')}" in page
    bad = client.post(reverse("vip_wallet_add", args=[questionnaire.pk]), {"category": "abc", "value": "1"}, **HX)
    assert bad.status_code == 200 and "HX-Refresh" not in bad and 'data-testid="answer-error"' in bad.content.decode()


@pytest.mark.parametrize(("who", "status"), [("other_manager", 404), ("team_lead", 403), ("service_owner", 403)])
def test_only_the_filler_records(request, client, questionnaire, stone_sand, who, status):
    stone, _ = stone_sand
    client.force_login(request.getfixturevalue(who))
    assert client.post(wallet_url(questionnaire, stone), {"value": "1000"}, **HX).status_code == status
    assert not ClientCategoryPurchase.objects.exists()


def test_the_vip_head_records_and_a_complete_questionnaire_refuses(client, questionnaire, vip_head, stone_sand):
    stone, _ = stone_sand
    client.force_login(vip_head)
    assert "answer-saved" in client.post(wallet_url(questionnaire, stone), {"value": "1000"}, **HX).content.decode()
    questionnaire.status = questionnaire.Status.COMPLETE
    questionnaire.save()
    body = client.post(wallet_url(questionnaire, stone), {"value": "2000"}, **HX).content.decode()
    assert "The questionnaire is complete." in body
    assert ClientCategoryPurchase.objects.get().yearly_amount == Decimal("1000.00")


def test_new_standard_template_no_longer_asks_one_figure(template):
    assert not template.questions.filter(section="growth", kind="number").exists()


def test_an_old_questionnaire_keeps_its_one_figure(client, questionnaire, manager, template):
    old = template.questions.create(
        section="growth", kind="number", text="The client's total purchases of the category a year, ₽", position=99
    )
    questionnaire_answer(questionnaire=questionnaire, question=old, raw="3600000", by=manager)
    client.force_login(manager)
    page = client.get(detail_url(questionnaire)).content.decode()
    assert "The client&#x27;s total purchases of the category a year" in page and 'value="3600000"' in page


def test_page_queries_do_not_grow_with_categories(
    client, questionnaire, manager, vip_client, stone_sand, django_assert_max_num_queries
):
    client.force_login(manager)
    client.get(detail_url(questionnaire))
    with django_assert_max_num_queries(60) as few:
        client.get(detail_url(questionnaire))
    for n in range(8):
        category = CategoryFactory(name=f"Категория роста {n}")
        SaleLineFactory(client=vip_client, product=ProductFactory(category=category), date=date(2026, 3, n + 1))
        questionnaire_wallet_record(questionnaire=questionnaire, category=category, raw=str(1000 * (n + 1)), by=manager)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(detail_url(questionnaire))


# New products from Tool 2


@pytest.fixture
def tool2(manager, other_manager):
    today = timezone.localdate()
    kept = FeaturedItem.objects.create(
        product=ProductFactory(name="Кабель новый"), kind="new", valid_from=today - timedelta(days=30)
    )
    struck = FeaturedItem.objects.create(
        product=ProductFactory(name="Роутер по акции"), kind="promotion", valid_from=today - timedelta(days=30)
    )
    FeaturedItem.objects.create(  # no longer valid
        product=ProductFactory(name="Старая акция"),
        kind="promotion",
        valid_from=today - timedelta(days=60),
        valid_to=today - timedelta(days=1),
    )
    Tool2Strike.objects.create(manager=manager, item=struck)
    Tool2Strike.objects.create(manager=other_manager, item=kept)  # another's strike changes nothing here
    own = Tool2Item.objects.create(manager=manager, kind="high_motivation", text="Монтаж под ключ")
    Tool2Item.objects.create(manager=other_manager, kind="new", text="Чужая строка")
    return kept, struck, own


def suggestions(page):
    import re

    return re.findall(r'data-testid="vip-tool2-item" data-key="[^"]+"[^>]*>([^<]+)</a>', page)


def test_tool2_suggestions_are_the_owners_minus_his_strikes(client, questionnaire, manager, tool2):
    client.force_login(manager)
    page = client.get(detail_url(questionnaire)).content.decode()
    assert suggestions(page) == ["Кабель новый", "Монтаж под ключ"]


def test_vip_head_sees_the_owners_tool2_not_his_own(client, questionnaire, vip_head, tool2):
    Tool2Item.objects.create(manager=vip_head, kind="new", text="Строка VIP-руководителя")
    client.force_login(vip_head)
    assert suggestions(client.get(detail_url(questionnaire)).content.decode()) == ["Кабель новый", "Монтаж под ключ"]


def test_a_colleagues_questionnaire_suggests_the_owners_tool2(
    client, manager, other_manager, vip_head, template, tool2
):
    """A colleague given the client for the programme proposes from the owner's Tool 2, not his own."""
    other_client = ClientFactory(owner=manager, name="ООО Вторая")
    ProgrammeClient.objects.create(
        client=other_client,
        added_by=vip_head,
        assigned_to=other_manager,
        assign_reason="other",
        assign_note="в отпуске",
    )
    q = questionnaire_create(client=other_client, by=vip_head, employee=other_manager, meeting_date=date(2026, 6, 10))
    client.force_login(other_manager)
    assert suggestions(client.get(detail_url(q)).content.decode()) == ["Кабель новый", "Монтаж под ключ"]


def test_a_suggestion_prefills_the_offer_and_leaves_once_proposed(client, questionnaire, manager, tool2):
    kept, _struck, _own = tool2
    client.force_login(manager)
    page = client.get(detail_url(questionnaire) + f"?tool2=f{kept.pk}").content.decode()
    assert 'name="text" value="Кабель новый"' in page
    assert f'<option value="{kept.product_id}" selected>' in page
    assert 'value="new_product" selected' in page
    response = client.post(
        reverse("vip_offer_create", args=[questionnaire.pk]),
        {"kind": "new_product", "text": "Кабель новый", "product": kept.product_id},
    )
    assert response.status_code == 302
    assert suggestions(client.get(detail_url(questionnaire)).content.decode()) == ["Монтаж под ключ"]


def test_no_suggestions_for_a_reader_or_a_client_without_a_seller(
    client, questionnaire, team_lead, vip_client, tool2, vip_head
):
    client.force_login(team_lead)  # reads his team's questionnaire, does not fill it
    assert suggestions(client.get(detail_url(questionnaire)).content.decode()) == []
    vip_client.owner = None
    vip_client.save()
    client.force_login(vip_head)
    assert suggestions(client.get(detail_url(questionnaire)).content.decode()) == []


def test_a_colleague_records_without_seeing_the_sales(client, manager, other_manager, vip_head, template, stone_sand):
    """A colleague given the client for the programme does not see its sales in crm: he records the figures and sees
    the ones he typed; the owner sees them with the share."""
    stone, _sand = stone_sand
    entry = ProgrammeClient.objects.get()
    entry.assigned_to, entry.assign_reason, entry.assign_note = other_manager, "other", "в отпуске"
    entry.save()
    q = questionnaire_create(client=entry.client, by=vip_head, employee=other_manager, meeting_date=date(2026, 6, 10))
    client.force_login(other_manager)
    page = client.get(detail_url(q)).content.decode()
    assert 'data-testid="vip-growth-no-sales"' in page and "our sales:" not in page
    response = client.post(reverse("vip_wallet_add", args=[q.pk]), {"category": stone.pk, "value": "3600000"}, **HX)
    assert "answer-saved" in response.content.decode() and "our share" not in response.content.decode()
    page = client.get(detail_url(q)).content.decode()
    assert f'data-category="{stone.pk}"' in page and 'value="3600000"' in page
    client.force_login(manager)
    assert "our share 34 %" in client.get(detail_url(q)).content.decode()


@pytest.mark.russian
def test_room_to_grow_reads_russian(client, questionnaire, manager, stone_sand):
    stone, _sand = stone_sand
    CategoryFactory(name="Цемент")
    client.force_login(manager)
    body = client.post(wallet_url(questionnaire, stone), {"value": "3600000"}, **HX).content.decode()
    assert "Сохранено" in body and "наша доля 34 %" in body
    page = client.get(detail_url(questionnaire)).content.decode()
    assert f"наши продажи: {rub('1234568')}" in page
    assert "Наша доля = наши продажи клиенту в категории с 01.06.2025 по 31.05.2026" in page
    assert "Другая категория" in page
