"""The form renderer writes plain <input> widgets in Python: the same markup as Django's
own templates, which every other widget still goes through."""

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting

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


def test_the_portal_uses_it(settings):
    assert settings.FORM_RENDERER == "portal.forms_renderer.PortalFormRenderer"
