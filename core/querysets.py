"""`visible_to(user)` for rows that belong to a seller: one base instead of a copy per model."""

from __future__ import annotations

from functools import reduce
from operator import or_
from typing import TYPE_CHECKING, ClassVar, Generic, Self, TypeVar

from django.db import models

if TYPE_CHECKING:
    from crm.models import User

M = TypeVar("M", bound=models.Model)


class OwnedQuerySet(models.QuerySet[M], Generic[M]):
    """The head and the admin see every row, the roles in `sees_all_roles` too; a seller sees the rows owned (through
    any of `owner_paths`, user foreign keys) by him, or by his team for a team lead; anyone else sees none."""

    owner_paths: ClassVar[tuple[str, ...]] = ("owner",)
    sees_all_roles: ClassVar[tuple[str, ...]] = ()

    def visible_to(self, user: User) -> Self:
        if user.sees_everything or user.role in self.sees_all_roles:
            return self
        if user.is_seller:
            return self.filter(self.seller_q(user))
        return self.none()

    def seller_q(self, user: User) -> models.Q:
        """What a seller sees: the rows owned through any of `owner_paths`."""
        return reduce(or_, (user.owner_q(path) for path in self.owner_paths))
