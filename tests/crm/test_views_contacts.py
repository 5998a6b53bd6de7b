"""The client card's contact persons (add, edit, remove) and its activity form (a call, meeting, e-mail or task)."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from crm.models import Activity, ChangeLog, ContactPerson
from crm.services.clients import contact_update
from tests.crm.factories import ClientFactory, ContactFactory, DealFactory


def contact_data(contact, **changes):
    data = {
        "full_name": contact.full_name,
        "position": contact.position,
        "decision_role": contact.decision_role,
        "phone": contact.phone,
        "mobile": contact.mobile,
        "email": contact.email,
        "note": contact.note,
        "revision": str(contact.revision),
    }
    data.update(changes)
    return data


def contact_log(pk):
    return ChangeLog.objects.filter(content_type=ContentType.objects.get_for_model(ContactPerson), object_id=pk)


def test_a_manager_edits_his_clients_contact_and_the_phone_is_stored_in_e164(client, manager):
    contact = ContactFactory(client=ClientFactory(owner=manager), full_name="Иван Петров")
    client.force_login(manager)
    page = client.get(reverse("contact_update", args=[contact.pk]))

    response = client.post(
        reverse("contact_update", args=[contact.pk]), contact_data(contact, mobile="8 (916) 123-45-67")
    )

    contact.refresh_from_db()
    assert page.status_code == 200 and page.context["form"]["full_name"].value() == "Иван Петров"
    assert response.status_code == 302 and response["Location"] == reverse("client_detail", args=[contact.client_id])
    assert contact.mobile == "+79161234567"
    assert contact_log(contact.pk).filter(action=ChangeLog.Action.UPDATE, by=manager).exists()


def test_a_bad_edit_keeps_what_was_typed_and_names_the_field(client, manager):
    contact = ContactFactory(client=ClientFactory(owner=manager))
    client.force_login(manager)

    response = client.post(
        reverse("contact_update", args=[contact.pk]),
        contact_data(contact, full_name="", phone="не телефон", position="Главбух"),
    )

    form = response.context["form"]
    assert response.status_code == 400
    assert {"full_name"} <= set(form.errors)
    assert form["position"].value() == "Главбух"


def test_a_bad_phone_is_refused_by_the_service_under_its_field(client, manager):
    contact = ContactFactory(client=ClientFactory(owner=manager))
    client.force_login(manager)

    response = client.post(reverse("contact_update", args=[contact.pk]), contact_data(contact, phone="12"))

    assert response.status_code == 400
    assert "phone" in response.context["form"].errors
    assert response.context["form"]["phone"].value() == "12"


def test_a_stale_contact_edit_says_who_changed_it(client, manager, head):
    contact = ContactFactory(client=ClientFactory(owner=manager), position="Директор")
    opened = contact_data(contact, position="Заместитель")
    contact_update(contact=contact, by=head, data={"position": "Генеральный директор"})
    client.force_login(manager)

    response = client.post(reverse("contact_update", args=[contact.pk]), opened)

    contact.refresh_from_db()
    assert response.status_code == 400
    assert str(head) in " ".join(response.context["form"].non_field_errors())
    assert contact.position == "Генеральный директор"


def test_a_contact_is_removed_from_the_card_and_the_log_keeps_him(client, manager):
    contact = ContactFactory(client=ClientFactory(owner=manager), full_name="Уволенный")
    pk = contact.pk
    client.force_login(manager)
    card = client.get(reverse("client_detail", args=[contact.client_id])).content.decode()

    response = client.post(reverse("contact_delete", args=[pk]))

    assert reverse("contact_update", args=[pk]) in card and reverse("contact_delete", args=[pk]) in card
    assert response.status_code == 302
    assert not ContactPerson.objects.filter(pk=pk).exists()
    assert contact_log(pk).get(action=ChangeLog.Action.DELETE).changes["full_name"] == [None, "Уволенный"]
    assert client.get(reverse("contact_delete", args=[pk])).status_code in (404, 405)


def test_who_may_edit_or_remove_a_contact(
    client, manager, other_manager, teammate, team_lead, head, admin_user, vip_head, service_owner, base_manager
):
    contact = ContactFactory(client=ClientFactory(owner=manager))
    expected = {
        manager: 200,
        team_lead: 200,
        head: 200,
        admin_user: 200,
        vip_head: 200,
        base_manager: 200,
        other_manager: 404,
        teammate: 404,
        service_owner: 404,
    }
    seen, removed = {}, {}
    for user in expected:
        client.force_login(user)
        seen[user] = client.get(reverse("contact_update", args=[contact.pk])).status_code
    for user in (other_manager, teammate, service_owner):
        client.force_login(user)
        removed[user] = client.post(reverse("contact_delete", args=[contact.pk])).status_code

    assert seen == expected
    assert removed == {other_manager: 404, teammate: 404, service_owner: 404}
    assert ContactPerson.objects.filter(pk=contact.pk).exists()


def test_a_contact_added_with_errors_keeps_every_field_typed(client, manager):
    own = ClientFactory(owner=manager)
    client.force_login(manager)

    response = client.post(
        reverse("contact_create", args=[own.pk]),
        {"full_name": "Анна", "position": "Снабженец", "decision_role": "influencer", "email": "не-почта"},
    )

    form = response.context["contact_form"]
    assert response.status_code == 400 and "email" in form.errors
    assert (form["full_name"].value(), form["position"].value(), form["decision_role"].value()) == (
        "Анна",
        "Снабженец",
        "influencer",
    )
    assert '<details open id="contact-add"' in response.content.decode()


def test_the_contact_edit_page_takes_few_queries(client, manager, django_assert_max_num_queries):
    contact = ContactFactory(client=ClientFactory(owner=manager))
    client.force_login(manager)

    with django_assert_max_num_queries(6):
        assert client.get(reverse("contact_update", args=[contact.pk])).status_code == 200


# --- activities and tasks from the client card ------------------------------------------------------------------------


def test_a_task_with_a_due_time_is_planned_from_the_client_card_about_one_of_its_deals(client, manager):
    own = ClientFactory(owner=manager)
    deal = DealFactory(client=own)
    due = (timezone.localtime() + timedelta(days=1)).replace(second=0, microsecond=0)
    client.force_login(manager)

    response = client.post(
        reverse("client_activity", args=[own.pk]),
        {"kind": "task", "subject": "Отправить КП", "due_at": due.strftime("%Y-%m-%dT%H:%M"), "deal": str(deal.pk)},
    )

    task = Activity.objects.get()
    assert response.status_code == 302
    assert (task.kind, task.subject, task.deal, task.owner) == ("task", "Отправить КП", deal, manager)
    assert task.done_at is None
    assert task.due_at == due


def test_a_meeting_that_happened_is_logged_as_done(client, manager):
    own = ClientFactory(owner=manager)
    client.force_login(manager)

    client.post(reverse("client_activity", args=[own.pk]), {"kind": "meeting", "subject": "Встреча", "done": "on"})

    assert Activity.objects.get().done_at is not None


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"kind": "task", "subject": "Без срока"}, "due_at"),
        ({"kind": "task", "subject": "", "due_at": "2026-12-01T10:00"}, "subject"),
        ({"kind": "task", "subject": "Год 12", "due_at": "0012-12-01T10:00"}, "due_at"),
        ({"kind": "hologram", "subject": "Что-то", "done": "on"}, "kind"),
        ({"kind": "task", "subject": "Сделка", "due_at": "2026-12-01T10:00", "deal": "999999"}, "deal"),
    ],
)
def test_a_bad_activity_keeps_the_form_open_with_the_field_named(client, manager, data, field):
    own = ClientFactory(owner=manager)
    client.force_login(manager)

    response = client.post(reverse("client_activity", args=[own.pk]), data)

    form = response.context["activity_form"]
    assert response.status_code == 400
    assert field in form.errors or any(field in str(e) for e in form.non_field_errors())
    assert form["subject"].value() == data["subject"]
    assert '<details open id="activity-add"' in response.content.decode()
    assert not Activity.objects.exists()


def test_another_clients_deal_and_another_managers_client_are_refused(client, manager, other_manager):
    own, foreign = ClientFactory(owner=manager), ClientFactory(owner=other_manager)
    foreign_deal = DealFactory(client=foreign)
    client.force_login(manager)
    body = {"kind": "task", "subject": "Чужое", "due_at": "2026-12-01T10:00"}

    on_foreign = client.post(reverse("client_activity", args=[foreign.pk]), body)
    with_foreign_deal = client.post(reverse("client_activity", args=[own.pk]), {**body, "deal": str(foreign_deal.pk)})

    assert on_foreign.status_code == 404
    assert with_foreign_deal.status_code == 400
    assert not Activity.objects.exists()


def test_the_card_offers_new_deal_contact_and_task_by_role(client, manager, vip_head):
    own = ClientFactory(owner=manager)
    client.force_login(manager)
    mine = client.get(reverse("client_detail", args=[own.pk])).content.decode()
    client.force_login(vip_head)
    vips = client.get(reverse("client_detail", args=[own.pk])).content.decode()

    for testid in ("client-new-deal", "client-new-contact", "client-new-task"):
        assert f'data-testid="{testid}"' in mine
    assert 'data-testid="client-new-deal"' not in vips
    assert 'data-testid="client-new-contact"' in vips and 'data-testid="client-new-task"' in vips
