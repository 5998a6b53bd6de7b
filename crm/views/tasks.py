"""Tasks: the list (today, overdue, this week, later, done), the task form, the calendar, its feed and a task's move."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from core.access import RoleRequiredMixin
from core.concurrency import StaleVersion, editing_version
from core.params import DATE_RE, field_error, or_none, parse_date, parse_datetime_with_offset, parse_id
from crm.forms.concurrency import REVISION, mark_stale
from crm.forms.people import add_service_errors
from crm.forms.tasks import TaskFilterForm, TaskForm
from crm.models import Activity, Client, Deal, User
from crm.selectors.tasks import TaskFilters, calendar_tasks, local_midnight, task_list, task_owner_choices
from crm.services.activities import activity_create, activity_update, task_move
from crm.views.myday import default_next_due, safe_next

FEED_MAX_DAYS = 62
FORM_TEMPLATE = "crm/tasks/task_form.html"
TYPED_FIELDS = ("subject", "owner", "due_date", "due_time", "note")


class TasksMixin(RoleRequiredMixin):
    """Everyone who works clients has tasks; the service owner works the problem register only."""

    role_check = "reads_clients"


def visible_task(user: User, pk: int) -> Activity:
    """A call, meeting or task with a due time that the user sees; another user's answers 404."""
    rows = Activity.objects.visible_to(user).filter(due_at__isnull=False).select_related("client", "deal", "owner")
    return get_object_or_404(rows, pk=pk)


class TaskListView(TasksMixin, TemplateView):
    template_name = "crm/tasks/task_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.user
        owners = task_owner_choices(user)
        form = TaskFilterForm(self.request.GET, owners=owners)
        form.is_valid()  # a bad filter is dropped, the good ones still apply
        data = form.cleaned_data
        filters = TaskFilters(
            owner=data.get("owner"),
            client_id=data.get("client"),
            deal_id=data.get("deal"),
            kind=data.get("kind") or "",
            text=(data.get("q") or "").strip(),
        )
        today = timezone.localdate()
        page = or_none(parse_id, self.request.GET.get("done_page")) or 1
        tasks = task_list(user=user, today=today, filters=filters, done_page=page)
        query = self.request.GET.copy()
        query.pop("done_page", None)
        new_query = {k: v for k, v in (("client", filters.client_id), ("deal", filters.deal_id)) if v}
        context.update(
            form=form,
            tasks=tasks,
            titles={
                "overdue": _("Overdue"),
                "today": _("Today"),
                "week": _("This week"),
                "later": _("Later"),
            },
            filtered=any((filters.owner, filters.client_id, filters.deal_id, filters.kind, filters.text)),
            query=query.urlencode(),
            new_query="&".join(f"{k}={v}" for k, v in new_query.items()),
            show_owner=user.sees_owners,
            next_url=self.request.get_full_path(),
            now=timezone.now(),
            today=today,
        )
        return context


class TaskFormMixin(TasksMixin):
    """What the create and edit pages share: the form with the user's clients, deals and (for the head) owners."""

    task: Activity | None = None

    def chosen_client(self) -> Client | None:
        """The client whose deals the form offers: the one posted, else the edited task's."""
        pk = or_none(parse_id, self.request.POST.get("client")) if self.request.method == "POST" else None
        if pk is None and self.task is not None:
            pk = self.task.client_id
        return Client.objects.visible_to(self.user).filter(pk=pk).first() if pk else None

    def make_form(
        self, data: Any = None, initial: dict[str, Any] | None = None, chosen: Client | None = None
    ) -> TaskForm:
        user = self.user
        kept = timezone.localdate(self.task.due_at) if self.task is not None and self.task.due_at else None
        return TaskForm(
            data,
            initial=initial,
            clients=Client.objects.visible_to(user),
            deals=Deal.objects.visible_to(user),
            chosen=chosen or self.chosen_client(),
            owners=task_owner_choices(user),
            today=timezone.localdate(),
            kept_due=kept,
            editing=self.task is not None,
        )

    def render(self, form: TaskForm, status: int = 200) -> HttpResponse:
        context = {"form": form, "task": self.task, "next_url": safe_next(self.request, reverse("task_list"))}
        return TemplateResponse(self.request, FORM_TEMPLATE, context, status=status)

    def fields_of(self, form: TaskForm) -> dict[str, Any]:
        data = form.cleaned_data
        return {
            "client": data["client"],
            "deal": data["deal"],
            "subject": data["subject"],
            "note": data["note"],
            "due_at": form.due_at(),
        }

    def owner_of(self, form: TaskForm) -> User:
        """The head's or team lead's choice; a manager's tasks are always his own (the form has no such field)."""
        return form.cleaned_data.get("owner") or self.user


class TaskCreateView(TaskFormMixin, View):
    """`?client=<id>&deal=<id>` come from the card the task is planned from (a client or deal the user sees)."""

    def get(self, request: Any) -> HttpResponse:
        user = self.user
        chosen, deal = None, None
        if "deal" in request.GET:
            pk = or_none(parse_id, request.GET.get("deal"))
            deal = Deal.objects.visible_to(user).select_related("client").filter(pk=pk).first() if pk else None
            if deal is None:
                raise Http404(_("No such deal."))
            chosen = deal.client
        elif "client" in request.GET:
            pk = or_none(parse_id, request.GET.get("client"))
            chosen = Client.objects.visible_to(user).filter(pk=pk).first() if pk else None
            if chosen is None:
                raise Http404(_("No such client."))
        initial: dict[str, Any] = {
            "client": chosen.pk if chosen else None,
            "deal": deal.pk if deal else None,
            "due_date": timezone.localdate(default_next_due(timezone.now())),
        }
        # The form reloads itself when another client is chosen (static/js/task_form.js), carrying what was typed.
        initial.update({name: request.GET[name] for name in TYPED_FIELDS if request.GET.get(name)})
        return self.render(self.make_form(initial=initial, chosen=chosen))

    def post(self, request: Any) -> HttpResponse:
        form = self.make_form(request.POST)
        if form.is_valid():
            try:
                activity_create(
                    by=self.user,
                    data={"kind": Activity.Kind.TASK, **self.fields_of(form)},
                    owner=self.owner_of(form),
                )
            except ValidationError as exc:
                add_service_errors(form, exc, aliases={"due_at": "due_date"})
            except PermissionDenied as exc:
                form.add_error("client", str(exc) or _("You may not work with this client."))
            else:
                messages.success(request, _("The task is planned."))
                return redirect(safe_next(request, reverse("task_list")))
        return self.render(form, status=400)


class TaskUpdateView(TaskFormMixin, View):
    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated and self.allows(request.user):  # a role without tasks gets 403, not 404
            self.task = visible_task(request.user, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: Any, pk: int) -> HttpResponse:
        assert self.task is not None
        return self.render(self.make_form(initial=TaskForm.initial_for(self.task)))

    def post(self, request: Any, pk: int) -> HttpResponse:
        task = self.task
        assert task is not None
        form = self.make_form(request.POST)
        if form.is_valid():
            data = self.fields_of(form)
            if form.cleaned_data.get("owner") is not None:
                data["owner"] = form.cleaned_data["owner"]
            try:
                with editing_version(form.cleaned_data.get(REVISION)):
                    activity_update(activity=task, by=self.user, data=data)
            except StaleVersion as exc:
                mark_stale(form, exc.current)
                task.refresh_from_db()
            except ValidationError as exc:
                task.refresh_from_db()
                add_service_errors(form, exc, aliases={"due_at": "due_date"})
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("The task is saved."))
                return redirect(safe_next(request, reverse("task_list")))
        return self.render(form, status=400)


class TaskCalendarView(TasksMixin, TemplateView):
    """A week and a month of planned tasks (FullCalendar, static/js/calendar.js); a task is dragged to another day."""

    template_name = "crm/tasks/task_calendar.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(today=timezone.localdate(), time_zone=settings.TIME_ZONE)
        return context


def _bound(value: Any, field: str) -> datetime:
    """A feed bound: YYYY-MM-DD (the day's local midnight) or ISO 8601 (no offset: the department's time)."""
    text = str(value or "").strip()
    if not text:
        raise field_error(field, _("This parameter is required."))
    if DATE_RE.fullmatch(text):
        day = parse_date(text, field=field)
        assert day is not None
        return local_midnight(day)
    moment = parse_datetime_with_offset(text, field=field)
    assert moment is not None
    return moment


def _errors(exc: ValidationError) -> JsonResponse:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return JsonResponse({"errors": errors}, status=400)


class TaskFeedView(TasksMixin, View):
    """The calendar's events, `?start=&end=` (at most 62 days): the planned tasks the user sees."""

    def get(self, request: Any) -> HttpResponse:
        try:
            start = _bound(request.GET.get("start"), "start")
            end = _bound(request.GET.get("end"), "end")
            if end <= start:
                raise field_error("end", _("The end must be after the start."))
            if end - start > timedelta(days=FEED_MAX_DAYS):
                raise field_error("end", _("Ask for at most %(days)s days at a time.") % {"days": FEED_MAX_DAYS})
        except ValidationError as exc:
            return _errors(exc)
        now = timezone.now()
        events = []
        for task in calendar_tasks(user=self.user, start=start, end=end):
            assert task.due_at is not None
            overdue = task.due_at < now
            url = (
                reverse("deal_detail", args=[task.deal_id])
                if task.deal_id
                else reverse("client_detail", args=[task.client_id])
            )
            events.append(
                {
                    "id": str(task.pk),
                    "title": f"{task.subject} · {task.client.name}",
                    "start": timezone.localtime(task.due_at).isoformat(),
                    "allDay": False,
                    "url": url,
                    "classNames": ["task-overdue"] if overdue else ["task-planned"],
                    "color": "#d63939" if overdue else "#206bc4",
                    "extendedProps": {
                        "moveUrl": reverse("task_move", args=[task.pk]),
                        "client": task.client.name,
                        "deal": task.deal.title if task.deal else "",
                        "overdue": overdue,
                    },
                }
            )
        return JsonResponse(events, safe=False)


class TaskMoveView(TasksMixin, View):
    """POST `day=YYYY-MM-DD`: the task moves to that day at the same time (crm.services.activities.task_move)."""

    http_method_names = ["post"]

    def post(self, request: Any, pk: int) -> HttpResponse:
        task = get_object_or_404(Activity.objects.visible_to(self.user).planned(), pk=pk)
        try:
            day = parse_date(request.POST.get("day"), field="day")
            if day is None:
                raise field_error("day", _("Give the day to move the task to."))
            task_move(activity=task, by=self.user, day=day, today=timezone.localdate())
        except ValidationError as exc:
            return _errors(exc)
        except PermissionDenied as exc:
            return JsonResponse({"errors": {"__all__": [str(exc)]}}, status=403)
        assert task.due_at is not None
        return JsonResponse({"id": task.pk, "due_at": timezone.localtime(task.due_at).isoformat()})
