"""Every `?ordering=` an API list offers is a field of its model: one that is not answers 500 (schemathesis found
`/api/v1/vip/campaigns/?ordering=updated_at`)."""

from crm.api.views.base import VisibleViewSet
from salesdept.urls import router


def test_every_ordering_field_of_every_list_exists_on_its_model():
    checked, missing = 0, {}
    for prefix, viewset, _basename in router.registry:
        queryset = getattr(viewset, "queryset", None)
        if not issubclass(viewset, VisibleViewSet) or queryset is None:
            continue
        names = {field.name for field in queryset.model._meta.get_fields()}
        bad = [name for name in getattr(viewset, "ordering_fields", []) if name not in names]
        if bad:
            missing[prefix] = bad
        checked += 1
    assert missing == {} and checked > 10
