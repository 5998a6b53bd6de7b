"""Back-office admin for every CRM model.

Client and deal edits are written to the change log like edits made through the services; a deal's stage is
read-only here (moves go through `deal_move_stage` with its gates); the history tables are read-only.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Model, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from crm.models import (
    Activity,
    Brand,
    ChangeLog,
    Client,
    ClientCategoryPurchase,
    ColdCallNorm,
    ContactPerson,
    Deal,
    DealPayment,
    DealProduct,
    DealStageChange,
    DepartmentSettings,
    ImportJob,
    LongList,
    LongListEntry,
    LostReason,
    MarketSegment,
    OwnershipChange,
    Product,
    ProductCategory,
    ProspectEntry,
    ProspectList,
    Reassignment,
    SaleLine,
    StageProbability,
    StockRequest,
    Team,
    Tombstone,
    User,
    Webhook,
    WebhookDelivery,
    WorkingDayOverride,
)
from crm.models.validators import normalize_phone
from crm.services.auth import user_tokens_revoke
from crm.services.clients import client_create, client_update
from crm.services.deals import deal_create, deal_update
from crm.services.history import changelog_record
from crm.services.ownership import client_owner_set, owner_refusal


def _user(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


class ReadOnlyAdmin(admin.ModelAdmin):
    """History is written by the services; the admin only shows it."""

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


# People


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("last_name", "first_name", "middle_name", "email", "phone")}),
        (_("Sales department"), {"fields": ("role", "team")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "usable_password", "password1", "password2")}),
        (_("Sales department"), {"fields": ("last_name", "first_name", "middle_name", "role", "team")}),
    )
    list_display = ("username", "last_name", "first_name", "role", "team", "is_active", "is_staff")
    list_filter = ("role", "team", "is_active", "is_staff", "is_superuser")
    search_fields = ("username", "last_name", "first_name", "middle_name", "email", "phone")
    list_select_related = ("team",)
    ordering = ("last_name", "first_name", "username")

    def save_model(self, request: HttpRequest, obj: User, form: ModelForm, change: bool) -> None:
        super().save_model(request, obj, form, change)
        # Deactivated here as on the users page: his API sessions end with it.
        if change and "is_active" in form.changed_data and not obj.is_active:
            user_tokens_revoke(user=obj)


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "lead", "updated_at")
    search_fields = ("name",)
    autocomplete_fields = ("lead",)
    list_select_related = ("lead",)


# Clients


@admin.register(MarketSegment)
class MarketSegmentAdmin(admin.ModelAdmin):
    list_display = ("name", "updated_at")
    search_fields = ("name",)


class ContactPersonInline(admin.TabularInline):
    model = ContactPerson
    extra = 0
    fields = ("full_name", "position", "phone", "mobile", "email", "decision_role")


class OwnershipChangeInline(ReadOnlyInline):
    model = OwnershipChange
    fk_name = "client"
    fields = ("at", "from_owner", "to_owner", "by", "reason")
    readonly_fields = fields
    ordering = ("-at",)


class ClientAdminForm(ModelForm):
    owner_change_reason = forms.CharField(
        label=_("Why the owner changes"),
        required=False,
        max_length=500,
        help_text=_("Required when you change the owner; kept in the ownership history."),
    )

    def clean_phone(self) -> str:
        return normalize_phone(self.cleaned_data.get("phone") or "")

    def clean_phone_extra(self) -> str:
        return normalize_phone(self.cleaned_data.get("phone_extra") or "")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        owner = data.get("owner")
        owner_changed = "owner" in self.changed_data and self.instance.pk is not None
        if owner is not None and "owner" in self.changed_data and not owner.is_seller:
            self.add_error("owner", gettext("Only a sales manager or a team lead can own clients."))
        if owner_changed and not (data.get("owner_change_reason") or "").strip():
            self.add_error("owner_change_reason", gettext("Say why the client is reassigned."))
        if owner_changed and (refusal := owner_refusal(client=self.instance, to_owner=owner)):
            self.add_error("owner", refusal)
        return data


@admin.register(Client)
class ClientAdmin(admin.ModelAdmin):
    form = ClientAdminForm
    list_display = ("name", "inn", "phone", "region", "status", "category", "owner", "segment", "updated_at")
    list_filter = ("status", "category", "source", "channel", "segment", "owner")
    search_fields = ("name", "inn", "phone", "phone_extra", "email")
    autocomplete_fields = ("owner", "segment")
    list_select_related = ("owner", "segment")
    # The status follows the purchases: the nightly sets it (crm/services/clients.py).
    readonly_fields = ("status", "created_at", "updated_at")
    show_full_result_count = False
    inlines = (ContactPersonInline, OwnershipChangeInline)
    fieldsets = (
        (None, {"fields": ("name", "inn", "kpp", "status", "category")}),
        (_("Contacts"), {"fields": ("phone", "phone_extra", "email", "address", "region")}),
        (_("Market"), {"fields": ("segment", "source", "source_detail", "channel")}),
        (_("Owner"), {"fields": ("owner", "owned_since", "owner_change_reason")}),
        (None, {"fields": ("created_at", "updated_at")}),
    )

    def save_model(self, request: HttpRequest, obj: Client, form: ModelForm, change: bool) -> None:
        """Saved through the client services, so the admin follows the rules every other path follows."""
        by = _user(request)
        assert by is not None  # the admin site lets only staff in
        owner_fields = ("owner", "owned_since", "owner_change_reason")
        data = form.cleaned_data
        owned_since = data.get("owned_since") if "owned_since" in form.changed_data else None
        if change:
            client = Client.objects.get(pk=obj.pk)
            details = {name: data[name] for name in form.changed_data if name not in owner_fields}
            if details:
                client = client_update(client=client, by=by, data=details)
            if "owner" in form.changed_data:
                reason = (data.get("owner_change_reason") or "").strip()
                client_owner_set(client=client, to_owner=data.get("owner"), by=by, reason=reason, today=owned_since)
        else:
            fields = {name: data[name] for name in data if name not in owner_fields[1:] and name in self.model_fields()}
            client = client_create(by=by, data=fields, today=owned_since)
        # The inlines are saved against the admin's own instance: give it the saved row.
        obj.pk = client.pk
        obj.refresh_from_db()
        obj._state.adding = False

    @staticmethod
    def model_fields() -> set[str]:
        return {field.name for field in Client._meta.concrete_fields}

    def delete_model(self, request: HttpRequest, obj: Client) -> None:
        changelog_record(obj=obj, by=_user(request), action=ChangeLog.Action.DELETE)
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Client]) -> None:
        for obj in queryset:
            changelog_record(obj=obj, by=_user(request), action=ChangeLog.Action.DELETE)
        super().delete_queryset(request, queryset)


@admin.register(ContactPerson)
class ContactPersonAdmin(admin.ModelAdmin):
    list_display = ("full_name", "position", "client", "phone", "mobile", "email", "decision_role")
    list_filter = ("decision_role",)
    search_fields = ("full_name", "phone", "mobile", "email", "client__name", "client__inn")
    autocomplete_fields = ("client",)
    list_select_related = ("client",)


# Products and sales


@admin.register(ProductCategory)
class ProductCategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "parent")
    search_fields = ("name",)
    autocomplete_fields = ("parent",)
    list_select_related = ("parent",)


@admin.register(Brand)
class BrandAdmin(admin.ModelAdmin):
    list_display = ("name", "updated_at")
    search_fields = ("name",)


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ("sku", "name", "category", "brand", "unit", "price", "is_active")
    list_filter = ("is_active", "category", "brand")
    search_fields = ("sku", "name")
    autocomplete_fields = ("category", "brand")
    list_select_related = ("category", "brand")


@admin.register(SaleLine)
class SaleLineAdmin(admin.ModelAdmin):
    list_display = (
        "date",
        "document_number",
        "line_no",
        "client",
        "product",
        "quantity",
        "amount",
        "is_paid",
        "manager",
    )
    list_filter = ("is_paid", "date")
    search_fields = ("document_number", "client__name", "client__inn")
    autocomplete_fields = ("client", "product", "manager")
    raw_id_fields = ("import_job",)
    list_select_related = ("client", "product", "manager")
    date_hierarchy = "date"
    # Millions of lines: do not count the whole table on every page.
    show_full_result_count = False


# Deals


class DealProductInline(admin.TabularInline):
    model = DealProduct
    extra = 0
    autocomplete_fields = ("product",)


class DealPaymentInline(ReadOnlyInline):
    model = DealPayment
    fields = ("paid_on", "amount", "document_number", "by", "created_at")
    readonly_fields = fields


class DealStageChangeInline(ReadOnlyInline):
    model = DealStageChange
    fields = ("at", "from_stage", "to_stage", "is_backward", "reason", "by")
    readonly_fields = fields


class DealAdminForm(ModelForm):
    def clean_owner(self) -> User:
        owner = self.cleaned_data["owner"]
        if owner is not None and "owner" in self.changed_data and not owner.is_seller:
            raise forms.ValidationError(gettext("Only a sales manager or a team lead can own deals."))
        return owner


@admin.register(Deal)
class DealAdmin(admin.ModelAdmin):
    form = DealAdminForm
    list_display = ("title", "client", "owner", "stage", "amount", "probability", "expected_close_date", "updated_at")
    list_filter = ("stage", "owner", "lost_reason")
    search_fields = ("title", "client__name", "client__inn", "contract_number", "invoice_number")
    autocomplete_fields = ("client", "owner")
    list_select_related = ("client", "owner")
    # The stage and what follows from it move only through the deal services, which check each stage's gate.
    readonly_fields = (
        "stage",
        "stage_changed_at",
        "paid_amount",
        "lost_reason",
        "lost_from_stage",
        "lost_note",
        "won_at",
        "closed_at",
        "created_at",
        "updated_at",
    )
    show_full_result_count = False
    inlines = (DealProductInline, DealPaymentInline, DealStageChangeInline)

    def save_model(self, request: HttpRequest, obj: Deal, form: ModelForm, change: bool) -> None:
        """Saved through the deal services: a new deal opens at `goal` with its first stage change, as anywhere."""
        by = _user(request)
        assert by is not None  # the admin site lets only staff in
        data = form.cleaned_data
        if change:
            deal = Deal.objects.get(pk=obj.pk)
            details = {name: data[name] for name in form.changed_data}
        else:
            opening = ("client", "title", "owner", "amount", "expected_close_date", "plan_month")
            deal = deal_create(by=by, **{name: data[name] for name in opening if data.get(name) is not None})
            details = {name: data[name] for name in form.changed_data if name not in opening}
        if details:
            deal = deal_update(deal=deal, by=by, data=details)
        # The inlines are saved against the admin's own instance: give it the saved row.
        obj.pk = deal.pk
        obj.refresh_from_db()
        obj._state.adding = False

    def has_delete_permission(self, request: HttpRequest, obj: Deal | None = None) -> bool:
        # As with `deal_delete`: a deal with recorded payments is not a mistake to erase.
        if obj is not None and (obj.paid_amount or obj.payments.exists()):
            return False
        return super().has_delete_permission(request, obj)

    def delete_model(self, request: HttpRequest, obj: Deal) -> None:
        changelog_record(obj=obj, by=_user(request), action=ChangeLog.Action.DELETE)
        super().delete_model(request, obj)

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        # Deals are deleted one at a time, where the rule above is checked.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


@admin.register(LostReason)
class LostReasonAdmin(admin.ModelAdmin):
    list_display = ("name", "is_active", "sort_order")
    list_editable = ("is_active", "sort_order")
    list_filter = ("is_active",)
    search_fields = ("name",)


@admin.register(StageProbability)
class StageProbabilityAdmin(admin.ModelAdmin):
    list_display = ("stage", "probability")
    list_editable = ("probability",)


@admin.register(DealProduct)
class DealProductAdmin(admin.ModelAdmin):
    list_display = ("deal", "product", "quantity", "price")
    search_fields = ("deal__title", "product__name", "product__sku")
    autocomplete_fields = ("deal", "product")
    list_select_related = ("deal", "product")


@admin.register(DealPayment)
class DealPaymentAdmin(ReadOnlyAdmin):
    """Payments change the paid amount and may win the deal: they are recorded through the deal services."""

    list_display = ("deal", "paid_on", "amount", "document_number", "by")
    list_filter = ("paid_on",)
    search_fields = ("deal__title", "document_number")
    list_select_related = ("deal", "by")


@admin.register(DealStageChange)
class DealStageChangeAdmin(ReadOnlyAdmin):
    list_display = ("deal", "from_stage", "to_stage", "is_backward", "by", "at")
    list_filter = ("to_stage", "is_backward")
    search_fields = ("deal__title",)
    list_select_related = ("deal", "by")
    date_hierarchy = "at"


# Activities


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ("subject", "kind", "client", "deal", "owner", "due_at", "done_at")
    list_filter = ("kind", "direction", "call_result", "owner")
    search_fields = ("subject", "client__name", "deal__title")
    autocomplete_fields = ("client", "deal", "owner")
    list_select_related = ("client", "deal", "owner")
    show_full_result_count = False


# History and imports


@admin.register(ChangeLog)
class ChangeLogAdmin(ReadOnlyAdmin):
    list_display = ("at", "content_type", "object_id", "action", "by")
    list_filter = ("action", "content_type")
    search_fields = ("=object_id",)
    list_select_related = ("content_type", "by")
    date_hierarchy = "at"
    show_full_result_count = False


@admin.register(OwnershipChange)
class OwnershipChangeAdmin(ReadOnlyAdmin):
    list_display = ("at", "client", "from_owner", "to_owner", "by", "reason")
    search_fields = ("client__name", "client__inn", "reason")
    list_select_related = ("client", "from_owner", "to_owner", "by")
    date_hierarchy = "at"


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyAdmin):
    """Imports are checked in a dry run and confirmed on the import page; here they are only shown."""

    list_display = (
        "original_name",
        "kind",
        "status",
        "total_rows",
        "created_count",
        "error_count",
        "created_by",
        "created_at",
    )
    list_filter = ("kind", "status")
    search_fields = ("original_name",)
    list_select_related = ("created_by",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[ImportJob]:
        return super().get_queryset(request).defer("errors")


# Hunting new clients (DOMAIN.md section 3)


@admin.register(DepartmentSettings)
class DepartmentSettingsAdmin(admin.ModelAdmin):
    list_display = ("__str__", "prospect_list_size", "reassign_after_months", "potential_threshold", "updated_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        """One row holds the department's numbers (`DepartmentSettings.current()`)."""
        return not DepartmentSettings.objects.exists()


class ProspectEntryInline(admin.TabularInline):
    model = ProspectEntry
    extra = 0
    fields = ("name", "inn", "phone", "email", "address", "check_result", "worked_by", "client")
    readonly_fields = ("check_result", "worked_by")
    raw_id_fields = ("client",)


@admin.register(ProspectList)
class ProspectListAdmin(admin.ModelAdmin):
    list_display = ("name", "owner", "created_by", "created_at")
    list_filter = ("owner",)
    search_fields = ("name",)
    autocomplete_fields = ("owner",)
    list_select_related = ("owner", "created_by")
    readonly_fields = ("created_by",)
    inlines = [ProspectEntryInline]


@admin.register(ProspectEntry)
class ProspectEntryAdmin(admin.ModelAdmin):
    list_display = ("name", "inn", "phone", "prospect_list", "check_result", "worked_by")
    list_filter = ("check_result", "matched_by")
    search_fields = ("name", "inn", "phone")
    raw_id_fields = ("prospect_list", "client")
    list_select_related = ("prospect_list", "worked_by")
    readonly_fields = ("check_result", "matched_by", "worked_by", "checked_at")


@admin.register(Reassignment)
class ReassignmentAdmin(admin.ModelAdmin):
    """The queue is decided on its page (reassign or extend through the services); here it is read only."""

    list_display = ("client", "owner", "owned_since", "flagged_on", "status", "new_owner", "decided_by")
    list_filter = ("status",)
    search_fields = ("client__name", "client__inn")
    list_select_related = ("client", "owner", "new_owner", "decided_by")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class LongListEntryInline(admin.TabularInline):
    model = LongListEntry
    extra = 0
    fields = ("client", "reason", "rank", "past_turnover", "called_at", "short_listed", "potential_monthly")
    raw_id_fields = ("client",)


@admin.register(LongList)
class LongListAdmin(admin.ModelAdmin):
    list_display = ("owner", "month", "drafted_at")
    list_filter = ("month",)
    autocomplete_fields = ("owner",)
    list_select_related = ("owner",)
    inlines = [LongListEntryInline]


@admin.register(LongListEntry)
class LongListEntryAdmin(admin.ModelAdmin):
    list_display = ("client", "long_list", "reason", "rank", "called_at", "short_listed", "not_worth")
    list_filter = ("reason", "short_listed", "not_worth")
    search_fields = ("client__name", "client__inn")
    raw_id_fields = ("long_list", "client")
    list_select_related = ("client", "long_list__owner")


@admin.register(ColdCallNorm)
class ColdCallNormAdmin(admin.ModelAdmin):
    list_display = ("manager", "daily_calls", "set_by", "updated_at")
    autocomplete_fields = ("manager",)
    list_select_related = ("manager", "set_by")
    readonly_fields = ("set_by",)


@admin.register(WorkingDayOverride)
class WorkingDayOverrideAdmin(admin.ModelAdmin):
    """The head's corrections of the production calendar; the head edits them on /settings/calendar/."""

    list_display = ("day", "is_working", "note", "by", "at")
    list_select_related = ("by",)
    readonly_fields = ("by",)

    def save_model(self, request: HttpRequest, obj: WorkingDayOverride, form: Any, change: bool) -> None:
        obj.by = _user(request)
        super().save_model(request, obj, form, change)


@admin.register(StockRequest)
class StockRequestAdmin(admin.ModelAdmin):
    """Requests are recorded and answered on their pages (through the services); here they are read only."""

    list_display = ("client", "product", "category", "item_name", "quantity", "unit", "status", "created_at")
    list_filter = ("status",)
    search_fields = ("client__name", "client__inn", "product__name", "product__sku", "item_name")
    list_select_related = ("client", "product", "category")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(ClientCategoryPurchase)
class ClientCategoryPurchaseAdmin(admin.ModelAdmin):
    """The client's yearly purchases per category are recorded through `client_category_purchase_record` (the VIP
    questionnaire); every row is a recording of the history, so here they are read only."""

    list_display = ("client", "category", "yearly_amount", "recorded_on", "source", "recorded_by")
    list_filter = ("source", "category")
    search_fields = ("client__name", "client__inn", "category__name")
    list_select_related = ("client", "category", "recorded_by")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


# Webhooks are managed on the head's pages (/settings/webhooks/), where the URL rule and the secret are kept.
@admin.register(Webhook)
class WebhookAdmin(ReadOnlyAdmin):
    list_display = ("url", "is_active", "description", "created_by", "created_at")
    list_filter = ("is_active",)
    exclude = ("secret",)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    list_display = ("webhook", "event", "status", "attempts", "response_status", "created_at")
    list_filter = ("status", "event")
    list_select_related = ("webhook",)


# Mobile sync's tombstones (crm/sync.py) are written by the rules only; the admin shows them for support.
@admin.register(Tombstone)
class TombstoneAdmin(ReadOnlyAdmin):
    list_display = ("resource", "object_id", "reason", "at", "owner_id", "client_owner_id")
    list_filter = ("resource", "reason")
    search_fields = ("=object_id",)
