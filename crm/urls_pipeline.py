"""The pipeline pages: the board, the deal card and the head's pipeline review."""

from django.urls import path

from crm.views import board, deal_card, review

urlpatterns = [
    path("pipeline/", board.BoardView.as_view(), name="board"),
    path("pipeline/columns/", board.BoardColumnsView.as_view(), name="board_columns"),
    path("pipeline/export/", board.BoardExportView.as_view(), name="board_export"),
    path("pipeline/deals/<int:pk>/move/", board.DealMoveView.as_view(), name="deal_move"),
    path("pipeline/review/", review.PipelineReviewView.as_view(), name="pipeline_review"),
    path("pipeline/review/print/", review.PipelineReviewPrintView.as_view(), name="pipeline_review_print"),
    path("pipeline/review/export/", review.PipelineReviewExportView.as_view(), name="pipeline_review_export"),
    path("deals/<int:pk>/", deal_card.DealDetailView.as_view(), name="deal_detail"),
    path("deals/<int:pk>/print/", deal_card.DealPrintView.as_view(), name="deal_print"),
    path("deals/<int:pk>/payments/", deal_card.DealPaymentView.as_view(), name="deal_payment"),
    path("deals/<int:pk>/activities/", deal_card.DealActivityView.as_view(), name="deal_activity"),
]
