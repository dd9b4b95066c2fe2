"""The one way a form field is rendered: `{{ form.name.as_field_group }}` (or
`{{ field.as_field_group }}` in a loop), through this FORM_RENDERER.

Why this shape: `as_field_group` is Django's own call for a label, box, errors and help
together; it needs no tag library, and Django already lets a field name its own template
(`Field.template_name`). The markup is crispy-forms' bootstrap5 pack, the project's form
library: the renderer's field template is the pack's `bootstrap5/field.html`, given the
context crispy's `|as_crispy_field` gives it, and each widget is Django's widget template.
All of them are found by the template loaders, so a file under templates/ with the same
name is what renders.

Why Python as well: those templates are a dozen small nested includes per field, and
rendering them costs more than everything else on a short form page. So where a field's
templates (the field's, its includes', a plain <input>'s) are still the library's own
files, this module writes the same markup itself: a field whose box is a text-like input,
a select or a textarea, and a plain <input>. Checkboxes, radios and file inputs are laid
out otherwise by the pack and always go through its templates. Tests compare both ways.

Whether a template is the library's own is read from where the loader found it (its
origin), once per name, and forgotten when Django forgets its cached templates: settings
changed (as in a test) or a file changed under runserver's autoreloader.
"""

import html
import os
from pathlib import Path

import crispy_bootstrap5
import django.forms
from django import forms
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.forms.renderers import TemplatesSetting
from django.template.loader import get_template
from django.utils.autoreload import file_changed
from django.utils.safestring import SafeString, mark_safe

FIELD_TEMPLATE = "bootstrap5/field.html"
FIELD_PARTS = (FIELD_TEMPLATE,) + tuple(
    f"bootstrap5/layout/{part}.html"
    for part in ("help_text_and_errors", "field_errors_block", "help_text")
)
# What crispy's |as_crispy_field puts beside the field; field.html reads it.
FIELD_CONTEXT = {"form_show_errors": True, "form_show_labels": True, "label_class": "",
                 "field_class": ""}
# Laid out by the pack in a shape of their own: always through its templates.
LAID_OUT_OTHERWISE = (forms.CheckboxInput, forms.RadioSelect, forms.FileInput)
REQUIRED_MARK = '<span class="asteriskField">*</span>'

INPUT_PARTS = ("django/forms/widgets/input.html", "django/forms/widgets/attrs.html")
PLAIN_INPUTS = frozenset(
    f"django/forms/widgets/{kind}.html"
    for kind in ("input", "text", "email", "password", "hidden", "tel", "number", "url",
                 "search", "date", "datetime", "time", "color")
)
LIBRARY_DIRS = tuple(os.path.join(Path(package.__file__).parent, "templates", "")
                     for package in (django.forms, crispy_bootstrap5))
_library_own: dict[str, bool] = {}


def library_own(names) -> bool:
    """Whether each named template is the library's own file: none is overridden."""
    for name in names:
        own = _library_own.get(name)
        if own is None:
            own = _library_own[name] = get_template(name).origin.name.startswith(LIBRARY_DIRS)
        if not own:
            return False
    return True


@receiver(setting_changed)
def _settings_changed(*, setting, **kwargs):
    if setting in {"TEMPLATES", "INSTALLED_APPS", "DEBUG"}:
        _library_own.clear()


@receiver(file_changed)
def _file_changed(**kwargs):
    _library_own.clear()  # returns None: the autoreloader still decides what to reload


class PortalFormRenderer(TemplatesSetting):
    """Templates from templates/ and the apps (Django's TemplatesSetting), fields in the
    pack's markup, and the fast path above."""

    field_template_name = FIELD_TEMPLATE

    def render(self, template_name, context, request=None):
        if template_name in PLAIN_INPUTS and library_own((template_name, *INPUT_PARTS)):
            return _input(context["widget"])
        for subwidget in context.get("widget", {}).get("subwidgets", ()):
            _markup_included(subwidget)
        if template_name == FIELD_TEMPLATE:
            field = context["field"]
            if (not isinstance(field.field.widget, LAID_OUT_OTHERWISE)
                    and library_own(FIELD_PARTS)):
                return _field(field)
            context = {**FIELD_CONTEXT, **context}
        return super().render(template_name, context, request)


def _input(widget: dict) -> SafeString:
    """As input.html and attrs.html write it: attributes in order, True as a bare name,
    False left out."""
    value = "" if widget["value"] is None else f' value="{_escape(widget["value"])}"'
    attrs = "".join(
        f" {_escape(name)}" if item is True else f' {_escape(name)}="{_escape(item)}"'
        for name, item in widget["attrs"].items() if item is not False
    )
    return mark_safe(f'<input type="{_escape(widget["type"])}" name="{_escape(widget["name"])}"'
                     f"{value}{attrs}>")


def _markup_included(widget: dict) -> None:
    """A multi-widget's template (the captcha's) includes each part's template: where that
    is a plain <input> of Django's own, its markup is given as `widget.markup` instead, as
    the include writes it (a renderer strips its output, an include keeps each file's
    closing newline: input.html's, and the one of the file that includes it)."""
    name = widget["template_name"]
    if name in PLAIN_INPUTS and library_own((name, *INPUT_PARTS)):
        ending = "\n" if name == INPUT_PARTS[0] else "\n\n"
        widget["markup"] = mark_safe(_input(widget) + ending)


def _field(field) -> SafeString:
    """As bootstrap5/field.html writes a field without a layout of its own."""
    if field.is_hidden:
        return mark_safe(str(field))
    errors = field.errors
    _widget_classes(field, "form-select" if isinstance(field.field.widget, forms.Select)
                    else "form-control", invalid=bool(errors))
    auto_id = _escape(field.auto_id)
    parts = [_label(field), str(field)]
    if errors:
        parts.append(f'<div id="{_escape(errors.field_id)}_error" class="invalid-feedback">')
        parts += (f'<p id="error_{number}_{auto_id}"><strong>{_escape(error)}</strong></p>'
                  for number, error in enumerate(errors, 1))
        parts.append("</div>")
    if field.help_text:
        named = f'id="{auto_id}_helptext" ' if auto_id else ""
        # |safe, as the pack's help_text.html: help texts are written in the code.
        parts.append(f'<div {named}class="form-text">{field.help_text}</div>')
    if field.use_fieldset and field.label:
        described = field.aria_describedby
        described = f' aria-describedby="{_escape(described)}"' if described else ""
        parts = [f"<fieldset{described}>", *parts, "</fieldset>"]
    css = field.css_classes()
    css = f" {_escape(css)}" if css else ""
    return mark_safe(f'<div id="div_{auto_id}" class="mb-3{css}">{"".join(parts)}</div>')


def _label(field) -> str:
    if not field.label:
        return ""
    tag = "legend" if field.use_fieldset else "label"
    target = f'for="{_escape(field.id_for_label)}" ' if field.id_for_label else ""
    required = field.field.required
    return (f'<{tag} {target}class="form-label{" requiredField" if required else ""}'
            f'{" fs-6" if field.use_fieldset else ""}">{_escape(field.label)}'
            f'{REQUIRED_MARK if required else ""}</{tag}>')


def _widget_classes(field, box: str, *, invalid: bool) -> None:
    """As crispy's {% crispy_field %} tag: each widget's kind as a class, then the box's
    class and is-invalid, none twice."""
    widget = field.field.widget
    converters = getattr(settings, "CRISPY_CLASS_CONVERTERS", {})
    added = [box, "is-invalid"] if invalid else [box]
    for each in getattr(widget, "widgets", [getattr(widget, "widget", widget)]):
        kind = each.__class__.__name__.lower()
        kind = converters.get(kind, kind)
        classes = each.attrs.get("class", "")
        classes = (classes if kind in classes else f"{classes} {kind}") if classes else kind
        for name in added:
            if name not in classes.split():
                classes += f" {name}"
        each.attrs["class"] = classes


def _escape(text) -> str:
    """As conditional_escape (markup stays as it is, anything else is escaped as Django
    escapes it), without the wrapper that looks for lazy arguments: it runs for every
    attribute of every box."""
    return text.__html__() if hasattr(text, "__html__") else html.escape(str(text))
