"""The VIP questionnaire's methodology as plain functions (DOMAIN.md section 6, seed 002 step 5): the sections in
the seed's order, how a typed answer is read, and whether a quality answer passes the VIP head's acceptance rule."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import models
from django.utils.translation import gettext_lazy as _


class Section(models.TextChoices):
    """The questionnaire's sections, in the order of seed 002 step 5 (the 0-10 question last, for NPS)."""

    COMPANY = "company", _("Company, meeting date, employee")
    CONTACTS = "contacts", _("Key persons and contacts")
    CARNEGIE = "carnegie", _("Carnegie questions")
    COOPERATION = "cooperation", _("Current cooperation")
    QUALITY = "quality", _("Objective quality of service")
    GROWTH = "growth", _("Room to grow current volumes")
    NEW_PRODUCTS = "new_products", _("New products and services")
    REFERRALS = "referrals", _("Referrals")
    RECOMMEND = "recommend", _("Would you recommend us")


SECTION_ORDER: dict[str, int] = {code: index for index, code in enumerate(Section.values)}


class Kind(models.TextChoices):
    TEXT = "text", _("Text")
    YES_NO = "yes_no", _("Yes / no")
    NUMBER = "number", _("Number")
    SCORE = "score", _("Score 0-10")
    CHOICE = "choice", _("Choice")


class Rule(models.TextChoices):
    """Acceptance rules of the quality questions: the answer that fails one means quality is not acceptable."""

    NONE = "", _("No rule")
    MUST_BE_YES = "yes", _("Must be yes")
    MIN = "min", _("Not below the minimum")
    MAX = "max", _("Not above the maximum")
    NO_FAILURE_MONTH = "no_failure", _("No failure in the last month")


YES = frozenset({"yes", "да", "1", "true", "on", "y", "д"})
NO = frozenset({"no", "нет", "0", "false", "off", "n", "н"})


MAX_TEXT = 5000


class AnswerError(ValueError):
    """An answer that is not of its question's type or out of its range; the message is for the field."""


@dataclass(frozen=True)
class Parsed:
    text: str = ""
    number: Decimal | None = None
    flag: bool | None = None


def parse_answer(kind: str, raw: str, choices: list[str] | None = None) -> Parsed | None:
    """Read a typed answer; None for an empty one (the answer is cleared); AnswerError when it cannot be read."""
    value = (raw or "").replace("\x00", "").strip()  # PostgreSQL text holds no NUL
    if not value:
        return None
    if len(value) > MAX_TEXT:
        raise AnswerError(_("The answer is too long: at most %(max)s characters.") % {"max": MAX_TEXT})
    if kind == Kind.TEXT:
        return Parsed(text=value)
    if kind in (Kind.YES_NO,):
        low = value.lower()
        if low in YES:
            return Parsed(flag=True)
        if low in NO:
            return Parsed(flag=False)
        raise AnswerError(_("Answer yes or no."))
    if kind in (Kind.NUMBER, Kind.SCORE):
        try:
            number = Decimal(value.replace(" ", "").replace("\u00a0", "").replace(",", "."))
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite() or abs(number) >= Decimal("1e12"):
            raise AnswerError(_("Enter a whole number from 0 to 10.") if kind == Kind.SCORE else _("Enter a number."))
        if kind == Kind.SCORE:
            if number != number.to_integral_value() or not 0 <= number <= 10:
                raise AnswerError(_("Enter a whole number from 0 to 10."))
            number = number.quantize(Decimal(1))
        return Parsed(number=number.quantize(Decimal("0.01")) if kind == Kind.NUMBER else number)
    if kind == Kind.CHOICE:
        if value not in (choices or []):
            raise AnswerError(_("Choose one of the options."))
        return Parsed(text=value)
    raise AnswerError(_("Unknown kind of question."))


def rule_passes(rule: str, parsed: Parsed, limit: Decimal | None) -> bool:
    """Whether an answer passes its acceptance rule; an empty answer or a question without a rule always passes.

    "No failure in the last month" is a yes/no question "Was there a failure in the last month?": yes fails it.
    """
    if not rule:
        return True
    if rule == Rule.MUST_BE_YES:
        return parsed.flag is not False
    if rule == Rule.NO_FAILURE_MONTH:
        return parsed.flag is not True
    if parsed.number is None or limit is None:
        return True
    if rule == Rule.MIN:
        return parsed.number >= limit
    if rule == Rule.MAX:
        return parsed.number <= limit
    return True


def rule_text(rule: str, limit: Decimal | None) -> str:
    """The rule as a reader sees it, for the problem's summary."""
    if rule == Rule.MIN:
        return str(_("not below %(limit)s") % {"limit": limit})
    if rule == Rule.MAX:
        return str(_("not above %(limit)s") % {"limit": limit})
    return str(Rule(rule).label) if rule in Rule.values else ""


RULES_OF_YES_NO = frozenset({Rule.MUST_BE_YES, Rule.NO_FAILURE_MONTH})
RULES_WITH_LIMIT = frozenset({Rule.MIN, Rule.MAX})
NUMBER_KINDS = frozenset({Kind.NUMBER, Kind.SCORE})


def question_errors(
    *, section: str, kind: str, rule: str, limit: Decimal | None, choices: list[str]
) -> dict[str, list[str]]:
    """What is wrong with a template question, by field (empty when it may be saved).

    Acceptance rules are for the quality section only; yes-must-be-yes and "no failure in the last month" need a
    yes / no question; a minimum or a maximum needs a number (or a 0-10 score) and its limit; a limit goes only with a
    minimum or a maximum; a choice question needs at least two different options.
    """
    errors: dict[str, list[str]] = {}
    if section not in Section.values:
        errors["section"] = [str(_("Choose one of the sections."))]
    if kind not in Kind.values:
        errors["kind"] = [str(_("Choose one of the kinds of question."))]
    if rule not in Rule.values:
        errors["rule"] = [str(_("Choose one of the acceptance rules."))]
    elif rule and section != Section.QUALITY:
        errors["rule"] = [str(_("Acceptance rules are only for the questions of the quality section."))]
    elif rule in RULES_OF_YES_NO and kind in Kind.values and kind != Kind.YES_NO:
        errors["rule"] = [str(_("This rule needs a yes / no question."))]
    elif rule in RULES_WITH_LIMIT and kind in Kind.values and kind not in NUMBER_KINDS:
        errors["rule"] = [str(_("A minimum or a maximum needs a number or a 0-10 score question."))]
    if rule in RULES_WITH_LIMIT and limit is None:
        errors["limit"] = [str(_("A minimum or a maximum needs its limit."))]
    elif limit is not None and rule not in RULES_WITH_LIMIT:
        errors["limit"] = [str(_("A limit goes only with a minimum or a maximum rule."))]
    elif limit is not None and kind == Kind.SCORE and not 0 <= limit <= 10:
        errors["limit"] = [str(_("The limit of a 0-10 score is from 0 to 10."))]
    if kind == Kind.CHOICE and len(set(choices)) < 2:
        errors["choices"] = [str(_("A choice question needs at least two different options, one per line."))]
    return errors
