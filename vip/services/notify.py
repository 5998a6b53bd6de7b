"""Routing a problem to the people it concerns: an in-app notice each and one e-mail (the seed's "three copies":
the employee keeps the questionnaire, the VIP head and the service owner get theirs)."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.mail import send_mail

from crm.models import Role, User
from vip.models import Problem, VipNotification


def programme_heads() -> list[User]:
    return list(User.objects.filter(is_active=True, role=Role.VIP_HEAD).order_by("pk"))


def service_owners() -> list[User]:
    return list(User.objects.filter(is_active=True, role=Role.SERVICE).order_by("pk"))


def route(*, problem: Problem, users: Iterable[User], subject: str, text: str) -> list[VipNotification]:
    """A notice for each user (once each) and one e-mail to those with an address; never fails on the mail."""
    people = {user.pk: user for user in users if user is not None}
    notices = VipNotification.objects.bulk_create(
        [VipNotification(user=user, problem=problem, text=text[:500]) for user in people.values()]
    )
    addresses = sorted({user.email for user in people.values() if user.email})
    if addresses:
        send_mail(subject, text, None, addresses, fail_silently=True)
    return notices
