"""The programme's pages: the list and building it from the base, personal lists and the split, campaigns and their
progress, the call script and the call that sets the meeting, the blank questionnaire; every role; constant queries."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from crm.models import Activity, ChangeLog, MarketSegment, OwnershipChange
from tests.crm.factories import CategoryFactory, ClientFactory, SaleLineFactory
from vip.models import Campaign, Problem, ProgrammeClient, Questionnaire, StaffAssignment, VipCallScript
from vip.services.problems import problem_open
from vip.services.programme import campaign_staff_set, programme_clients_assign
from vip.services.questionnaires import questionnaire_create

pytestmark = pytest.mark.django_db

PROGRAMME_PAGES = ["vip_programme", "vip_programme_build", "vip_campaign_list"]


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("vip_head", 200),
        ("head", 200),
        ("manager", 403),
        ("team_lead", 403),
        ("service_owner", 403),
        ("base_manager", 403),
    ],
)
def test_who_runs_the_programme_pages(request, client, vip_client, campaign, who, status):
    client.force_login(request.getfixturevalue(who))
    for name in PROGRAMME_PAGES:
        assert client.get(reverse(name)).status_code == status, name
    assert client.get(reverse("vip_campaign_detail", args=[campaign.pk])).status_code == status
    entry = vip_client.vip_entry
    assert client.post(reverse("vip_programme_remove", args=[entry.pk])).status_code == (302 if status == 200 else 403)
    assert ProgrammeClient.objects.filter(pk=entry.pk).exists() is (status != 200)


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
def test_my_list_and_the_call_script_are_for_the_programme_people(request, client, vip_client, who, status):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("vip_my_list")).status_code == status
    assert client.get(reverse("vip_call_script")).status_code == status


def test_the_list_shows_owner_employee_winner_last_questionnaire_and_open_problems(
    client, vip_head, vip_client, manager, other_manager, questionnaire
):
    OwnershipChange.objects.create(client=vip_client, from_owner=None, to_owner=other_manager)
    OwnershipChange.objects.create(client=vip_client, from_owner=other_manager, to_owner=manager)
    problem_open(client=vip_client, by=manager, what="Скорость ниже договора", questionnaire=questionnaire)
    client.force_login(vip_head)
    response = client.get(reverse("vip_programme"))
    row = response.context["rows"][0]
    assert (row.client, row.assigned_to, row.client.owner, row.won_by) == (vip_client, manager, manager, other_manager)
    assert (row.last_q_id, row.open_problems) == (questionnaire.pk, 1)
    body = response.content.decode()
    assert "ООО Ромашка" in body and 'data-testid="vip-open-problems">1<' in body


def test_the_list_reads_a_constant_number_of_queries(client, vip_head, vip_client, manager, questionnaire):
    OwnershipChange.objects.create(client=vip_client, to_owner=manager)
    client.force_login(vip_head)
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("vip_programme")).status_code == 200
    for n in range(6):
        other = ClientFactory(owner=manager, name=f"Клиент {n}")
        ProgrammeClient.objects.create(client=other, assigned_to=manager)
        OwnershipChange.objects.create(client=other, to_owner=manager)
        q = questionnaire_create(client=other, by=manager, meeting_date=date(2026, 6, 11))
        problem_open(client=other, by=manager, what="Сбой", questionnaire=q)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("vip_programme"))
    assert len(response.context["rows"]) == 7
    assert len(many) == len(one)


def test_candidates_filter_by_segment_revenue_and_corporate(client, vip_head, manager, vip_client):
    retail = MarketSegment.objects.create(name="Розница")
    big = ClientFactory(owner=manager, name="АО Большой", segment=retail)
    small = ClientFactory(owner=manager, name="ООО Малый", segment=retail)
    person = ClientFactory(owner=manager, name="Иванов И.И.", inn="500100732259", segment=retail)
    today = timezone.localdate()
    SaleLineFactory(client=big, amount=Decimal("900000"), date=today - timedelta(days=30))
    SaleLineFactory(client=small, amount=Decimal("50000"), date=today - timedelta(days=30))
    SaleLineFactory(client=small, amount=Decimal("900000"), date=today - timedelta(days=400))  # older than 12 months
    SaleLineFactory(client=person, amount=Decimal("900000"), date=today - timedelta(days=30))
    client.force_login(vip_head)

    def names(**params):
        response = client.get(reverse("vip_programme_build"), params)
        return [c.name for c in response.context["rows"]]

    everyone = names()
    assert "ООО Ромашка" not in everyone  # already on the list
    assert {"АО Большой", "ООО Малый", "Иванов И.И."} <= set(everyone)
    assert set(names(segment=retail.pk)) == {"АО Большой", "ООО Малый", "Иванов И.И."}
    assert set(names(segment=retail.pk, min_revenue="100000")) == {"АО Большой", "Иванов И.И."}
    assert names(segment=retail.pk, min_revenue="100000", corporate="on") == ["АО Большой"]


def test_candidates_read_a_constant_number_of_queries(client, vip_head, manager):
    client.force_login(vip_head)
    SaleLineFactory(client=ClientFactory(owner=manager))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("vip_programme_build"))
    for _ in range(5):
        SaleLineFactory(client=ClientFactory(owner=manager))
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("vip_programme_build"))
    assert len(many) == len(one)


def test_bulk_add_is_all_or_nothing(client, vip_head, manager, vip_client):
    a, b = ClientFactory(owner=manager), ClientFactory(owner=manager)
    client.force_login(vip_head)
    response = client.post(reverse("vip_programme_build"), {"clients": [a.pk, b.pk], "tier": "quarterly"})
    assert response.status_code == 302
    assert set(ProgrammeClient.objects.filter(client__in=[a, b]).values_list("tier", "assigned_to")) == {
        ("quarterly", manager.pk)
    }
    assert ChangeLog.objects.filter(action=ChangeLog.Action.CREATE, content_type__model="programmeclient").count() == 2
    c = ClientFactory(owner=manager)
    # vip_client is already on the list: it is not offered, so the whole post is refused and c is not added
    response = client.post(reverse("vip_programme_build"), {"clients": [c.pk, vip_client.pk], "tier": "yearly"})
    assert response.status_code == 400
    assert not ProgrammeClient.objects.filter(client=c).exists()


def test_a_private_client_by_hand_needs_a_reason(client, vip_head, manager):
    person = ClientFactory(owner=manager, name="Петров П.П.", inn="500100732259")
    client.force_login(vip_head)
    response = client.post(reverse("vip_programme_build"), {"by_hand": "1", "client": person.pk, "reason": " "})
    assert response.status_code == 400
    assert not ProgrammeClient.objects.filter(client=person).exists()
    response = client.post(
        reverse("vip_programme_build"), {"by_hand": "1", "client": person.pk, "reason": "владелец сети, 3 млн в год"}
    )
    assert response.status_code == 302
    assert ProgrammeClient.objects.get(client=person).added_reason == "владелец сети, 3 млн в год"


def test_removing_keeps_the_history(client, vip_head, vip_client, questionnaire):
    entry = vip_client.vip_entry
    client.force_login(vip_head)
    assert client.post(reverse("vip_programme_remove", args=[entry.pk])).status_code == 302
    assert not ProgrammeClient.objects.filter(pk=entry.pk).exists()
    assert Questionnaire.objects.filter(pk=questionnaire.pk).exists()
    assert ChangeLog.objects.filter(action=ChangeLog.Action.DELETE, object_id=entry.pk).exists()
    assert client.post(reverse("vip_programme_remove", args=[entry.pk])).status_code == 404


def test_assign_to_someone_else_needs_a_reason_and_the_owner_keeps_the_client(
    client, vip_head, manager, teammate, vip_client, campaign
):
    StaffAssignment.objects.create(campaign=campaign, user=teammate, load=StaffAssignment.Load.DEDICATED)
    entry = vip_client.vip_entry
    client.force_login(vip_head)
    data = {"entries": [entry.pk], "campaign": campaign.pk, "employee": teammate.pk}
    client.post(reverse("vip_programme_assign"), data)
    entry.refresh_from_db()
    assert entry.assigned_to == manager  # refused: no reason
    client.post(reverse("vip_programme_assign"), {**data, "reason": "other", "note": ""})
    entry.refresh_from_db()
    assert entry.assigned_to == manager  # refused: "other" needs words
    client.post(reverse("vip_programme_assign"), {**data, "reason": "other", "note": "давно не звонил"})
    entry.refresh_from_db()
    vip_client.refresh_from_db()
    assert (entry.assigned_to, entry.assign_note, vip_client.owner) == (teammate, "давно не звонил", manager)


def test_assign_only_to_the_campaign_staff(client, vip_head, other_manager, vip_client, campaign):
    entry = vip_client.vip_entry
    client.force_login(vip_head)
    data = {"entries": [entry.pk], "campaign": campaign.pk, "employee": other_manager.pk, "reason": "keeps_away"}
    client.post(reverse("vip_programme_assign"), data)
    entry.refresh_from_db()
    assert entry.assigned_to != other_manager


def test_split_evenly_keeps_owners_and_is_all_or_nothing(vip_head, manager, teammate, campaign):
    StaffAssignment.objects.create(campaign=campaign, user=teammate, load=StaffAssignment.Load.DEDICATED)
    entries = [
        ProgrammeClient.objects.create(client=ClientFactory(owner=manager), assigned_to=manager) for _ in range(5)
    ]
    # without a reason the clients that go to the non-owner are refused, and none is changed
    with pytest.raises(Exception):
        programme_clients_assign(entries=entries, campaign=campaign, by=vip_head, split=True)
    assert ProgrammeClient.objects.filter(assigned_to=teammate).count() == 0
    targets = programme_clients_assign(
        entries=entries, campaign=campaign, by=vip_head, split=True, reason="not_developed"
    )
    mine = list(targets.values()).count(manager)
    assert sorted([mine, list(targets.values()).count(teammate)]) == [2, 3]
    # the owner keeps as many of his clients as his share allows, without a reason; the rest carry the reason
    assert ProgrammeClient.objects.filter(assigned_to=manager, assign_reason="").count() == mine
    assert ProgrammeClient.objects.filter(assigned_to=teammate, assign_reason="not_developed").count() == 5 - mine


def test_my_list_shows_the_next_step(client, manager, vip_head, vip_client, campaign, template):
    states = {}
    for name, state in [
        ("В работе", "in_progress"),
        ("Пауза", "paused"),
        ("Готово", "done"),
        ("Звонить", "set_meeting"),
    ]:
        c = ClientFactory(owner=manager, name=name)
        ProgrammeClient.objects.create(client=c, assigned_to=manager)
        if state != "set_meeting":
            q = questionnaire_create(client=c, by=manager, meeting_date=date(2026, 6, 12), campaign=campaign)
            if state == "paused":
                Questionnaire.objects.filter(pk=q.pk).update(status="paused", paused_at_section="quality")
            if state == "done":
                Questionnaire.objects.filter(pk=q.pk).update(status="complete")
        states[name] = state
    Activity.objects.create(
        kind=Activity.Kind.TASK,
        client=vip_client,
        owner=manager,
        subject="VIP meeting with the questionnaire",
        due_at=timezone.now() + timedelta(days=2),
    )
    states["ООО Ромашка"] = "meeting_set"
    other = ClientFactory(name="Чужой")
    ProgrammeClient.objects.create(client=other, assigned_to=other.owner)
    client.force_login(manager)
    response = client.get(reverse("vip_my_list"))
    got = {r.client.name: r.next_step for r in response.context["rows"]}
    assert got == states


def test_my_list_and_campaigns_read_a_constant_number_of_queries(
    client, manager, vip_head, vip_client, campaign, template
):
    client.force_login(manager)
    with CaptureQueriesContext(connection) as one:
        assert len(client.get(reverse("vip_my_list")).context["rows"]) == 1
    client.force_login(vip_head)
    with CaptureQueriesContext(connection) as one_campaign:
        client.get(reverse("vip_campaign_list"))
    for n in range(5):
        c = ClientFactory(owner=manager)
        ProgrammeClient.objects.create(client=c, assigned_to=manager)
        questionnaire_create(client=c, by=manager, meeting_date=date(2026, 6, 10), campaign=campaign)
        Campaign.objects.create(name=f"Кампания {n}", start=date(2027, 6, 1))
    with CaptureQueriesContext(connection) as many_campaigns:
        assert len(client.get(reverse("vip_campaign_list")).context["rows"]) == 6
    assert len(many_campaigns) == len(one_campaign)
    client.force_login(manager)
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(reverse("vip_my_list")).context["rows"]) == 6
    assert len(many) == len(one)


def test_campaign_create_staff_and_progress(client, vip_head, manager, teammate, vip_client, template):
    client.force_login(vip_head)
    response = client.post(reverse("vip_campaign_list"), {"name": "Лето", "start": "2026-06-01", "weeks": "13"})
    campaign = Campaign.objects.get(name="Лето")
    assert response.status_code == 302 and campaign.end == date(2026, 8, 30)
    assert (
        client.post(reverse("vip_campaign_list"), {"name": "Х", "start": "2026-06-01", "weeks": "0"}).status_code == 400
    )
    detail = reverse("vip_campaign_detail", args=[campaign.pk])
    assert client.post(detail, {"user": teammate.pk, "load": "dedicated"}).status_code == 302
    assert client.post(detail, {"user": manager.pk, "load": "part_time"}).status_code == 302
    assert client.post(detail, {"user": manager.pk, "load": "dedicated"}).status_code == 302  # changes the load
    assert dict(campaign.assignments.values_list("user__username", "load")) == {
        teammate.username: "dedicated",
        manager.username: "dedicated",
    }
    # progress: five clients; one complete, one paused, one called, two untouched
    made = []
    for n in range(4):
        c = ClientFactory(owner=manager, name=f"К{n}")
        ProgrammeClient.objects.create(client=c, assigned_to=manager)
        made.append(c)
    q1 = questionnaire_create(client=made[0], by=manager, meeting_date=date(2026, 6, 10), campaign=campaign)
    Questionnaire.objects.filter(pk=q1.pk).update(status="complete")
    q2 = questionnaire_create(client=made[1], by=manager, meeting_date=date(2026, 6, 10), campaign=campaign)
    Questionnaire.objects.filter(pk=q2.pk).update(status="paused", paused_at_section="quality")
    Activity.objects.create(
        kind=Activity.Kind.CALL, client=made[2], owner=manager, subject="Звонок", done_at=timezone.now()
    )
    with CaptureQueriesContext(connection) as one:
        response = client.get(detail)
    p = response.context["progress"]
    assert (p.clients, p.met, p.complete, p.paused, p.not_called) == (5, 2, 1, 1, 2)
    for _ in range(4):
        c = ClientFactory(owner=manager)
        ProgrammeClient.objects.create(client=c, assigned_to=teammate, assign_reason="keeps_away")
    with CaptureQueriesContext(connection) as many:
        response = client.get(detail)
    assert response.context["progress"].not_called == 6
    assert len(many) == len(one)
    assignment = campaign.assignments.get(user=teammate)
    remove = reverse("vip_campaign_staff_remove", args=[campaign.pk, assignment.pk])
    assert client.post(remove).status_code == 302
    assert not StaffAssignment.objects.filter(pk=assignment.pk).exists()


def test_a_stranger_campaign_is_404_for_staff_pages(client, manager, campaign):
    other = Campaign.objects.create(name="Чужая", start=date(2026, 9, 1))
    client.force_login(manager)
    assert client.get(reverse("vip_campaign_detail", args=[other.pk])).status_code == 403
    assert Campaign.objects.visible_to(manager).filter(pk=other.pk).exists() is False


def test_only_programme_sellers_assigned_as_staff(vip_head, service_owner, campaign):
    with pytest.raises(Exception):
        campaign_staff_set(campaign=campaign, user=service_owner, load="dedicated", by=vip_head)


def test_the_call_script_is_the_seed_until_the_vip_head_edits_it(client, vip_head, manager):
    client.force_login(manager)
    assert "long-standing and trusted partners" in client.get(reverse("vip_call_script")).content.decode()
    assert client.post(reverse("vip_call_script"), {"text": "Мой текст"}).status_code == 403
    client.force_login(vip_head)
    assert client.post(reverse("vip_call_script"), {"text": ""}).status_code == 400
    assert client.post(reverse("vip_call_script"), {"text": "Добрый день! Мы запустили программу."}).status_code == 302
    assert VipCallScript.objects.get().updated_by == vip_head
    client.force_login(manager)
    assert "Мы запустили программу" in client.get(reverse("vip_call_script")).content.decode()


@pytest.mark.russian
def test_the_seed_script_in_russian(client, manager):
    client.force_login(manager)
    assert "Наша компания запустила новую программу" in client.get(reverse("vip_call_script")).content.decode()


def test_the_call_logs_an_activity_and_schedules_the_meeting(client, manager, vip_client):
    entry = vip_client.vip_entry
    url = reverse("vip_meeting_call", args=[entry.pk])
    client.force_login(manager)
    page = client.get(url)
    assert page.status_code == 200 and "long-standing and trusted partners" in page.content.decode()
    meeting_at = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    assert client.post(url, {"call_result": "reached", "meeting_at": "2020-01-01T10:00"}).status_code == 400
    assert not Activity.objects.filter(client=vip_client).exists()
    response = client.post(url, {"call_result": "reached", "note": "ждут в 11", "meeting_at": meeting_at})
    assert response.status_code == 302
    call = Activity.objects.get(client=vip_client, kind=Activity.Kind.CALL)
    task = Activity.objects.get(client=vip_client, kind=Activity.Kind.TASK)
    assert (call.call_result, call.owner, call.done_at is not None) == ("reached", manager, True)
    assert (task.subject, task.done_at) == ("VIP meeting with the questionnaire", None)
    rows = client.get(reverse("vip_my_list")).context["rows"]
    assert rows[0].next_step == "meeting_set"


def test_the_call_of_a_client_not_on_my_list_is_404(client, manager, other_manager, vip_client):
    entry = vip_client.vip_entry
    client.force_login(other_manager)
    assert client.get(reverse("vip_meeting_call", args=[entry.pk])).status_code == 404


def test_a_non_owner_employee_gets_a_clear_message_not_a_500(client, manager, teammate, vip_head, vip_client):
    entry = vip_client.vip_entry
    ProgrammeClient.objects.filter(pk=entry.pk).update(assigned_to=teammate, assign_reason="keeps_away")
    client.force_login(teammate)
    meeting_at = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("vip_meeting_call", args=[entry.pk]), {"call_result": "busy", "meeting_at": meeting_at}
    )
    assert response.status_code == 400
    assert "does not let you log calls" in response.content.decode()
    assert not Activity.objects.filter(client=vip_client).exists()


@pytest.mark.parametrize(
    ("who", "status"), [("vip_head", 200), ("manager", 200), ("service_owner", 403), ("base_manager", 403)]
)
def test_the_blank_questionnaire_prints_every_section_and_question(request, client, template, who, status):
    CategoryFactory(name="Видеонаблюдение")
    CategoryFactory(name="Старое", is_active=False)
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("vip_template_print", args=[template.pk]))
    assert response.status_code == status
    if status == 200:
        body = response.content.decode()
        assert body.count('data-testid="vip-blank-question"') == template.questions.count()
        assert "Objective quality of service" in body and "Referrals" in body
        assert "print-page" in body
        # Room to grow on paper: a line per active category for the client's yearly purchases of it.
        grid = body[body.index('data-testid="vip-blank-categories"') :]
        assert "Видеонаблюдение" in grid and "Старое" not in grid
    assert client.get(reverse("vip_template_print", args=[template.pk + 999])).status_code == (
        404 if status == 200 else 403
    )


def test_problem_counts_ignore_closed_problems(client, vip_head, vip_client, manager, questionnaire):
    p = problem_open(client=vip_client, by=manager, what="Сбой", questionnaire=questionnaire)
    Problem.objects.filter(pk=p.pk).update(status=Problem.Status.CLOSED)
    client.force_login(vip_head)
    assert client.get(reverse("vip_programme")).context["rows"][0].open_problems == 0


def test_the_list_and_the_candidates_page(client, vip_head, manager, monkeypatch):
    monkeypatch.setattr("vip.views.programme.PER_PAGE", 2)
    for n in range(3):
        ProgrammeClient.objects.create(client=ClientFactory(owner=manager, name=f"Клиент {n}"), assigned_to=manager)
        ClientFactory(owner=manager, name=f"Кандидат {n}")
    client.force_login(vip_head)
    first = client.get(reverse("vip_programme"))
    second = client.get(reverse("vip_programme"), {"page": 2})
    assert [r.client.name for r in first.context["rows"]] == ["Клиент 0", "Клиент 1"]
    assert [r.client.name for r in second.context["rows"]] == ["Клиент 2"]
    build = client.get(reverse("vip_programme_build"), {"page": 2, "corporate": "on"})
    assert len(build.context["rows"]) == 1
    assert "corporate=on&amp;page=1" in build.content.decode()


def test_the_hand_form_offers_private_clients_only(client, vip_head, manager):
    person = ClientFactory(owner=manager, name="Сидоров С.С.", inn="500100732259")
    company = ClientFactory(owner=manager, name="АО Компания")
    client.force_login(vip_head)
    offered = client.get(reverse("vip_programme_build")).context["hand_form"].fields["client"].queryset
    assert person in offered and company not in offered
    response = client.post(reverse("vip_programme_build"), {"by_hand": "1", "client": company.pk, "reason": "важный"})
    assert response.status_code == 400
    assert not ProgrammeClient.objects.filter(client=company).exists()


def test_bad_input_gets_a_message_never_a_500(client, vip_head, manager, vip_client, campaign):
    client.force_login(vip_head)
    entry = vip_client.vip_entry
    assert client.get(reverse("vip_programme_build"), {"min_revenue": "много", "segment": "x"}).status_code == 200
    response = client.post(reverse("vip_programme_assign"), {"entries": [999999], "campaign": campaign.pk}, follow=True)
    assert response.status_code == 200 and response.context["messages"]
    response = client.post(
        reverse("vip_programme_assign"), {"entries": [entry.pk], "campaign": campaign.pk, "split": ""}, follow=True
    )
    assert "Choose the employee, or split evenly." in [str(m) for m in response.context["messages"]]
    assert client.post(reverse("vip_programme_build"), {"clients": ["abc"], "tier": "weekly"}).status_code == 400
    detail = reverse("vip_campaign_detail", args=[campaign.pk])
    assert client.post(detail, {"user": "abc", "load": "full"}).status_code == 400
    assert (
        client.post(reverse("vip_campaign_list"), {"name": "", "start": "31.02.2026", "weeks": "x"}).status_code == 400
    )
    call = reverse("vip_meeting_call", args=[entry.pk])
    assert client.post(call, {"call_result": "maybe", "meeting_at": "завтра"}).status_code == 400
    assert client.get(reverse("vip_campaign_detail", args=[999999])).status_code == 404
    assert client.post(reverse("vip_programme_remove", args=[999999])).status_code == 404
