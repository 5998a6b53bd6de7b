from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    MANAGER = "manager", _("Sales manager")
    TEAM_LEAD = "team_lead", _("Team lead")
    HEAD = "head", _("Sales head")
    VIP_HEAD = "vip_head", _("VIP programme head")
    SERVICE = "service", _("Service owner")
    BASE_MANAGER = "base_manager", _("Client base manager")
    ADMIN = "admin", _("Administrator")


class TeamQuerySet(models.QuerySet["Team"]):
    def visible_to(self, user: User) -> TeamQuerySet:
        """The head and the admin see every team; anyone else sees their own."""
        if user.sees_everything:
            return self
        return self.filter(pk=user.team_id) if user.team_id else self.none()


class Team(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    lead = models.ForeignKey(
        "crm.User", verbose_name=_("team lead"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    objects = TeamQuerySet.as_manager()

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class UserQuerySet(models.QuerySet["User"]):
    def visible_to(self, user: User) -> UserQuerySet:
        if user.sees_everything:
            return self
        if user.role == Role.TEAM_LEAD and user.team_id:
            return self.filter(Q(team_id=user.team_id) | Q(pk=user.pk))
        return self.filter(pk=user.pk)

    def sellers(self) -> UserQuerySet:
        """People who own clients and deals."""
        return self.filter(is_active=True, role__in=[Role.MANAGER, Role.TEAM_LEAD])


class CrmUserManager(UserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]  # a dynamic base to mypy
    pass


class User(AbstractUser):
    middle_name = models.CharField(_("middle name"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MANAGER, db_index=True)
    team = models.ForeignKey(
        Team, verbose_name=_("team"), null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    # The user's own settings (/me/settings/): the bell's warning ahead of a task, and the morning e-mail.
    reminder_minutes = models.PositiveSmallIntegerField(
        _("remind me before a task, minutes"),
        default=15,
        validators=[MaxValueValidator(24 * 60)],
        help_text=_("From 1 to 1440; 0 turns the advance reminder off (overdue tasks are always shown)."),
    )
    digest_email = models.BooleanField(
        _("morning e-mail digest"),
        default=True,
        help_text=_("Overdue tasks and deals without a next step, every working morning at 08:30."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    objects = CrmUserManager()  # type: ignore[misc]  # django-stubs: AbstractUser.objects is a ClassVar

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def sees_everything(self) -> bool:
        """The head and the admin see and change everything in sales."""
        return self.is_superuser or self.role in (Role.HEAD, Role.ADMIN)

    # One check per role; pages (core.access.RoleRequiredMixin) and the API (core.access.RolePermission) name them.
    @property
    def is_head(self) -> bool:
        """The sales head (or the admin, who may do all the head does)."""
        return self.sees_everything

    @property
    def is_seller(self) -> bool:
        """A sales manager or a team lead: people who own clients and deals."""
        return self.role in (Role.MANAGER, Role.TEAM_LEAD)

    @property
    def is_admin(self) -> bool:
        """The administrator (a superuser counts as one)."""
        return self.is_superuser or self.role == Role.ADMIN

    @property
    def is_team_lead(self) -> bool:
        return self.role == Role.TEAM_LEAD

    @property
    def is_vip_head(self) -> bool:
        return self.role == Role.VIP_HEAD

    @property
    def is_service(self) -> bool:
        return self.role == Role.SERVICE

    @property
    def is_base_manager(self) -> bool:
        return self.role == Role.BASE_MANAGER

    @property
    def works_in_sales(self) -> bool:
        """Sellers and the head: the pipeline, plans, pay, long lists and the reassignment queue."""
        return self.is_seller or self.is_head

    @property
    def reviews_team(self) -> bool:
        """The head and team leads: the pipeline review and the sources report."""
        return self.is_head or self.is_team_lead

    @property
    def works_prospects(self) -> bool:
        """Sellers build their lists, the base manager prepares them, the head sees everything."""
        return self.works_in_sales or self.is_base_manager

    @property
    def reads_clients(self) -> bool:
        """Everyone but the service owner, who works the problem register only."""
        return not self.is_service

    @property
    def sees_owners(self) -> bool:
        """A manager only ever sees his own clients and deals; everyone else sees whose they are."""
        return self.role != Role.MANAGER

    @property
    def manages_people(self) -> bool:
        """The head and the admin manage users and teams (an inactive account manages nothing)."""
        return self.is_active and self.is_head

    def leads(self, other: User) -> bool:
        """A team lead leads the members of his team."""
        return self.is_team_lead and bool(self.team_id) and other.team_id == self.team_id

    def acts_for(self, other: User) -> bool:
        """The head for anyone, a seller for himself, a team lead for his team: who may give work to `other`."""
        return self.is_head or self.pk == other.pk or self.leads(other)

    def owner_q(self, path: str) -> Q:
        """Rows owned (through `path`, a user FK) by this user, or by the team for a team lead."""
        if self.is_team_lead and self.team_id:
            return Q(**{f"{path}__team_id": self.team_id}) | Q(**{path: self.pk})
        return Q(**{path: self.pk})

    def clients_q(self, path: str = "client") -> Q:
        """Rows whose client (`path`, a client FK) this user owns, his team's for a team lead, as `path IN (SELECT id
        FROM crm_client WHERE owner ...)`. Beside the row's own owner in an OR the planner filters each row by it as it
        scans (an index probe of the owner's clients, hashed), where `client__owner` joined every client first and
        applied the OR after the join: at 100 000 clients a manager's counts on My day went 250 -> 60 ms."""
        from .clients import Client

        return Q(**{f"{path}__in": Client.objects.filter(self.owner_q("owner")).values("pk")})
