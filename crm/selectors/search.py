"""The top bar's search: clients by name, INN or phone, contacts by name or phone, deals by title or number, each
group limited to what the user may see (`visible_to`). On PostgreSQL the LIKE patterns below are served by the
trigram indexes of crm migration 0021; on SQLite they are plain scans (`make run`'s small data)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Generic, TypeVar

from django.db import connection
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import ngettext

from core.params import MAX_ID
from crm.models import Client, ContactPerson, Deal
from crm.models.validators import normalize_name, phone_digits

if TYPE_CHECKING:
    from crm.models import User

MIN_LENGTH = 2
MAX_LENGTH = 100
# Fewer digits than this are not looked for in phones and INNs: too many numbers hold any two digits.
MIN_DIGITS = 3
KINDS = ("clients", "contacts", "deals")
DEAL_NUMBER_RE = re.compile(r"[#№]?\s*([0-9]{1,19})")

M = TypeVar("M", Client, ContactPerson, Deal)


@dataclass(frozen=True)
class SearchTerm:
    """What was typed, cleaned, and the forms it is looked for in: a normalised name, phone digits, a deal id."""

    text: str = ""
    message: str = ""
    name: str = ""
    digits: str = ""
    phone_prefix: str = ""
    deal_id: int | None = None

    @property
    def usable(self) -> bool:
        return bool(self.text) and not self.message


@dataclass
class SearchGroup(Generic[M]):
    kind: str
    rows: list[M] = field(default_factory=list)
    more: bool = False


@dataclass
class SearchResults:
    term: SearchTerm
    clients: SearchGroup[Client]
    contacts: SearchGroup[ContactPerson]
    deals: SearchGroup[Deal]

    @property
    def groups(self) -> list[SearchGroup[Client] | SearchGroup[ContactPerson] | SearchGroup[Deal]]:
        return [group for group in (self.clients, self.contacts, self.deals) if group.rows]

    @property
    def found(self) -> bool:
        return bool(self.groups)


def _clean(raw: str) -> str:
    """The text without control characters, UTF-16 halves and NULs (PostgreSQL refuses those), spaces collapsed."""
    kept = "".join(ch for ch in raw if unicodedata.category(ch) not in ("Cc", "Cs", "Cf"))
    return " ".join(kept.split())


def search_term(raw: str | None) -> SearchTerm:
    """Read a typed query: empty, too short or too long gives a term with a message and nothing to look for."""
    text = _clean(raw or "")
    if not text:
        return SearchTerm()
    if len(text) > MAX_LENGTH:
        return SearchTerm(
            text=text[:MAX_LENGTH],
            message=ngettext("Type at most %(count)s character.", "Type at most %(count)s characters.", MAX_LENGTH)
            % {"count": MAX_LENGTH},
        )
    number = DEAL_NUMBER_RE.fullmatch(text)
    deal_id = int(number.group(1)) if number and int(number.group(1)) <= MAX_ID else None
    if len(text) < MIN_LENGTH:
        if deal_id is not None:  # deal No. 7
            return SearchTerm(text=text, deal_id=deal_id)
        return SearchTerm(
            text=text,
            message=ngettext("Type at least %(count)s character.", "Type at least %(count)s characters.", MIN_LENGTH)
            % {"count": MIN_LENGTH},
        )
    digits = phone_digits(text)
    phone_prefix = ""
    # A number typed from its start (8 495 58…, +7 495 58…) is a prefix of the stored +7…; the digits alone are
    # looked for anywhere in the number as well.
    if len(digits) >= MIN_DIGITS + 1 and re.match(r"\s*(\+\s*7|8)", text):
        phone_prefix = "+7" + digits[1:]
    return SearchTerm(
        text=text,
        name=normalize_name(text),
        digits=digits if len(digits) >= MIN_DIGITS else "",
        phone_prefix=phone_prefix,
        deal_id=deal_id,
    )


def _text_q(name: str, text: str, lookup: str) -> Q:
    """`name__i<lookup>=text`. SQLite's LIKE folds the case of ASCII letters only, so there the usual ways of
    writing a Cyrillic name (as typed, lower case, capitalised, upper case) are each looked for."""
    if connection.vendor != "sqlite":
        return Q(**{f"{name}__i{lookup}": text})
    variants = {text, text.lower(), text.title(), text.upper(), text[:1].upper() + text[1:]}
    condition = Q()
    for variant in sorted(variants):
        condition |= Q(**{f"{name}__{lookup}": variant})
    return condition


def _phone_q(term: SearchTerm, *fields: str) -> Q:
    """A number typed from its start (`8 (495) 58…`, `+7 495…`) is looked for as the start of the stored E.164 number
    only (a B-tree prefix; its digits with the leading 8 are in no stored number anyway); other digits anywhere."""
    condition = Q()
    for name in fields:
        if term.phone_prefix:
            condition |= Q(**{f"{name}__startswith": term.phone_prefix})
        elif term.digits:
            condition |= Q(**{f"{name}__contains": term.digits})
    return condition


def client_matches(term: SearchTerm, *, user: User) -> QuerySet[Client]:
    """Visible clients whose name holds the term (legal form, quotes and case aside), whose INN holds its digits, or
    whose phone holds them; names that start with the term first."""
    if not term.usable:
        return Client.objects.none()
    condition = _phone_q(term, "phone", "phone_extra")
    if term.digits:
        condition |= Q(inn__contains=term.digits)
    starts: Q | None = None
    # Digits alone are an INN or a phone, looked for above, not a name.
    named = any(ch.isalpha() for ch in term.name)
    if named and len(term.name) > MIN_LENGTH:
        condition |= Q(normalized_name__contains=term.name)
        starts = Q(normalized_name__startswith=term.name)
    elif named:
        # Two letters hold no trigram; as a prefix they still find something sensible, through the B-tree index.
        condition |= Q(normalized_name__startswith=term.name)
    if not condition:
        return Client.objects.none()
    clients = Client.objects.visible_to(user).filter(condition).select_related("owner")
    if starts is not None:
        first = Case(When(starts, then=Value(0)), default=Value(1), output_field=IntegerField())
        return clients.order_by(first, "name", "id")
    return clients.order_by("name", "id")


def contact_matches(term: SearchTerm, *, user: User) -> QuerySet[ContactPerson]:
    """Visible contact persons whose full name holds the term (any case) or whose phone or mobile holds its digits."""
    if not term.usable:
        return ContactPerson.objects.none()
    condition = _phone_q(term, "phone", "mobile")
    if len(term.text) > MIN_LENGTH and not term.text.isdigit():
        condition |= _text_q("full_name", term.text, "contains")
    elif not term.text.isdigit():
        condition |= _text_q("full_name", term.text, "startswith")
    if not condition:
        return ContactPerson.objects.none()
    contacts = ContactPerson.objects.visible_to(user).filter(condition).select_related("client")
    return contacts.order_by("full_name", "id")


def deal_matches(term: SearchTerm, *, user: User) -> QuerySet[Deal]:
    """Visible deals numbered as typed (`123`, `#123`, `№ 123`) or whose title holds the term, the latest first."""
    if not term.usable:
        return Deal.objects.none()
    condition = Q(pk=term.deal_id) if term.deal_id is not None else Q()
    if len(term.text) > MIN_LENGTH:
        condition |= _text_q("title", term.text, "contains")
    elif term.deal_id is None:
        condition |= _text_q("title", term.text, "startswith")
    deals = Deal.objects.visible_to(user).filter(condition).select_related("client", "owner")
    exact = Case(When(pk=term.deal_id or 0, then=Value(0)), default=Value(1), output_field=IntegerField())
    return deals.order_by(exact, "-updated_at", "-id")


def _group(kind: str, rows: QuerySet[M], limit: int) -> SearchGroup[M]:
    found = list(rows[: limit + 1])
    return SearchGroup(kind=kind, rows=found[:limit], more=len(found) > limit)


def search(*, user: User, query: str | None, limit: int, kinds: tuple[str, ...] = KINDS) -> SearchResults:
    """Up to `limit` rows of each kind the user may see, and whether there are more: one query per kind asked."""
    term = search_term(query)

    def group(kind: str, rows: QuerySet[M]) -> SearchGroup[M]:
        return _group(kind, rows, limit) if kind in kinds and term.usable else SearchGroup(kind=kind)

    return SearchResults(
        term=term,
        clients=group("clients", client_matches(term, user=user)),
        contacts=group("contacts", contact_matches(term, user=user)),
        deals=group("deals", deal_matches(term, user=user)),
    )
