"""Optimistic concurrency (issue 10): revisions, ETag / If-Match (412), locked updates that keep both edits, a stage
move racing an edit, and an edit form opened before someone else's change."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.db import close_old_connections
from django.urls import reverse

from crm.models import Client, Deal
from crm.rules.stages import Stage
from crm.services.deals import deal_move_stage, deal_update
from tests.api_errors import field_errors
from tests.conftest import api_as
from tests.crm.factories import ClientFactory, DealFactory


def _deal(manager, **extra):
    return DealFactory(client=ClientFactory(owner=manager), owner=manager, **extra)


@pytest.mark.django_db
def test_reads_carry_the_revision_as_etag_and_a_stale_if_match_is_refused_with_412(manager):
    deal = _deal(manager)
    api = api_as(manager)
    read = api.get(f"/api/v1/deals/{deal.pk}/")
    assert read["ETag"] == '"1"'

    ok = api.patch(f"/api/v1/deals/{deal.pk}/", {"title": "Первая"}, format="json", HTTP_IF_MATCH='"1"')
    assert ok.status_code == 200 and ok["ETag"] == '"2"'
    stale = api.patch(f"/api/v1/deals/{deal.pk}/", {"title": "Вторая"}, format="json", HTTP_IF_MATCH='"1"')
    assert stale.status_code == 412
    assert str(manager) in field_errors(stale)["non_field_errors"][0] and stale["ETag"] == '"2"'
    assert Deal.objects.get(pk=deal.pk).title == "Первая"
    weak = api.patch(f"/api/v1/deals/{deal.pk}/", {"title": "Третья"}, format="json", HTTP_IF_MATCH='W/"2"')
    assert weak.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("header", ["abc", '"-1"', '"1.5"', '"²"'])
def test_an_unreadable_if_match_is_a_400_not_a_500(manager, header):
    deal = _deal(manager)
    response = api_as(manager).patch(f"/api/v1/deals/{deal.pk}/", {"title": "x"}, format="json", HTTP_IF_MATCH=header)
    assert response.status_code == 400 and "If-Match" in field_errors(response)


def _race(*jobs):
    barrier = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def run(job):
        try:
            barrier.wait(timeout=10)
            job()
        except BaseException as exc:
            errors.append(exc)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return errors


@pytest.mark.django_db(transaction=True)
def test_two_edits_of_different_fields_at_the_same_moment_both_stay(manager):
    for _round in range(5):
        deal = _deal(manager, title="Старое", amount=Decimal("100"))
        first, second = Deal.objects.get(pk=deal.pk), Deal.objects.get(pk=deal.pk)
        errors = _race(
            lambda d=first: deal_update(deal=d, by=manager, data={"title": "Новое"}),
            lambda d=second: deal_update(deal=d, by=manager, data={"amount": Decimal("555")}),
        )
        assert errors == []
        saved = Deal.objects.get(pk=deal.pk)
        assert (saved.title, saved.amount, saved.revision) == ("Новое", Decimal("555.00"), 3)


@pytest.mark.django_db(transaction=True)
def test_a_stage_move_racing_an_edit_never_goes_back(manager):
    for _round in range(5):
        deal = _deal(manager, stage=Stage.GOAL)
        editing, moving = Deal.objects.get(pk=deal.pk), Deal.objects.get(pk=deal.pk)
        errors = _race(
            lambda d=editing: deal_update(deal=d, by=manager, data={"title": "Правка"}),
            lambda d=moving: deal_move_stage(
                deal=d, to_stage=Stage.MARKET, by=manager, data={"plan_month": date(2026, 12, 1)}
            ),
        )
        saved = Deal.objects.get(pk=deal.pk)
        assert errors == []
        assert (saved.stage, saved.title, saved.plan_month) == (Stage.MARKET, "Правка", date(2026, 12, 1))


@pytest.mark.django_db
def test_an_edit_form_opened_before_another_change_says_who_changed_it_and_keeps_what_was_typed(client, manager, head):
    customer = ClientFactory(owner=manager, name="ООО Было", region="Москва")
    client.force_login(manager)
    page = client.get(reverse("client_update", args=[customer.pk]))
    assert 'name="revision" value="1"' in page.content.decode()
    form = page.context["form"]
    data = {name: ("" if value is None else value) for name, value in form.initial.items()}
    data.update(name="ООО Моё", region="Тверь", revision="1")
    # Meanwhile the head changes the region.
    from crm.services.clients import client_update

    client_update(client=Client.objects.get(pk=customer.pk), by=head, data={"region": "Казань"})

    response = client.post(reverse("client_update", args=[customer.pk]), data)

    html = response.content.decode()
    assert response.status_code == 400
    assert str(head) in html and "Казань" in html and 'value="Тверь"' in html and 'value="ООО Моё"' in html
    assert 'name="revision" value="2"' in html
    assert Client.objects.get(pk=customer.pk).region == "Казань"
    # Saving again, informed, applies.
    data["revision"] = "2"
    assert client.post(reverse("client_update", args=[customer.pk]), data).status_code == 302
    assert Client.objects.get(pk=customer.pk).region == "Тверь"


@pytest.mark.django_db
def test_the_settings_page_opened_before_another_change_keeps_what_was_typed(client, head, admin_user):
    from crm.models import DepartmentSettings
    from crm.models.settings import SETTINGS_FIELDS
    from crm.services.hunting import department_settings_update

    department_settings_update(by=head, data={"long_list_min": 40}, norms={})
    client.force_login(head)
    page = client.get(reverse("department_settings"))
    opened = DepartmentSettings.current().revision
    assert f'name="revision" value="{opened}"' in page.content.decode()
    department_settings_update(by=admin_user, data={"long_list_min": 45}, norms={})
    settings = DepartmentSettings.current()
    data = {name: getattr(settings, name) for name in SETTINGS_FIELDS if not isinstance(getattr(settings, name), bool)}
    data.update(long_list_min=55, revision=opened)

    response = client.post(reverse("department_settings"), data)

    assert response.status_code == 400
    html = response.content.decode()
    assert str(admin_user) in html and 'value="55"' in html
    assert DepartmentSettings.current().long_list_min == 45


@pytest.mark.django_db
def test_the_long_list_outcome_form_opened_before_another_change_is_refused(client, manager, team_lead):
    from crm.models import LongList, LongListEntry
    from crm.services.hunting import long_list_entry_update

    entry = LongListEntry.objects.create(
        long_list=LongList.objects.create(owner=manager, month=date(2026, 12, 1)),
        client=ClientFactory(owner=manager),
        reason=LongListEntry.Reason.NEVER_BOUGHT,
    )
    client.force_login(manager)
    page = client.get(reverse("long_list_entry", args=[entry.pk]))
    assert 'name="revision" value="1"' in page.content.decode()
    long_list_entry_update(entry=LongListEntry.objects.get(pk=entry.pk), by=team_lead, data={"needs": "Камеры"})

    response = client.post(reverse("long_list_entry", args=[entry.pk]), {"needs": "Домофоны", "revision": "1"})

    assert response.status_code == 400 and "Домофоны" in response.content.decode()
    assert LongListEntry.objects.get(pk=entry.pk).needs == "Камеры"


@pytest.mark.django_db(transaction=True)
def test_two_api_patches_at_once_keep_both_changes_or_answer_one_412(manager):
    def patcher(url, data, headers, answers):
        return lambda: answers.append(api_as(manager).patch(url, data, format="json", **headers).status_code)

    for _round in range(3):
        deal = _deal(manager, title="Старое", amount=Decimal("100"))
        url = f"/api/v1/deals/{deal.pk}/"
        answers: list[int] = []
        errors = _race(patcher(url, {"title": "Новое"}, {}, answers), patcher(url, {"amount": "555"}, {}, answers))
        saved = Deal.objects.get(pk=deal.pk)
        assert errors == [] and sorted(answers) == [200, 200]
        assert (saved.title, saved.amount) == ("Новое", Decimal("555.00"))

        # Both based on revision 3 (after the two edits above): one wins, the other is told it is stale.
        same: list[int] = []
        stale = {"HTTP_IF_MATCH": '"3"'}
        errors = _race(patcher(url, {"title": "A"}, stale, same), patcher(url, {"title": "B"}, stale, same))
        assert errors == [] and sorted(same) == [200, 412]
