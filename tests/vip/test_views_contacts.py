"""Key persons and contacts in the questionnaire: confirm, update, mark gone and add go through crm's contact
services (the change log records them) and the questionnaire keeps which persons were checked; who may do what;
bad input gets a field message; the page's queries do not grow with the persons."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from crm.models import ChangeLog, ContactPerson
from tests.crm.factories import ClientFactory
from vip.models import ContactCheck, Questionnaire

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def ivan(vip_client):
    return ContactPerson.objects.create(
        client=vip_client, full_name="Иван Петров", position="Директор", phone="+79161234567", email="ivan@romashka.ru"
    )


def url(questionnaire, contact, action):
    return reverse("vip_contact_action", args=[questionnaire.pk, contact.pk, action])


def add_url(questionnaire):
    return reverse("vip_contact_add", args=[questionnaire.pk])


def logged(contact_id, action):
    ct = ContentType.objects.get_for_model(ContactPerson)
    return ChangeLog.objects.filter(content_type=ct, object_id=contact_id, action=action).exists()


def test_the_page_lists_the_clients_contacts(client, manager, questionnaire, ivan):
    client.force_login(manager)
    response = client.get(reverse("vip_questionnaire_detail", args=[questionnaire.pk]))
    body = response.content.decode()
    assert 'data-testid="vip-contacts"' in body
    assert "Иван Петров" in body
    assert url(questionnaire, ivan, "confirm") in body


def test_confirm_records_the_check_and_changes_nothing(client, manager, questionnaire, ivan):
    client.force_login(manager)
    response = client.post(url(questionnaire, ivan, "confirm"), **HX)
    assert response.status_code == 200
    assert 'data-action="confirmed"' in response.content.decode()
    check = ContactCheck.objects.get()
    assert (check.questionnaire, check.contact, check.action, check.by) == (questionnaire, ivan, "confirmed", manager)
    ivan.refresh_from_db()
    assert ivan.full_name == "Иван Петров"
    assert not logged(ivan.pk, ChangeLog.Action.UPDATE)


def test_update_goes_through_crm_and_the_change_log(client, manager, questionnaire, ivan):
    client.force_login(manager)
    data = {
        f"c{ivan.pk}-full_name": "Иван Петров",
        f"c{ivan.pk}-position": "Генеральный директор",
        f"c{ivan.pk}-decision_role": "decision_maker",
        f"c{ivan.pk}-phone": "8 (916) 765-43-21",
        f"c{ivan.pk}-email": "petrov@romashka.ru",
    }
    response = client.post(url(questionnaire, ivan, "update"), data, **HX)
    assert response.status_code == 200
    ivan.refresh_from_db()
    assert (ivan.position, ivan.phone, ivan.email) == ("Генеральный директор", "+79167654321", "petrov@romashka.ru")
    assert ivan.decision_role == "decision_maker"
    assert logged(ivan.pk, ChangeLog.Action.UPDATE)
    assert ContactCheck.objects.get().action == ContactCheck.Action.UPDATED


def test_gone_removes_him_through_crm_and_keeps_his_name(client, manager, questionnaire, ivan):
    client.force_login(manager)
    pk = ivan.pk
    response = client.post(url(questionnaire, ivan, "gone"), **HX)
    assert response.status_code == 200
    assert not ContactPerson.objects.filter(pk=pk).exists()
    assert logged(pk, ChangeLog.Action.DELETE)
    check = ContactCheck.objects.get()
    assert (check.contact, check.contact_name, check.action) == (None, "Иван Петров", "gone")
    assert 'data-testid="vip-contacts-gone"' in response.content.decode()


def test_add_creates_a_contact_of_the_client(client, manager, questionnaire, vip_client):
    client.force_login(manager)
    data = {
        "new-full_name": "Мария Сидорова",
        "new-position": "Главбух",
        "new-decision_role": "influencer",
        "new-phone": "",
        "new-email": "maria@romashka.ru",
    }
    response = client.post(add_url(questionnaire), data)
    assert response.status_code == 302
    added = ContactPerson.objects.get(full_name="Мария Сидорова")
    assert added.client == vip_client
    assert logged(added.pk, ChangeLog.Action.CREATE)
    assert ContactCheck.objects.get().contact == added


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "не почта", "Enter a valid email address."),
        ("full_name", "", "This field is required."),
        ("decision_role", "boss", "Select a valid choice. boss is not one of the available choices."),
    ],
)
def test_bad_update_gets_a_field_message_and_changes_nothing(
    client, manager, questionnaire, ivan, field, value, message
):
    client.force_login(manager)
    data = {f"c{ivan.pk}-full_name": "Иван", f"c{ivan.pk}-decision_role": "other", f"c{ivan.pk}-email": "a@b.ru"}
    data[f"c{ivan.pk}-{field}"] = value
    response = client.post(url(questionnaire, ivan, "update"), data, **HX)
    assert response.status_code == 200
    assert response.context["contact_forms"][ivan.pk].errors[field] == [message]
    assert message.replace("'", "&#x27;") in response.content.decode() or message in response.content.decode()
    ivan.refresh_from_db()
    assert ivan.full_name == "Иван Петров"
    assert not ContactCheck.objects.exists()
    plain = client.post(url(questionnaire, ivan, "update"), data)
    assert plain.status_code == 400


def test_a_bad_phone_is_reported_under_its_field(client, manager, questionnaire):
    client.force_login(manager)
    data = {"new-full_name": "Мария", "new-decision_role": "other", "new-phone": "12", "new-email": ""}
    response = client.post(add_url(questionnaire), data, **HX)
    assert response.status_code == 200
    assert response.context["contact_add_form"].errors["phone"]
    assert not ContactPerson.objects.filter(full_name="Мария").exists()
    assert not ContactCheck.objects.exists()


def test_vip_head_may_do_it_all(client, vip_head, questionnaire, ivan):
    client.force_login(vip_head)
    assert client.post(url(questionnaire, ivan, "confirm"), **HX).status_code == 200
    assert client.post(url(questionnaire, ivan, "gone"), **HX).status_code == 200
    assert list(ContactCheck.objects.values_list("action", flat=True)) == ["confirmed", "gone"]


def test_team_lead_reads_but_does_not_check(client, team_lead, questionnaire, ivan):
    client.force_login(team_lead)
    body = client.get(reverse("vip_questionnaire_detail", args=[questionnaire.pk])).content.decode()
    assert "Иван Петров" in body
    assert url(questionnaire, ivan, "confirm") not in body
    response = client.post(url(questionnaire, ivan, "confirm"), **HX)
    assert 'data-testid="vip-contacts-error"' in response.content.decode()
    assert not ContactCheck.objects.exists()


@pytest.mark.parametrize(("who", "status"), [("other_manager", 404), ("service_owner", 403), ("base_manager", 403)])
def test_others_cannot_touch_the_contacts(request, client, questionnaire, ivan, who, status):
    client.force_login(request.getfixturevalue(who))
    assert client.post(url(questionnaire, ivan, "confirm"), **HX).status_code == status
    assert client.post(url(questionnaire, ivan, "gone"), **HX).status_code == status
    assert ContactPerson.objects.filter(pk=ivan.pk).exists()
    assert not ContactCheck.objects.exists()


def test_another_clients_contact_answers_404(client, manager, questionnaire):
    other = ContactPerson.objects.create(client=ClientFactory(owner=manager), full_name="Чужой")
    client.force_login(manager)
    assert client.post(url(questionnaire, other, "confirm"), **HX).status_code == 404
    assert client.post(url(questionnaire, other, "unknown"), **HX).status_code == 404
    huge = reverse("vip_contact_action", args=[questionnaire.pk, 99999999999999999999, "confirm"])
    assert client.post(huge, **HX).status_code == 404
    assert client.post(reverse("vip_contact_add", args=[99999999999999999999]), **HX).status_code == 404


def test_a_colleague_on_the_programme_confirms_but_does_not_change_the_card(
    client, manager, other_manager, vip_head, questionnaire, ivan
):
    """A programme colleague who does not own the client sees no contact persons (crm's visibility is not bent)."""
    Questionnaire.objects.filter(pk=questionnaire.pk).update(employee=other_manager)
    client.force_login(other_manager)
    body = client.get(reverse("vip_questionnaire_detail", args=[questionnaire.pk])).content.decode()
    assert "Иван Петров" not in body
    assert client.post(url(questionnaire, ivan, "confirm"), **HX).status_code == 404


def test_a_complete_questionnaire_is_read_only(client, manager, questionnaire, ivan):
    Questionnaire.objects.filter(pk=questionnaire.pk).update(status=Questionnaire.Status.COMPLETE)
    client.force_login(manager)
    response = client.post(url(questionnaire, ivan, "confirm"))
    assert response.status_code == 400
    assert not ContactCheck.objects.exists()


def test_queries_constant_in_contacts(client, manager, questionnaire, vip_client):
    client.force_login(manager)
    page = reverse("vip_questionnaire_detail", args=[questionnaire.pk])
    ContactPerson.objects.create(client=vip_client, full_name="Один")
    with CaptureQueriesContext(connection) as one:
        client.get(page)
    for i in range(6):
        c = ContactPerson.objects.create(client=vip_client, full_name=f"Персона {i}")
        ContactCheck.objects.create(
            questionnaire=questionnaire, contact=c, contact_name=c.full_name, action="confirmed", by=manager
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get(page)
    assert len(response.context["contacts"].rows) == 7
    assert len(many.captured_queries) == len(one.captured_queries)


@pytest.mark.russian
def test_contacts_block_in_russian(client, manager, questionnaire, ivan):
    client.force_login(manager)
    response = client.post(url(questionnaire, ivan, "confirm"), **HX)
    body = response.content.decode()
    assert "Контактные лица клиента" in body
    assert "Подтверждено: Иван Петров." in body
    assert "проверено 1 из 1" in body
