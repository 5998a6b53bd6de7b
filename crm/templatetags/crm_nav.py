"""What the navigation shows to whom: `{% load crm_nav %}`."""

from __future__ import annotations

from django import template
from django.http import HttpRequest

from crm.models import User
from crm.services.people import can_manage_people

register = template.Library()


@register.filter
def manages_people(user: User) -> bool:
    """The head and the admin see the users and teams pages."""
    return bool(user.is_authenticated and can_manage_people(user))


@register.simple_tag(takes_context=True)
def nav_active(context: template.Context, *url_names: str) -> str:
    """`active` when the current page is one of `url_names` (for Tabler's nav items)."""
    request: HttpRequest | None = context.get("request")
    match = getattr(request, "resolver_match", None)
    return "active" if match is not None and match.url_name in url_names else ""
