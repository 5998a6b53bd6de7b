"""The 14 stages of a deal (DOMAIN.md section 2) and their order."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Stage(models.TextChoices):
    GOAL = "goal", _("Goal setting")
    MARKET = "market", _("Understanding the market")
    PROSPECT_LIST = "prospect_list", _("Prospect list")
    SOURCE = "source", _("Source and contacts")
    FIRST_CONTACT = "first_contact", _("Reaching the client")
    MEETING_PREP = "meeting_prep", _("Preparing the first meeting")
    FIRST_MEETING = "first_meeting", _("First meeting")
    PROPOSAL = "proposal", _("Individual proposal")
    REPEAT_MEETING = "repeat_meeting", _("Repeat meetings")
    CONTRACT = "contract", _("Contract and invoice")
    PAYMENT = "payment", _("Payment control")
    FULFILMENT = "fulfilment", _("Fulfilment")
    CLOSING = "closing", _("Closing the deal")
    ACCOUNT = "account", _("Existing client work")
    # A lost deal reads «Отказ» in Russian; a lost *client* (Client.Status) stays «Потерянный».
    LOST = "lost", pgettext_lazy("deal stage", "Lost")


PIPELINE: list[str] = [s.value for s in Stage if s != Stage.LOST]
ORDER: dict[str, int] = {code: number for number, code in enumerate(PIPELINE, start=1)}

# A deal is won when its invoice is paid in full (past payment), concluded when past contract.
WON_STAGES: frozenset[str] = frozenset(PIPELINE[ORDER[Stage.PAYMENT] :])
CONCLUDED_STAGES: frozenset[str] = frozenset(PIPELINE[ORDER[Stage.CONTRACT] :])
# Open deals can still be won or lost; a won deal is never "lost".
OPEN_STAGES: frozenset[str] = frozenset(PIPELINE[: ORDER[Stage.PAYMENT]])
# Deals that still need a next task: everything before the existing-client stage.
ACTIVE_STAGES: frozenset[str] = frozenset(PIPELINE[:-1])

DEFAULT_PROBABILITY: dict[str, int] = {
    Stage.GOAL: 5,
    Stage.MARKET: 5,
    Stage.PROSPECT_LIST: 5,
    Stage.SOURCE: 10,
    Stage.FIRST_CONTACT: 10,
    Stage.MEETING_PREP: 15,
    Stage.FIRST_MEETING: 20,
    Stage.PROPOSAL: 30,
    Stage.REPEAT_MEETING: 50,
    Stage.CONTRACT: 80,
    Stage.PAYMENT: 90,
    Stage.FULFILMENT: 100,
    Stage.CLOSING: 100,
    Stage.ACCOUNT: 100,
    Stage.LOST: 0,
}


def next_stage(code: str) -> str | None:
    number = ORDER.get(code)
    if number is None or number >= len(PIPELINE):
        return None
    return PIPELINE[number]


def move_targets(stage: str, *, lost_from_stage: str = "", may_go_back: bool = False) -> list[str]:
    """The stages a deal at `stage` can be moved to, the likeliest first: the next stage, `lost` for an open deal,
    then (for the sales head) the earlier stages, nearest first; a lost deal reopens (the head) at the stage where
    it was lost or earlier. The move itself still checks every gate."""
    if stage == Stage.LOST:
        if not may_go_back:
            return []
        return PIPELINE[: ORDER.get(lost_from_stage, 1)][::-1]
    targets = [nxt] if (nxt := next_stage(stage)) else []
    if stage in OPEN_STAGES:
        targets.append(Stage.LOST.value)
    if may_go_back:
        targets += PIPELINE[: ORDER[stage] - 1][::-1]
    return targets
