"""People's names in the case a Russian sentence needs: «у Софии Терентьевой», «менеджеру Ивану Петрову».

A person is a user-like object (first_name, last_name, middle_name) or the text of a full name, written
«Имя Фамилия» (as `User.__str__` gives it), «Фамилия Имя» or «Фамилия Имя Отчество». The result keeps the
order it was given in. Outside Russian, and for anything pytrovich cannot read (a login, a Latin name), the
name comes back unchanged: a nominative is better than a wrong ending.
"""

from __future__ import annotations

import re
from functools import lru_cache

from django.utils import translation
from pytrovich.detector import PetrovichGenderDetector
from pytrovich.enums import Case, Gender, NamePart
from pytrovich.maker import PetrovichDeclinationMaker

CYRILLIC_WORD = re.compile(r"[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?")
PATRONYMIC = re.compile(r"(?:вич|вна|чна|тична|ична)$")
SURNAME = re.compile(r"(?:ов|ев|ёв|ин|ын|ова|ева|ёва|ина|ына|ский|ская|цкий|цкая|ой|ая|их|ых|ко|юк|ук|ман)$")


@lru_cache(maxsize=1)
def _maker() -> PetrovichDeclinationMaker:
    return PetrovichDeclinationMaker()


@lru_cache(maxsize=1)
def _detector() -> PetrovichGenderDetector:
    return PetrovichGenderDetector()


def _parts(person: object) -> list[tuple[NamePart, str]] | None:
    """The name's words with the part each one is, in the order they are written; None if it is not a Russian name."""
    if isinstance(person, str):
        words = person.split()
        if not 1 < len(words) < 4 or not all(CYRILLIC_WORD.fullmatch(w) for w in words):
            return None
        if len(words) == 3:
            if PATRONYMIC.search(words[2]):
                return [(NamePart.LASTNAME, words[0]), (NamePart.FIRSTNAME, words[1]), (NamePart.MIDDLENAME, words[2])]
            if PATRONYMIC.search(words[1]):
                return [(NamePart.FIRSTNAME, words[0]), (NamePart.MIDDLENAME, words[1]), (NamePart.LASTNAME, words[2])]
            return None
        first_is_surname = SURNAME.search(words[0]) is not None and SURNAME.search(words[1]) is None
        if first_is_surname:
            return [(NamePart.LASTNAME, words[0]), (NamePart.FIRSTNAME, words[1])]
        return [(NamePart.FIRSTNAME, words[0]), (NamePart.LASTNAME, words[1])]
    first = getattr(person, "first_name", "") or ""
    last = getattr(person, "last_name", "") or ""
    middle = getattr(person, "middle_name", "") or ""
    # The order of User.get_full_name(), which shows no patronymic; the patronymic only tells the gender.
    parts = [(part, word.strip()) for part, word in ((NamePart.FIRSTNAME, first), (NamePart.LASTNAME, last))]
    parts = [(part, word) for part, word in parts if word]
    if middle.strip() and CYRILLIC_WORD.fullmatch(middle.strip()):
        parts.append((NamePart.MIDDLENAME, middle.strip()))
    if not parts or not all(CYRILLIC_WORD.fullmatch(word) for _part, word in parts):
        return None
    return parts


def _gender(parts: list[tuple[NamePart, str]]) -> Gender:
    by_part = dict(parts)
    middle = by_part.get(NamePart.MIDDLENAME, "")
    if middle:
        return Gender.FEMALE if middle.endswith("на") else Gender.MALE
    return _detector().detect(firstname=by_part.get(NamePart.FIRSTNAME), lastname=by_part.get(NamePart.LASTNAME))


def _nominative(person: object) -> str:
    return person if isinstance(person, str) else str(person or "")


def decline(person: object, case: Case) -> str:
    """The name in `case`, in Russian only; unchanged where it cannot be declined."""
    nominative = _nominative(person)
    if not (translation.get_language() or "").startswith("ru"):
        return nominative
    parts = _parts(person)
    if parts is None:
        return nominative
    try:
        gender = _gender(parts)
        words = [_maker().make(part, gender, case, word, known_gender=False) for part, word in parts]
    except Exception:  # a rule file's gap must not break a page; the nominative still reads
        return nominative
    if not isinstance(person, str):
        words = words[:2]  # the patronymic told the gender; the name is shown as __str__ shows it
    return " ".join(words) if all(words) else nominative


def genitive(person: object) -> str:
    """«у Софии Терентьевой», «для Ивана Петрова»."""
    return decline(person, Case.GENITIVE)


def dative(person: object) -> str:
    """«менеджеру Ивану Петрову», «к Софии Терентьевой»."""
    return decline(person, Case.DATIVE)


def instrumental(person: object) -> str:
    """«закреплён за Софией Терентьевой»."""
    return decline(person, Case.INSTRUMENTAL)
