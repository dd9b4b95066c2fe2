"""One form field in Bootstrap 5 markup, for the citizen pages.

It writes what crispy-forms' bootstrap5 pack wrote for these forms (the same wrapper, label,
classes, error block and ids) in Python rather than through a dozen nested templates:
crispy took three quarters of a form page's time (bench/README.md, "public pages").
"""

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms, template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()
# Widgets crispy writes otherwise (form-check-input, form-select, file inputs…): they
# still go through it, as do fields with CSS classes or a hidden initial value.
CRISPY_ONLY = (forms.CheckboxInput, forms.Select, forms.RadioSelect, forms.FileInput,
               forms.CheckboxSelectMultiple, forms.Textarea)


@register.filter
def as_field(field) -> SafeString:
    if field.is_hidden:
        return mark_safe(str(field))
    widgets = getattr(field.field.widget, "widgets", [field.field.widget])
    if (any(isinstance(widget, CRISPY_ONLY) for widget in widgets) or field.css_classes()
            or field.field.show_hidden_initial):
        return as_crispy_field(field)
    _widget_classes(field)
    tag = "legend" if field.use_fieldset else "label"
    label = format_html(
        '<{} {}class="form-label{}{}">{}{}</{}>', tag,
        format_html('for="{}" ', field.id_for_label) if field.id_for_label else "",
        " requiredField" if field.field.required else "",
        " fs-6" if field.use_fieldset else "", field.label,
        mark_safe('<span class="asteriskField">*</span>') if field.field.required else "",
        tag,
    ) if field.label else ""
    inner = format_html("{}{}{}{}", label, field.as_widget(), _errors(field), _help(field))
    if field.use_fieldset and field.label:
        inner = format_html("<fieldset{}>{}</fieldset>", _described_by(field), inner)
    return format_html('<div id="div_{}" class="mb-3">{}</div>', field.auto_id, inner)


def _widget_classes(field) -> None:
    """The classes crispy gave each text widget: its own, the widget's kind, form-control,
    and is-invalid when the field has errors."""
    extra = ["form-control", "is-invalid"] if field.errors else ["form-control"]
    for widget in getattr(field.field.widget, "widgets", [field.field.widget]):
        classes = widget.attrs.get("class", "").split()
        kind = widget.__class__.__name__.lower()
        for name in [kind, *extra]:
            if name not in classes:
                classes.append(name)
        widget.attrs["class"] = " ".join(classes)


def _errors(field) -> str:
    if not field.errors:
        return ""
    lines = format_html_join(
        "", '<p id="error_{}_{}"><strong>{}</strong></p>',
        ((number, field.auto_id, error) for number, error in enumerate(field.errors, 1)),
    )
    return format_html('<div id="{}_error" class="invalid-feedback">{}</div>',
                       field.errors.field_id, lines)


def _help(field) -> str:
    if not field.help_text:
        return ""
    named = format_html('id="{}_helptext" ', field.auto_id) if field.auto_id else ""
    return format_html('<div {}class="form-text">{}</div>', named,
                       mark_safe(field.help_text))  # help texts are written in the code


def _described_by(field) -> str:
    described = getattr(field, "aria_describedby", None)
    return format_html(' aria-describedby="{}"', described) if described else ""
