"""Every planning model has a working admin page; generated plans are read only there."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

# Lines, KPIs and thresholds are edited inside their plan or pay scheme.
INLINE_ONLY = {"planline", "paykpi", "paythreshold"}
MODELS = [m for m in apps.get_app_config("planning").get_models() if m._meta.model_name not in INLINE_ONLY]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_planning_model_has_an_admin_changelist(admin_client, model):
    assert admin.site.is_registered(model)
    response = admin_client.get(reverse(f"admin:planning_{model._meta.model_name}_changelist"))
    assert response.status_code == 200


def test_plans_cannot_be_added_or_edited_in_the_admin(admin_client):
    assert admin_client.get(reverse("admin:planning_plan_add")).status_code == 403
