from urllib.parse import urlencode

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def language_back(context) -> str:
    """Where the header's language switch brings the person back: this page, with its
    `next` (a login on its way back to a connected portal) and nothing else of its query
    (which may hold what was typed or searched for)."""
    request = context.get("request")
    if request is None:
        return "/"
    back = request.path
    if request.GET.get("next"):
        back += "?" + urlencode({"next": request.GET["next"]})
    return back
