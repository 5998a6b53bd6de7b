"""The queue's bulk decisions (DOMAIN.md section 3): reassign the selected to one manager, spread them over the
lightest-loaded managers, extend them; each all or nothing, never back to a manager who lost the client."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from crm.models import ChangeLog, Client, DepartmentSettings, OwnershipChange, Reassignment, Role
from crm.services.reassignments import flags_extend_bulk, flags_reassign_bulk, flags_spread, spread_plan
from tests.crm.factories import ClientFactory, UserFactory

OWNED_SINCE = date(2026, 1, 15)
TODAY = date(2026, 4, 15)


def flags_of(owner, count, *, names=None, **extra) -> list[Reassignment]:
    flags = []
    for i in range(count):
        name = names[i] if names else f"ООО «Клиент {i + 1}»"
        client = ClientFactory(owner=owner, owned_since=OWNED_SINCE, name=name)
        flags.append(
            Reassignment.objects.create(
                client=client, owner=owner, owned_since=OWNED_SINCE, flagged_on=TODAY + timedelta(days=0), **extra
            )
        )
    return list(Reassignment.objects.filter(pk__in=[f.pk for f in flags]).select_related("client").order_by("pk"))


def lost_once(client: Client, by_manager, head) -> None:
    """`by_manager` had the client before and the 3-month rule took it from him."""
    OwnershipChange.objects.create(
        client=client, from_owner=by_manager, to_owner=client.owner, by=head, cause=OwnershipChange.Cause.RULE
    )


def table() -> list[tuple]:
    """Everything a decision writes, to compare before and after a refused one."""
    return [
        list(Reassignment.objects.order_by("pk").values_list("pk", "status", "new_owner_id", "extended_until")),
        list(Client.objects.order_by("pk").values_list("pk", "owner_id", "owned_since")),
        OwnershipChange.objects.count(),
        ChangeLog.objects.count(),
    ]


def test_five_flags_go_to_one_manager_each_with_its_change_recorded(head, manager, other_manager):
    flags = flags_of(manager, 5)

    done = flags_reassign_bulk(
        flags=flags, to_owner=other_manager, by=head, reason="Три месяца без сделки", today=TODAY
    )

    assert len(done) == 5
    assert set(Client.objects.filter(pk__in=[f.client_id for f in flags]).values_list("owner_id", "owned_since")) == {
        (other_manager.pk, TODAY)
    }
    assert set(Reassignment.objects.values_list("status", "new_owner_id", "decided_by_id")) == {
        (Reassignment.Status.REASSIGNED, other_manager.pk, head.pk)
    }
    changes = OwnershipChange.objects.filter(to_owner=other_manager, from_owner=manager)
    assert changes.count() == 5
    assert set(changes.values_list("cause", "reason")) == {(OwnershipChange.Cause.RULE, "Три месяца без сделки")}


def test_a_manager_who_lost_one_of_the_clients_is_refused_for_all_and_nothing_is_written(head, manager, other_manager):
    flags = flags_of(manager, 5, names=["Альфа", "Бета", "Гамма", "Дельта", "Эпсилон"])
    lost_once(flags[2].client, other_manager, head)
    before = table()

    with pytest.raises(ValidationError) as refused:
        flags_reassign_bulk(flags=flags, to_owner=other_manager, by=head, reason="Передать", today=TODAY)

    messages = refused.value.message_dict["non_field_errors"]
    assert len(messages) == 1
    assert messages[0].startswith("Гамма: ") and "потерял клиента" in messages[0]
    assert table() == before


def test_the_current_owner_is_refused_naming_each_client(head, manager):
    flags = flags_of(manager, 2, names=["Альфа", "Бета"])
    before = table()

    with pytest.raises(ValidationError) as refused:
        flags_reassign_bulk(flags=flags, to_owner=manager, by=head, reason="Оставить", today=TODAY)

    messages = refused.value.message_dict["non_field_errors"]
    assert [m.split(":")[0] for m in messages] == ["Альфа", "Бета"]
    assert table() == before


@pytest.mark.parametrize("role", [Role.TEAM_LEAD, Role.MANAGER])
def test_only_the_head_decides_in_bulk(head, manager, other_manager, team, role):
    flags = flags_of(manager, 2)
    seller = UserFactory(role=role, team=team)
    before = table()

    for decide in (
        lambda: flags_reassign_bulk(flags=flags, to_owner=other_manager, by=seller, reason="x", today=TODAY),
        lambda: flags_spread(flags=flags, managers=[other_manager], by=seller, reason="x", today=TODAY),
        lambda: flags_extend_bulk(flags=flags, by=seller, reason="x", today=TODAY),
    ):
        with pytest.raises(PermissionDenied):
            decide()
    assert table() == before


def test_a_reason_and_a_selection_are_required(head, manager, other_manager):
    flags = flags_of(manager, 1)
    with pytest.raises(ValidationError) as no_reason:
        flags_reassign_bulk(flags=flags, to_owner=other_manager, by=head, reason="  ", today=TODAY)
    assert "reason" in no_reason.value.message_dict
    with pytest.raises(ValidationError) as nothing:
        flags_extend_bulk(flags=[], by=head, reason="x", today=TODAY)
    assert "non_field_errors" in nothing.value.message_dict


@pytest.fixture
def three_managers(team):
    """Абрамов owns 2 clients, Белов and Волков none: the loads the spread starts from."""
    abramov = UserFactory(role=Role.MANAGER, team=team, last_name="Абрамов", first_name="Иван")
    belov = UserFactory(role=Role.MANAGER, team=team, last_name="Белов", first_name="Олег")
    volkov = UserFactory(role=Role.TEAM_LEAD, team=team, last_name="Волков", first_name="Павел")
    ClientFactory.create_batch(2, owner=abramov)
    return abramov, belov, volkov


def test_the_spread_gives_each_next_client_to_the_currently_lightest_manager(head, manager, three_managers):
    abramov, belov, volkov = three_managers
    flags = flags_of(manager, 5)

    done = flags_spread(flags=flags, managers=[volkov, abramov, belov], by=head, reason="Разгрузить", today=TODAY)

    # Loads 2/0/0: Белов (0, first by name), Волков (0), Белов (1 = 1, by name), Волков (1 < 2), Абрамов (2 = 2 = 2).
    assert [flag.new_owner for flag in done] == [belov, volkov, belov, volkov, abramov]
    owners = dict(Client.objects.filter(pk__in=[f.client_id for f in flags]).values_list("pk", "owner_id"))
    assert [owners[f.client_id] for f in flags] == [belov.pk, volkov.pk, belov.pk, volkov.pk, abramov.pk]


def test_the_spread_never_gives_a_client_to_the_manager_who_lost_it_nor_to_its_owner(head, manager, three_managers):
    abramov, belov, volkov = three_managers
    flags = flags_of(manager, 2)
    lost_once(flags[0].client, belov, head)

    plan, refusals = spread_plan(flags, [abramov, belov, volkov, manager])

    assert refusals == []
    # Loads 2/0/0 and the owner's 2: the first client skips Белов (he lost it) and its owner, so Волков (0) takes
    # it; the second goes to Белов (0), lighter than Волков (now 1).
    assert plan[flags[0].pk] == volkov
    assert plan[flags[1].pk] == belov


def test_a_client_no_chosen_manager_may_take_refuses_the_whole_spread(head, manager, other_manager):
    flags = flags_of(manager, 3, names=["Альфа", "Бета", "Гамма"])
    lost_once(flags[1].client, other_manager, head)
    before = table()

    with pytest.raises(ValidationError) as refused:
        flags_spread(flags=flags, managers=[other_manager, manager], by=head, reason="x", today=TODAY)

    messages = refused.value.message_dict["non_field_errors"]
    assert len(messages) == 1 and messages[0].startswith("Бета: ")
    assert table() == before


def test_the_spread_is_deterministic_whatever_order_the_flags_and_managers_come_in(head, manager, three_managers):
    abramov, belov, volkov = three_managers
    flags = flags_of(manager, 4)

    first, _ = spread_plan(flags, [abramov, belov, volkov])
    second, _ = spread_plan(list(reversed(flags)), [volkov, belov, abramov])

    assert first == second


def test_the_selected_flags_are_extended_once_and_a_second_extension_refuses_all(head, manager):
    days = DepartmentSettings.current().reassign_extension_days
    flags = flags_of(manager, 3)

    done = flags_extend_bulk(flags=flags, by=head, reason="Идут переговоры", today=TODAY)

    assert {(f.status, f.extended_until) for f in done} == {
        (Reassignment.Status.EXTENDED, TODAY + timedelta(days=days))
    }
    again = flags_of(manager, 1, names=["Повтор"], extended_until=TODAY - timedelta(days=1))
    fresh = flags_of(manager, 1, names=["Новый"])
    before = table()
    with pytest.raises(ValidationError) as refused:
        flags_extend_bulk(flags=[*fresh, *again], by=head, reason="Ещё раз", today=TODAY)
    assert [m.split(":")[0] for m in refused.value.message_dict["non_field_errors"]] == ["Повтор"]
    assert table() == before
