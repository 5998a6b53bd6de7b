"""The headline figures of the head's dashboard (issue 13: "the funnel, NPS and the ABC/XYZ headline; lost clients
this month"): each analytics subject registers one function in analytics/apps.py, and the dashboard shows what they
return, so the dashboard does not reach into every report."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from crm.models import User


@dataclass(frozen=True)
class Headline:
    key: str  # "nps", "funnel", "abc", "lost"
    title: str  # "NPS"
    value: str  # "+42", already formatted
    detail: str  # the formula with its numbers and the sample size: "58 % промоутеров − 16 % критиков, 120 ответов"
    url: str  # the page behind the figure
    tone: str = ""  # "", "good" or "bad": how the figure reads against its band or last month
    order: int = 100


HeadlineFn = Callable[["User", date], "Headline | None"]
_HEADLINES: dict[str, HeadlineFn] = {}


def headline_register(key: str, fn: HeadlineFn) -> None:
    """Add (or replace: ready() may run twice) the headline `key`."""
    _HEADLINES[key] = fn


def headlines_for(user: User, as_of: date) -> list[Headline]:
    """The headlines the user's scope gives (each function reads through analytics/selectors/scope.py), in order."""
    found = [fn(user, as_of) for fn in _HEADLINES.values()]
    return sorted((h for h in found if h is not None), key=lambda h: (h.order, h.key))
