"""What a form page must keep whatever makes it cheaper: the CSRF token, the picture code
(its hidden key, a live stored answer, the picture and the box to type it in) and each
field of the form; and the captcha row reads the same written by the form renderer as
through Django's own widget templates."""

import re

import pytest
from django.forms.renderers import TemplatesSetting

from accounts.captcha_keys import captcha_answer
from accounts.forms import LoginForm, MobileRegistrationForm
from portal.forms_renderer import PortalFormRenderer

PAGES = {
    "/dang-ky/mobile/": ["id_number", "full_name", "birth_date", "phone", "email"],
    "/dang-ky/bhxh/": ["id_number", "bhxh_code", "full_name", "birth_date", "phone"],
    "/dang-ky/vnpost/": ["id_number", "full_name", "birth_date", "phone"],
    "/dang-nhap/": ["username", "password"],
    "/quen-mat-khau/": ["username", "phone"],
}
KEY = re.compile(r'<input type="hidden" name="captcha_0" value="([0-9a-f]{40})"')


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_a_form_page_keeps_its_token_picture_and_fields(client, path):
    page = client.get(path).content.decode()
    token = re.search(r'<input type="hidden" name="csrfmiddlewaretoken" value="(\w+)">', page)
    assert token and len(token[1]) == 64 and client.cookies["csrftoken"].value
    key = KEY.search(page)[1]
    assert captcha_answer(key)
    assert f'<img src="/captcha/image/{key}/"' in page
    picture = client.get(f"/captcha/image/{key}/")
    assert picture["Content-Type"] == "image/png" and picture.content[:4] == b"\x89PNG"
    assert re.search(r'<label class="visually-hidden" for="id_captcha_1">[^<]+</label>'
                     r'<input type="text" name="captcha_1" [^>]*required id="id_captcha_1" '
                     r'autocapitalize="off" autocomplete="off" autocorrect="off" '
                     r'spellcheck="false">', page)
    assert 'data-captcha-refresh data-url="/captcha/refresh/"' in page
    for name in PAGES[path]:
        assert re.search(rf'<input type="\w+" name="{name}"[^>]* id="id_{name}"', page), name


@pytest.mark.django_db
@pytest.mark.parametrize("form_class, data", [
    (LoginForm, None), (MobileRegistrationForm, {"captcha_1": "x"}),
], ids=["empty", "bound"])
def test_the_captcha_row_reads_as_through_django_widget_templates(form_class, data):
    def row(renderer):
        markup = str(form_class(data, renderer=renderer)["captcha"])
        return re.sub(r"[0-9a-f]{40}", "KEY", markup)

    ours = row(PortalFormRenderer())
    assert ours == row(TemplatesSetting()) and 'name="captcha_0" value="KEY"' in ours
