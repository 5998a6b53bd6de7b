"""Refresh tokens: the rotation with its grace for a repeated refresh, the logout of one token and the revocation of all
of a user's tokens on deactivation."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.serializers import TokenRefreshSerializer
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken, UntypedToken

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


def _grace_key(jti: str) -> str:
    return f"jwt-refresh-grace:{jti}"


def refresh_token_rotate(*, refresh: str, now: datetime) -> dict[str, str]:
    """A new access and refresh token for `refresh`, which is blacklisted (simplejwt's rotation).

    A refresh token rotated less than JWT_REFRESH_GRACE_SECONDS ago (a phone that lost the answer and sends it again)
    gets the same pair its first rotation issued, kept in the cache under its `jti` for its own user; later it is
    refused, as every blacklisted token is. The rotation locks the token's row, so two sends at once rotate it once.
    Raises simplejwt's TokenError for a token that is bad, expired or blacklisted beyond the grace.
    """
    old = UntypedToken(refresh)  # type: ignore[arg-type]  # signature and expiry, whatever the blacklist says
    if old.payload.get(jwt_settings.TOKEN_TYPE_CLAIM) != "refresh":
        raise TokenError(_("Token has wrong type"))
    jti = str(old.payload.get(jwt_settings.JTI_CLAIM, ""))
    user_id = old.payload.get(jwt_settings.USER_ID_CLAIM)
    grace = settings.JWT_REFRESH_GRACE_SECONDS
    with transaction.atomic():
        list(OutstandingToken.objects.select_for_update().filter(jti=jti).order_by().values_list("pk", flat=True))
        kept = cache.get(_grace_key(jti)) if grace > 0 else None
        if kept and str(kept["user_id"]) == str(user_id) and now - kept_at(kept) <= timedelta(seconds=grace):
            # Only while the pair it got is still good (not logged out, the user not deactivated since).
            RefreshToken(kept["refresh"])  # type: ignore[arg-type]
            if User.objects.filter(pk=user_id, is_active=True).exists():
                return {"access": kept["access"], "refresh": kept["refresh"]}
        serializer = TokenRefreshSerializer(data={"refresh": refresh})
        serializer.is_valid(raise_exception=True)
        pair = dict(serializer.validated_data)
        if grace > 0:
            entry = {**pair, "user_id": str(user_id), "issued_at": now.isoformat()}
            cache.set(_grace_key(jti), entry, timeout=grace)
    return pair


def kept_at(entry: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(entry["issued_at"])
