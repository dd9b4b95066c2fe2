"""The form renderer: every field through the pack's field template and every widget through
Django's, written in Python while those are the libraries' own files; a template of the
project's with the same name is what renders (tests/accounts/test_form_fields.py compares
the fields' markup with crispy's)."""

import re
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.forms.renderers import TemplatesSetting
from django.test import override_settings
from django.test.signals import template_rendered
from django.utils.autoreload import file_changed

from portal.forms_renderer import PortalFormRenderer


class Everything(forms.Form):
    name = forms.CharField(max_length=20, widget=forms.TextInput(
        attrs={"placeholder": 'Nhập "họ tên" <đầy đủ>', "autofocus": True, "disabled": False}))
    email = forms.EmailField(required=False)
    password = forms.CharField(widget=forms.PasswordInput(render_value=True))
    phone = forms.CharField(widget=forms.TextInput(attrs={"type": "tel"}))
    secret = forms.CharField(widget=forms.HiddenInput)
    number = forms.IntegerField(min_value=1)
    day = forms.DateField(widget=forms.DateInput(attrs={"class": "dateinput"}))
    notes = forms.CharField(widget=forms.Textarea)
    unit = forms.ChoiceField(choices=[("a", "Xã A"), ("b", "Xã <B>")])
    agree = forms.BooleanField()


@pytest.mark.parametrize("data", [None, {
    "name": 'An "Bình" <script>', "email": "not-an-email", "password": "p&ss", "phone": "09",
    "secret": "x'y", "number": "0", "day": "31/02/2026", "notes": "<b>", "unit": "b",
}], ids=["empty", "bound with errors"])
def test_every_widget_reads_as_with_django_own_templates(data):
    ours, django = Everything(data, renderer=PortalFormRenderer()), Everything(
        data, renderer=TemplatesSetting())
    for name in ours.fields:
        assert str(ours[name]) == str(django[name]), name


def test_the_portal_uses_it():
    assert settings.FORM_RENDERER == "portal.forms_renderer.PortalFormRenderer"


class Citizen(forms.Form):
    phone = forms.CharField(label="Số điện thoại", help_text="Của chính công dân.")
    scan = forms.FileField(label="Đính kèm")


def rendered(field) -> tuple[str, list[str]]:
    """The field's group and the templates that rendered it."""
    names = []

    def record(sender, template, **kwargs):
        names.append(template.name)

    template_rendered.connect(record)
    try:
        return field.as_field_group(), names
    finally:
        template_rendered.disconnect(record)


def project_templates(folder: Path, files: dict[str, str]):
    """Files in a templates/ folder searched before the project's own, as templates/ is."""
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    engine = settings.TEMPLATES[0]
    return override_settings(TEMPLATES=[{**engine, "DIRS": [folder, *engine["DIRS"]]}])


def test_while_the_templates_are_the_libraries_own_a_box_is_written_without_them():
    form = Citizen({"phone": "09"})
    out, names = rendered(form["phone"])
    assert names == [] and 'id="id_phone_helptext"' in out
    out, names = rendered(form["scan"])  # a file input: the pack's own shape
    assert names[0] == "bootstrap5/field.html" and "bootstrap5/layout/field_file.html" in names


@pytest.mark.parametrize("name, text, expect", [
    ("bootstrap5/field.html",
     '<div class="ours">{{ field.label }}{% if form_show_errors %}, errors{% endif %}</div>',
     '<div class="ours">Số điện thoại, errors</div>'),
    ("bootstrap5/layout/help_text.html", '<small class="ours">{{ field.help_text }}</small>',
     '<small class="ours">Của chính công dân.</small>'),
    ("django/forms/widgets/text.html", '<input class="ours" name="{{ widget.name }}">',
     '<input class="ours" name="phone">'),
    ("django/forms/widgets/attrs.html", ' data-ours="{{ widget.attrs.id }}"',
     '<input type="text" name="phone" data-ours="id_phone">'),
], ids=["field", "a part of the field", "widget", "a part of the widget"])
def test_a_template_of_the_project_is_what_renders(tmp_path, name, text, expect):
    assert expect not in rendered(Citizen()["phone"])[0]  # the decision is cached by now
    with project_templates(tmp_path, {name: text}):
        out, names = rendered(Citizen()["phone"])
        assert expect in out and name in names
    out, names = rendered(Citizen()["phone"])
    assert expect not in out and names == []


def test_a_field_may_name_a_template_of_its_own(tmp_path):
    class Own(forms.Form):
        phone = forms.CharField(template_name="one_field.html")

    with project_templates(tmp_path, {"one_field.html": "<p>{{ field.name }}</p>"}):
        assert Own()["phone"].as_field_group() == "<p>phone</p>"


def test_a_template_added_under_runserver_renders_from_the_next_page_on(tmp_path):
    with project_templates(tmp_path, {}):
        assert rendered(Citizen()["phone"])[1] == []
        added = tmp_path / "bootstrap5" / "field.html"
        added.parent.mkdir()
        added.write_text("<p>ours</p>")
        file_changed.send(sender=None, file_path=added)  # as the autoreloader does
        assert rendered(Citizen()["phone"]) == ("<p>ours</p>", ["bootstrap5/field.html"])


def test_every_page_renders_its_fields_one_way():
    """{{ form.name.as_field_group }} or {{ field.as_field_group }}: no crispy filter or tag
    beside it, no form's own layout (as_p, {{ form }})."""
    other_way = re.compile(r"crispy|\|\s*as_field\b|\.as_(p|div|table|ul)\b|\{\{\s*form\s*\}\}")
    pages = Path(settings.BASE_DIR, "templates").rglob("*.html")
    assert [page.name for page in pages if other_way.search(page.read_text())] == []
