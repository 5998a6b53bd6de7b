"""The analytics pages."""

from django.urls import URLPattern, path

from analytics.views import lost, ltv, wallet

urlpatterns: list[URLPattern] = [
    path("analytics/ltv/", ltv.LtvView.as_view(), name="analytics_ltv"),
    path("analytics/ltv/export/", ltv.LtvExportView.as_view(), name="analytics_ltv_export"),
    path("analytics/wallet/", wallet.WalletView.as_view(), name="analytics_wallet"),
    path("analytics/wallet/export/", wallet.WalletExportView.as_view(), name="analytics_wallet_export"),
    path("analytics/lost/", lost.LostView.as_view(), name="analytics_lost"),
    path("analytics/lost/export/", lost.LostExportView.as_view(), name="analytics_lost_export"),
]
