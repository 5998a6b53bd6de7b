"""What the navigation shows to whom: `{% load crm_nav %}`."""

from __future__ import annotations

from django import template
from django.http import HttpRequest

from crm.forms.imports import import_kinds
from crm.models import User

register = template.Library()


@register.filter
def manages_people(user: User) -> bool:
    """The head and the admin see the users and teams pages."""
    return bool(user.is_authenticated and user.manages_people)


@register.simple_tag(takes_context=True)
def nav_active(context: template.Context, *url_names: str) -> str:
    """`active` when the current page is one of `url_names` (for Tabler's nav items)."""
    request: HttpRequest | None = context.get("request")
    match = getattr(request, "resolver_match", None)
    return "active" if match is not None and match.url_name in url_names else ""


@register.filter
def has_tasks(user: User) -> bool:
    """Everyone who works clients has tasks and their calendar (the service owner does not)."""
    return bool(user.is_authenticated and user.reads_clients)


@register.filter
def uses_pipeline(user: User) -> bool:
    """Sellers and the head work the pipeline board."""
    return bool(user.is_authenticated and user.works_in_sales)


@register.filter
def reviews_pipeline(user: User) -> bool:
    """The head and team leads review the managers' pipelines."""
    return bool(user.is_authenticated and user.reviews_team)


@register.filter
def imports_files(user: User) -> bool:
    """Whoever may import clients or sales sees the import page."""
    return bool(user.is_authenticated and import_kinds(user))


@register.filter
def sees_clients(user: User) -> bool:
    """Everyone whose role reads clients (the service owner does not)."""
    return bool(user.is_authenticated and user.reads_clients)


@register.simple_tag(takes_context=True)
def hunting_menu(context: template.Context) -> dict[str, bool]:
    """Which pages of "New clients" (DOMAIN.md section 3) the user may open."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return {}
    items = {
        "prospects": user.works_prospects,
        "long_list": user.works_in_sales,
        "queue": user.works_in_sales,
        "sources": user.reviews_team,
    }
    return items if any(items.values()) else {}


@register.filter
def sets_department(user: User) -> bool:
    """The head and the admin edit the department's numbers and cold-call norms."""
    return bool(user.is_authenticated and user.is_head)


@register.filter
def plans_in_sales(user: User) -> bool:
    """Plans, their tools, plan/fact and pay are for sellers and the head (DOMAIN.md sections 4 and 5)."""
    return bool(user.is_authenticated and user.works_in_sales)


@register.filter
def keeps_lists(user: User) -> bool:
    """The head keeps the reference lists: loss reasons, segments, stage probabilities, categories, complements."""
    return bool(user.is_authenticated and user.is_head)


@register.filter
def sees_vip(user: User) -> bool:
    """The VIP menu: the VIP head, the head, sellers (programme staff, owners of programme clients), the service
    owner (the problem register only)."""
    return bool(user.is_authenticated and (user.is_vip_head or user.is_head or user.is_seller or user.is_service))
