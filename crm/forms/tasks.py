"""The task list's filter bar and the task form; crm.services.activities decides what is saved."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm.forms.concurrency import REVISION, revision_field
from crm.forms.deals import CLIENT_CHOICES_MAX
from crm.forms.pipeline import DATE_WIDGET
from crm.models import Activity, Client, Deal, User

TIME_WIDGET = forms.TimeInput(format="%H:%M", attrs={"type": "time"})
DEFAULT_TIME = time(10, 0)


class TaskFilterForm(forms.Form):
    """The filters of /tasks/: the manager only for the head and team leads, the client and deal by id (from a card)."""

    q = forms.CharField(label=_("Text"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *Activity.Kind.choices])
    owner = forms.ModelChoiceField(label=_("Manager"), required=False, queryset=User.objects.none())
    client = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    deal = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, owners: QuerySet[User] | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if owners is None:
            del self.fields["owner"]
        else:
            owner: forms.ModelChoiceField = self.fields["owner"]  # type: ignore[assignment]
            owner.queryset = owners
            owner.empty_label = _("All managers")


class TaskForm(forms.Form):
    """A task: what, on which client (and deal), when; the head and team leads also choose whose it is."""

    subject = forms.CharField(label=_("Task"), max_length=255)
    client = forms.ModelChoiceField(
        label=_("Client"), queryset=Client.objects.none(), empty_label=_("Choose the client")
    )
    deal = forms.ModelChoiceField(
        label=_("Deal"), queryset=Deal.objects.none(), required=False, empty_label=_("Not about a deal")
    )
    due_date = forms.DateField(label=_("Due date"), widget=DATE_WIDGET)
    due_time = forms.TimeField(label=_("Time"), widget=TIME_WIDGET, initial=DEFAULT_TIME)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    field_order = ["subject", "client", "deal", "owner", "due_date", "due_time", "note"]

    def __init__(
        self,
        *args: Any,
        clients: QuerySet[Client],
        deals: QuerySet[Deal],
        chosen: Client | None,
        owners: QuerySet[User] | None,
        today: date,
        kept_due: date | None = None,
        editing: bool = False,
        **kwargs: Any,
    ) -> None:
        """`clients`, `deals`: those the user sees; `chosen`: the client whose deals are offered. `today`: a task is
        not planned for a day that has passed, unless it already was (`kept_due`, an edited task's day)."""
        super().__init__(*args, **kwargs)
        self.today = today
        self.kept_due = kept_due
        client_field: forms.ModelChoiceField = self.fields["client"]  # type: ignore[assignment]
        client_field.queryset = clients
        # A select of every client the head sees would hold the whole base: the first ones by name and the chosen.
        shown = list(clients.order_by("name", "pk").only("pk", "name")[:CLIENT_CHOICES_MAX])
        if chosen is not None and chosen not in shown:
            shown.insert(0, chosen)
        client_field.widget.choices = [("", client_field.empty_label), *((c.pk, c.name) for c in shown)]
        if len(shown) >= CLIENT_CHOICES_MAX:
            client_field.help_text = _("Not in the list? Plan the task from the client's card.")
        deal_field: forms.ModelChoiceField = self.fields["deal"]  # type: ignore[assignment]
        deal_field.queryset = deals
        offered = (
            list(deals.filter(client=chosen).order_by("-updated_at", "-id")[:CLIENT_CHOICES_MAX]) if chosen else []
        )
        deal_field.widget.choices = [("", deal_field.empty_label), *((d.pk, d.title) for d in offered)]
        if chosen is None:
            deal_field.help_text = _("Choose the client first: its deals are offered here.")
        if owners is not None:
            # An edited task stays whose it is unless another is chosen (it may be someone's not in the list).
            self.fields["owner"] = forms.ModelChoiceField(
                label=_("Whose task"),
                queryset=owners,
                required=False,
                empty_label=_("Leave as it is") if editing else _("Mine"),
            )
        if editing:
            self.fields[REVISION] = revision_field()  # a task changed meanwhile is not overwritten unseen
        self.order_fields(self.field_order)

    def clean_due_date(self) -> date:
        day: date = self.cleaned_data["due_date"]
        if day < self.today and day != self.kept_due:
            raise forms.ValidationError(_("A task cannot be planned for a day that has passed."))
        return day

    def due_at(self) -> datetime:
        data = self.cleaned_data
        return timezone.make_aware(datetime.combine(data["due_date"], data["due_time"]))

    @staticmethod
    def initial_for(task: Activity) -> dict[str, Any]:
        local = timezone.localtime(task.due_at) if task.due_at else None
        return {
            "subject": task.subject,
            "client": task.client_id,
            "deal": task.deal_id,
            "owner": task.owner_id,
            "due_date": local.date() if local else None,
            "due_time": local.time().replace(second=0, microsecond=0) if local else DEFAULT_TIME,
            "note": task.note,
            REVISION: task.revision,
        }
