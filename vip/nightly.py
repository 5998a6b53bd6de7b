"""The VIP programme's nightly job (DOMAIN.md section 8): escalate fixes the client has not confirmed."""

from __future__ import annotations

from datetime import date

from vip.services.problems import problems_escalate


def vip_problems_escalate(as_of: date) -> dict[str, int]:
    """Problems fixed by service and not confirmed by the client for the setting's days go to the VIP head."""
    return problems_escalate(today=as_of)
