"""Writes to the product catalogue: kept by the sales head and the administrator."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from core.services import model_update
from crm.models import Product, User


def _check(by: User) -> None:
    if not by.sees_everything:
        raise PermissionDenied(_("Only the sales head or the administrator changes the catalogue."))


@transaction.atomic
def product_create(*, by: User, data: dict[str, Any]) -> Product:
    _check(by)
    product = Product(**data)
    product.full_clean()
    product.save()
    return product


@transaction.atomic
def product_update(*, product: Product, by: User, data: dict[str, Any]) -> Product:
    """Change a product; a product no longer sold is deactivated, not deleted (the sales history keeps it)."""
    _check(by)
    model_update(instance=product, data=data)
    return product
