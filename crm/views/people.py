"""Users and teams pages for the sales head and the admin; every write goes through crm.services.people."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from core.access import RoleRequiredMixin
from core.exports import Column, xlsx_response
from core.http import user_of
from crm.filters import UserFilterSet
from crm.forms.people import TeamForm, UserCreateForm, UserFilterForm, UserUpdateForm, add_service_errors
from crm.models import Team, User
from crm.models.validators import format_phone
from crm.services.people import (
    may_manage_admins,
    team_create,
    team_update,
    user_create,
    user_set_active,
    user_update,
)

PAGE_SIZE = 50


class PeopleManagerRequiredMixin(RoleRequiredMixin):
    """Anonymous visitors go to the login page; everyone but the head and the admin gets 403."""

    role_check = "manages_people"
    role_denied = gettext_lazy("Only the sales head or the administrator manages users and teams.")


def _visible_users(request: HttpRequest) -> QuerySet[User]:
    return User.objects.visible_to(user_of(request))


class UserListView(PeopleManagerRequiredMixin, TemplateView):
    template_name = "crm/user_list.html"

    def filtered_users(self) -> tuple[UserFilterForm, QuerySet[User]]:
        """The users the filters select, in the list's order (the page and its Excel export share it)."""
        users = _visible_users(self.request).select_related("team")
        filters = UserFilterForm(self.request.GET or None)
        if filters.is_valid():
            # The page's form offers the choices; the users' one FilterSet (the API's) filters.
            params = {name: getattr(value, "pk", value) for name, value in filters.cleaned_data.items() if value}
            users = UserFilterSet(params, queryset=users).qs
        return filters, users.order_by("-is_active", "last_name", "first_name", "username")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        filters, users = self.filtered_users()
        page = Paginator(users, PAGE_SIZE).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            filters=filters,
            page=page,
            users=page.object_list,
            query=query.urlencode(),
            may_manage_admins=may_manage_admins(self.user),
        )
        return context


class UserCreateView(PeopleManagerRequiredMixin, FormView):
    template_name = "crm/user_form.html"
    form_class = UserCreateForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "by": self.user}

    def form_valid(self, form: UserCreateForm) -> HttpResponse:
        data = dict(form.cleaned_data)
        data.pop("password_confirm")
        try:
            user = user_create(by=self.user, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("User %(name)s is created.") % {"name": user})
        return redirect("user_list")


class UserUpdateView(PeopleManagerRequiredMixin, FormView):
    template_name = "crm/user_form.html"
    form_class = UserUpdateForm

    @cached_property
    def object(self) -> User:
        return get_object_or_404(_visible_users(self.request).select_related("team"), pk=self.kwargs["pk"])

    def get_initial(self) -> dict[str, Any]:
        user = self.object
        return {
            "last_name": user.last_name,
            "first_name": user.first_name,
            "middle_name": user.middle_name,
            "email": user.email,
            "phone": user.phone,
            "role": user.role,
            "team": user.team,
            "is_active": user.is_active,
        }

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "by": self.user}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**kwargs, object=self.object)

    def form_valid(self, form: UserUpdateForm) -> HttpResponse:
        try:
            user = user_update(by=self.user, user=self.object, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("User %(name)s is saved.") % {"name": user})
        return redirect("user_list")


class UserSetActiveView(PeopleManagerRequiredMixin, View):
    """POST `is_active=1|0`: let a user log in again, or stop them without deleting their data."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        user = get_object_or_404(_visible_users(request), pk=pk)
        is_active = request.POST.get("is_active") == "1"
        try:
            user = user_set_active(by=self.user, user=user, is_active=is_active)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            if is_active:
                messages.success(request, _("User %(name)s is active again.") % {"name": user})
            else:
                messages.success(request, _("User %(name)s is deactivated.") % {"name": user})
        next_url = request.POST.get("next", "")
        if url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return HttpResponseRedirect(next_url)
        return redirect("user_list")


class UserExportView(UserListView):
    """The filtered users list as XLSX."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        users = self.filtered_users()[1]
        columns = [
            Column(_("Username"), lambda u: u.username),
            Column(_("Full name"), lambda u: u.get_full_name(), width=30),
            Column(_("Role"), lambda u: u.get_role_display(), width=28),
            Column(_("Team"), lambda u: u.team.name if u.team else ""),
            Column(_("E-mail"), lambda u: u.email, width=26),
            Column(_("Phone"), lambda u: format_phone(u.phone)),
            Column(_("Active"), lambda u: _("yes") if u.is_active else _("no"), width=10),
            Column(_("Last login"), lambda u: u.last_login),
        ]
        return xlsx_response(filename="users", title=str(_("Users")), columns=columns, rows=users)


def _teams() -> QuerySet[Team]:
    return (
        Team.objects.select_related("lead")
        .annotate(members_count=Count("members", filter=Q(members__is_active=True)))
        .order_by("name")
    )


class TeamListView(PeopleManagerRequiredMixin, TemplateView):
    template_name = "crm/team_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**kwargs, teams=_teams())


class TeamExportView(PeopleManagerRequiredMixin, View):
    """The teams list as XLSX."""

    def get(self, request: HttpRequest) -> HttpResponse:
        columns = [
            Column(_("Name"), lambda t: t.name, width=30),
            Column(_("Team lead"), lambda t: str(t.lead) if t.lead else "", width=30),
            Column(_("Active members"), lambda t: t.members_count),
        ]
        return xlsx_response(filename="teams", title=str(_("Teams")), columns=columns, rows=_teams())


class TeamCreateView(PeopleManagerRequiredMixin, FormView):
    template_name = "crm/team_form.html"
    form_class = TeamForm

    def form_valid(self, form: TeamForm) -> HttpResponse:
        try:
            team = team_create(by=self.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Team %(name)s is created.") % {"name": team})
        return redirect("team_list")


class TeamUpdateView(PeopleManagerRequiredMixin, FormView):
    template_name = "crm/team_form.html"
    form_class = TeamForm

    @cached_property
    def object(self) -> Team:
        return get_object_or_404(Team.objects.select_related("lead"), pk=self.kwargs["pk"])

    def get_initial(self) -> dict[str, Any]:
        return {"name": self.object.name, "lead": self.object.lead}

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "team": self.object}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        members = self.object.members.select_related("team").order_by("-is_active", "last_name", "first_name")
        return super().get_context_data(**kwargs, object=self.object, members=members)

    def form_valid(self, form: TeamForm) -> HttpResponse:
        try:
            team = team_update(by=self.user, team=self.object, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Team %(name)s is saved.") % {"name": team})
        return redirect(reverse("team_list"))
