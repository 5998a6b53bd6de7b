"""Every VIP page and API list, for every role, on two clients' objects: the manager's own client and another
manager's. The table says what each role gets; a page that is added later without a row here fails the test, so no
page escapes the visibility check. Nothing answers 500."""

from datetime import date

import pytest
from django.urls import reverse

from tests.conftest import api_as
from tests.crm.factories import ClientFactory
from vip import urls as vip_urls
from vip.api.urls import ROUTES
from vip.models import ProgrammeClient
from vip.services.problems import problem_open
from vip.services.questionnaires import questionnaire_create

pytestmark = pytest.mark.django_db

ROLES = [
    "admin_user",
    "head",
    "vip_head",
    "team_lead",
    "manager",
    "other_manager",
    "service_owner",
    "base_manager",
]

# GET of every page, per role in the order of ROLES: (status on the manager's client's objects, status on the other
# manager's). 405: the route only takes POST (its refusals are checked by test_nobody_writes_to_what_is_not_his).
A, D = (200, 200), (403, 403)
M, N = (405, 405), (404, 404)
GET_STATUS: dict[str, list[tuple[int, int]]] = {
    "vip_questionnaire_list": [A, A, A, A, A, A, D, D],
    "vip_template_standard": [M, M, M, M, M, M, D, D],
    "vip_questionnaire_create": [A, A, A, A, A, A, D, D],
    "vip_questionnaire_detail": [A, A, A, (200, 404), (200, 404), (404, 200), D, D],
    "vip_questionnaire_answer": [M, M, M, M, M, M, D, D],
    "vip_questionnaire_problem": [M, M, M, M, M, M, D, D],
    "vip_contact_add": [M, M, M, M, M, M, D, D],
    "vip_contact_action": [M, M, M, M, M, M, D, D],
    "vip_questionnaire_resume": [M, M, M, M, M, M, D, D],
    "vip_questionnaire_complete": [M, M, M, M, M, M, D, D],
    "vip_wallet_add": [M, M, M, M, M, M, D, D],
    "vip_wallet_record": [M, M, M, M, M, M, D, D],
    "vip_offer_create": [M, M, M, M, M, M, D, D],
    "vip_referral_create": [M, M, M, M, M, M, D, D],
    "vip_dashboard": [A, A, A, D, D, D, D, D],
    "vip_review": [A, A, A, D, D, D, A, D],
    "vip_review_print": [A, A, A, D, D, D, A, D],
    "vip_problem_list": [A, A, A, A, A, A, A, D],
    "vip_problem_detail": [A, A, A, (200, 404), (200, 404), (404, 200), A, D],
    "vip_problem_action": [M, M, M, M, M, M, M, D],
    "vip_programme": [A, A, A, D, D, D, D, D],
    "vip_programme_build": [A, A, A, D, D, D, D, D],
    "vip_programme_assign": [M, M, M, D, D, D, D, D],
    "vip_programme_remove": [M, M, M, D, D, D, D, D],
    # The team lead reads his team's questionnaires but does not set meetings: that is the programme's staff.
    "vip_meeting_call": [A, A, A, N, (200, 404), (404, 200), D, D],
    "vip_my_list": [A, A, A, A, A, A, D, D],
    "vip_campaign_list": [A, A, A, D, D, D, D, D],
    "vip_campaign_detail": [A, A, A, D, D, D, D, D],
    "vip_campaign_staff_remove": [M, M, M, D, D, D, D, D],
    "vip_call_script": [A, A, A, A, A, A, D, D],
    "vip_template_print": [A, A, A, A, A, A, D, D],
    "vip_template_list": [A, A, A, D, D, D, D, D],
    "vip_template_edit": [A, A, A, D, D, D, D, D],
    # The client's confirmation link is public; a tampered token is a clear 400 page for anyone.
    "vip_confirm": [(400, 400)] * 8,
}


@pytest.fixture
def world(manager, other_manager, vip_head, template, campaign, questionnaire, vip_client):
    theirs_client = ClientFactory(owner=other_manager, name="АО Василёк")
    theirs_entry = ProgrammeClient.objects.create(client=theirs_client, added_by=vip_head, assigned_to=other_manager)
    theirs_q = questionnaire_create(client=theirs_client, by=other_manager, meeting_date=date(2026, 6, 11))
    mine = {
        "questionnaire": questionnaire,
        "problem": problem_open(client=vip_client, by=manager, what="Скорость", questionnaire=questionnaire),
        "entry": ProgrammeClient.objects.get(client=vip_client),
    }
    theirs = {
        "questionnaire": theirs_q,
        "problem": problem_open(client=theirs_client, by=other_manager, what="Обрывы", questionnaire=theirs_q),
        "entry": theirs_entry,
    }
    return {"mine": mine, "theirs": theirs, "campaign": campaign, "template": template}


def url_for(pattern, objects, world):
    """The route filled with one side's objects, by what the view's `pk` stands for."""
    view = pattern.callback.view_class.__name__
    keys = set(pattern.pattern.regex.groupindex)
    args = {}
    if "pk" in keys:
        if view.startswith("Problem"):
            args["pk"] = objects["problem"].pk
        elif view.startswith("Campaign"):
            args["pk"] = world["campaign"].pk
        elif view.startswith("Template"):
            args["pk"] = world["template"].pk
        elif view in ("ProgrammeRemoveView", "MeetingCallView"):
            args["pk"] = objects["entry"].pk
        else:
            args["pk"] = objects["questionnaire"].pk
    if "question_id" in keys:
        args["question_id"] = objects["questionnaire"].template.questions.first().pk
    if "problem_id" in keys:
        args["problem_id"] = objects["problem"].pk
    if "contact_id" in keys:
        args["contact_id"] = 1
    if "category_id" in keys:
        args["category_id"] = 1
    if "assignment_id" in keys:
        args["assignment_id"] = world["campaign"].assignments.first().pk
    if "action" in keys and "action" not in pattern.default_args:
        args["action"] = "take"
    if "token" in keys:
        args["token"] = "tampered"
    return reverse(pattern.name, kwargs=args)


def test_every_page_is_in_the_table():
    assert {pattern.name for pattern in vip_urls.urlpatterns} == set(GET_STATUS)


@pytest.mark.parametrize(("index", "who"), list(enumerate(ROLES)))
def test_what_each_role_gets_on_every_page(request, client, world, index, who):
    client.force_login(request.getfixturevalue(who))
    got = {
        pattern.name: tuple(client.get(url_for(pattern, world[side], world)).status_code for side in ("mine", "theirs"))
        for pattern in vip_urls.urlpatterns
    }
    assert got == {name: row[index] for name, row in GET_STATUS.items()}


@pytest.mark.parametrize(("who", "side"), [("manager", "theirs"), ("team_lead", "theirs"), ("other_manager", "mine")])
def test_nobody_writes_to_what_is_not_his(request, client, world, who, side):
    """A POST to every route of another team's client is refused (403/404), or is a form that fails (400) or a
    route that takes no POST (405), and changes nothing."""
    client.force_login(request.getfixturevalue(who))
    objects = world[side]
    before = (objects["questionnaire"].answers.count(), objects["problem"].status, objects["questionnaire"].status)
    refused = {}
    for pattern in vip_urls.urlpatterns:
        status = client.post(url_for(pattern, objects, world), {"note": "x", "text": "x"}).status_code
        refused[pattern.name] = status in (400, 403, 404, 405)
    assert all(refused.values()), [name for name, ok in refused.items() if not ok]
    objects["problem"].refresh_from_db()
    objects["questionnaire"].refresh_from_db()
    after = (objects["questionnaire"].answers.count(), objects["problem"].status, objects["questionnaire"].status)
    assert after == before


def test_a_base_manager_is_refused_everywhere_but_the_public_link(client, world, base_manager):
    client.force_login(base_manager)
    for pattern in vip_urls.urlpatterns:
        status = client.post(url_for(pattern, world["mine"], world), {}).status_code
        assert status == (400 if pattern.name == "vip_confirm" else 403), pattern.name


# Every /api/v1/vip/ list, per role in the order of ROLES: (status, rows). The world holds two programme clients, each
# with a questionnaire and a problem; one campaign with the manager on its staff; one template.
API_LISTS: dict[str, list[tuple[int, int]]] = {
    "vip/questionnaires": [(200, 2)] * 3 + [(200, 1)] * 3 + [(200, 0)] * 2,
    "vip/problems": [(200, 2)] * 3 + [(200, 1)] * 3 + [(200, 2), (200, 0)],
    "vip/programme": [(200, 2)] * 3 + [(200, 1)] * 3 + [(200, 0)] * 2,
    # Staff see the campaigns they are assigned to.
    "vip/campaigns": [(200, 1)] * 3 + [(200, 0), (200, 1), (200, 0), (200, 0), (200, 0)],
    "vip/templates": [(200, 1)] * 6 + [(403, 0)] * 2,
    "vip/offers": [(200, 0)] * 8,
    "vip/referrals": [(200, 0)] * 8,
    "vip/quotas?week=2026-06-10": [(200, 1)] * 3 + [(403, 0)] * 5,
    "vip/staffing?campaign={campaign}": [(200, 1)] * 3 + [(403, 0)] * 5,
}


def test_every_api_list_is_in_the_table():
    assert {prefix for prefix, _view, _name in ROUTES} == {key.split("?")[0] for key in API_LISTS}


@pytest.mark.parametrize(("index", "who"), list(enumerate(ROLES)))
def test_what_each_role_gets_from_every_api_list(request, world, index, who):
    api = api_as(request.getfixturevalue(who))
    got = {}
    for key in API_LISTS:
        path, _, query = key.partition("?")
        response = api.get(f"/api/v1/{path}/?{query.format(campaign=world['campaign'].pk)}")
        body = response.json() if response.status_code == 200 else {}
        if "people" in body:
            rows = len(body["people"])
        elif "needed" in body or "campaign" in body:
            rows = 1
        else:
            rows = body.get("count", 0)
        got[key] = (response.status_code, rows)
    assert got == {key: row[index] for key, row in API_LISTS.items()}
