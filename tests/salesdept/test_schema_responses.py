"""Real answers of the main resources against their schema components: every key sent is a property, every
required property is sent, null only where nullable (docs/api.md, "Schema and typed clients")."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone, translation

from crm.models import Activity, ProspectEntry, ProspectList, Role
from tests.conftest import api_as
from tests.crm.factories import (
    ActivityFactory,
    ClientFactory,
    ContactFactory,
    DealFactory,
    ProductFactory,
    SaleLineFactory,
    UserFactory,
)
from tests.planning.factories import make_plan
from tests.salesdept.schema_tools import live_schema, mismatches, response_component
from vip.models import Problem, ProgrammeClient
from vip.services.questionnaires import questionnaire_create
from vip.services.templates import template_standard_create

pytestmark = pytest.mark.django_db

# (list path, operationId prefix): list and detail of each.
RESOURCES = [
    ("clients", "clients"),
    ("contacts", "contacts"),
    ("deals", "deals"),
    ("activities", "activities"),
    ("products", "products"),
    ("sales", "sales"),
    ("plans", "plans"),
    ("prospect-lists", "prospect_lists"),
    ("prospect-entries", "prospect_entries"),
    ("vip/questionnaires", "vip_questionnaires"),
    ("vip/problems", "vip_problems"),
]


@pytest.fixture
def world(team, manager, head):
    vip_head = UserFactory(username="vip-head", role=Role.VIP_HEAD)
    client = ClientFactory(owner=manager, email="", source="", channel="direct")
    ClientFactory(owner=manager, email="office@example.ru", source="cold", category="a")
    ContactFactory(client=client)
    deal = DealFactory(client=client, owner=manager)
    DealFactory(client=client, owner=manager, lost_from_stage="")
    ActivityFactory(client=client, deal=deal, kind=Activity.Kind.CALL, direction="out", call_result="reached")
    ActivityFactory(client=client, kind=Activity.Kind.TASK, due_at=timezone.now())
    product = ProductFactory()
    SaleLineFactory(client=client, product=product, date=date(2026, 11, 1))
    make_plan(manager, "100000", month=date(2026, 11, 1))
    prospect_list = ProspectList.objects.create(owner=manager, name="Выставка")
    ProspectEntry.objects.create(prospect_list=prospect_list, name="ООО Лютик", normalized_name="ооо лютик")
    with translation.override("en"):  # the questions' texts are written in the language of the moment
        template = template_standard_create(by=vip_head)
    ProgrammeClient.objects.create(client=client, added_by=vip_head, assigned_to=manager)
    questionnaire = questionnaire_create(client=client, by=manager, meeting_date=date(2026, 6, 10))
    speed = template.questions.get(text__startswith="Is the speed")
    answered = api_as(manager).post(
        f"/api/v1/vip/questionnaires/{questionnaire.pk}/answer/", {"question": speed.pk, "value": "no"}
    )
    assert answered.status_code == 200 and Problem.objects.exists()
    return head


@pytest.mark.parametrize(("path", "operation"), RESOURCES)
@pytest.mark.parametrize("language", ["ru", "en"])
def test_lists_and_details_send_what_the_schema_says(world, path, operation, language):
    schema = live_schema(language)
    api = api_as(world)
    listed = api.get(f"/api/v1/{path}/", HTTP_ACCEPT_LANGUAGE=language)
    assert listed.status_code == 200
    rows = listed.json()["results"]
    assert rows, f"no {path} in the world"
    assert mismatches(schema, response_component(schema, f"{operation}_list"), listed.json()) == []

    detail = api.get(f"/api/v1/{path}/{rows[0]['id']}/", HTTP_ACCEPT_LANGUAGE=language)
    assert detail.status_code == 200
    assert mismatches(schema, response_component(schema, f"{operation}_retrieve"), detail.json()) == []


def test_a_blank_choice_is_sent_as_null_and_written_as_null_or_blank(world, manager):
    api = api_as(manager)
    client = ClientFactory(owner=manager, source="")
    assert api.get(f"/api/v1/clients/{client.pk}/").json()["source"] is None
    for blank in (None, ""):
        answer = api.patch(f"/api/v1/clients/{client.pk}/", {"source": "cold"})
        assert answer.status_code == 200 and answer.json()["source"] == "cold"
        answer = api.patch(f"/api/v1/clients/{client.pk}/", {"source": blank})
        assert answer.status_code == 200, answer.json()
        assert answer.json()["source"] is None
        client.refresh_from_db()
        assert client.source == ""


def test_the_checker_sees_a_missing_required_key_and_an_unknown_one():
    schema = live_schema("en")
    component = {"$ref": "#/components/schemas/Client"}
    problems = mismatches(schema, component, {"surprise": 1})
    assert "$.surprise: sent, not a property" in problems
    assert "$.id: required, not sent" in problems
