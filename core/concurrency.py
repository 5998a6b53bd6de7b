"""Optimistic concurrency (issue 10): every editable row has a `revision`; an edit based on an older one is refused.

(`revision`, not `version`: a plan's `version` already names its plan versions.)

- `Versioned` (an abstract model) adds `revision`, raised by one on every save of an existing row.
- `lock_for_update(instance)` locks the row (SELECT ... FOR UPDATE), refreshes `instance` in place from it and, when
  the edit says which revision it was based on, refuses a stale one with `StaleVersion`. Every update service calls
  it first, so its checks and its change log read the row as it is now, and two edits of different fields both stay.
- The revision an edit was based on comes from the API's `If-Match` header or the edit form's hidden `revision`; the
  view sets it with `editing_version(...)` around the service call (a context variable, so the services keep their
  signatures).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from django.db import models
from django.utils.translation import gettext_lazy as _

M = TypeVar("M", bound=models.Model)

_editing: ContextVar[int | None] = ContextVar("editing_version", default=None)


class StaleVersion(Exception):
    """The row changed since the user read it: `current` is the row now, `expected` the version he edited."""

    def __init__(self, current: models.Model, expected: int) -> None:
        super().__init__(f"{type(current).__name__} {current.pk} is at revision {getattr(current, 'revision', '?')}")
        self.current = current
        self.expected = expected


class Versioned(models.Model):
    revision = models.PositiveIntegerField(_("revision"), default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            self.revision = (self.revision or 0) + 1
            fields = kwargs.get("update_fields")
            if fields is not None and "revision" not in fields:
                kwargs["update_fields"] = [*fields, "revision"]
        super().save(*args, **kwargs)


@contextmanager
def editing_version(version: int | None) -> Iterator[None]:
    """The edits made inside are based on `version` of the row they change (None: no check, as before)."""
    token = _editing.set(version)
    try:
        yield
    finally:
        _editing.reset(token)


def lock_for_update(instance: M, *, expected_version: int | None = None) -> M:
    """Lock `instance`'s row for the transaction, refresh `instance` from it, check the version the edit is based on.

    Must run inside a transaction (every update service is `@transaction.atomic`).
    """
    locked = type(instance)._default_manager.select_for_update(of=("self",)).get(pk=instance.pk)
    for field in instance._meta.concrete_fields:
        setattr(instance, field.attname, getattr(locked, field.attname))
    expected = expected_version if expected_version is not None else _editing.get()
    current = getattr(instance, "revision", None)
    if expected is not None and current is not None and expected != current:
        raise StaleVersion(instance, expected)
    return instance


def parse_etag(value: str) -> int | None:
    """`"7"` or `W/"7"` -> 7; None for anything else (the caller answers 400 or ignores it)."""
    value = value.strip()
    if value.startswith("W/"):
        value = value[2:]
    value = value.strip('"')
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else None


def etag_of(instance: models.Model) -> str | None:
    revision = getattr(instance, "revision", None)
    return f'"{revision}"' if revision is not None else None
