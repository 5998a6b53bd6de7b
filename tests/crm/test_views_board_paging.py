"""The board's columns page through their cards (CARDS_PER_COLUMN, 10, at a time, the count always right), keep the
pages the user had opened when they reload after a move, and each card offers a "move to" menu that posts to the move
endpoint."""

from datetime import timedelta
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from crm.models import Deal
from crm.rules.stages import PIPELINE, Stage, move_targets
from crm.views.board import CARDS_PER_COLUMN as N
from tests.crm.factories import ClientFactory, DealFactory

PAGE = reverse("board_column_page")


def deals_at(owner, count, stage=Stage.PROPOSAL) -> list[Deal]:
    """`count` deals, the first moved most recently (so it is the column's first card)."""
    now = timezone.now()
    client = ClientFactory(owner=owner)
    return [
        DealFactory(
            client=client,
            owner=owner,
            stage=stage,
            amount=Decimal("1000"),
            title=f"Сделка {i:02d}",
            stage_changed_at=now - timedelta(minutes=i),
        )
        for i in range(count)
    ]


def queries(client, url, params=None) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(captured), response


def test_a_column_of_11_deals_shows_10_cards_and_show_all_11(client, manager):
    assert N == 10
    deals = deals_at(manager, N + 1)
    client.force_login(manager)

    response = client.get(reverse("board"))

    column = next(c for c in response.context["columns"] if c.stage == Stage.PROPOSAL)
    assert column.count == N + 1
    assert [d.pk for d in column.deals] == [d.pk for d in deals[:N]]
    html = response.content.decode()
    assert "Показать все 11" in html
    assert f"{PAGE}?stage=proposal&amp;page=2" in html


def test_the_second_page_brings_the_11th_card_and_removes_the_button(client, manager):
    deals = deals_at(manager, N + 1)
    client.force_login(manager)

    response = client.get(PAGE, {"stage": Stage.PROPOSAL, "page": 2})

    page = response.context["page"]
    assert (page.count, [d.pk for d in page.deals], page.has_next) == (N + 1, [deals[N].pk], False)
    html = response.content.decode()
    assert f'data-testid="deal-{deals[N].pk}"' in html and f'data-testid="deal-{deals[0].pk}"' not in html
    assert 'id="more-proposal"' in html and 'hx-swap-oob="true"' in html
    assert 'data-testid="show-all"' not in html


def test_a_reload_keeps_the_opened_pages_open(client, manager):
    deals = deals_at(manager, 2 * N + 5)
    client.force_login(manager)

    response = client.get(reverse("board_columns"), {"open": "proposal:2"})

    column = next(c for c in response.context["columns"] if c.stage == Stage.PROPOSAL)
    assert (column.count, column.pages, len(column.deals)) == (2 * N + 5, 2, 2 * N)
    html = response.content.decode()
    assert 'data-pages="2"' in html and "page=3" in html and "20 из 25" in html
    assert column.deals[-1].pk == deals[2 * N - 1].pk


def test_the_pages_follow_the_filters_and_visibility(client, manager, other_manager):
    deals_at(other_manager, N + 10)
    own = deals_at(manager, 2)
    client.force_login(manager)

    response = client.get(PAGE, {"stage": Stage.PROPOSAL, "page": 1})

    assert [d.pk for d in response.context["page"].deals] == [d.pk for d in own]
    assert response.context["page"].count == 2
    assert client.get(PAGE, {"stage": "nonsense"}).status_code == 404


def test_a_columns_page_runs_the_same_number_of_queries_for_2_and_a_full_page_of_cards(client, head, manager):
    deals_at(manager, 2)
    client.force_login(head)
    few, _ = queries(client, PAGE, {"stage": Stage.PROPOSAL, "page": 1})
    deals_at(manager, N + 8)
    many, response = queries(client, PAGE, {"stage": Stage.PROPOSAL, "page": 1})
    assert len(response.context["page"].deals) == N
    assert many == few


def test_the_board_with_opened_pages_runs_the_same_number_of_queries(client, head, manager):
    deals_at(manager, 3)
    client.force_login(head)
    few, _ = queries(client, reverse("board"), {"open": "proposal:2"})
    deals_at(manager, 3 * N)
    many, _ = queries(client, reverse("board"), {"open": "proposal:2"})
    assert many == few


def test_the_menu_offers_the_next_stage_and_lost_and_the_head_also_the_earlier_ones():
    assert move_targets(Stage.PROPOSAL) == [Stage.REPEAT_MEETING, Stage.LOST]
    assert move_targets(Stage.ACCOUNT) == []
    assert move_targets(Stage.FULFILMENT) == [Stage.CLOSING]  # its invoice is paid: won, never lost
    head = move_targets(Stage.MARKET, may_go_back=True)
    assert head == [Stage.PROSPECT_LIST, Stage.LOST, Stage.GOAL]
    assert move_targets(Stage.LOST, lost_from_stage=Stage.PROPOSAL) == []
    assert move_targets(Stage.LOST, lost_from_stage=Stage.SOURCE, may_go_back=True) == list(reversed(PIPELINE[:4]))


def test_each_card_has_a_labelled_move_to_menu_and_a_link_to_its_client(client, manager):
    (deal,) = deals_at(manager, 1)
    client.force_login(manager)

    html = client.get(reverse("board")).content.decode()

    assert f'<label class="visually-hidden" for="move-to-{deal.pk}">' in html
    menu = html.split(f'id="move-to-{deal.pk}"')[1].split("</select>")[0]
    assert 'value="repeat_meeting"' in menu and 'value="lost"' in menu and 'value="goal"' not in menu
    assert reverse("client_detail", args=[deal.client_id]) in html


def test_the_menu_posts_to_the_move_endpoint_and_the_gates_still_apply(client, manager):
    (deal,) = deals_at(manager, 1)
    client.force_login(manager)

    # Without the script the form posts and comes back to the board; the proposal gate asks for its data.
    response = client.post(reverse("deal_move", args=[deal.pk]), {"stage": Stage.REPEAT_MEETING, "next": "/pipeline/"})
    assert response.status_code == 200 and "proposal_amount" in response.content.decode()
    assert Deal.objects.get(pk=deal.pk).stage == Stage.PROPOSAL
    skipped = client.post(
        reverse("deal_move", args=[deal.pk]), {"stage": Stage.CONTRACT}, HTTP_ACCEPT="application/json"
    )
    assert skipped.status_code == 400 and "message" in skipped.json()


def test_the_pages_and_the_show_all_link_keep_the_boards_filters(client, manager):
    deals = deals_at(manager, N + 5)
    for deal in deals[: N + 2]:
        Deal.objects.filter(pk=deal.pk).update(title=f"Камеры {deal.title}")
    client.force_login(manager)

    board = client.get(reverse("board"), {"q": "камеры"})
    column = next(c for c in board.context["columns"] if c.stage == Stage.PROPOSAL)
    assert column.count == N + 2
    assert "stage=proposal&amp;page=2&amp;q=%D0%BA%D0%B0%D0%BC%D0%B5%D1%80%D1%8B" in board.content.decode()

    page = client.get(PAGE, {"stage": Stage.PROPOSAL, "page": 2, "q": "камеры"}).context["page"]
    assert (page.count, [d.pk for d in page.deals]) == (N + 2, [deals[N].pk, deals[N + 1].pk])
