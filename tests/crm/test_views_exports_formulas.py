"""Every export of the CRM opens in a spreadsheet without running what users typed (issue 10, item 1).

A manager, a team, clients, deals, prospects, long-list notes, stock requests, a reassignment reason and an
import's errors all carry OWASP's formula payloads; each workbook must hold 0 formulas and every payload
behind an apostrophe. The sources report only shows the labels of fixed choices: it is checked for 0 formulas.
"""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from crm.models import ImportJob, LongList, LongListEntry, ProspectEntry, Reassignment, Role, StockRequest
from crm.rules.stages import Stage
from crm.services.prospects import prospect_list_create
from tests.crm.factories import ClientFactory, DealFactory, TeamFactory, UserFactory, make_inn
from tests.formulas import FORMULAS, assert_no_live_formulas, workbook_bytes


@pytest.fixture
def poisoned(db, head):
    """A department where every free-text field a user types starts with a formula."""
    team = TeamFactory(name=FORMULAS[2])
    manager = UserFactory(username="poisoned", role=Role.MANAGER, team=team, last_name=FORMULAS[0], first_name="Ян")
    team.lead = manager
    team.save()
    month = timezone.localdate().replace(day=1)
    long_list = LongList.objects.create(owner=manager, month=month)
    prospects = prospect_list_create(by=manager, name=FORMULAS[1])
    clients = []
    for n, formula in enumerate(FORMULAS):
        client = ClientFactory(owner=manager, name=formula, inn=make_inn(900 + n), region=formula)
        clients.append(client)
        DealFactory(client=client, owner=manager, title=formula, stage=Stage.PROPOSAL, amount=Decimal("1000"))
        LongListEntry.objects.create(
            long_list=long_list, client=client, reason="never_bought", rank=n + 1, needs=formula, objections=formula
        )
        ProspectEntry.objects.create(
            prospect_list=prospects, name=formula, normalized_name=f"компания {n}", inn=make_inn(950 + n)
        )
        StockRequest.objects.create(client=client, item_name=formula, quantity=1, note=formula, requested_by=manager)
        Reassignment.objects.create(
            client=client, owner=manager, owned_since=date(2026, 1, 1), flagged_on=date(2026, 4, 15), reason=formula
        )
    ImportJob.objects.create(
        created_by=head,
        kind=ImportJob.Kind.CLIENTS,
        original_name=FORMULAS[3],
        file="imports/x.csv",
        errors=[{"row": n + 2, "column": formula, "message": formula} for n, formula in enumerate(FORMULAS)],
    )
    return {"manager": manager, "prospects": prospects, "job": ImportJob.objects.get()}


def export_urls(poisoned):
    """Each export with who opens it: the head sees the department, a manager his own day and long list."""
    return [
        ("head", reverse("client_export")),
        ("head", reverse("board_export")),
        ("head", reverse("pipeline_review_export")),
        ("manager", reverse("my_day_calls_export")),
        ("manager", reverse("long_list_export")),
        ("manager", reverse("prospect_list_export", args=[poisoned["prospects"].pk])),
        ("head", reverse("reassignment_export")),
        ("head", reverse("user_export")),
        ("head", reverse("team_export")),
        ("head", reverse("import_list_export")),
        ("head", reverse("import_errors_export", args=[poisoned["job"].pk])),
        ("head", reverse("stock_request_export")),
    ]


def test_no_export_holds_a_live_formula_and_every_payload_is_behind_an_apostrophe(client, head, poisoned):
    who = {"head": head, "manager": poisoned["manager"]}
    inert = {}
    for role, url in export_urls(poisoned):
        client.force_login(who[role])
        response = client.get(url)
        assert response.status_code == 200, url
        inert[url] = assert_no_live_formulas(workbook_bytes(response))

    assert {url: count for url, count in inert.items() if count == 0} == {}


def test_the_sources_report_export_holds_no_formula(client, head, poisoned):
    client.force_login(head)

    response = client.get(reverse("sources_report_export"))

    assert response.status_code == 200
    assert assert_no_live_formulas(workbook_bytes(response)) == 0  # fixed labels only, nothing a user typed


def test_the_csv_sample_makes_the_phone_inert_and_still_imports(client, head):
    client.force_login(head)

    response = client.get(reverse("import_sample", args=["clients"]))

    rows = list(csv.reader(io.StringIO(response.content.decode("cp1251")), delimiter=";"))
    assert rows[1][3] == "'+7 (495) 123-45-67"
    assert all(not cell.lstrip().startswith(("=", "+", "-", "@")) for row in rows for cell in row)
