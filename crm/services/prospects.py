"""Prospect lists (DOMAIN.md section 3): building them by hand, from a file and from the warm base, checking them
against the whole client base, and claiming a free entry as the manager's client."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from crm.models import (
    Client,
    DepartmentSettings,
    ProspectEntry,
    ProspectList,
    SaleLine,
    User,
)
from crm.models.validators import normalize_name, normalize_phone, validate_inn
from crm.rules.clients import quiet_since
from crm.services.imports.readers import Column, map_columns, open_table
from crm.services.imports.values import text
from crm.services.ownership import client_owner_set

from .clients import client_create

ENTRY_FIELDS = ("name", "inn", "phone", "email", "address", "source", "source_detail")
# The seed's ranking of cold sources: map directories (2GIS) first, internet directories, internet maps.
COLD_DETAILS = (
    Client.SourceDetail.MAP_DIRECTORY,
    Client.SourceDetail.INTERNET_DIRECTORY,
    Client.SourceDetail.INTERNET_MAP,
)
# Kept in the ownership history in the language of the one who claims (as the other reasons are).
CLAIM_REASON = gettext_noop("claimed from prospect list")

FILE_COLUMNS = (
    Column("name", ("Наименование", "Название", "Контрагент", "Организация", "Компания", "name", "company"), True),
    Column("inn", ("ИНН", "inn")),
    Column("phone", ("Телефон", "Телефон/факс", "phone")),
    Column("email", ("Email", "E-mail", "Электронная почта", "Эл. почта", "Почта", "email", "e mail")),
    Column("address", ("Адрес", "Юридический адрес", "Фактический адрес", "address")),
    Column("source", ("Источник", "source")),
    Column("source_detail", ("Откуда", "Где найден", "Детали источника", "source detail", "source_detail")),
)
SOURCE_WORDS = {"холодный": "cold", "холодная": "cold", "теплый": "warm", "теплая": "warm"}
DETAIL_WORDS = {
    "2гис": "map_directory",
    "2gis": "map_directory",
    "дубльгис": "map_directory",
    "справочник": "internet_directory",
    "интернет-справочник": "internet_directory",
    "карта": "internet_map",
    "карты": "internet_map",
    "яндекс карты": "internet_map",
    "яндекс.карты": "internet_map",
    "google maps": "internet_map",
    "своя база": "own_base",
    "рекомендация": "referral",
}


def _words(choices: Any, extra: dict[str, str]) -> dict[str, str]:
    mapping = {str(value).lower(): str(value) for value, _label in choices.choices}
    mapping.update({str(label).lower().replace("ё", "е"): str(value) for value, label in choices.choices})
    mapping.update(extra)
    return mapping


# --- who may do what -----------------------------------------------------------------------------------------------


def may_build_for(by: User, owner: User) -> bool:
    """Whether `by` may build (and change) a list for the manager `owner`."""
    return by.is_base_manager or by.acts_for(owner)


def may_claim_for(by: User, owner: User) -> bool:
    """Claiming makes a client the list owner's: the owner himself, his team lead or the head decide it."""
    return by.acts_for(owner)


def ensure_may_build(by: User, prospect_list: ProspectList) -> None:
    if not may_build_for(by, prospect_list.owner):
        raise PermissionDenied(_("You may not change this prospect list."))


# --- lists ---------------------------------------------------------------------------------------------------------


def _clean_list_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": [_("Give the list a name.")]})
    if len(name) > 200:
        raise ValidationError({"name": [_("The name is too long (at most 200 characters).")]})
    return name


@transaction.atomic
def prospect_list_create(*, by: User, owner: User | None = None, name: str) -> ProspectList:
    """A new empty list for `owner` (the acting seller when not given)."""
    if not by.works_prospects:
        raise PermissionDenied(_("You may not build prospect lists."))
    owner = owner or (by if by.is_seller else None)
    if owner is None:
        raise ValidationError({"owner": [_("Choose the manager the list is for.")]})
    if not (owner.is_seller and owner.is_active):
        raise ValidationError({"owner": [_("A prospect list is for an active sales manager or team lead.")]})
    if not may_build_for(by, owner):
        raise ValidationError({"owner": [_("You may not build a list for this manager.")]})
    return ProspectList.objects.create(owner=owner, name=_clean_list_name(name), created_by=by)


@transaction.atomic
def prospect_list_update(*, prospect_list: ProspectList, by: User, data: dict[str, Any]) -> ProspectList:
    """Rename a list or hand it to another manager (whoever may build for both)."""
    ensure_may_build(by, prospect_list)
    if "owner" in data and data["owner"] is not None and data["owner"].pk != prospect_list.owner_id:
        owner: User = data["owner"]
        if not (owner.is_seller and owner.is_active):
            raise ValidationError({"owner": [_("A prospect list is for an active sales manager or team lead.")]})
        if not may_build_for(by, owner):
            raise ValidationError({"owner": [_("You may not build a list for this manager.")]})
        prospect_list.owner = owner
    if "name" in data:
        prospect_list.name = _clean_list_name(data["name"])
    prospect_list.save()
    if "owner" in data:
        prospect_list_check(prospect_list=prospect_list)
    return prospect_list


# --- entries -------------------------------------------------------------------------------------------------------


def clean_entry_data(data: dict[str, Any]) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Typed values to what an entry stores (phone +7..., INN checked, source codes); errors by field."""
    errors: dict[str, list[str]] = {}
    values = {name: text(data.get(name)) for name in ENTRY_FIELDS}
    if not values["name"]:
        errors["name"] = [_("The name is required.")]
    elif len(values["name"]) > 255:
        errors["name"] = [_("The name is too long (at most 255 characters).")]
    try:
        validate_inn(values["inn"])
    except ValidationError as exc:
        errors["inn"] = exc.messages
    try:
        values["phone"] = normalize_phone(values["phone"])
    except ValidationError as exc:
        errors["phone"] = exc.messages
    if values["email"]:
        try:
            validate_email(values["email"])
        except ValidationError:
            errors["email"] = [_("%(value)s is not an e-mail address.") % {"value": values["email"]}]
    if len(values["address"]) > 500:
        errors["address"] = [_("The address is too long (at most 500 characters).")]
    for name, choices, words in (
        ("source", Client.Source, SOURCE_WORDS),
        ("source_detail", Client.SourceDetail, DETAIL_WORDS),
    ):
        raw = values[name]
        if raw:
            mapping = _words(choices, words)
            code = mapping.get(raw.lower().replace("ё", "е"))
            if code is None:
                allowed = ", ".join(str(label) for _value, label in choices.choices)
                errors[name] = [_("%(value)s is not one of: %(allowed)s.") % {"value": raw, "allowed": allowed}]
            else:
                values[name] = code
    if not values["source"] and values["source_detail"] in COLD_DETAILS:
        values["source"] = Client.Source.COLD
    if not values["source"] and values["source_detail"] == Client.SourceDetail.OWN_BASE:
        values["source"] = Client.Source.WARM
    return values, errors


def _entry(prospect_list: ProspectList, values: dict[str, str], client_id: int | None = None) -> ProspectEntry:
    return ProspectEntry(
        prospect_list=prospect_list,
        client_id=client_id,
        normalized_name=normalize_name(values["name"]),
        **{name: values.get(name, "") for name in ENTRY_FIELDS},
    )


@transaction.atomic
def prospect_entry_add(
    *, prospect_list: ProspectList, by: User, data: dict[str, Any], now: datetime | None = None
) -> ProspectEntry:
    """Add one company typed by hand; the whole list is checked again against the base."""
    ensure_may_build(by, prospect_list)
    values, errors = clean_entry_data(data)
    if errors:
        raise ValidationError(errors)
    entry = _entry(prospect_list, values)
    entry.save()
    prospect_list_check(prospect_list=prospect_list, now=now)
    entry.refresh_from_db()
    return entry


@dataclass
class FileResult:
    """What a file brought: rows read, entries added, and every bad row (row, column, message)."""

    total: int = 0
    added: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)


@transaction.atomic
def prospect_entries_import(
    *, prospect_list: ProspectList, by: User, file: Any, strict: bool = True, now: datetime | None = None
) -> FileResult:
    """Entries from a CSV/XLSX file; in strict mode one bad row writes nothing, else the good rows are added."""
    ensure_may_build(by, prospect_list)
    result = FileResult()
    entries: list[ProspectEntry] = []
    with open_table(file) as table:
        columns = map_columns(table.headers, FILE_COLUMNS)
        for row_number, cells in table.rows:
            result.total += 1
            data = {name: cells[position] for name, position in columns.index.items()}
            values, errors = clean_entry_data(data)
            for name, messages in errors.items():
                for message in messages:
                    result.errors.append({"row": row_number, "column": columns.label(name), "message": str(message)})
            if not errors:
                entries.append(_entry(prospect_list, values))
    if result.total == 0:
        raise ValidationError({"file": [_("The file has no rows.")]})
    if strict and result.errors:
        return result
    ProspectEntry.objects.bulk_create(entries)
    result.added = len(entries)
    if entries:
        prospect_list_check(prospect_list=prospect_list, now=now)
    return result


def warm_candidates(*, owner: User, today: date, exclude_list: ProspectList | None = None) -> dict[str, Any]:
    """The warm base for `owner`: his clients with no purchase for N months (N from the settings), and the clients
    that never bought (his own and those nobody owns). One query each."""
    # The one definition of a new client (DOMAIN.md section 3): no purchase in the new-client months, counted in
    # calendar months (`quiet_since`), as the statuses, the long lists and the cold calls count them.
    quiet = quiet_since(today, DepartmentSettings.current().new_client_after_months)
    base = Client.objects.all()
    if exclude_list is not None:
        base = base.exclude(Exists(ProspectEntry.objects.filter(prospect_list=exclude_list, client=OuterRef("pk"))))
    lapsed = (
        base.filter(owner=owner)
        .annotate(last_purchase=Max("sales__date"))
        .filter(last_purchase__lt=quiet)
        .order_by("name", "id")
    )
    never = base.filter(Q(owner=owner) | Q(owner__isnull=True)).exclude(
        Exists(SaleLine.objects.filter(client=OuterRef("pk")))
    )
    return {"lapsed": lapsed, "never_bought": never.order_by("name", "id"), "quiet_since": quiet}


@transaction.atomic
def prospect_add_warm(
    *, prospect_list: ProspectList, by: User, today: date | None = None, now: datetime | None = None
) -> int:
    """Put the owner's warm candidates on the list (those not on it yet); the number added."""
    ensure_may_build(by, prospect_list)
    today = today or timezone.localdate()
    candidates = warm_candidates(owner=prospect_list.owner, today=today, exclude_list=prospect_list)
    fields = ("pk", "name", "inn", "phone", "email", "address")
    entries = []
    for queryset in (candidates["lapsed"], candidates["never_bought"]):
        for pk, name, inn, phone, email, address in queryset.values_list(*fields):
            values = {"name": name, "inn": inn, "phone": phone, "email": email, "address": address}
            values.update(source=Client.Source.WARM, source_detail=Client.SourceDetail.OWN_BASE)
            entries.append(_entry(prospect_list, values, client_id=pk))
    ProspectEntry.objects.bulk_create(entries)
    if entries:
        prospect_list_check(prospect_list=prospect_list, now=now)
    return len(entries)


# --- the check against the whole base -------------------------------------------------------------------------------


@dataclass(frozen=True)
class BaseMatch:
    client_id: int
    owner_id: int | None
    matched_by: str


class BaseKeys:
    """The base's clients that share an INN, a phone or a normalised name with the given entries: one query."""

    def __init__(self, entries: Iterable[ProspectEntry]) -> None:
        entries = list(entries)
        inns = {e.inn for e in entries if e.inn}
        phones = {e.phone for e in entries if e.phone}
        names = {e.normalized_name for e in entries if e.normalized_name}
        client_ids = {e.client_id for e in entries if e.client_id}
        self.by_inn: dict[str, tuple[int, int | None]] = {}
        self.by_phone: dict[str, tuple[int, int | None]] = {}
        self.by_name: dict[str, tuple[int, int | None]] = {}
        self.by_id: dict[int, tuple[int, int | None]] = {}
        condition = Q(pk__in=client_ids) | Q(inn__in=inns) | Q(phone__in=phones) | Q(phone_extra__in=phones)
        condition |= Q(normalized_name__in=names)
        if not (inns or phones or names or client_ids):
            return
        rows = Client.objects.filter(condition).order_by("id")
        for pk, inn, phone, phone_extra, name, owner_id in rows.values_list(
            "pk", "inn", "phone", "phone_extra", "normalized_name", "owner_id"
        ):
            row = (pk, owner_id)
            self.by_id[pk] = row
            if inn:
                self.by_inn.setdefault(inn, row)
            for number in (phone, phone_extra):
                if number:
                    self.by_phone.setdefault(number, row)
            if name:
                self.by_name.setdefault(name, row)

    def match(self, entry: ProspectEntry) -> BaseMatch | None:
        """INN first (the surest), then phone, then name; a warm entry is its own client."""
        candidates = (
            (ProspectEntry.MatchedBy.INN, self.by_inn.get(entry.inn) if entry.inn else None),
            (ProspectEntry.MatchedBy.PHONE, self.by_phone.get(entry.phone) if entry.phone else None),
            (ProspectEntry.MatchedBy.NAME, self.by_name.get(entry.normalized_name) if entry.normalized_name else None),
        )
        for matched_by, row in candidates:
            if row is not None:
                return BaseMatch(client_id=row[0], owner_id=row[1], matched_by=matched_by)
        if entry.client_id and entry.client_id in self.by_id:
            pk, owner_id = self.by_id[entry.client_id]
            return BaseMatch(client_id=pk, owner_id=owner_id, matched_by="")
        return None


def check_entries(entries: list[ProspectEntry], *, owner_id: int, keys: BaseKeys, now: datetime) -> None:
    """Set check_result, matched_by, worked_by and client on each entry (in list order), without saving."""
    seen: dict[tuple[str, str], ProspectEntry] = {}
    for entry in entries:
        found = keys.match(entry)
        entry.client_id = found.client_id if found else None
        entry.matched_by = found.matched_by if found else ""
        entry.worked_by_id = None
        entry.checked_at = now
        entry.updated_at = now
        if found and found.owner_id is not None:
            entry.check_result = ProspectEntry.Check.OWN if found.owner_id == owner_id else ProspectEntry.Check.TAKEN
            entry.worked_by_id = found.owner_id
        else:
            own_keys = [
                (ProspectEntry.MatchedBy.INN, entry.inn),
                (ProspectEntry.MatchedBy.PHONE, entry.phone),
                (ProspectEntry.MatchedBy.NAME, entry.normalized_name),
            ]
            repeated = next(((kind, value) for kind, value in own_keys if value and (kind, value) in seen), None)
            if repeated:
                entry.check_result = ProspectEntry.Check.DUPLICATE
                entry.matched_by = repeated[0]
            else:
                entry.check_result = ProspectEntry.Check.FREE
        for kind, value in (
            (ProspectEntry.MatchedBy.INN, entry.inn),
            (ProspectEntry.MatchedBy.PHONE, entry.phone),
            (ProspectEntry.MatchedBy.NAME, entry.normalized_name),
        ):
            if value:
                seen.setdefault((kind, value), entry)


CHECK_FIELDS = ["check_result", "matched_by", "worked_by", "client", "checked_at", "updated_at"]


@transaction.atomic
def prospect_list_check(*, prospect_list: ProspectList, now: datetime | None = None) -> dict[str, int]:
    """Check every entry against the whole base and the list itself, in a constant number of queries."""
    now = now or timezone.now()
    entries = list(prospect_list.entries.order_by("id"))
    keys = BaseKeys(entries)
    check_entries(entries, owner_id=prospect_list.owner_id, keys=keys, now=now)
    if entries:
        ProspectEntry.objects.bulk_update(entries, CHECK_FIELDS)
    counts = dict.fromkeys(ProspectEntry.Check.values, 0)
    for entry in entries:
        counts[entry.check_result] += 1
    return counts


@transaction.atomic
def prospect_list_recheck(*, prospect_list: ProspectList, by: User, now: datetime | None = None) -> dict[str, int]:
    """The user's "check again": whoever may build the list."""
    ensure_may_build(by, prospect_list)
    return prospect_list_check(prospect_list=prospect_list, now=now)


# --- claiming -------------------------------------------------------------------------------------------------------


def _lock_keys(entry: ProspectEntry) -> None:
    """Serialise claims of the same company (by INN, phone or name) until this transaction ends."""
    if connection.vendor != "postgresql":
        return
    keys = sorted(f"prospect:{kind}:{value}" for kind, value in _entry_keys(entry))
    with connection.cursor() as cursor:
        for key in keys:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [key])


def _entry_keys(entry: ProspectEntry) -> list[tuple[str, str]]:
    return [(k, v) for k, v in (("inn", entry.inn), ("phone", entry.phone), ("name", entry.normalized_name)) if v]


def _taken_error(owner_id: int) -> ValidationError:
    owner = User.objects.filter(pk=owner_id).first()
    return ValidationError({"entry": [_("This company is already worked by %(manager)s.") % {"manager": owner or "?"}]})


@transaction.atomic
def prospect_claim(*, entry: ProspectEntry, by: User, today: date | None = None) -> Client:
    """Make a free entry the list owner's client: an unowned base client is assigned only if still unowned
    (one conditional UPDATE, so of two simultaneous claims exactly one wins); otherwise a new client is created."""
    entries = ProspectEntry.objects.select_for_update(of=("self",)).select_related("prospect_list__owner")
    entry = entries.get(pk=entry.pk)
    owner = entry.prospect_list.owner
    if not may_claim_for(by, owner):
        raise PermissionDenied(_("You may not claim entries of this list."))
    if entry.check_result != ProspectEntry.Check.FREE:
        message = _("Only a free entry can be claimed: this one is “%(check)s”.")
        raise ValidationError({"entry": [message % {"check": entry.get_check_result_display()}]})
    today = today or timezone.localdate()
    _lock_keys(entry)
    # The base may have changed since the list was checked: look again, under the locks.
    found = BaseKeys([entry]).match(entry)
    if found is not None and found.owner_id is not None:
        if found.owner_id == owner.pk:
            raise ValidationError({"entry": [_("The company is already this manager's client.")]})
        raise _taken_error(found.owner_id)
    if found is not None:
        # The row lock makes two simultaneous claims take turns: the second finds the client owned.
        client = Client.objects.select_for_update(of=("self",)).get(pk=found.client_id)
        if client.owner_id is not None:
            raise _taken_error(client.owner_id)
        client_owner_set(client=client, to_owner=owner, by=by, reason=_(CLAIM_REASON), today=today, unowned_only=True)
        if entry.source:
            # DOMAIN.md section 3: the source of every client is recorded; keep one already known.
            Client.objects.filter(pk=found.client_id, source="").update(
                source=entry.source, source_detail=entry.source_detail
            )
            client.refresh_from_db()
    else:
        data: dict[str, Any] = {name: getattr(entry, name) for name in ENTRY_FIELDS}
        data.update(owner=owner, status=Client.Status.PROSPECT)
        client = client_create(by=by, data=data, today=today)
    entry.client = client
    entry.check_result = ProspectEntry.Check.OWN
    entry.worked_by = owner
    entry.checked_at = timezone.now()
    entry.save(update_fields=["client", "check_result", "worked_by", "checked_at", "updated_at"])
    return client
