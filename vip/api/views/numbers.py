"""`/api/v1/vip/quotas/` and `/api/v1/vip/staffing/`: the VIP dashboard's figures, for the VIP head and the head
(anyone else 403). A bad parameter answers 400 with field errors."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from core.http import user_of
from crm.models import User
from vip.models import Campaign
from vip.models.programme import runs_programme
from vip.selectors.quotas import campaign_progress, campaign_staffing, week_quotas


class RunsProgramme(BasePermission):
    message = gettext_lazy("The VIP dashboard is for the VIP head and the head.")

    def has_permission(self, request: Request, view: object) -> bool:
        return bool(request.user.is_authenticated and runs_programme(user_of(request)))


class WeekQuery(serializers.Serializer):
    week = serializers.DateField(help_text="Any day of the week (YYYY-MM-DD); Monday..Sunday is reported.")


class CampaignQuery(serializers.Serializer):
    campaign = serializers.IntegerField(min_value=1)


class NumbersViewSet(viewsets.ViewSet):
    permission_classes = [IsAuthenticated, RunsProgramme]

    @property
    def user(self) -> User:
        return user_of(self.request)


class QuotasViewSet(NumbersViewSet):
    """Per person: complete questionnaires each day of the week, the total and the quota."""

    @extend_schema(
        parameters=[OpenApiParameter("week", OpenApiTypes.DATE, required=True)], responses=OpenApiTypes.OBJECT
    )
    def list(self, request: Request) -> Response:
        query = WeekQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        days, people = week_quotas(self.user, query.validated_data["week"])
        return Response({"days": [day.isoformat() for day in days], "people": [p.as_dict() for p in people]})


class StaffingViewSet(NumbersViewSet):
    """The people a campaign needs against those assigned, with the arithmetic, and the campaign's progress."""

    @extend_schema(
        parameters=[OpenApiParameter("campaign", OpenApiTypes.INT, required=True)], responses=OpenApiTypes.OBJECT
    )
    def list(self, request: Request) -> Response:
        query = CampaignQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        campaign = Campaign.objects.visible_to(self.user).filter(pk=query.validated_data["campaign"]).first()
        if campaign is None:
            raise ValidationError({"campaign": [_("No such campaign.")]})
        data = campaign_staffing(self.user, campaign).as_dict()
        data["campaign"] = {"id": campaign.pk, "name": campaign.name, "start": campaign.start, "end": campaign.end}
        data["progress"] = campaign_progress(self.user, campaign).as_dict()
        return Response(data)
