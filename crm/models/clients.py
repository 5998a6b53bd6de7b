from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.concurrency import Versioned
from core.querysets import OwnedQuerySet
from crm.models.validators import validate_inn, validate_kpp, validate_phone

from .users import Role

if TYPE_CHECKING:
    pass


class MarketSegment(models.Model):
    """A target market (сегмент рынка / целевая аудитория), kept by the head."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_(
            "Which companies belong here, so that a manager can find them (e.g. everyone who digs and builds)."
        ),
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("A deactivated segment is no longer offered for new clients.")
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("market segment")
        verbose_name_plural = _("market segments")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ClientQuerySet(OwnedQuerySet["Client"]):
    owner_paths = ("owner",)
    sees_all_roles = (Role.VIP_HEAD, Role.BASE_MANAGER)


class Client(Versioned):
    class Source(models.TextChoices):
        COLD = "cold", _("Cold")
        WARM = "warm", _("Warm")

    class SourceDetail(models.TextChoices):
        MAP_DIRECTORY = "map_directory", _("Map directory (2GIS)")
        INTERNET_DIRECTORY = "internet_directory", _("Internet directory")
        INTERNET_MAP = "internet_map", _("Internet map")
        OWN_BASE = "own_base", _("Own client base")
        REFERRAL = "referral", _("Referral")
        INBOUND = "inbound", _("Inbound request")
        OTHER = "other", _("Other")

    class Channel(models.TextChoices):
        DIRECT = "direct", _("Direct sales")
        DEALER = "dealer", _("Dealers")
        ONLINE = "online", _("Online store")
        TENDER = "tender", _("Tenders")
        RETAIL = "retail", _("Retail")

    class Category(models.TextChoices):
        VIP = "vip", _("VIP")
        A = "a", "A"
        B = "b", "B"
        C = "c", "C"

    class Status(models.TextChoices):
        PROSPECT = "prospect", _("Prospect")
        ACTIVE = "active", _("Active")
        LOST = "lost", _("Lost")

    name = models.CharField(_("name"), max_length=255)
    normalized_name = models.CharField(_("normalised name"), max_length=255, db_index=True, editable=False)
    inn = models.CharField(_("INN"), max_length=12, blank=True, db_index=True, validators=[validate_inn])
    kpp = models.CharField(_("KPP"), max_length=9, blank=True, validators=[validate_kpp])
    phone = models.CharField(_("phone"), max_length=20, blank=True, db_index=True, validators=[validate_phone])
    phone_extra = models.CharField(
        _("additional phone"), max_length=20, blank=True, db_index=True, validators=[validate_phone]
    )
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=500, blank=True)
    region = models.CharField(_("region"), max_length=120, blank=True)
    segment = models.ForeignKey(
        MarketSegment, verbose_name=_("market segment"), null=True, blank=True, on_delete=models.PROTECT
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, blank=True)
    source_detail = models.CharField(_("source detail"), max_length=30, choices=SourceDetail.choices, blank=True)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, blank=True)
    category = models.CharField(_("category"), max_length=5, choices=Category.choices, blank=True)
    owner = models.ForeignKey(
        "crm.User",
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="clients",
        # (owner, status) below serves every lookup by owner; a second index of its own only slowed each write.
        db_index=False,
    )
    owned_since = models.DateField(_("owned since"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PROSPECT)
    # Given by the phone or the integration that creates the row, so a create sent twice makes one row (docs/api.md).
    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    objects = ClientQuerySet.as_manager()

    class Meta:
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["inn", "kpp"], condition=~Q(inn=""), name="client_unique_inn_kpp"),
        ]
        indexes = [
            models.Index(fields=["owner", "status"], name="client_owner_status"),
            # The filter bar's list of regions; no LIKE pattern index (regions are compared case-insensitively).
            models.Index(fields=["region"], name="client_region"),
        ]

    def __str__(self) -> str:
        return self.name


class ContactPersonQuerySet(OwnedQuerySet["ContactPerson"]):
    owner_paths = ("client__owner",)
    sees_all_roles = (Role.VIP_HEAD, Role.BASE_MANAGER)


class ContactPerson(Versioned):
    class DecisionRole(models.TextChoices):
        DECISION_MAKER = "decision_maker", _("Decision maker")
        INFLUENCER = "influencer", _("Influences the decision")
        USER = "user", _("User of the product")
        GATEKEEPER = "gatekeeper", _("Gatekeeper")
        OTHER = "other", _("Other")

    client = models.ForeignKey(Client, verbose_name=_("client"), on_delete=models.CASCADE, related_name="contacts")
    full_name = models.CharField(_("full name"), max_length=255)
    position = models.CharField(_("position"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[validate_phone])
    mobile = models.CharField(_("mobile phone"), max_length=20, blank=True, validators=[validate_phone])
    email = models.EmailField(_("e-mail"), blank=True)
    decision_role = models.CharField(
        _("role in the decision"), max_length=20, choices=DecisionRole.choices, default=DecisionRole.OTHER
    )
    note = models.TextField(_("note"), blank=True)
    # Given by the phone or the integration that creates the row, so a create sent twice makes one row (docs/api.md).
    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    objects = ContactPersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        ordering = ["full_name", "id"]

    def __str__(self) -> str:
        return self.full_name
