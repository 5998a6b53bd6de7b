"""Client rows of an import file.

Columns (Russian or English header; only the name is required):
Наименование/name, ИНН/inn, КПП/kpp, Телефон/phone, Доп. телефон/phone_extra, Email/E-mail/email,
Адрес/address, Регион/region, Сегмент/segment (an existing market segment), Источник/source
(холодный/тёплый, cold/warm), Канал/channel, Категория/category (VIP, A, B, C), Менеджер/manager
(username or e-mail of an active sales manager), Статус/status (потенциальный/действующий/потерян or
prospect/active/lost), Закреплён с/owned_since (the day the manager's ownership began, so that a department moving
in from another system keeps its 3-month clocks; default: the import day).

A client is the same client when INN and KPP match (without an INN: the same normalised name and
phone); such rows are counted as already present and never update the base.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from crm.models import Client, MarketSegment, User
from crm.models.validators import normalize_name
from crm.services.clients import normalise_client_data

from .readers import Column, ColumnMap
from .values import CellError, parse_date, text

COLUMNS = (
    Column("name", ("Наименование", "Название", "Контрагент", "Организация", "name", "company"), required=True),
    Column("inn", ("ИНН", "inn")),
    Column("kpp", ("КПП", "kpp")),
    Column("phone", ("Телефон", "phone")),
    Column("phone_extra", ("Доп. телефон", "Дополнительный телефон", "Телефон 2", "phone_extra", "phone 2")),
    Column("email", ("Email", "E-mail", "Электронная почта", "Эл. почта", "Почта", "email", "e mail")),
    Column("address", ("Адрес", "Юридический адрес", "Фактический адрес", "address")),
    Column("region", ("Регион", "Город", "region", "city")),
    Column("segment", ("Сегмент", "Сегмент рынка", "segment", "market segment")),
    Column("source", ("Источник", "source")),
    Column("channel", ("Канал", "Канал продаж", "channel")),
    Column("category", ("Категория", "category")),
    Column("manager", ("Менеджер", "Ответственный", "manager", "owner")),
    Column("status", ("Статус", "status")),
    Column("owned_since", ("Закреплён с", "Закреплен с", "Дата закрепления", "owned_since", "owned since")),
)
TEXT_FIELDS = ("name", "inn", "kpp", "phone", "phone_extra", "email", "address", "region")

SOURCE_WORDS = {"холодный": "cold", "холодная": "cold", "теплый": "warm", "теплая": "warm"}
CHANNEL_WORDS = {
    "прямые продажи": "direct",
    "прямые": "direct",
    "дилеры": "dealer",
    "дилер": "dealer",
    "интернет-магазин": "online",
    "интернет магазин": "online",
    "тендеры": "tender",
    "тендер": "tender",
    "розница": "retail",
}
# Cyrillic А, В, С look like the Latin category letters and are typed as often.
CATEGORY_WORDS = {"а": "a", "в": "b", "б": "b", "с": "c", "вип": "vip"}
STATUS_WORDS = {
    "потенциальный": "prospect",
    "потенциальный клиент": "prospect",
    "действующий": "active",
    "активный": "active",
    "потерян": "lost",
    "потерянный": "lost",
    "ушел": "lost",
}


def _key(word: str) -> str:
    return " ".join(word.lower().replace("ё", "е").split())


def _choices(choices: Any, words: dict[str, str]) -> dict[str, str]:
    """What a user may type for a choice column: the code, the label in every language the site speaks (any case,
    е for ё) and the usual synonyms."""
    mapping = {_key(str(value)): value for value in choices.values}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            mapping.update({_key(str(label)): value for value, label in choices.choices})
    mapping.update({_key(word): value for word, value in words.items()})
    return mapping


def _quoted(labels: Any) -> str:
    return ", ".join(f"«{label}»" for label in labels)


def client_key(inn: str, kpp: str, normalized_name: str, phone: str) -> tuple[str, ...]:
    """How the import recognises a client it already has."""
    return ("inn", inn, kpp) if inn else ("name", normalized_name, phone)


def existing_client_keys() -> set[tuple[str, ...]]:
    rows = Client.objects.values_list("inn", "kpp", "normalized_name", "phone")
    return {client_key(inn, kpp, name, phone) for inn, kpp, name, phone in rows.iterator(chunk_size=5000)}


def _user_lookup() -> dict[str, User]:
    users: dict[str, User] = {}
    for user in User.objects.all():
        users[user.username.lower()] = user
        if user.email:
            users.setdefault(user.email.lower(), user)
    return users


@dataclass
class ClientRows:
    """Turns rows into unsaved clients, checking them as `client_create` does, with lookups loaded once."""

    columns: ColumnMap
    importer: User
    today: date
    users: dict[str, User] = field(default_factory=_user_lookup)
    segments: dict[str, int] = field(default_factory=dict)
    existing: set[tuple[str, ...]] = field(default_factory=existing_client_keys)
    seen: dict[tuple[str, ...], int] = field(default_factory=dict)
    # id() of a parsed client -> its owner and the day his ownership began
    owners: dict[int, tuple[User, date]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.segments = {_key(name): pk for pk, name in MarketSegment.objects.values_list("pk", "name")}
        self.segment_names = list(MarketSegment.objects.order_by("name").values_list("name", flat=True)[:21])
        self.mappings = {
            "source": _choices(Client.Source, SOURCE_WORDS),
            "channel": _choices(Client.Channel, CHANNEL_WORDS),
            "category": _choices(Client.Category, CATEGORY_WORDS),
            "status": _choices(Client.Status, STATUS_WORDS),
        }

    def _cell(self, values: list[Any], name: str) -> str:
        position = self.columns.index.get(name)
        return text(values[position]) if position is not None else ""

    def _choice(self, values: list[Any], name: str, choices: Any, errors: dict[str, list[str]]) -> str:
        raw = self._cell(values, name)
        if not raw:
            return ""
        value = self.mappings[name].get(_key(raw))
        if value is None:
            # The labels the user reads in the client form, in the language of the page, not the stored codes.
            errors[name] = [
                _("Unknown value “%(value)s”: use one of %(allowed)s.")
                % {"value": raw, "allowed": _quoted(label for _code, label in choices.choices)}
            ]
            return ""
        return str(value)

    def _owner(self, values: list[Any], errors: dict[str, list[str]]) -> User | None:
        """The same rules as `client_create`: a seller owns what he adds; only the head gives clients away."""
        importer = self.importer
        raw = self._cell(values, "manager")
        if not raw:
            return importer if importer.is_seller else None
        owner = self.users.get(raw.lower())
        if owner is None:
            errors["manager"] = [_("Manager %(value)s not found (give a username or an e-mail).") % {"value": raw}]
            return None
        if not importer.acts_for(owner):
            errors["manager"] = [_("You may not give a client to this manager.")]
        elif not (owner.is_seller and owner.is_active):
            errors["manager"] = [_("Only an active sales manager or team lead can own clients.")]
        return owner if "manager" not in errors else None

    def _owned_since(self, values: list[Any], owner: User | None, errors: dict[str, list[str]]) -> date:
        """The day the ownership began: the "Закреплён с" column, else the import day; never in the future."""
        raw = self._cell(values, "owned_since")
        if not raw:
            return self.today
        try:
            day = parse_date(raw)
        except CellError as exc:
            errors["owned_since"] = [str(exc)]
            return self.today
        if day > self.today:
            errors["owned_since"] = [_("The ownership cannot begin after the import day.")]
        elif owner is None and "manager" not in errors:
            errors["owned_since"] = [_("An ownership start needs the manager who owns the client.")]
        return day

    def parse(self, row_number: int, values: list[Any]) -> tuple[Client | None, bool, dict[str, list[str]]]:
        """(client, already in the base, errors by field) for one row; a second row of one client is an error."""
        errors: dict[str, list[str]] = {}
        data = {name: self._cell(values, name) for name in TEXT_FIELDS}
        if not data["name"]:
            errors["name"] = [_("The name is required.")]
        try:
            data = normalise_client_data(data)
        except ValidationError as exc:
            errors.update(exc.message_dict)
            for name in exc.message_dict:
                data[name] = ""
        segment_id = None
        segment = self._cell(values, "segment")
        if segment:
            segment_id = self.segments.get(_key(segment))
            if segment_id is None and self.segment_names:
                allowed = _quoted(self.segment_names[:20]) + (", …" if len(self.segment_names) > 20 else "")
                errors["segment"] = [
                    _("Unknown market segment “%(value)s”: use one of %(allowed)s.")
                    % {"value": segment, "allowed": allowed}
                ]
            elif segment_id is None:
                errors["segment"] = [_("Market segment %(value)s not found.") % {"value": segment}]
        choices = {
            "source": self._choice(values, "source", Client.Source, errors),
            "channel": self._choice(values, "channel", Client.Channel, errors),
            "category": self._choice(values, "category", Client.Category, errors),
            "status": self._choice(values, "status", Client.Status, errors) or Client.Status.PROSPECT,
        }
        if not self.importer.is_head:
            # As on every other path (crm.services.clients): the category is the head's, the status the nightly's.
            if choices["category"]:
                errors["category"] = [_("Only the sales head sets the category.")]
            if choices["status"] != Client.Status.PROSPECT:
                errors["status"] = [_("The status follows the client's purchases: the nightly sets it.")]
        owner = self._owner(values, errors)
        owned_since = self._owned_since(values, owner, errors)
        client = Client(
            **data,
            **choices,
            segment_id=segment_id,
            normalized_name=normalize_name(data["name"]),
        )
        try:
            # Foreign keys were resolved from the lookups; uniqueness is checked against the keys loaded once.
            client.clean_fields(exclude=["normalized_name", "owner", "segment", *errors])
        except ValidationError as exc:
            errors.update(exc.message_dict)
        if errors:
            return None, False, errors
        key = client_key(client.inn, client.kpp, client.normalized_name, client.phone)
        if key in self.seen:
            field_name = "inn" if client.inn else "name"
            message = _("This client already appears in row %(row)s of the file.") % {"row": self.seen[key]}
            return None, False, {field_name: [message]}
        self.seen[key] = row_number
        if owner is not None:
            # The owner is given by the ownership service once the client is written (crm/services/ownership.py).
            self.owners[id(client)] = (owner, owned_since)
        return client, key in self.existing, {}
