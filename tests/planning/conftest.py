"""The planning tests read the English source messages (the Russian texts are proven by tests/test_translations.py);
tests marked `russian` check the Russian formats users see."""

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english(request, settings):
    if request.node.get_closest_marker("russian"):
        yield
        return
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
