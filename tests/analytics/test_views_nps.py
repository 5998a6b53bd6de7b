"""The NPS page, its XLSX, typing an answer in, the client card's panel, the API and the headline: each role sees
the figures of its scope (with the numbers they come from), bad input is a 400, query counts do not grow with rows."""

from datetime import date, datetime, time
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from analytics.models import NpsAnswer, NpsInvitation
from analytics.selectors.nps import nps_headline, nps_report
from analytics.services.nps import answer_by_link, answer_type_in, survey_create
from tests.api_errors import field_errors
from tests.conftest import api_as
from tests.crm.factories import ClientFactory, ContactFactory, SaleLineFactory
from vip.models import Answer, ProgrammeClient, Questionnaire
from vip.rules.questionnaires import Section
from vip.services.templates import template_standard_create

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 11, 30)
ALL_ROLES = ["head", "admin_user", "team_lead", "manager", "other_manager", "vip_head", "service_owner", "base_manager"]
# (answers, NPS) per role: A = manager's (10 link, 9, 6), B = teammate's (VIP questionnaire 9 and 3... see world),
# C = other_manager's on the VIP programme (8).
EXPECTED = {
    "head": (6, Decimal("16.7")),
    "admin_user": (6, Decimal("16.7")),
    "team_lead": (5, Decimal("20.0")),
    "manager": (3, Decimal("33.3")),
    "other_manager": (1, Decimal("0.0")),
    "vip_head": (1, Decimal("0.0")),
}


def moment(day):
    return timezone.make_aware(datetime.combine(day, time(11, 0)))


def answered(client, by, score, day=date(2026, 11, 10), channel="phone"):
    return answer_type_in(by=by, client=client, score=score, channel=channel, answered_on=day, now=moment(AS_OF))


def vip_recommend(client, employee, vip_head, score, day=date(2026, 10, 5)):
    template = template_standard_create(by=vip_head)
    questionnaire = Questionnaire.objects.create(client=client, employee=employee, template=template, meeting_date=day)
    question = template.questions.get(section=Section.RECOMMEND)
    return Answer.objects.create(questionnaire=questionnaire, question=question, number=score, answered_by=employee)


@pytest.fixture
def world(manager, teammate, other_manager, vip_head, team_lead):
    a = ClientFactory(owner=manager, name="А-Мой")
    ContactFactory(client=a, email="one@a.ru", full_name="Один")
    ContactFactory(client=a, email="two@a.ru", full_name="Два")
    b = ClientFactory(owner=teammate, name="Б-Команды")
    c = ClientFactory(owner=other_manager, name="В-Чужой")
    ProgrammeClient.objects.create(client=c)
    d = ClientFactory(owner=manager, name="Г-Без опроса")
    for client, amount in ((a, "900000"), (b, "100000"), (d, "1000000")):
        SaleLineFactory(client=client, manager=client.owner, amount=Decimal(amount), date=date(2026, 9, 1))
    SaleLineFactory(client=a, manager=manager, amount=Decimal("5"), date=date(2025, 9, 1))  # before the window
    survey = survey_create(client=a, as_of=date(2026, 11, 2), send=False)
    NpsInvitation.objects.filter(survey=survey).update(sent_at=moment(date(2026, 11, 2)))
    first = NpsInvitation.objects.get(email="one@a.ru")
    answer_by_link(invitation=first, score=10, channel="email", now=moment(date(2026, 11, 3)))
    answered(a, manager, 9)
    answered(a, manager, 6)
    answered(b, teammate, 9)
    vip_recommend(b, teammate, vip_head, 3)
    answered(c, other_manager, 8)
    answered(c, other_manager, 0, day=date(2025, 6, 1))  # outside the 365 days
    return {"a": a, "b": b, "c": c, "d": d}


@pytest.mark.parametrize("who", ALL_ROLES)
def test_the_page_shows_each_role_its_own_figures(request, world, who, client):
    user = request.getfixturevalue(who)
    client.force_login(user)
    response = client.get(reverse("analytics_nps"), {"as_of": AS_OF.isoformat()})
    if who not in EXPECTED:
        assert response.status_code == 403
        assert client.get(reverse("analytics_nps_export")).status_code == 403
        assert client.get(reverse("analytics_nps_answer"), {"client": world["a"].pk}).status_code == 403
        return
    assert response.status_code == 200
    answers, nps = EXPECTED[who]
    report = response.context["report"]
    assert (report.total.counts.answers, report.total.nps) == (answers, nps)
    body = response.content.decode()
    assert f"ответов: {answers}" in body
    names = {g.name for g in report.clients}
    visible = {
        "head": {"А-Мой", "Б-Команды", "В-Чужой"},
        "admin_user": {"А-Мой", "Б-Команды", "В-Чужой"},
        "team_lead": {"А-Мой", "Б-Команды"},
        "manager": {"А-Мой"},
        "other_manager": {"В-Чужой"},
        "vip_head": {"В-Чужой"},
    }[who]
    assert names == visible
    assert {a.client for a in response.context["answers"]} == visible
    export = client.get(reverse("analytics_nps_export"), {"as_of": AS_OF.isoformat()})
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_team_leads_figures_with_their_numbers(world, team_lead):
    report = nps_report(user=team_lead, as_of=AS_OF)
    t = report.total
    assert (t.counts.promoters, t.counts.passives, t.counts.detractors) == (3, 0, 2)
    assert t.nps == Decimal("20.0") and t.band == "low"
    # A: NPS +33.3 with 900 000 ₽, B: 0 with 100 000 ₽ -> 30.0.
    assert t.weighted == Decimal("30.0")
    assert (t.sent, t.answered, t.response_rate) == (2, 1, Decimal("50.0"))
    # Clients who answered: A + B = 1 000 000 of the 2 000 000 ₽ of the team's clients (D was not surveyed).
    assert (t.answered_revenue, t.revenue, t.revenue_share) == (
        Decimal("1000000"),
        Decimal("2000000"),
        Decimal("50.0"),
    )
    managers = {g.name: g for g in report.managers}
    assert {name: (g.counts.answers, g.nps) for name, g in managers.items()} == {
        str(world["a"].owner.get_full_name()): (3, Decimal("33.3")),
        str(world["b"].owner.get_full_name()): (2, Decimal("0.0")),
    }
    mine = managers[str(world["a"].owner.get_full_name())]
    assert (mine.answered_revenue, mine.revenue, mine.revenue_share) == (
        Decimal("900000"),
        Decimal("1900000"),
        Decimal("47.4"),
    )
    assert [g.counts.answers for g in report.segments] == [5]


def test_the_headline(world, head, service_owner):
    headline = nps_headline(head, AS_OF)
    assert headline is not None
    assert (headline.key, headline.value, headline.url, headline.tone) == ("nps", "+16,7", "/analytics/nps/", "bad")
    # 3 promoters and 2 detractors of 6 answers.
    assert headline.detail == "50,0 % промоутеров − 33,3 % критиков, ответов: 6"
    assert nps_headline(service_owner, AS_OF) is None


def count_queries(client, url, params=None):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params or {}).status_code == 200
    return len(queries)


def more_rows(manager, n):
    for i in range(n):
        company = ClientFactory(owner=manager, name=f"Ещё {i}")
        ContactFactory(client=company, email=f"x{i}@x.ru")
        survey = survey_create(client=company, as_of=date(2026, 11, 2), send=False)
        NpsInvitation.objects.filter(survey=survey).update(sent_at=moment(date(2026, 11, 2)))
        answered(company, manager, i % 11)
        SaleLineFactory(client=company, manager=manager, date=date(2026, 10, 1))


def test_query_counts_do_not_grow_with_rows(world, head, manager, vip_head, client, django_assert_max_num_queries):
    client.force_login(head)
    api = api_as(head)
    urls = [
        (reverse("analytics_nps"), {"as_of": AS_OF.isoformat()}),
        (reverse("analytics_nps_export"), {"as_of": AS_OF.isoformat()}),
    ]
    small = [count_queries(client, url, params) for url, params in urls]
    with CaptureQueriesContext(connection) as q:
        api.get("/api/v1/analytics/nps/", {"as_of": AS_OF.isoformat()})
        api.get("/api/v1/analytics/nps/answers/", {"as_of": AS_OF.isoformat()})
    api_small = len(q)
    more_rows(manager, 12)
    for (url, params), before in zip(urls, small, strict=True):
        with django_assert_max_num_queries(before):
            client.get(url, params)
    with django_assert_max_num_queries(api_small):
        api.get("/api/v1/analytics/nps/", {"as_of": AS_OF.isoformat()})
        api.get("/api/v1/analytics/nps/answers/", {"as_of": AS_OF.isoformat()})


@pytest.mark.parametrize("who", ALL_ROLES)
def test_the_api_shows_each_role_its_own_figures(request, world, who):
    api = api_as(request.getfixturevalue(who))
    response = api.get("/api/v1/analytics/nps/", {"as_of": AS_OF.isoformat()})
    answers_response = api.get("/api/v1/analytics/nps/answers/", {"as_of": AS_OF.isoformat()})
    if who not in EXPECTED:
        assert response.status_code == answers_response.status_code == 403
        return
    answers, nps = EXPECTED[who]
    assert response.status_code == 200
    assert response.data["total"]["counts"]["answers"] == answers
    assert Decimal(response.data["total"]["nps"]) == nps
    assert answers_response.status_code == 200 and len(answers_response.data) == answers
    assert {row["channel"] for row in answers_response.data} <= {"email", "phone", "vip", "office", "web"}


def test_the_api_records_a_typed_answer_and_answers_400_with_field_errors(world, manager):
    api = api_as(manager)
    a = world["a"]
    contact = a.contacts.first()
    bad = api.post(
        "/api/v1/analytics/nps/", {"client": a.pk, "score": 11, "channel": "email", "comment": "x"}, format="json"
    )
    assert bad.status_code == 400 and set(field_errors(bad)) == {"score", "channel"}
    other = api.post("/api/v1/analytics/nps/", {"client": world["c"].pk, "score": 5, "channel": "phone"}, format="json")
    assert other.status_code == 400 and set(field_errors(other)) == {"client"}
    wrong_contact = ContactFactory(client=world["c"])
    assert (
        api.post(
            "/api/v1/analytics/nps/",
            {"client": a.pk, "score": 5, "channel": "phone", "contact": wrong_contact.pk},
            format="json",
        ).status_code
        == 400
    )
    future = api.post(
        "/api/v1/analytics/nps/", {"client": a.pk, "score": 5, "channel": "phone", "answered_on": "2999-01-01"}
    )
    assert future.status_code == 400 and "answered_on" in field_errors(future)
    before = NpsAnswer.objects.count()
    good = api.post(
        "/api/v1/analytics/nps/",
        {"client": a.pk, "contact": contact.pk, "score": 4, "channel": "office", "comment": "Дорого"},
        format="json",
    )
    assert good.status_code == 201 and good.data["task"] is not None
    assert NpsAnswer.objects.count() == before + 1


def test_an_employee_types_an_answer_from_the_page(world, manager, other_manager, client):
    a = world["a"]
    client.force_login(manager)
    url = reverse("analytics_nps_answer")
    assert client.get(url, {"client": a.pk}).status_code == 200
    bad = client.post(url, {"client": a.pk, "score": "12", "channel": "phone", "comment": "Остаётся в форме"})
    assert bad.status_code == 400 and "Остаётся в форме" in bad.content.decode()
    assert client.post(url, {"client": "abc", "score": "5"}).status_code == 302
    before = NpsAnswer.objects.count()
    done = client.post(url, {"client": a.pk, "score": "7", "channel": "office", "comment": "Нормально"})
    assert done.status_code == 302 and NpsAnswer.objects.count() == before + 1
    client.force_login(other_manager)
    assert client.get(url, {"client": a.pk}).status_code == 404
    assert client.post(url, {"client": a.pk, "score": "7", "channel": "office"}).status_code == 404
    assert NpsAnswer.objects.count() == before + 1


def test_the_client_card_shows_its_nps(world, manager, client):
    client.force_login(manager)
    body = client.get(reverse("client_detail", args=[world["a"].pk])).content.decode()
    assert 'data-testid="client-nps"' in body and 'data-testid="client-nps-answer"' in body


def test_the_navbar_has_the_analytics_menu(head, service_owner, client):
    client.force_login(head)
    assert 'data-testid="nav-analytics-nps"' in client.get(reverse("analytics_nps")).content.decode()


def test_the_page_finds_a_client_to_type_an_answer_for(world, manager, client):
    client.force_login(manager)
    url = reverse("analytics_nps_answer")
    found = client.get(url, {"q": "Мой"})
    assert found.status_code == 200 and [c["name"] for c in found.context["found"]] == ["А-Мой"]
    assert client.get(url, {"q": "Чужой"}).context["found"] == []  # not his
    assert client.get(url, {"q": world["a"].inn[:6]}).context["found"][0]["pk"] == world["a"].pk


def test_sending_the_survey_by_hand(
    world, manager, other_manager, client, mailoutbox, django_capture_on_commit_callbacks
):
    url = reverse("analytics_nps_survey")
    client.force_login(other_manager)
    assert client.post(url, {"client": world["a"].pk}).status_code == 404
    client.force_login(manager)
    before = NpsInvitation.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"client": world["a"].pk})
    assert response.status_code == 302 and response["Location"] == reverse("client_detail", args=[world["a"].pk])
    assert NpsInvitation.objects.count() == before + 2
    assert sorted(m.to[0] for m in mailoutbox) == ["one@a.ru", "two@a.ru"]
    # A client without a contact's e-mail: a message, nothing sent.
    response = client.post(url, {"client": world["d"].pk}, follow=True)
    assert "нет контактного лица" in response.content.decode()
    assert NpsInvitation.objects.count() == before + 2
    body = client.get(reverse("client_detail", args=[world["a"].pk])).content.decode()
    assert 'data-testid="client-nps-last"' in body


def test_the_page_lists_the_lowest_nps_first_and_cuts_the_long_list(world, head, client, monkeypatch):
    monkeypatch.setattr("analytics.views.nps.PAGE_CLIENTS", 2)
    client.force_login(head)
    response = client.get(reverse("analytics_nps"), {"as_of": AS_OF.isoformat()})
    assert [g.name for g in response.context["page_clients"]] == ["Б-Команды", "В-Чужой"]
    assert response.context["clients_cut"] is True
    assert "все — в Excel" in response.content.decode()
