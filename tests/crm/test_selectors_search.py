"""The top bar's search (crm/selectors/search.py): what each way of typing finds, who sees what, how many queries."""

import pytest
from django.db import connection

from crm.models import Client
from crm.models.validators import normalize_name
from crm.selectors.search import MAX_LENGTH, client_matches, search, search_term
from tests.crm.factories import ClientFactory, ContactFactory, DealFactory


def make_client(name: str, **fields) -> Client:
    return ClientFactory(name=name, normalized_name=normalize_name(name), **fields)


def found(user, query: str) -> dict[str, list[str]]:
    results = search(user=user, query=query, limit=50)
    return {
        "clients": [c.name for c in results.clients.rows],
        "contacts": [c.full_name for c in results.contacts.rows],
        "deals": [d.title for d in results.deals.rows],
    }


@pytest.mark.parametrize(
    "typed",
    ["8 (495) 581-02-83", "+74955810283", "495 581 02 83", "+7 (495) 581-02-83", "84955810283", "8 495 581", "581-02"],
)
def test_a_phone_written_any_way_finds_the_client_stored_in_e164(manager, typed):
    make_client("ООО «Телефон»", owner=manager, phone="+74955810283")
    make_client("ООО «Другой»", owner=manager, phone="+74957770000")

    assert found(manager, typed)["clients"] == ["ООО «Телефон»"]


def test_the_additional_phone_finds_the_client_too(manager):
    make_client("Запасной", owner=manager, phone="+74950000000", phone_extra="+78123334455")

    assert found(manager, "8 (812) 333-44-55")["clients"] == ["Запасной"]


@pytest.mark.parametrize("typed", ["770708", "7707083893", "08389"])
def test_part_of_an_inn_finds_the_client(manager, typed):
    make_client("Сбер", owner=manager, inn="7707083893", phone="+74950000001")
    make_client("Другой", owner=manager, inn="7736207543", phone="+74950000002")

    assert found(manager, typed)["clients"] == ["Сбер"]


@pytest.mark.parametrize("typed", ["ромашка", "РОМАШКА", "Ромашка плюс", 'ООО "Ромашка', "«Ромашка-Плюс»", "ромаш"])
def test_a_name_is_found_whatever_the_case_legal_form_and_quotes(manager, typed):
    make_client("ООО «Ромашка-Плюс»", owner=manager)
    make_client("ИП Васильков", owner=manager)

    assert found(manager, typed)["clients"] == ["ООО «Ромашка-Плюс»"]


def test_names_that_start_with_the_term_come_first(manager):
    make_client("Альфа Строй", owner=manager)
    make_client("Бета Строй", owner=manager)
    make_client("Стройка", owner=manager)

    assert found(manager, "строй")["clients"] == ["Стройка", "Альфа Строй", "Бета Строй"]


def test_two_letters_find_names_that_start_with_them(manager):
    make_client("Ока", owner=manager)
    make_client("Волока", owner=manager)

    assert found(manager, "ок")["clients"] == ["Ока"]


def test_contacts_are_found_by_name_in_any_case_and_by_phone(manager):
    client = make_client("Контора", owner=manager)
    ContactFactory(client=client, full_name="Иванов Пётр Сергеевич", mobile="+79161234567")
    ContactFactory(client=client, full_name="Сидорова Анна", phone="+74951112233")

    assert found(manager, "иванов")["contacts"] == ["Иванов Пётр Сергеевич"]
    assert found(manager, "ПЁТР")["contacts"] == ["Иванов Пётр Сергеевич"]
    assert found(manager, "8 916 123-45-67")["contacts"] == ["Иванов Пётр Сергеевич"]
    assert found(manager, "111-22-33")["contacts"] == ["Сидорова Анна"]


@pytest.mark.parametrize("prefix", ["", "#", "№", "№ "])
def test_a_deal_is_found_by_its_number(manager, prefix):
    client = make_client("Заказчик", owner=manager)
    deal = DealFactory(client=client, title="Поставка камер")
    DealFactory(client=client, title="Монтаж")

    results = search(user=manager, query=f"{prefix}{deal.pk}", limit=5)

    assert results.deals.rows[0] == deal


def test_a_deal_is_found_by_a_word_of_its_title(manager):
    client = make_client("Заказчик", owner=manager)
    DealFactory(client=client, title="Поставка камер на склад")
    DealFactory(client=client, title="Монтаж")

    assert found(manager, "КАМЕР")["deals"] == ["Поставка камер на склад"]


@pytest.fixture
def department(manager, teammate, other_manager):
    """The same word in a client, a contact and a deal of three sellers and of nobody."""
    for owner, label in ((manager, "mine"), (teammate, "team"), (other_manager, "other"), (None, "free")):
        client = make_client(f"Квант {label}", owner=owner)
        ContactFactory(client=client, full_name=f"Квантов {label}")
        if owner is not None:
            DealFactory(client=client, title=f"Квант сделка {label}")


ALL = ["free", "mine", "other", "team"]


@pytest.mark.parametrize(
    ("role", "clients", "deals"),
    [
        ("manager", ["mine"], ["mine"]),
        ("team_lead", ["mine", "team"], ["mine", "team"]),
        ("head", ALL, ["mine", "other", "team"]),
        ("admin_user", ALL, ["mine", "other", "team"]),
        ("vip_head", ALL, []),
        ("base_manager", ALL, []),
        ("service_owner", [], []),
    ],
)
def test_each_role_finds_only_what_its_visible_to_shows(request, department, role, clients, deals):
    user = request.getfixturevalue(role)

    result = found(user, "квант")

    assert sorted(name.split()[-1] for name in result["clients"]) == clients
    assert sorted(name.split()[-1] for name in result["contacts"]) == clients
    assert sorted(name.split()[-1] for name in result["deals"]) == deals


def test_a_group_stops_at_the_limit_and_says_there_is_more(manager):
    for i in range(4):
        make_client(f"Лимит {i}", owner=manager)

    results = search(user=manager, query="лимит", limit=3)

    assert len(results.clients.rows) == 3
    assert results.clients.more is True
    assert results.contacts.more is False


@pytest.mark.parametrize("rows", [1, 30])
def test_the_search_takes_three_queries_however_many_rows_match(django_assert_num_queries, manager, team_lead, rows):
    for i in range(rows):
        client = make_client(f"Счётчик {i}", owner=manager, phone=f"+7495123{i:04d}")
        ContactFactory(client=client, full_name=f"Счётчиков {i}")
        DealFactory(client=client, title=f"Счётчик сделка {i}")

    with django_assert_num_queries(3):
        results = search(user=team_lead, query="счётчик", limit=50)
        names = [(c.name, str(c.owner)) for c in results.clients.rows]
        names += [(p.full_name, p.client.name) for p in results.contacts.rows]
        names += [(d.title, d.client.name, str(d.owner)) for d in results.deals.rows]

    assert len(names) == 3 * rows


@pytest.mark.parametrize("typed", ["", " ", "a", "%", "_", "x" * 500, "\ud800", "\x00", "\ud800\udfff", "\u200b"])
def test_a_query_that_cannot_be_looked_for_finds_nothing_and_may_say_why(manager, typed):
    make_client("Ромашка", owner=manager)

    results = search(user=manager, query=typed, limit=5)

    assert not results.found
    assert results.term.message or not results.term.text


@pytest.mark.parametrize("typed", ["%%", "__", "%_%", "ab\ud800cd\x00", "' OR 1=1 --"])
def test_wildcards_and_odd_characters_are_looked_for_literally(manager, typed):
    make_client("Ромашка", owner=manager, phone="+74950000003")

    assert found(manager, typed) == {"clients": [], "contacts": [], "deals": []}


def test_a_very_long_query_is_refused_with_a_message():
    term = search_term("ромашка " * 100)

    assert term.message
    assert not term.usable
    assert len(term.text) == MAX_LENGTH


@pytest.mark.parametrize(
    ("typed", "index"),
    [("ромашка", "client_name_trgm"), ("770708", "client_inn_trgm"), ("581-02-83", "client_phone_trgm")],
)
def test_postgresql_answers_a_name_inn_or_phone_from_a_trigram_index(head, manager, typed, index):
    make_client("Ромашка", owner=manager)
    clients = client_matches(search_term(typed), user=head)

    with connection.cursor() as cursor:
        # A table of one row is cheapest to scan; turned off, the planner shows which index it would use.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        sql, params = clients.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert index in plan


def test_the_trigram_indexes_exist_on_every_searched_column(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE indexname LIKE '%%_trgm'")
        indexes = dict(cursor.fetchall())

    assert set(indexes) >= {
        "client_name_trgm",
        "client_inn_trgm",
        "client_phone_trgm",
        "client_phone_extra_trgm",
        "contact_name_trgm",
        "contact_phone_trgm",
        "contact_mobile_trgm",
        "deal_title_trgm",
    }
    assert all("gin_trgm_ops" in definition for definition in indexes.values())
