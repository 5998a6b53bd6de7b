"""The reference lists in the API: read by everyone logged in, with the head's values and the active flags."""

from django.urls import reverse

from crm.models import StageProbability
from crm.rules.stages import PIPELINE, Stage
from tests.conftest import api_as
from tests.crm.factories import CategoryFactory, SegmentFactory


def test_stage_probabilities_list_the_14_stages_in_order_with_the_heads_values(manager):
    StageProbability.objects.filter(stage=Stage.PROPOSAL).update(probability=35)

    response = api_as(manager).get(reverse("stage-probability-list"))

    assert response.status_code == 200
    rows = response.json()
    assert [row["stage"] for row in rows] == PIPELINE
    assert (rows[7]["stage"], rows[7]["number"], rows[7]["probability"]) == ("proposal", 8, 35)
    assert rows[0]["name"] and rows[0]["probability"] == 5


def test_stage_probabilities_need_a_login(api):
    assert api.get(reverse("stage-probability-list")).status_code == 401


def test_segments_carry_their_description_and_filter_on_active(manager):
    SegmentFactory(name="Строители", description="Все, кто роют и строят")
    SegmentFactory(name="Старый", is_active=False)
    api = api_as(manager)

    rows = api.get(reverse("segment-list"), {"is_active": "true"}).json()["results"]

    assert [(row["name"], row["description"], row["is_active"]) for row in rows] == [
        ("Строители", "Все, кто роют и строят", True)
    ]
    assert api.get(reverse("segment-list"), {"is_active": "maybe"}).status_code == 400


def test_categories_filter_on_active(manager):
    CategoryFactory(name="Камеры")
    CategoryFactory(name="Снято с продажи", is_active=False)

    rows = api_as(manager).get(reverse("product-category-list"), {"is_active": "false"}).json()["results"]

    assert [row["name"] for row in rows] == ["Снято с продажи"]
