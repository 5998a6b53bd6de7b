"""Room to grow per category on the questionnaire page (four queries whatever the number of categories)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from crm.models import Client, ProductCategory
from crm.selectors.wallet import WalletLine, category_sales_12m, current_purchases, sales_window

if TYPE_CHECKING:
    from datetime import date

    from crm.models import User
    from vip.models import Questionnaire


@dataclass
class GrowthBlock:
    lines: list[WalletLine]
    addable: list[ProductCategory] = field(default_factory=list)
    start: date | None = None
    end: date | None = None
    sees_sales: bool = True


def growth_block(questionnaire: Questionnaire, user: User, *, editable: bool) -> GrowthBlock:
    """One line per category: first the categories the client bought from us in the 12 full months before the
    meeting's month, largest first, with our sales beside the client's figure; then the other categories with a
    figure recorded; then (to the filler) the active catalogue categories not listed yet, to add one."""
    client = questionnaire.client
    # crm's visibility is not bent: a programme colleague who does not own the client sees no sales history (he
    # still records the client's figures, and sees those he typed).
    sees_sales = Client.objects.visible_to(user).filter(pk=client.pk).exists()
    ours = category_sales_12m(user=user, client=client, as_of=questionnaire.meeting_date) if sees_sales else {}
    current = current_purchases(user=user, client=client)
    ids = sorted(ours, key=lambda pk: (-ours[pk], pk))
    ids += [pk for pk in current if pk not in ours]
    names = dict(ProductCategory.objects.filter(pk__in=ids).values_list("pk", "name")) if ids else {}
    lines = []
    for pk in ids:
        recorded = current.get(pk)
        lines.append(
            WalletLine(
                category_id=pk,
                category=names.get(pk, ""),
                ours=ours.get(pk, Decimal("0")),
                total=recorded.yearly_amount if recorded else None,
                recorded=recorded,
            )
        )
    with_figure = lines[len(ours) :]
    with_figure.sort(key=lambda line: line.category)
    lines[len(ours) :] = with_figure
    addable = (
        list(ProductCategory.objects.filter(is_active=True).exclude(pk__in=ids).order_by("name")) if editable else []
    )
    start, end = sales_window(questionnaire.meeting_date)
    return GrowthBlock(lines=lines, addable=addable, start=start, end=end - timedelta(days=1), sees_sales=sees_sales)
