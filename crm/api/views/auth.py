"""Tokens for the API: obtain (with the lockout of django-axes), refresh (with a grace for a repeat) and logout
(blacklist one refresh token)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError
from rest_framework_simplejwt.views import TokenObtainPairView, TokenRefreshView

from crm.security import LoginLocked
from crm.services.auth import refresh_token_revoke, refresh_token_rotate


class TokenObtainView(TokenObtainPairView):
    """simplejwt's token pair, answering 429 while axes locks the username or address out."""

    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        try:
            serializer.is_valid(raise_exception=True)
        except TokenError as exc:
            raise InvalidToken(exc.args[0]) from exc
        except AuthenticationFailed:
            # axes marks the request it refused or has just locked (the limit reached with this attempt).
            if getattr(request, "axes_locked_out", False):
                raise LoginLocked() from None
            raise
        # As Django's login() does: last_login, axes' success record and the login log.
        user = serializer.user  # type: ignore[attr-defined]
        user_logged_in.send(sender=type(user), request=request, user=user)
        return Response(serializer.validated_data, status=status.HTTP_200_OK)


class RefreshSerializer(serializers.Serializer):
    """The refresh token a request sends (the schema keeps simplejwt's TokenRefresh for the refresh view)."""

    refresh = serializers.CharField()


class LogoutSerializer(RefreshSerializer):
    pass


class TokenRefreshGraceView(TokenRefreshView):
    """simplejwt's rotation; the token just rotated, sent again within JWT_REFRESH_GRACE_SECONDS, gets the same pair."""

    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = RefreshSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            pair = refresh_token_rotate(refresh=serializer.validated_data["refresh"], now=timezone.now())
        except TokenError as exc:
            raise InvalidToken(exc.args[0]) from exc
        return Response(pair, status=status.HTTP_200_OK)


class LogoutView(APIView):
    """Log one device out: its refresh token is blacklisted; its access token dies within minutes."""

    permission_classes = [AllowAny]  # the refresh token is the credential; the access token may have expired
    authentication_classes: list[type] = []

    @extend_schema(
        request=LogoutSerializer,
        # 400 (`refresh`: invalid, expired or already revoked) is the API's validation error, as everywhere.
        responses={204: None},
    )
    def post(self, request: Request) -> Response:
        serializer = LogoutSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        refresh_token_revoke(refresh=serializer.validated_data["refresh"])
        return Response(status=status.HTTP_204_NO_CONTENT)
