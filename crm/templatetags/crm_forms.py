"""Rendering form fields with Tabler (Bootstrap 5) classes: `{% load crm_forms %}{{ form.name|tabler }}`."""

from __future__ import annotations

from django import forms, template
from django.utils.safestring import SafeString

register = template.Library()


def widget_class(field: forms.BoundField) -> str:
    widget = field.field.widget
    if isinstance(widget, (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple)):
        css = "form-check-input"
    elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
        css = "form-select"
    else:
        css = "form-control"
    if field.errors:
        css += " is-invalid"
    return css


@register.filter
def tabler(field: forms.BoundField) -> SafeString:
    """The field's widget with Tabler classes, marked invalid when the field has errors."""
    existing = field.field.widget.attrs.get("class", "")
    attrs: dict[str, str | bool] = {"class": f"{existing} {widget_class(field)}".strip()}
    # Fields drawn in a table row under a column header have no <label> of their own: name them for screen readers.
    if field.label and "aria-label" not in field.field.widget.attrs:
        attrs["aria-label"] = str(field.label)
    if field.errors:
        attrs["aria-invalid"] = "true"
        attrs["aria-describedby"] = f"{field.auto_id}_errors"
    return field.as_widget(attrs=attrs)


@register.filter
def is_checkbox(field: forms.BoundField) -> bool:
    return isinstance(field.field.widget, forms.CheckboxInput)
