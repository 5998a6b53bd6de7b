"""Whose figures a user's analytics cover (issue 13, "Visibility"): every analytics page, chart, export and API route
reads its clients, deals, sale lines and managers through these, so the rule is written once.

- the head and the admin: the whole department;
- a team lead: his team's clients and deals (and his own); a manager: his own (`visible_to` of crm's models);
- the VIP head: the programme's clients (vip's `ProgrammeClient`), their deals and sales;
- anyone else (the service owner, the base manager): nothing, and the pages answer 403.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from crm.models import Client, Deal, OwnershipChange, Role, SaleLine, User
from vip.models import ProgrammeClient


def sees_analytics(user: User) -> bool:
    """The head, the admin, sellers (their own figures) and the VIP head (the programme's clients)."""
    return bool(user.is_authenticated and (user.sees_everything or user.is_seller or user.role == Role.VIP_HEAD))


def _programme_q(path: str = "") -> Q:
    """Rows whose client is on the VIP programme's list; `path` leads from the row to the client (`client__`)."""
    client_id = f"{path}id" if path else "id"
    return Q(Exists(ProgrammeClient.objects.filter(client_id=OuterRef(client_id))))


def clients_in_scope(user: User) -> QuerySet[Client]:
    if not sees_analytics(user):
        return Client.objects.none()
    if user.role == Role.VIP_HEAD and not user.sees_everything:
        return Client.objects.filter(_programme_q())
    return Client.objects.visible_to(user)


def deals_in_scope(user: User) -> QuerySet[Deal]:
    if not sees_analytics(user):
        return Deal.objects.none()
    if user.role == Role.VIP_HEAD and not user.sees_everything:
        return Deal.objects.filter(_programme_q("client__"))
    return Deal.objects.visible_to(user)


def sale_lines_in_scope(user: User) -> QuerySet[SaleLine]:
    """A seller's figures are the lines of the clients he owns (his team's for a team lead); the VIP head's the
    programme clients' lines."""
    if not sees_analytics(user):
        return SaleLine.objects.none()
    if user.sees_everything:
        return SaleLine.objects.all()
    if user.role == Role.VIP_HEAD:
        return SaleLine.objects.filter(_programme_q("client__"))
    return SaleLine.objects.filter(user.owner_q("client__owner"))


def managers_in_scope(user: User) -> QuerySet[User]:
    """The sellers whose rows (plan/fact, KPIs, contests) the user sees: all for the head, the team for a team lead,
    himself for a manager; the VIP head sees no one's personal figures."""
    sellers = User.objects.filter(is_active=True, role__in=(Role.MANAGER, Role.TEAM_LEAD))
    if user.sees_everything:
        return sellers
    if user.is_team_lead and user.team_id:
        return sellers.filter(Q(team_id=user.team_id) | Q(pk=user.pk))
    if user.is_seller:
        return sellers.filter(pk=user.pk)
    return sellers.none()


def lost_clients_in_scope(user: User) -> QuerySet[Client]:
    """The clients whose losses the user's figures count: those in scope, and for a seller also those he (his team)
    lost, since a lost client leaves its owner (DOMAIN.md section 3) and would drop out of his figures."""
    if not sees_analytics(user) or user.sees_everything or not user.is_seller:
        return clients_in_scope(user)
    lost_by = OwnershipChange.objects.filter(
        Q(client_id=OuterRef("id")), user.owner_q("from_owner"), cause__in=(OwnershipChange.Cause.LOST,)
    )
    return Client.objects.filter(user.owner_q("owner") | Q(Exists(lost_by)))


def lost_sale_lines_in_scope(user: User) -> QuerySet[SaleLine]:
    """The sale lines of `lost_clients_in_scope`."""
    if not sees_analytics(user) or user.sees_everything or not user.is_seller:
        return sale_lines_in_scope(user)
    return SaleLine.objects.filter(client_id__in=lost_clients_in_scope(user).values("id"))
