from functools import cache
from urllib.parse import quote, urlencode

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import get_language

register = template.Library()
# The other language's own name, by the page's language.
OTHER = {"vi": ("en", "English"), "en": ("vi", "Tiếng Việt")}


@register.simple_tag(takes_context=True)
def language_switch(context) -> str:
    """The header's link to the other language: to /ngon-ngu/<code>/, which comes back to
    this page with its `next` (a login on its way back to a connected portal) and nothing
    else of its query (which may hold what was typed or searched for). Written here rather
    than in a template: it is on every page, outside the header's cached fragments."""
    code, name = OTHER.get(get_language(), OTHER["vi"])
    request = context.get("request")
    back = request.path if request is not None else "/"
    if request is not None and request.GET.get("next"):
        back += "?" + urlencode({"next": request.GET["next"]})
    return format_html('<a href="{}?next={}" lang="{}" hreflang="{}">{}</a>',
                       _switch_url(code), quote(back, safe=""), code, code, name)


@cache
def _switch_url(code: str) -> str:
    return reverse("language", args=[code])
