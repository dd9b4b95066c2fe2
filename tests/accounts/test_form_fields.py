"""A citizen form's field as the pages show it: label, box, and what is wrong with it."""

import pytest
from django.template import Context, Template

from accounts.forms import LoginForm, MobileRegistrationForm

RENDER = Template("{% load form_fields %}{{ field|as_field }}")


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


def test_other_widgets_are_written_by_crispy_as_before():
    from django import forms

    class Other(forms.Form):
        agree = forms.BooleanField(label="Đồng ý")
        unit = forms.ChoiceField(label="Đơn vị", choices=[("a", "Xã A")])

    form = Other()
    assert 'class="checkboxinput form-check-input"' in html(form["agree"])
    assert 'class="select form-select"' in html(form["unit"])
