"""The page's language: Vietnamese unless the person chose English with the header's switch
(remembered in a cookie). A browser's Accept-Language does not switch it: Vietnamese stays
the portal's language, its wording the seeds'."""

from django.conf import settings
from django.http import Http404, HttpResponseRedirect
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme

COOKIE_SECONDS = 365 * 24 * 3600


def language_of(request) -> str:
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    return chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


class LanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = language_of(request)
        request.LANGUAGE_CODE = language
        with translation.override(language):  # the thread's language is given back after
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response


def language_choose(request, code: str):
    """The header's switch: a link, so it works without a form or a script; back to the
    page it was clicked on (of this site only)."""
    if code not in dict(settings.LANGUAGES):
        raise Http404
    back = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        back = "/"
    response = HttpResponseRedirect(back)
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, code, max_age=COOKIE_SECONDS,
                        secure=not settings.DEBUG, httponly=True, samesite="Lax")
    return response
