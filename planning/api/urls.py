"""Planning's part of /api/v1/: plans, plan/fact, Tools 1 and 2, pay; registered on the project's router."""

from rest_framework.viewsets import ViewSetMixin

from planning.api.views import work as plan_work
from planning.api.views.pay import PaySchemeViewSet, PayViewSet
from planning.api.views.plans import PlanViewSet

ROUTES: list[tuple[str, type[ViewSetMixin], str]] = [
    ("plan-fact", plan_work.PlanFactViewSet, "plan-fact"),
    ("cross-sell", plan_work.CrossSellViewSet, "cross-sell"),
    ("tool2", plan_work.Tool2ViewSet, "tool2"),
    ("tool2-items", plan_work.Tool2ItemViewSet, "tool2-item"),
    ("plans", PlanViewSet, "plan"),
    ("pay", PayViewSet, "pay"),
    ("pay-schemes", PaySchemeViewSet, "pay-scheme"),
]
