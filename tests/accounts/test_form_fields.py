"""A form's field as the pages show it: label, box, and what is wrong with it; the same
markup as crispy-forms' bootstrap5 pack writes, for every kind of field the portal has."""

import re

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms
from django.template import Context, Template
from pytest_django.asserts import assertHTMLEqual

from accounts.forms import CodeForm, LoginForm, MobileRegistrationForm, NewPasswordForm
from operator_console.counter.forms import CitizenForm
from operator_console.models import Unit

RENDER = Template("{{ field.as_field_group }}")


def html(field) -> str:
    return RENDER.render(Context({"field": field}))


def test_a_required_field_has_its_label_and_a_marked_box():
    out = html(MobileRegistrationForm()["full_name"])
    assert '<div id="div_id_full_name" class="mb-3">' in out
    assert ('<label for="id_full_name" class="form-label requiredField">Họ tên'
            '<span class="asteriskField">*</span></label>') in out
    assert 'class="textinput form-control"' in out and " required" in out


def test_an_optional_field_has_no_star():
    out = html(MobileRegistrationForm()["email"])
    assert "asteriskField" not in out and 'class="emailinput form-control"' in out


def test_a_wrong_value_is_kept_and_explained_beside_the_box():
    form = MobileRegistrationForm({"phone": "12"})
    form.is_valid()
    out = html(form["phone"])
    assert 'value="12"' in out
    assert 'class="textinput form-control is-invalid"' in out
    assert 'aria-invalid="true" ' in out and 'aria-describedby="id_phone_error"' in out
    assert '<div id="id_phone_error" class="invalid-feedback"><p id="error_1_id_phone">' in out
    assert "Số điện thoại không hợp lệ" in out


@pytest.mark.django_db  # the widget stores a new picture code
def test_the_picture_code_is_a_fieldset_with_its_legend():
    form = LoginForm({"captcha_0": "abc", "captcha_1": ""})
    form.is_valid()
    out = html(form["captcha"])
    assert out.count("<fieldset") == 1 and "<legend" in out
    assert 'class="form-label requiredField fs-6">Nhập mã xác thực' in out
    assert "Bạn phải nhập mã xác thực." in out
    assert 'class="captchaanswerinput form-control is-invalid"' in out


def test_a_value_is_escaped():
    form = MobileRegistrationForm({"full_name": '"><script>alert(1)</script>'})
    out = html(form["full_name"])
    assert "<script>" not in out and "&lt;script&gt;" in out


class Others(forms.Form):
    """What no page has yet: a checkbox and radios (laid out otherwise by the pack), a
    number, a multiple select, a hidden initial value, no label, classes for the row."""

    agree = forms.BooleanField(label="Đồng ý", help_text="Đã đọc <b>điều khoản</b>.")
    kind = forms.ChoiceField(label="Loại", widget=forms.RadioSelect,
                             choices=[("a", "Một"), ("b", "Hai")])
    days = forms.MultipleChoiceField(label="Ngày", widget=forms.CheckboxSelectMultiple,
                                     choices=[("2", "Thứ hai"), ("3", "Thứ ba")])
    count = forms.IntegerField(label='Số <lượng> & "tối thiểu"', min_value=1, error_messages={
        "min_value": "Ít nhất %(limit_value)s, <không phải> “0” & 'âm'."})
    units = forms.MultipleChoiceField(label="Đơn vị", choices=[("x", "Xã <X>")])
    shown = forms.CharField(label="Ghi chú", required=False, show_hidden_initial=True)
    nameless = forms.CharField(label="", required=False)

    error_css_class, required_css_class = "has-error", "required"


def citizen(data=None):
    return CitizenForm(data, id_number="001090012345", units=Unit.objects.none(),
                       has_scan=False)


BAD = {"id_number": "1", "full_name": "", "birth_date": "31/02/1990", "phone": "12",
       "email": "x@", "captcha_0": "abc", "captcha_1": "", "password1": "a", "password2": "b",
       "code": "12", "mismatch_reason": "<b>", "unit": "9", "for_id": "2", "agree": "",
       "kind": "c", "days": ["9"], "count": "0", "units": ["y"], "shown": "x"}
FORMS = [MobileRegistrationForm, NewPasswordForm, CodeForm, citizen, Others]


def same_as_crispy(make, data) -> None:
    """Each field of the form as crispy writes it: the same elements, attributes, text and
    classes in the same order (the picture's fresh key aside)."""
    ours_form, crispy_form = make(data), make(data)
    for name in ours_form.fields:
        ours, crispy = html(ours_form[name]), as_crispy_field(crispy_form[name])
        ours, crispy = (re.sub(r"[0-9a-f]{40}", "KEY", text) for text in (ours, crispy))
        assertHTMLEqual(ours, crispy)
        assert re.findall(r'class="([^"]*)"', ours) == re.findall(r'class="([^"]*)"', crispy)


@pytest.mark.django_db  # the picture code's row
@pytest.mark.parametrize("make", FORMS, ids=lambda make: make.__name__)
@pytest.mark.parametrize("data", [None, BAD], ids=["empty", "with errors"])
def test_every_kind_of_field_reads_as_crispy_writes_it(make, data):
    same_as_crispy(make, data)
