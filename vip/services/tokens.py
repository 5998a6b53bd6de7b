"""The client's confirmation link: a signed, expiring token per problem and per "fixed" round.

The token is `TimestampSigner(salt="vip.problem.<id>").sign("<id>:<round>")`: the salt differs for every problem, the
signature carries the time it was made (`VIP_CONFIRM_LINK_DAYS` to expire), and the round is the problem's
`link_round`, raised on every "fixed" and on every answer, so a used or older link is refused.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core import signing

from vip.models import Problem


class LinkInvalid(Exception):
    """The token is not one of ours (tampered, cut short)."""


class LinkExpired(Exception):
    """The token is ours but older than the setting allows."""


class LinkUsed(Exception):
    """The token was valid but the problem has moved on: already answered, or a newer link was sent."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.pk)
        self.problem = problem


def _signer(problem_id: int | str) -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=f"vip.problem.{problem_id}")


def problem_token(problem: Problem) -> str:
    return _signer(problem.pk).sign(f"{problem.pk}:{problem.link_round}")


def link_days() -> int:
    return int(getattr(settings, "VIP_CONFIRM_LINK_DAYS", 14))


def problem_from_token(token: str) -> Problem:
    """The problem a link confirms, while its round is still the one waiting for the client; raises otherwise."""
    problem_id, _sep, _rest = token.partition(":")
    if not problem_id.isdigit() or len(problem_id) > 18:
        raise LinkInvalid
    try:
        value = _signer(problem_id).unsign(token, max_age=timedelta(days=link_days()))
    except signing.SignatureExpired as exc:
        raise LinkExpired from exc
    except signing.BadSignature as exc:
        raise LinkInvalid from exc
    pk, _sep, round_ = value.partition(":")
    problem = Problem.objects.select_related("client").filter(pk=int(pk)).first()
    if problem is None or not round_.isdigit():
        raise LinkInvalid
    if problem.status != Problem.Status.FIXED or int(round_) != problem.link_round:
        raise LinkUsed(problem)
    return problem
