"""Choice columns of a client import: the Russian labels a user reads in the client form are accepted in any case
(and the codes, the English labels and the usual synonyms), and an error names those labels, not the codes."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from crm.models import Client, ImportJob
from crm.services.imports import import_run, import_validate
from tests.crm.factories import SegmentFactory

TODAY = date(2026, 11, 23)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def csv_file(lines: list[str]) -> SimpleUploadedFile:
    return SimpleUploadedFile("clients.csv", ("\r\n".join(lines) + "\r\n").encode("utf-8"))


def errors_of(job: ImportJob) -> dict[str, str]:
    return {e["column"]: e["message"] for e in job.errors}


def test_russian_labels_in_any_case_codes_and_english_labels_are_all_read(head):
    lines = [
        "Наименование;Источник;Канал;Категория;Статус",
        "ООО Первая;ХОЛОДНЫЙ;Прямые продажи;вип;Действующий",
        "ООО Вторая;тёплый;интернет-магазин;A;потерянный",
        "ООО Третья;Warm;DEALER;b;prospect",
        "ООО Четвёртая;cold;  тендеры ;С;Потенциальный",
    ]

    with translation.override("ru"):
        job = import_validate(by=head, kind="clients", uploaded_file=csv_file(lines))
        assert (job.valid_rows, job.errors) == (4, [])
        import_run(job=job, by=head, today=TODAY)

    read = {c.name: (c.source, c.channel, c.category, c.status) for c in Client.objects.all()}
    assert read == {
        "ООО Первая": ("cold", "direct", "vip", "active"),
        "ООО Вторая": ("warm", "online", "a", "lost"),
        "ООО Третья": ("warm", "dealer", "b", "prospect"),
        "ООО Четвёртая": ("cold", "tender", "c", "prospect"),  # a Cyrillic С is the category C
    }


def test_an_unknown_value_names_the_russian_labels_a_user_may_type_not_the_codes(head):
    lines = ["Наименование;Источник;Канал", "ООО Первая;горячий;Переговоры2"]

    with translation.override("ru"):
        job = import_validate(by=head, kind="clients", uploaded_file=csv_file(lines))

    errors = errors_of(job)
    assert errors["Источник"] == "Нет такого значения: «горячий». Допустимы: «Холодный», «Тёплый»."
    assert errors["Канал"] == (
        "Нет такого значения: «Переговоры2». Допустимы: «Прямые продажи», «Дилеры», «Интернет-магазин», "
        "«Тендеры», «Розница»."
    )
    assert "cold" not in errors["Источник"] and "direct" not in errors["Канал"]


def test_on_an_english_page_the_error_names_the_english_labels(head):
    lines = ["name;source", "First LLC;hot"]

    with translation.override("en"):
        job = import_validate(by=head, kind="clients", uploaded_file=csv_file(lines))

    assert errors_of(job)["source"] == "Unknown value “hot”: use one of «Cold», «Warm»."


def test_an_unknown_market_segment_names_the_segments_of_the_base_and_a_known_one_is_read_in_any_case(head):
    SegmentFactory(name="Строители")
    SegmentFactory(name="Монтажники")
    lines = ["Наименование;Сегмент", "ООО Первая;Строитель", "ООО Вторая;МОНТАЖНИКИ"]

    with translation.override("ru"):
        job = import_validate(by=head, kind="clients", uploaded_file=csv_file(lines))

    assert job.valid_rows == 1
    assert [(e["row"], e["message"]) for e in job.errors] == [
        (2, "Нет такого сегмента рынка: «Строитель». Допустимы: «Монтажники», «Строители».")
    ]
