"""Russian that reads right: money with and without kopecks, phones as Russians write them, names in the case the
sentence needs, plurals in all four Russian forms and a lost deal that reads «Отказ»."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.utils import translation

from core.names import dative, genitive, instrumental
from crm.models import Client
from crm.models.validators import format_phone, normalize_phone
from crm.rules.stages import Stage
from crm.services.clients import duplicate_inn

NBSP = "\u00a0"


def render(source, **context):
    return Template("{% load i18n crm_format %}" + source).render(Context(context))


# --- money ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "whole", "exact"),
    [
        (Decimal("0"), f"0{NBSP}₽", f"0,00{NBSP}₽"),
        (Decimal("1234567.895"), f"1{NBSP}234{NBSP}568{NBSP}₽", f"1{NBSP}234{NBSP}567,90{NBSP}₽"),  # half-up
        (Decimal("1234567.89"), f"1{NBSP}234{NBSP}568{NBSP}₽", f"1{NBSP}234{NBSP}567,89{NBSP}₽"),
        (Decimal("0.495"), f"0{NBSP}₽", f"0,50{NBSP}₽"),  # rounded once, not 0.495 -> 0.50 -> 1
        (Decimal("2.5"), f"3{NBSP}₽", f"2,50{NBSP}₽"),
        (Decimal("-1234.5"), f"-1{NBSP}235{NBSP}₽", f"-1{NBSP}234,50{NBSP}₽"),
        (Decimal("-0.004"), f"0{NBSP}₽", f"0,00{NBSP}₽"),  # no «-0»
        (1000000, f"1{NBSP}000{NBSP}000{NBSP}₽", f"1{NBSP}000{NBSP}000,00{NBSP}₽"),
        ("45500.33", f"45{NBSP}500{NBSP}₽", f"45{NBSP}500,33{NBSP}₽"),
        (None, "—", "—"),
        ("", "—", "—"),
        ("двести", "—", "—"),
    ],
)
def test_plans_and_totals_show_whole_roubles_documents_and_payments_kopecks(value, whole, exact):
    assert render("{{ value|money }}", value=value) == whole
    assert render("{{ value|money_exact }}", value=value) == exact


# --- phones --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("+74955810283", "+7 495 581-02-83"),
        ("+79161234567", "+7 916 123-45-67"),
        ("+78123456789", "+7 812 345-67-89"),
        ("", ""),
        (None, ""),
        ("доб. 12", "доб. 12"),  # something that is not a number stays as it was
    ],
)
def test_the_phone_filter_shows_a_stored_number_as_russians_write_it(stored, shown):
    assert render("{{ value|phone }}", value=stored) == shown
    assert format_phone(stored or "") == shown


@pytest.mark.parametrize("typed", ["8 (495) 581-02-83", "+7 495 581 02 83", "84955810283", "7-495-581-02-83"])
def test_a_number_typed_any_way_is_stored_in_e164_and_shown_nationally(typed):
    stored = normalize_phone(typed)

    assert stored == "+74955810283"
    assert format_phone(stored) == "+7 495 581-02-83"


def test_a_tel_link_keeps_e164_while_the_text_is_readable():
    html = render('<a href="tel:{{ p }}">{{ p|phone }}</a>', p="+74955810283")

    assert html == '<a href="tel:+74955810283">+7 495 581-02-83</a>'


def test_a_phone_that_is_no_number_is_refused_on_input():
    with pytest.raises(ValidationError):
        normalize_phone("позвонить Ивану")


# --- names ---------------------------------------------------------------------------------------------------------


class Person(SimpleNamespace):
    """What the helpers read of a user: the name's parts, and `str()` as `User.__str__` gives it."""

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


def person(first, last, middle=""):
    return Person(first_name=first, last_name=last, middle_name=middle)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (person("София", "Терентьева"), "Софии Терентьевой"),
        (person("Иван", "Петров"), "Ивана Петрова"),
        (person("Саша", "Ким", "Александровна"), "Саши Ким"),  # the patronymic says she is a woman
        ("Иван Петров", "Ивана Петрова"),
        ("Терентьева София", "Терентьевой Софии"),  # the order it was written in is kept
        ("Петров Иван Сергеевич", "Петрова Ивана Сергеевича"),
        ("admin", "admin"),  # a login: not a name to decline
        ("John Smith", "John Smith"),
        ("", ""),
    ],
)
def test_a_name_after_u_is_in_the_genitive_and_what_cannot_be_declined_stays(name, expected):
    with translation.override("ru"):
        assert genitive(name) == expected


def test_a_name_is_declined_to_dative_and_instrumental():
    with translation.override("ru"):
        assert dative(person("Иван", "Петров")) == "Ивану Петрову"
        assert dative(person("София", "Терентьева")) == "Софии Терентьевой"
        assert instrumental(person("София", "Терентьева")) == "Софией Терентьевой"


def test_names_stay_nominative_on_english_pages():
    with translation.override("en"):
        assert genitive(person("София", "Терентьева")) == "София Терентьева"


def test_the_genitive_filter_declines_in_a_template():
    with translation.override("ru"):
        assert render("у {{ m|genitive }}", m=person("София", "Терентьева")) == "у Софии Терентьевой"


@pytest.mark.django_db
def test_the_duplicate_inn_message_says_whose_client_it_is_in_the_genitive():
    owner = person("София", "Терентьева")
    holder = SimpleNamespace(owner=owner, name="Ромашка")

    with translation.override("ru"):
        message = duplicate_inn(holder).message_dict["inn"][0]  # type: ignore[arg-type]

    assert message == "Этот ИНН уже клиент у Софии Терентьевой: «Ромашка»."


# --- plurals -------------------------------------------------------------------------------------------------------

WORKING_DAYS = (
    "{% blocktranslate with passed=passed count total=total %}{{ passed }} of {{ total }} working day"
    "{% plural %}{{ passed }} of {{ total }} working days{% endblocktranslate %}"
)


@pytest.mark.parametrize(
    ("total", "expected"),
    [
        (1, "1 из 1 рабочего дня"),
        (2, "1 из 2 рабочих дней"),
        (5, "1 из 5 рабочих дней"),
        (11, "1 из 11 рабочих дней"),
        (21, "1 из 21 рабочего дня"),
        (22, "1 из 22 рабочих дней"),
        (25, "1 из 25 рабочих дней"),
        (111, "1 из 111 рабочих дней"),
    ],
)
def test_the_plan_fact_working_days_line_agrees_with_its_number(total, expected):
    with translation.override("ru"):
        assert render(WORKING_DAYS, passed=1, total=total) == expected


def test_twenty_one_of_twenty_one_working_days_reads_right():
    with translation.override("ru"):
        assert render(WORKING_DAYS, passed=21, total=21) == "21 из 21 рабочего дня"
    with translation.override("en"):
        assert render(WORKING_DAYS, passed=21, total=21) == "21 of 21 working days"


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (1, "1 клиент"),
        (2, "2 клиента"),
        (5, "5 клиентов"),
        (21, "21 клиент"),
        (22, "22 клиента"),
        (25, "25 клиентов"),
        (111, "111 клиентов"),
    ],
)
def test_the_client_count_of_the_printed_list_has_the_four_russian_forms(count, expected):
    source = (
        "{% blocktranslate count counter=n trimmed %}{{ counter }} client{% plural %}{{ counter }} clients"
        "{% endblocktranslate %}"
    )
    with translation.override("ru"):
        assert render(source, n=count) == expected


# --- a lost deal ---------------------------------------------------------------------------------------------------


def test_a_lost_deal_reads_otkaz_and_a_lost_client_stays_poteryannyi():
    with translation.override("ru"):
        assert str(Stage.LOST.label) == "Отказ"
        assert str(Client.Status.LOST.label) == "Потерянный"
    with translation.override("en"):
        assert str(Stage.LOST.label) == "Lost"
    assert Stage.LOST.value == "lost"  # the stored code is unchanged
