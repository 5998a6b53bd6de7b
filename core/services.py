"""The small write helper every update service shares."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


def _values(instance: models.Model) -> dict[str, Any]:
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields}


def model_update(*, instance: M, data: dict[str, Any], clean: Callable[[M], None] | None = None) -> list[str]:
    """Set `data` on `instance`, validate it (`clean`, else `full_clean`) and save only the fields that changed,
    those the validation derived included (a normalised name, the first day of a month); the changed names."""
    before = _values(instance)
    for name, value in data.items():
        setattr(instance, name, value)
    (clean or (lambda obj: obj.full_clean()))(instance)
    after = _values(instance)
    changed = [name for name, value in after.items() if before[name] != value]
    if changed:
        stamps = [
            f.attname
            for f in instance._meta.concrete_fields
            if getattr(f, "auto_now", False) and f.attname not in changed
        ]
        instance.save(update_fields=[*changed, *stamps])
    return changed
