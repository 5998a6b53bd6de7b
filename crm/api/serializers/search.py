"""The search's answer: up to `limit` rows of each kind, whether there are more, and a message for a query that
cannot be looked for (empty, too short, too long)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from crm.models import Client, ContactPerson, Deal

from .fields import name_of

MAX_LIMIT = 50


class SearchQuerySerializer(serializers.Serializer):
    """`q` is read as typed (a bad one answers with a message); `limit` is checked (a bad one is a 400)."""

    q = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=_("Client name, INN or phone; contact name or phone; deal title or number."),
    )
    limit = serializers.IntegerField(required=False, min_value=1, max_value=MAX_LIMIT, default=10)


class SearchClientSerializer(serializers.ModelSerializer):
    owner_name = name_of("owner")
    url = serializers.SerializerMethodField(help_text=_("The client card."))

    class Meta:
        model = Client
        fields = ["id", "name", "inn", "phone", "phone_extra", "status", "owner", "owner_name", "url"]
        read_only_fields = fields

    def get_url(self, obj: Client) -> str:
        return reverse("client_detail", args=[obj.pk])


class SearchContactSerializer(serializers.ModelSerializer):
    client_name = name_of("client.name")
    url = serializers.SerializerMethodField(help_text=_("The card of the contact's client."))

    class Meta:
        model = ContactPerson
        fields = ["id", "full_name", "position", "phone", "mobile", "client", "client_name", "url"]
        read_only_fields = fields

    def get_url(self, obj: ContactPerson) -> str:
        return reverse("client_detail", args=[obj.client_id])


class SearchDealSerializer(serializers.ModelSerializer):
    client_name = name_of("client.name")
    owner_name = name_of("owner")
    url = serializers.SerializerMethodField(help_text=_("The deal card."))

    class Meta:
        model = Deal
        fields = ["id", "title", "stage", "amount", "client", "client_name", "owner", "owner_name", "url"]
        read_only_fields = fields

    def get_url(self, obj: Deal) -> str:
        return reverse("deal_detail", args=[obj.pk])


class SearchClientGroupSerializer(serializers.Serializer):
    results = SearchClientSerializer(source="rows", many=True)
    more = serializers.BooleanField(help_text=_("More clients match than `limit`."))


class SearchContactGroupSerializer(serializers.Serializer):
    results = SearchContactSerializer(source="rows", many=True)
    more = serializers.BooleanField(help_text=_("More contact persons match than `limit`."))


class SearchDealGroupSerializer(serializers.Serializer):
    results = SearchDealSerializer(source="rows", many=True)
    more = serializers.BooleanField(help_text=_("More deals match than `limit`."))


class SearchResultsSerializer(serializers.Serializer):
    q = serializers.CharField(source="term.text", help_text=_("The query as it was looked for (cleaned)."))
    message = serializers.CharField(source="term.message", help_text=_("Why nothing was looked for; empty otherwise."))
    clients = SearchClientGroupSerializer()
    contacts = SearchContactGroupSerializer()
    deals = SearchDealGroupSerializer()
