"""The acceptance rules and the reading of typed answers, as a table."""

from decimal import Decimal

import pytest

from vip.rules.questionnaires import SECTION_ORDER, AnswerError, Kind, Parsed, Rule, Section, parse_answer, rule_passes


@pytest.mark.parametrize(
    ("rule", "parsed", "limit", "passes"),
    [
        (Rule.MUST_BE_YES, Parsed(flag=True), None, True),
        (Rule.MUST_BE_YES, Parsed(flag=False), None, False),
        (Rule.NO_FAILURE_MONTH, Parsed(flag=True), None, False),
        (Rule.NO_FAILURE_MONTH, Parsed(flag=False), None, True),
        (Rule.MIN, Parsed(number=Decimal(100)), Decimal(100), True),
        (Rule.MIN, Parsed(number=Decimal("99.99")), Decimal(100), False),
        (Rule.MAX, Parsed(number=Decimal(3)), Decimal(2), False),
        (Rule.MAX, Parsed(number=Decimal(2)), Decimal(2), True),
        (Rule.NONE, Parsed(flag=False), None, True),
    ],
)
def test_rule_passes(rule, parsed, limit, passes):
    assert rule_passes(rule, parsed, limit) is passes


@pytest.mark.parametrize(
    ("kind", "raw", "expected"),
    [
        (Kind.YES_NO, "Да", Parsed(flag=True)),
        (Kind.YES_NO, "нет", Parsed(flag=False)),
        (Kind.NUMBER, "1 000,5", Parsed(number=Decimal("1000.50"))),
        (Kind.SCORE, "10", Parsed(number=Decimal(10))),
        (Kind.SCORE, "0", Parsed(number=Decimal(0))),
        (Kind.TEXT, " x ", Parsed(text="x")),
        (Kind.TEXT, "   ", None),
    ],
)
def test_parse_answer(kind, raw, expected):
    assert parse_answer(kind, raw) == expected


@pytest.mark.parametrize(
    ("kind", "raw"), [(Kind.SCORE, "-1"), (Kind.SCORE, "11"), (Kind.NUMBER, "inf"), (Kind.YES_NO, "?")]
)
def test_parse_answer_refuses(kind, raw):
    with pytest.raises(AnswerError):
        parse_answer(kind, raw)


def test_a_choice_must_be_one_of_the_options():
    assert parse_answer(Kind.CHOICE, "B", ["A", "B"]) == Parsed(text="B")
    with pytest.raises(AnswerError):
        parse_answer(Kind.CHOICE, "C", ["A", "B"])


def test_sections_follow_the_seed():
    assert list(SECTION_ORDER) == [
        Section.COMPANY,
        Section.CONTACTS,
        Section.CARNEGIE,
        Section.COOPERATION,
        Section.QUALITY,
        Section.GROWTH,
        Section.NEW_PRODUCTS,
        Section.REFERRALS,
        Section.RECOMMEND,
    ]
