"""The proposal stage's document is the file as sent, or a document number and date (DOMAIN.md section 2,
issue 9 rule 8): attached on the deal card or through the API, downloaded only by who sees the deal."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from crm.models import ChangeLog, Deal
from crm.rules.stages import Stage
from crm.services.deals import deal_move_stage, stage_move_problems
from tests.api_errors import field_errors
from tests.conftest import api_as
from tests.crm.factories import ClientFactory, DealFactory

pytestmark = pytest.mark.django_db


def pdf(name="КП-17.pdf", body=b"%PDF-1.4 proposal"):
    return SimpleUploadedFile(name, body, content_type="application/pdf")


@pytest.fixture
def deal(manager, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return DealFactory(client=ClientFactory(owner=manager), owner=manager, stage=Stage.PROPOSAL)


def test_without_a_file_the_gate_asks_for_the_number_and_the_date(deal, manager):
    deal.proposal_amount = Decimal("150000")
    problems = stage_move_problems(deal=deal, to_stage=Stage.REPEAT_MEETING, by=manager)
    assert set(problems) == {"proposal_document", "proposal_sent_on"}


def test_the_amount_and_the_file_let_the_deal_leave_the_proposal_stage(client, deal, manager):
    client.force_login(manager)
    response = client.post(reverse("deal_proposal_file", args=[deal.pk]), {"proposal_file": pdf()})
    assert response.status_code == 302
    deal.refresh_from_db()
    assert deal.proposal_file.name.endswith(".pdf")
    assert ChangeLog.objects.filter(object_id=deal.pk, changes__has_key="proposal_file").exists()

    deal_move_stage(deal=deal, to_stage=Stage.REPEAT_MEETING, by=manager, data={"proposal_amount": Decimal("150000")})

    assert Deal.objects.get(pk=deal.pk).stage == Stage.REPEAT_MEETING


def test_a_number_and_a_date_still_do_without_a_file(deal, manager):
    data = {"proposal_amount": Decimal("1"), "proposal_document": "КП-1", "proposal_sent_on": date(2026, 11, 2)}
    deal_move_stage(deal=deal, to_stage=Stage.REPEAT_MEETING, by=manager, data=data)
    assert Deal.objects.get(pk=deal.pk).stage == Stage.REPEAT_MEETING


@pytest.mark.parametrize(
    ("upload", "message"),
    [(pdf("virus.exe"), "PDF"), (pdf("empty.pdf", b""), ""), (None, "")],
)
def test_a_wrong_file_is_refused_on_the_card_and_nothing_is_attached(client, deal, manager, upload, message):
    client.force_login(manager)
    response = client.post(reverse("deal_proposal_file", args=[deal.pk]), {"proposal_file": upload} if upload else {})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Deal.objects.get(pk=deal.pk).proposal_file


def test_only_who_sees_the_deal_attaches_or_downloads_it(client, deal, manager, other_manager, head):
    client.force_login(manager)
    client.post(reverse("deal_proposal_file", args=[deal.pk]), {"proposal_file": pdf()})
    url = reverse("deal_proposal_file", args=[deal.pk])

    download = client.get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 proposal"
    client.force_login(head)
    assert client.get(url).status_code == 200
    client.force_login(other_manager)
    assert client.get(url).status_code == 404
    assert client.post(url, {"proposal_file": pdf("other.pdf")}).status_code == 404


def test_the_api_attaches_the_file_and_says_it_is_there(deal, manager, other_manager):
    url = f"/api/v1/deals/{deal.pk}/proposal-file/"
    assert api_as(other_manager).post(url, {"proposal_file": pdf()}, format="multipart").status_code == 404
    missing = api_as(manager).post(url, {}, format="multipart")
    assert missing.status_code == 400 and "proposal_file" in field_errors(missing)
    wrong = api_as(manager).post(url, {"proposal_file": pdf("x.exe")}, format="multipart")
    assert wrong.status_code == 400

    response = api_as(manager).post(url, {"proposal_file": pdf()}, format="multipart")

    assert response.status_code == 200 and response.json()["has_proposal_file"] is True
