"""The picture of a picture code, and a new one on "Đổi mã khác", at the library's URLs
and names (captcha-image, captcha-refresh), for keys of accounts/captcha_keys.py."""

import json
import random
from types import SimpleNamespace

from captcha.views import _captcha_image
from django.http import Http404, HttpResponse
from django.urls import re_path, reverse

from accounts.captcha_keys import captcha_answer, captcha_key_new


def picture(request, key: str):
    answer = captcha_answer(key)
    if answer is None:  # as the library answers an unknown key: gone, not to be indexed
        return HttpResponse(status=410)
    try:
        random.seed(key)  # as the library: one key, the same letters turned the same way
        response = _captcha_image(SimpleNamespace(challenge=answer.upper()), 1)
    finally:
        random.seed()  # the key must not tell what the process draws next
    response["Cache-Control"] = "no-store"
    return response


def refresh(request):
    """A new key and its picture's address, for the page's script (as the library's)."""
    if request.headers.get("x-requested-with") != "XMLHttpRequest":
        raise Http404
    key = captcha_key_new()
    body = {"key": key, "image_url": reverse("captcha-image", kwargs={"key": key}),
            "audio_url": None}
    return HttpResponse(json.dumps(body), content_type="application/json")


urlpatterns = [
    re_path(r"^image/(?P<key>\w+)/$", picture, name="captcha-image"),
    re_path(r"^refresh/$", refresh, name="captcha-refresh"),
]
