"""Room to grow per category: the client's yearly purchases of each category, typed in the questionnaire and kept in
crm (`crm.services.wallet`), where analytics and the client card read them."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from crm.models import ClientCategoryPurchase, ProductCategory, User
from crm.services.wallet import client_category_purchase_record
from vip.models import Questionnaire
from vip.rules.questionnaires import SECTION_ORDER, Section
from vip.services.questionnaires import may_fill


@transaction.atomic
def questionnaire_wallet_record(
    *, questionnaire: Questionnaire, category: ProductCategory, raw: str, by: User
) -> ClientCategoryPurchase:
    """Save the client's yearly purchases of `category` as typed in the meeting, dated the meeting's day. The same
    locks as an answer of "room to grow": the filler only, not on a complete questionnaire, not past a pause."""
    if not may_fill(questionnaire, by):
        raise PermissionDenied(_("Only the employee who holds the meeting or the VIP head fills the questionnaire."))
    questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    if questionnaire.status == Questionnaire.Status.COMPLETE:
        raise ValidationError({"yearly_amount": [_("The questionnaire is complete.")]})
    if (
        questionnaire.status == Questionnaire.Status.PAUSED
        and SECTION_ORDER[Section.GROWTH] > SECTION_ORDER[questionnaire.paused_at_section]
    ):
        raise ValidationError(
            {"yearly_amount": [_("The questionnaire is paused: it goes on when the client has confirmed the fix.")]}
        )
    return client_category_purchase_record(
        client=questionnaire.client,
        category=category,
        yearly_amount=raw,
        recorded_on=questionnaire.meeting_date,
        source=ClientCategoryPurchase.Source.QUESTIONNAIRE,
        by=by,
    )
