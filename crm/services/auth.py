"""Refresh tokens: the logout of one token and the revocation of all of a user's tokens on deactivation."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken

from crm.models import User


@transaction.atomic
def user_tokens_revoke(*, user: User) -> int:
    """Blacklist every refresh token `user` still holds; a later reactivation does not bring them back."""
    outstanding = OutstandingToken.objects.filter(user=user, blacklistedtoken__isnull=True)
    created = BlacklistedToken.objects.bulk_create(
        [BlacklistedToken(token=token) for token in outstanding], ignore_conflicts=True
    )
    return len(created)


@transaction.atomic
def refresh_token_revoke(*, refresh: str) -> None:
    """Log out one device: blacklist the refresh token it sent (the credential is the token itself)."""
    try:
        RefreshToken(refresh).blacklist()  # type: ignore[arg-type]
    except TokenError as exc:
        raise ValidationError({"refresh": [_("The refresh token is invalid, expired or already revoked.")]}) from exc
