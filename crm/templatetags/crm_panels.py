"""`{% panel p %}` renders a panel from the registry (core/panels.py) with the page's context and its own data."""

from django import template
from django.utils.safestring import SafeString

from core.panels import RenderedPanel

register = template.Library()


@register.simple_tag(takes_context=True)
def panel(context: template.Context, panel: RenderedPanel) -> SafeString:
    assert context.template is not None
    with context.push(**panel.context):
        return SafeString(context.template.engine.get_template(panel.template).render(context))
