"""The head's reference lists ("Справочники"): who may open them, add, edit, deactivate, delete, bad input, queries."""

import pytest
from django.urls import reverse
from django.utils import translation

from crm.models import ChangeLog, Deal, LostReason, MarketSegment, ProductCategory, StageProbability
from crm.rules.stages import PIPELINE, Stage
from crm.services.deals import stage_probability
from planning.models import ComplementRule
from tests.crm.factories import (
    CategoryFactory,
    ClientFactory,
    DealFactory,
    LostReasonFactory,
    ProductFactory,
    SegmentFactory,
)


@pytest.fixture(autouse=True)
def english(settings):
    """The pages in English, the source messages (tests/test_translations.py proves the Russian ones)."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def list_urls(pk):
    urls = []
    for prefix in ("lost_reason", "segment", "category"):
        urls += [reverse(f"{prefix}_list"), reverse(f"{prefix}_create"), reverse(f"{prefix}_update", args=[pk])]
    return [*urls, reverse("stage_probabilities"), reverse("complement_map")]


def post_urls(pk):
    return [
        reverse(f"{prefix}_{action}", args=[pk])
        for prefix in ("lost_reason", "segment", "category")
        for action in ("active", "delete")
    ]


def all_probabilities(**overrides):
    data = {code: str(10 + i) for i, code in enumerate(PIPELINE)}
    return {**data, **overrides}


# --- who may open the pages --------------------------------------------------------------------------------


@pytest.mark.parametrize("role_fixture", ["manager", "team_lead", "vip_head", "service_owner", "base_manager"])
def test_the_lists_answer_403_to_everyone_but_the_head(db, client, request, role_fixture):
    reason = LostReasonFactory(name="Дорого")
    client.force_login(request.getfixturevalue(role_fixture))

    for url in list_urls(reason.pk):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"name": "Взлом"}).status_code == 403, url
    for url in post_urls(reason.pk):
        assert client.post(url, {"is_active": "0"}).status_code == 403, url
    assert not LostReason.objects.filter(name="Взлом").exists()
    assert LostReason.objects.get(pk=reason.pk).is_active
    assert "nav-lists" not in client.get(reverse("home")).content.decode()


def test_the_lists_send_an_anonymous_visitor_to_login(db, client):
    for url in list_urls(1):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


@pytest.mark.parametrize("role_fixture", ["head", "admin_user"])
def test_the_head_reaches_every_list_from_the_navigation(client, request, role_fixture):
    client.force_login(request.getfixturevalue(role_fixture))

    html = client.get(reverse("home")).content.decode()

    assert 'data-testid="nav-lists"' in html
    for name in ("lost_reason_list", "segment_list", "stage_probabilities", "category_list", "complement_map"):
        assert f'href="{reverse(name)}"' in html, name
        assert client.get(reverse(name)).status_code == 200, name


# --- loss reasons --------------------------------------------------------------------------------------------


def test_head_adds_edits_deactivates_and_activates_a_loss_reason(client, head):
    client.force_login(head)

    response = client.post(
        reverse("lost_reason_create"), {"name": "  Нет  склада ", "sort_order": "7", "is_active": "on"}
    )
    assert response.status_code == 302
    reason = LostReason.objects.get(name="Нет склада")
    assert (reason.sort_order, reason.is_active) == (7, True)
    assert "Нет склада" in client.get(reverse("lost_reason_list")).content.decode()

    response = client.post(
        reverse("lost_reason_update", args=[reason.pk]), {"name": "Нет на складе", "sort_order": "2", "is_active": "on"}
    )
    assert response.status_code == 302
    reason.refresh_from_db()
    assert (reason.name, reason.sort_order) == ("Нет на складе", 2)

    client.post(reverse("lost_reason_active", args=[reason.pk]), {"is_active": "0"})
    reason.refresh_from_db()
    assert not reason.is_active
    client.post(reverse("lost_reason_active", args=[reason.pk]), {"is_active": "1"})
    reason.refresh_from_db()
    assert reason.is_active
    actions = list(
        ChangeLog.objects.filter(object_id=reason.pk, content_type__model="lostreason").values_list("action", flat=True)
    )
    assert actions.count(ChangeLog.Action.CREATE) == 1 and actions.count(ChangeLog.Action.UPDATE) == 3


def test_a_deactivated_reason_is_not_offered_when_a_deal_is_lost(client, head, manager):
    reason = LostReasonFactory(name="Устарело")
    client.force_login(head)
    client.post(reverse("lost_reason_active", args=[reason.pk]), {"is_active": "0"})
    from crm.forms.pipeline import DealLoseForm

    assert reason not in DealLoseForm().fields["lost_reason"].queryset


def test_a_duplicate_reason_keeps_what_was_typed_with_the_error(client, head):
    LostReasonFactory(name="Цена")
    client.force_login(head)

    response = client.post(reverse("lost_reason_create"), {"name": "цена", "sort_order": "3"})

    assert response.status_code == 400
    html = response.content.decode()
    assert "The list already has" in html and 'value="цена"' in html and 'value="3"' in html
    assert LostReason.objects.filter(name__iexact="цена").count() == 1


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"name": "", "sort_order": "1"},
        {"name": "x" * 300, "sort_order": "1"},
        {"name": "Ок", "sort_order": "-1"},
        {"name": "Ок", "sort_order": "много"},
        {"name": "Ок", "sort_order": "99999999999999999999"},
        {"name": ["a", "b"], "sort_order": "1\x00"},
    ],
)
def test_bad_input_to_a_reason_is_a_form_error_never_a_500(client, head, data):
    client.force_login(head)
    before = LostReason.objects.count()

    response = client.post(reverse("lost_reason_create"), data)

    assert response.status_code == 400
    assert 'data-testid="form-errors"' in response.content.decode()
    assert LostReason.objects.count() == before


def test_a_reason_lost_deals_use_is_not_deleted_and_the_page_says_why(client, head, manager):
    reason = LostReasonFactory(name="Ушли к конкуренту")
    DealFactory(
        client=ClientFactory(owner=manager), stage=Stage.LOST, lost_reason=reason, lost_from_stage=Stage.PROPOSAL
    )
    client.force_login(head)

    response = client.post(reverse("lost_reason_delete", args=[reason.pk]), follow=True)

    assert LostReason.objects.filter(pk=reason.pk).exists()
    html = response.content.decode()
    assert "is in use (deals: 1) and cannot be deleted; deactivate it instead." in html


def test_an_unused_reason_is_deleted_and_the_deletion_logged(client, head):
    reason = LostReasonFactory(name="Ошибка ввода")
    client.force_login(head)

    response = client.post(reverse("lost_reason_delete", args=[reason.pk]), follow=True)

    assert response.status_code == 200
    assert not LostReason.objects.filter(pk=reason.pk).exists()
    assert ChangeLog.objects.filter(object_id=reason.pk, action=ChangeLog.Action.DELETE, by=head).exists()
    assert "is deleted" in response.content.decode()


def test_editing_or_deleting_a_missing_row_is_404(client, head):
    client.force_login(head)

    assert client.get(reverse("lost_reason_update", args=[999999])).status_code == 404
    assert client.post(reverse("segment_delete", args=[999999])).status_code == 404
    assert client.post(reverse("category_active", args=[999999]), {"is_active": "0"}).status_code == 404


# --- market segments -----------------------------------------------------------------------------------------


def test_head_keeps_segments_with_their_descriptions(client, head):
    client.force_login(head)

    response = client.post(
        reverse("segment_create"),
        {"name": "Строители", "description": "Все, кто роют и строят: подрядчики, девелоперы.", "is_active": "on"},
    )
    assert response.status_code == 302
    segment = MarketSegment.objects.get(name="Строители")
    assert segment.description.startswith("Все, кто роют")
    html = client.get(reverse("segment_list")).content.decode()
    assert "Все, кто роют и строят" in html

    client.post(reverse("segment_update", args=[segment.pk]), {"name": "Стройка", "description": "", "is_active": ""})
    segment.refresh_from_db()
    assert (segment.name, segment.description, segment.is_active) == ("Стройка", "", False)


def test_a_segment_clients_use_is_refused_deletion_and_a_deactivated_one_stays_on_its_client(client, head, manager):
    segment = SegmentFactory(name="Логистика")
    buyer = ClientFactory(owner=manager, segment=segment)
    client.force_login(head)

    html = client.post(reverse("segment_delete", args=[segment.pk]), follow=True).content.decode()
    assert "is in use (clients: 1)" in html
    client.post(reverse("segment_active", args=[segment.pk]), {"is_active": "0"})

    from crm.forms.clients import ClientForm

    assert segment not in ClientForm(by=head).fields["segment"].queryset
    assert segment in ClientForm(by=head, segment_id=buyer.segment_id).fields["segment"].queryset
    buyer.refresh_from_db()
    assert buyer.segment == segment


# --- product categories --------------------------------------------------------------------------------------


def test_head_adds_a_subcategory_and_cannot_put_a_category_inside_its_own_child(client, head):
    cameras = CategoryFactory(name="Видеонаблюдение")
    client.force_login(head)

    client.post(reverse("category_create"), {"name": "IP-камеры", "parent": cameras.pk, "is_active": "on"})
    child = ProductCategory.objects.get(name="IP-камеры")
    assert child.parent == cameras

    response = client.post(
        reverse("category_update", args=[cameras.pk]),
        {"name": "Видеонаблюдение", "parent": child.pk, "is_active": "on"},
    )
    assert response.status_code == 400
    assert "cannot sit inside itself" in response.content.decode()
    cameras.refresh_from_db()
    assert cameras.parent is None


def test_a_category_with_products_or_in_the_map_is_refused_deletion(client, head):
    cameras = CategoryFactory(name="Камеры")
    cable = CategoryFactory(name="Кабель")
    ProductFactory(category=cameras)
    ComplementRule.objects.create(category=cameras, complement=cable)
    client.force_login(head)

    html = client.post(reverse("category_delete", args=[cameras.pk]), follow=True).content.decode()
    assert "products: 1" in html and "complement map: 1" in html
    html = client.post(reverse("category_delete", args=[cable.pk]), follow=True).content.decode()
    assert "complement map: 1" in html
    assert ProductCategory.objects.filter(pk__in=[cameras.pk, cable.pk]).count() == 2


def test_a_deactivated_category_is_not_offered_in_the_complement_map(client, head):
    cameras = CategoryFactory(name="Камеры")
    old = CategoryFactory(name="Аналоговые камеры")
    client.force_login(head)
    client.post(reverse("category_active", args=[old.pk]), {"is_active": "0"})

    html = client.get(reverse("complement_map")).content.decode()

    assert f'value="{cameras.pk}"' in html and f'value="{old.pk}"' not in html
    response = client.post(reverse("complement_map"), {"category": cameras.pk, "complement": old.pk})
    assert response.status_code == 400
    assert not ComplementRule.objects.exists()


def test_the_complement_map_logs_its_changes_and_a_bad_remove_is_404_not_500(client, head):
    cameras, cable = CategoryFactory(name="Камеры"), CategoryFactory(name="Кабель")
    client.force_login(head)

    client.post(reverse("complement_map"), {"category": cameras.pk, "complement": cable.pk})
    rule = ComplementRule.objects.get()
    assert ChangeLog.objects.filter(content_type__model="complementrule", object_id=rule.pk, by=head).exists()
    assert client.post(reverse("complement_map"), {"remove": "abc"}).status_code == 404
    assert client.post(reverse("complement_map"), {"remove": "9" * 40}).status_code == 404
    assert 'data-testid="lists-tabs"' in client.get(reverse("complement_map")).content.decode()


# --- stage probabilities -------------------------------------------------------------------------------------


def test_the_stage_probability_form_holds_the_14_stages_with_their_values(client, head):
    StageProbability.objects.filter(stage=Stage.PROPOSAL).update(probability=33)
    client.force_login(head)

    html = client.get(reverse("stage_probabilities")).content.decode()

    assert html.count('data-testid="stage-field"') == 14
    assert 'name="lost"' not in html
    assert 'name="proposal" value="33"' in html


def test_head_sets_the_probabilities_and_a_deal_reads_the_new_value(client, head, manager):
    open_deal = DealFactory(client=ClientFactory(owner=manager), stage=Stage.PROPOSAL, probability=30)
    won_deal = DealFactory(client=ClientFactory(owner=manager), stage=Stage.CLOSING, probability=100)
    client.force_login(head)

    response = client.post(reverse("stage_probabilities"), all_probabilities(proposal="45", closing="99"))

    assert response.status_code == 302
    assert stage_probability(Stage.PROPOSAL) == 45
    assert stage_probability(Stage.GOAL) == 10
    assert Deal.objects.get(pk=open_deal.pk).probability == 45  # an open deal takes its stage's new value
    assert Deal.objects.get(pk=won_deal.pk).probability == 100  # a closed deal keeps the one it had
    assert ChangeLog.objects.filter(content_type__model="stageprobability", by=head).count() >= 13


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("101", "less than or equal to 100"),
        ("-1", "greater than or equal to 0"),
        ("", "required"),
        ("пять", "whole number"),
        ("5.5", "whole number"),
    ],
)
def test_a_probability_outside_0_to_100_keeps_the_form_with_the_error(client, head, value, message):
    client.force_login(head)

    response = client.post(reverse("stage_probabilities"), all_probabilities(proposal=value, goal="7"))

    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert 'name="goal" value="7"' in html  # what was typed stays
    assert stage_probability(Stage.GOAL) == 5


def test_posting_garbage_to_the_probabilities_is_400_not_500(client, head):
    client.force_login(head)

    response = client.post(reverse("stage_probabilities"), {"lost": "50", "proposal": ["1", "2"], "x" * 500: "1"})

    assert response.status_code == 400
    assert StageProbability.objects.get(stage=Stage.LOST).probability == 0


# --- query counts --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["lost_reason_list", "segment_list", "category_list", "stage_probabilities"])
def test_list_pages_make_a_fixed_number_of_queries(client, head, manager, name, django_assert_max_num_queries):
    for i in range(30):
        reason = LostReasonFactory(name=f"Причина {i}")
        segment = SegmentFactory(name=f"Сегмент {i}")
        parent = CategoryFactory(name=f"Группа {i}")
        CategoryFactory(name=f"Подгруппа {i}", parent=parent)
        ProductFactory(category=parent)
        buyer = ClientFactory(owner=manager, segment=segment)
        DealFactory(client=buyer, stage=Stage.LOST, lost_reason=reason, lost_from_stage=Stage.GOAL)
    client.force_login(head)

    with django_assert_max_num_queries(8):
        response = client.get(reverse(name))

    assert response.status_code == 200
