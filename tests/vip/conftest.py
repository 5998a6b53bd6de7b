"""The VIP tests read English source messages unless marked `russian`; a programme with one client worked by its
owner, the standard questionnaire and a meeting."""

from datetime import date

import pytest
from django.utils import translation

from tests.crm.factories import ClientFactory
from vip.models import Campaign, ProgrammeClient, StaffAssignment
from vip.services.questionnaires import questionnaire_create
from vip.services.templates import template_standard_create


@pytest.fixture(autouse=True)
def english(request, settings):
    if request.node.get_closest_marker("russian"):
        yield
        return
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def template(vip_head):
    return template_standard_create(by=vip_head)


@pytest.fixture
def campaign(vip_head, manager):
    campaign = Campaign.objects.create(name="Лето 2026", start=date(2026, 6, 1), weeks=13)
    StaffAssignment.objects.create(campaign=campaign, user=manager, load=StaffAssignment.Load.PART_TIME)
    return campaign


@pytest.fixture
def vip_client(manager, vip_head):
    client = ClientFactory(owner=manager, name="ООО Ромашка", email="client@romashka.ru")
    ProgrammeClient.objects.create(client=client, added_by=vip_head, assigned_to=manager)
    return client


@pytest.fixture
def questionnaire(vip_client, manager, template, campaign):
    return questionnaire_create(client=vip_client, by=manager, meeting_date=date(2026, 6, 10), campaign=campaign)


def question(questionnaire, text_start):
    return questionnaire.template.questions.get(text__startswith=text_start)
