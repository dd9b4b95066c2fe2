"""The form renderer: widget templates from templates/ (Django's TemplatesSetting), except
the plain <input> widgets, written here in Python: Django renders each through two nested
templates, which cost a citizen form page a third of its time (bench/README.md).

The markup is the same as django/forms/widgets/input.html and attrs.html; a project
template overriding one of those names would be bypassed, so there is none.
"""

from django.forms.renderers import TemplatesSetting
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

PLAIN_INPUTS = frozenset(
    f"django/forms/widgets/{kind}.html"
    for kind in ("input", "text", "email", "password", "hidden", "tel", "number", "url",
                 "search", "date", "datetime", "time", "color")
)


class PortalFormRenderer(TemplatesSetting):
    def render(self, template_name, context, request=None):
        if template_name not in PLAIN_INPUTS:
            return super().render(template_name, context, request)
        widget = context["widget"]
        value = "" if widget["value"] is None else format_html(' value="{}"', widget["value"])
        return format_html('<input type="{}" name="{}"{}{}>', widget["type"], widget["name"],
                           value, _attributes(widget["attrs"]))


def _attributes(attrs: dict) -> str:
    """As attrs.html writes them: in order, True as a bare name, False left out."""
    return mark_safe("".join(
        f" {conditional_escape(name)}" if value is True
        else f' {conditional_escape(name)}="{conditional_escape(value)}"'
        for name, value in attrs.items() if value is not False
    ))
