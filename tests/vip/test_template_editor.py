"""The VIP head's questionnaire templates: the list of versions, the editor of a version's questions, the rule that a
version in use is never changed (an edit makes the next version), field errors that change nothing, every role."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.crm.factories import ClientFactory
from vip.models import ProgrammeClient, Question, Questionnaire, QuestionnaireTemplate
from vip.rules.questionnaires import Kind, Rule, Section, question_errors
from vip.services.questionnaires import questionnaire_create
from vip.services.templates import (
    template_question_create,
    template_question_move,
    template_question_remove,
    template_question_update,
)

pytestmark = pytest.mark.django_db

EDIT = "vip_template_edit"


def snapshot(template):
    return list(template.questions.order_by("position", "id").values_list("section", "text", "kind", "rule", "limit"))


def edit_url(template):
    return reverse(EDIT, args=[template.pk])


def row_data(question, **changes):
    data = {
        "action": "save",
        "question": question.pk,
        f"q{question.pk}-text": question.text,
        f"q{question.pk}-kind": question.kind,
        f"q{question.pk}-choices": "\n".join(question.choices),
        f"q{question.pk}-rule": question.rule,
        f"q{question.pk}-limit": "" if question.limit is None else str(question.limit),
    }
    data.update({f"q{question.pk}-{k}" if k not in ("action", "question") else k: v for k, v in changes.items()})
    return data


def add_data(**changes):
    data = {
        "action": "add",
        "new-section": Section.GROWTH,
        "new-text": "Сколько офисов у клиента?",
        "new-kind": "number",
    }
    data.update({f"new-{k}": v for k, v in changes.items()})
    return data


def speed(template):
    return template.questions.get(text__startswith="Measured speed")


@pytest.mark.parametrize(
    ("section", "kind", "rule", "limit", "choices", "fields"),
    [
        (Section.QUALITY, Kind.YES_NO, Rule.MUST_BE_YES, None, [], set()),
        (Section.QUALITY, Kind.YES_NO, Rule.NO_FAILURE_MONTH, None, [], set()),
        (Section.QUALITY, Kind.NUMBER, Rule.MIN, Decimal(100), [], set()),
        (Section.QUALITY, Kind.SCORE, Rule.MAX, Decimal(10), [], set()),
        (Section.QUALITY, Kind.NUMBER, Rule.MIN, None, [], {"limit"}),
        (Section.QUALITY, Kind.TEXT, Rule.MUST_BE_YES, None, [], {"rule"}),
        (Section.QUALITY, Kind.YES_NO, Rule.MAX, Decimal(5), [], {"rule"}),
        (Section.QUALITY, Kind.SCORE, Rule.MIN, Decimal(11), [], {"limit"}),
        (Section.QUALITY, Kind.YES_NO, "", Decimal(5), [], {"limit"}),
        (Section.GROWTH, Kind.NUMBER, Rule.MIN, Decimal(5), [], {"rule"}),
        (Section.GROWTH, "essay", "", None, [], {"kind"}),
        (Section.GROWTH, Kind.CHOICE, "", None, ["да"], {"choices"}),
        (Section.GROWTH, Kind.CHOICE, "", None, ["один", "два"], set()),
        ("nowhere", Kind.TEXT, "", None, [], {"section"}),
    ],
)
def test_question_rules(section, kind, rule, limit, choices, fields):
    errors = question_errors(section=section, kind=kind, rule=rule, limit=limit, choices=choices)
    assert set(errors) == fields


def test_an_unused_version_is_edited_in_place(client, vip_head, template):
    client.force_login(vip_head)
    question = speed(template)
    response = client.post(edit_url(template), row_data(question, text="Скорость по замеру, Мбит/с", limit="150"))
    assert response.status_code == 302 and response["Location"].startswith(edit_url(template))
    question.refresh_from_db()
    assert (question.text, question.limit, question.template_id) == (
        "Скорость по замеру, Мбит/с",
        Decimal(150),
        template.pk,
    )
    assert QuestionnaireTemplate.objects.count() == 1
    assert "Version" not in " ".join(str(m) for m in client.get(edit_url(template)).context["messages"])


def test_add_move_and_remove_within_a_section(client, vip_head, template):
    client.force_login(vip_head)
    assert client.post(edit_url(template), add_data()).status_code == 302
    growth = list(template.questions.filter(section=Section.GROWTH).order_by("position").values_list("text", flat=True))
    assert growth[-1] == "Сколько офисов у клиента?" and len(growth) == 2
    new = template.questions.get(text="Сколько офисов у клиента?")
    client.post(edit_url(template), {"action": "up", "question": new.pk})
    client.post(edit_url(template), {"action": "up", "question": new.pk})
    client.post(edit_url(template), {"action": "up", "question": new.pk})  # at the top already: stays
    growth = list(template.questions.filter(section=Section.GROWTH).order_by("position").values_list("text", flat=True))
    assert growth[0] == "Сколько офисов у клиента?"
    sections = [s for s, *_rest in snapshot(template)]
    assert sections == sorted(sections, key=list(Section.values).index)  # sections stay in the seed's order
    client.post(edit_url(template), {"action": "down", "question": new.pk})
    assert template.questions.filter(section=Section.GROWTH).order_by("position")[1].pk == new.pk
    client.post(edit_url(template), {"action": "remove", "question": new.pk})
    assert not Question.objects.filter(pk=new.pk).exists()
    assert list(template.questions.order_by("position").values_list("position", flat=True)) == list(range(13))


def test_an_edit_of_a_used_version_makes_the_next_one(client, vip_head, template, questionnaire, vip_client, manager):
    client.force_login(vip_head)
    before = snapshot(template)
    question = speed(template)
    response = client.post(edit_url(template), row_data(question, limit="200"), follow=True)
    new = QuestionnaireTemplate.objects.get(version=2)
    assert response.redirect_chain[-1][0].startswith(edit_url(new))
    messages = [str(m) for m in response.context["messages"]]
    assert "Version 2 is made: the questionnaires filled on version 1 keep its questions." in messages
    template.refresh_from_db()
    assert (template.is_current, new.is_current) == (False, True)
    assert snapshot(template) == before  # the used version is untouched
    after = snapshot(new)
    assert len(after) == len(before) and speed(new).limit == Decimal(200)
    assert [row for row in after if row[1] != question.text] == [row for row in before if row[1] != question.text]
    questionnaire.refresh_from_db()
    assert questionnaire.template_id == template.pk
    page = client.get(reverse("vip_questionnaire_detail", args=[questionnaire.pk]))
    limits = [
        row.question.limit for block in page.context["sections"] for row in block.rows if row.question.rule == "min"
    ]
    assert limits == [Decimal(100)]  # the filled questionnaire still shows its version's questions
    # a new questionnaire takes the current version; editing the unused version 2 again is in place
    other = ClientFactory(owner=manager, name="ООО Василёк")
    ProgrammeClient.objects.create(client=other, assigned_to=manager)
    assert questionnaire_create(client=other, by=manager, meeting_date=date(2026, 6, 12)).template_id == new.pk
    third = QuestionnaireTemplate.objects.filter(version=3)
    assert not third.exists()
    client.post(edit_url(new), row_data(speed(new), limit="250"))
    assert QuestionnaireTemplate.objects.get(version=3).is_current  # version 2 was used by then


@pytest.mark.russian
def test_the_russian_message_names_both_versions(client, vip_head, template, questionnaire):
    client.force_login(vip_head)
    question = template.questions.get(kind=Kind.NUMBER, rule=Rule.MIN)
    response = client.post(edit_url(template), {"action": "remove", "question": question.pk}, follow=True)
    body = response.content.decode()
    assert "Создана версия 2: анкеты, заполненные по версии 1, сохраняют её вопросы" in body
    assert template.questions.filter(pk=question.pk).exists()  # still in version 1
    assert not QuestionnaireTemplate.objects.get(version=2).questions.filter(rule=Rule.MIN).exists()


def test_an_earlier_version_is_read_only(client, vip_head, template, questionnaire):
    client.force_login(vip_head)
    client.post(edit_url(template), row_data(speed(template), limit="200"))
    before = snapshot(template)
    page = client.get(edit_url(template))
    assert page.status_code == 200 and 'data-testid="vip-template-readonly"' in page.content.decode()
    response = client.post(edit_url(template), row_data(speed(template), limit="300"))
    assert response.status_code == 400
    assert response.context["sections"][4][1][2].non_field_errors()
    assert snapshot(template) == before and QuestionnaireTemplate.objects.count() == 2


@pytest.mark.parametrize(
    ("where", "data", "field"),
    [
        ("row", {"limit": ""}, "limit"),  # a minimum without its limit
        ("row", {"kind": "text"}, "rule"),  # a minimum on a text question
        ("row", {"kind": "essay"}, "kind"),  # not a kind
        ("row", {"text": ""}, "text"),
        ("add", {"rule": "min", "limit": "5"}, "rule"),  # a rule outside the quality section
        ("add", {"section": "quality", "rule": "min"}, "limit"),
        ("add", {"section": "quality", "kind": "yes_no", "rule": "max", "limit": "3"}, "rule"),
        ("add", {"kind": "choice", "choices": "одно"}, "choices"),
        ("add", {"kind": "essay"}, "kind"),
        ("add", {"limit": "много"}, "limit"),
    ],
)
def test_bad_input_gives_field_errors_keeps_what_was_typed_and_changes_nothing(
    client, vip_head, template, questionnaire, where, data, field
):
    client.force_login(vip_head)
    before = snapshot(template)
    post = row_data(speed(template), **data) if where == "row" else add_data(**data)
    response = client.post(edit_url(template), post)
    assert response.status_code == 400
    if where == "row":
        form = next(f for _block, forms in response.context["sections"] for f in forms if f.is_bound)
        typed = post.get(f"q{speed(template).pk}-{field}", "")
    else:
        form = response.context["add_form"]
        typed = post.get(f"new-{field}", "")
    assert field in form.errors
    assert f'value="{typed}"' in response.content.decode() or typed in response.content.decode()
    assert snapshot(template) == before
    assert QuestionnaireTemplate.objects.count() == 1  # not even a new version


@pytest.mark.parametrize("who", ["manager", "team_lead", "service_owner", "base_manager"])
def test_the_services_refuse_anyone_who_does_not_run_the_programme(request, template, who):
    user = request.getfixturevalue(who)
    question = speed(template)
    before = snapshot(template)
    with pytest.raises(PermissionDenied):
        template_question_create(template=template, by=user, data={"section": "nowhere", "text": ""})
    with pytest.raises(PermissionDenied):
        template_question_update(template=template, question=question, by=user, data={"text": "x", "kind": "number"})
    with pytest.raises(PermissionDenied):
        template_question_remove(template=template, question=question, by=user)
    with pytest.raises(PermissionDenied):
        template_question_move(template=template, question=question, by=user, up=True)
    assert snapshot(template) == before


def test_a_question_of_another_version_answers_404(client, vip_head, template):
    client.force_login(vip_head)
    other = QuestionnaireTemplate.objects.create(name="Другая", version=1, is_current=False)
    stray = Question.objects.create(template=other, section=Section.COMPANY, text="Чужой вопрос")
    assert client.post(edit_url(template), {"action": "remove", "question": stray.pk}).status_code == 404
    assert client.post(edit_url(template), {"action": "remove", "question": "x"}).status_code == 404
    assert client.get(reverse(EDIT, args=[999999])).status_code == 404
    assert Question.objects.filter(pk=stray.pk).exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("vip_head", 200),
        ("head", 200),
        ("admin_user", 200),
        ("manager", 403),
        ("team_lead", 403),
        ("service_owner", 403),
        ("base_manager", 403),
    ],
)
def test_who_keeps_the_templates(request, client, template, who, status):
    user = request.getfixturevalue(who)
    client.force_login(user)
    assert client.get(reverse("vip_template_list")).status_code == status
    assert client.get(edit_url(template)).status_code == status
    before = snapshot(template)
    response = client.post(edit_url(template), row_data(speed(template), limit="1"))
    assert response.status_code == (302 if status == 200 else 403)
    assert (snapshot(template) == before) is (status != 200)
    home = client.get(reverse("home")).content.decode()
    assert ('data-testid="nav-vip-templates"' in home) is (status == 200)


def test_the_list_marks_the_current_version_counts_and_reads_constant_queries(
    client, vip_head, template, questionnaire, vip_client, manager, django_assert_max_num_queries
):
    client.force_login(vip_head)
    client.post(edit_url(template), row_data(speed(template), limit="200"))
    response = client.get(reverse("vip_template_list"))
    rows = {t.version: t for t in response.context["rows"]}
    assert {v: (t.is_current, t.filled, t.question_count) for v, t in rows.items()} == {
        1: (False, 1, 13),
        2: (True, 0, 13),
    }
    body = response.content.decode()
    assert body.count('data-testid="vip-template-current"') == 1
    assert reverse("vip_template_print", args=[template.pk]) in body and edit_url(rows[2]) in body
    with CaptureQueriesContext(connection) as few, django_assert_max_num_queries(12):
        client.get(reverse("vip_template_list"))
    for n in range(5):
        other = ClientFactory(owner=manager, name=f"Клиент {n}")
        ProgrammeClient.objects.create(client=other, assigned_to=manager)
        questionnaire_create(client=other, by=manager, meeting_date=date(2026, 6, 11))
        client.post(edit_url(QuestionnaireTemplate.objects.get(is_current=True)), add_data(text=f"Вопрос {n}"))
    assert QuestionnaireTemplate.objects.count() == 7 and Questionnaire.objects.count() == 6
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("vip_template_list"))
    assert len(many) == len(few)
    assert len(response.context["rows"]) == 7
