"""The services behind the head's reference lists: only the head writes, rows in use are kept, every change logged."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from crm.models import ChangeLog, Deal, LostReason, StageProbability
from crm.rules.stages import PIPELINE, Stage
from crm.services.deals import deal_move_stage, stage_probability
from crm.services.lists import (
    category_update,
    list_item_delete,
    list_item_set_active,
    lost_reason_create,
    segment_create,
    stage_probabilities_set,
    usages,
)
from tests.crm.factories import CategoryFactory, ClientFactory, DealFactory, LostReasonFactory, ProductFactory


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def every_stage(value=50, **overrides):
    return {**dict.fromkeys(PIPELINE, value), **overrides}


@pytest.mark.parametrize("role_fixture", ["manager", "team_lead", "vip_head", "base_manager"])
def test_only_the_head_writes_the_lists(request, role_fixture):
    user = request.getfixturevalue(role_fixture)
    reason = LostReasonFactory(name="Цена")

    with pytest.raises(PermissionDenied):
        lost_reason_create(by=user, name="Новая")
    with pytest.raises(PermissionDenied):
        segment_create(by=user, name="Новый")
    with pytest.raises(PermissionDenied):
        list_item_set_active(by=user, item=reason, is_active=False)
    with pytest.raises(PermissionDenied):
        list_item_delete(by=user, item=reason)
    with pytest.raises(PermissionDenied):
        stage_probabilities_set(by=user, values=every_stage())
    assert LostReason.objects.get(pk=reason.pk).is_active


def test_usages_count_every_row_that_points_at_the_entry(manager):
    cameras = CategoryFactory(name="Камеры")
    CategoryFactory(name="IP-камеры", parent=cameras)
    ProductFactory(category=cameras)
    ProductFactory(category=cameras)

    assert usages(cameras) == {"products": 2, "product categories": 1}
    assert usages(CategoryFactory(name="Пустая")) == {}


def test_a_deactivated_entry_logs_the_change(head):
    reason = LostReasonFactory(name="Сроки")

    list_item_set_active(by=head, item=reason, is_active=False)

    log = ChangeLog.objects.get(content_type__model="lostreason", object_id=reason.pk)
    assert log.changes == {"is_active": [True, False]} and log.by == head


def test_a_category_cannot_become_its_own_grandchild(head):
    top = CategoryFactory(name="Охрана")
    middle = CategoryFactory(name="СКУД", parent=top)
    bottom = CategoryFactory(name="Замки", parent=middle)

    with pytest.raises(ValidationError) as error:
        category_update(by=head, category=top, data={"parent": bottom})

    assert "parent" in error.value.message_dict
    top.refresh_from_db()
    assert top.parent is None


def test_deleting_a_reason_in_use_is_refused(head, manager):
    reason = LostReasonFactory(name="Нет бюджета")
    DealFactory(client=ClientFactory(owner=manager), stage=Stage.LOST, lost_reason=reason, lost_from_stage=Stage.GOAL)

    with pytest.raises(ValidationError, match="deactivate it instead"):
        list_item_delete(by=head, item=reason)
    with translation.override("ru"), pytest.raises(ValidationError, match="используется \\(сделки: 1\\)"):
        list_item_delete(by=head, item=reason)

    assert LostReason.objects.filter(pk=reason.pk).exists()


@pytest.mark.parametrize(
    ("values", "field"),
    [
        (every_stage(proposal=101), "proposal"),
        (every_stage(goal=-5), "goal"),
        (every_stage(market="abc"), "market"),
        (every_stage(account=True), "account"),
        ({code: 50 for code in PIPELINE if code != Stage.CLOSING}, "closing"),
        (every_stage(lost=50), "lost"),
    ],
)
def test_stage_probabilities_are_whole_numbers_from_0_to_100_for_the_14_stages(head, values, field):
    with pytest.raises(ValidationError) as error:
        stage_probabilities_set(by=head, values=values)

    assert field in error.value.message_dict
    assert stage_probability(Stage.PROPOSAL) == 30  # nothing saved


def test_a_deal_moved_after_the_change_takes_the_new_probability(head, manager):
    StageProbability.objects.filter(stage=Stage.MARKET).delete()  # a stage never saved reads its default first
    deal = DealFactory(
        client=ClientFactory(owner=manager),
        stage=Stage.GOAL,
        probability=5,
        plan_month=timezone.localdate().replace(day=1),
    )

    stage_probabilities_set(by=head, values=every_stage(40, market=12))
    deal_move_stage(deal=deal, to_stage=Stage.MARKET, by=manager)

    assert stage_probability(Stage.MARKET) == 12
    assert Deal.objects.get(pk=deal.pk).probability == 12
    assert StageProbability.objects.get(stage=Stage.MARKET).probability == 12
