"""Forms of "My day" and the client pages: they parse what was typed, the services in crm/services/ decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from crm.forms.concurrency import REVISION, revision_field
from crm.forms.pipeline import DealActivityForm
from crm.models import Activity, Client, ContactPerson, Deal, MarketSegment, User
from crm.services.clients import CLIENT_FIELDS, client_fields_for

DATETIME_WIDGET = forms.DateTimeInput(format="%Y-%m-%dT%H:%M", attrs={"type": "datetime-local"})

CONTACT_FIELDS = ["full_name", "position", "decision_role", "phone", "mobile", "email", "note"]
PHONE_FIELDS = {"phone", "phone_extra", "mobile"}


def _model_fields(model: Any, names: list[str]) -> dict[str, forms.Field]:
    """The model's form fields; phones accept any way of writing a number (the service normalises them)."""
    fields = forms.fields_for_model(model, fields=names)
    for name in PHONE_FIELDS & set(fields):
        fields[name].validators = []
        fields[name].widget.attrs.update({"inputmode": "tel", "autocomplete": "off"})
    for name in ("address", "note"):
        if name in fields:
            fields[name].widget = forms.Textarea(attrs={"rows": 2})
    return fields


class CallLogForm(forms.Form):
    """A call that just ended, and the next step planned in the same submit."""

    direction = forms.ChoiceField(
        label=_("Direction"), choices=Activity.Direction.choices, initial=Activity.Direction.OUTGOING
    )
    call_result = forms.ChoiceField(
        label=_("Result"),
        choices=[("", _("Choose the result")), *Activity.CallResult.choices],
        error_messages={"required": _("Choose the result of the call.")},
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration, min"),
        required=False,
        min_value=0,
        max_value=24 * 60,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    next_subject = forms.CharField(
        label=_("Next task"),
        max_length=255,
        error_messages={"required": _("Say what the next step is.")},
    )
    next_due_at = forms.DateTimeField(
        label=_("Next task due"),
        widget=DATETIME_WIDGET,
        error_messages={"required": _("Give the date and time of the next step.")},
    )
    deal = forms.ModelChoiceField(
        label=_("Deal"), queryset=Deal.objects.none(), required=False, empty_label=_("Not about a deal")
    )

    ask_stock = forms.BooleanField(
        label=_("Then record what else the client would like us to stock"),
        required=False,
        help_text=_("Ask key clients what else to bring in: the sales head answers every request."),
    )

    def __init__(self, *args: Any, deals: QuerySet[Deal], asks_stock: bool = False, **kwargs: Any) -> None:
        """`deals`: the client's open deals the user sees; the call may be about one of them. `asks_stock`: the
        user may record a stock request for the client, so the form offers it after the call."""
        super().__init__(*args, **kwargs)
        deal_field: forms.ModelChoiceField = self.fields["deal"]  # type: ignore[assignment]
        deal_field.queryset = deals.order_by("-updated_at", "-id")
        if not asks_stock:
            del self.fields["ask_stock"]


class ClientForm(forms.Form):
    """The client's details; the owner changes only by the head's reassignment, the status by the nightly, the
    category by the head (crm.services.clients.client_fields_for)."""

    def __init__(
        self, *args: Any, by: User, segment_id: int | None = None, client_pk: int | None = None, **kwargs: Any
    ) -> None:
        """`segment_id`: the client's segment, still offered when the head has deactivated it. `client_pk`: the
        client edited, left out of the INN lookup."""
        super().__init__(*args, **kwargs)
        self.fields.update(_model_fields(Client, client_fields_for(by)))
        segment: forms.ModelChoiceField = self.fields["segment"]  # type: ignore[assignment]
        segment.queryset = MarketSegment.objects.filter(Q(is_active=True) | Q(pk=segment_id))
        self.fields[REVISION] = revision_field()
        # The INN (with the KPP) is looked up in the base as it is typed: crm.views.clients.ClientInnCheckView.
        for name, other in (("inn", "kpp"), ("kpp", "inn")):
            self.fields[name].widget.attrs.update(
                {
                    "hx-get": reverse_lazy("client_inn_check"),
                    "hx-trigger": "input changed delay:500ms, change",
                    "hx-target": "#inn-check",
                    "hx-include": f"[name={other}]",
                    "hx-vals": f'{{"client": "{client_pk or ""}"}}',
                    "autocomplete": "off",
                    "inputmode": "numeric",
                }
            )

    @classmethod
    def initial_for(cls, client: Client) -> dict[str, Any]:
        initial = {name: getattr(client, "segment_id" if name == "segment" else name) for name in CLIENT_FIELDS}
        return {**initial, REVISION: client.revision}


def owner_choices(by: User) -> QuerySet[User] | None:
    """Whom `by` may make the owner of new work: the head any seller, a team lead his team; None for a manager (it
    is always himself) and for the roles that own nothing."""
    if by.is_head or by.is_team_lead:
        return User.objects.visible_to(by).sellers().order_by("last_name", "first_name", "pk")
    return None


class ClientCreateForm(ClientForm):
    """A new client: its details and, for the head and team leads, its manager (a manager's are his own)."""

    def __init__(self, *args: Any, by: User, **kwargs: Any) -> None:
        super().__init__(*args, by=by, **kwargs)
        del self.fields[REVISION]
        owners = owner_choices(by)
        if owners is not None:
            self.fields["owner"] = forms.ModelChoiceField(
                label=_("Manager"),
                queryset=owners,
                required=not by.is_head,
                empty_label=_("Nobody yet (the free base)") if by.is_head else None,
                initial=None if by.is_head else by.pk,
            )
        inn = self.fields["inn"]
        inn.help_text = _("Checked against the whole base as you type.")


class ContactForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(_model_fields(ContactPerson, CONTACT_FIELDS))


class ContactUpdateForm(ContactForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[REVISION] = revision_field()

    @classmethod
    def initial_for(cls, contact: ContactPerson) -> dict[str, Any]:
        return {**{name: getattr(contact, name) for name in CONTACT_FIELDS}, REVISION: contact.revision}


class ClientActivityForm(DealActivityForm):
    """A call, meeting or e-mail, or a task, from the client card: about one of the client's open deals, or none."""

    deal = forms.ModelChoiceField(
        label=_("Deal"), queryset=Deal.objects.none(), required=False, empty_label=_("Not about a deal")
    )

    def __init__(self, *args: Any, deals: QuerySet[Deal], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        deal_field: forms.ModelChoiceField = self.fields["deal"]  # type: ignore[assignment]
        deal_field.queryset = deals.order_by("-updated_at", "-id")


class ClientFilterForm(forms.Form):
    """The filter bar of the clients list; filtering itself is crm.filters.ClientFilterSet (shared with the API)."""

    q = forms.CharField(label=_("Name, INN or phone"), required=False, max_length=100)
    segment = forms.ChoiceField(label=_("Segment"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("All categories")), *Client.Category.choices]
    )
    source = forms.ChoiceField(
        label=_("Source"), required=False, choices=[("", _("All sources")), *Client.Source.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *Client.Status.choices]
    )
    owner = forms.ChoiceField(label=_("Manager"), required=False)

    def __init__(
        self,
        *args: Any,
        segments: list[MarketSegment],
        regions: list[str],
        owners: list[User] | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["segment"].choices = [("", _("All segments")), *((str(s.pk), s.name) for s in segments)]  # type: ignore[attr-defined]
        typed = (self.data.get("region") or "").strip() if self.is_bound else ""
        if typed and typed.lower() not in {r.lower() for r in regions}:
            regions = [*regions, typed]  # keep a region typed into the address bar selectable
        self.fields["region"].choices = [("", _("All regions")), *((r, r) for r in regions)]  # type: ignore[attr-defined]
        if owners is None:
            del self.fields["owner"]
        else:
            self.fields["owner"].choices = [("", _("All managers")), *((str(u.pk), str(u)) for u in owners)]  # type: ignore[attr-defined]
