from django import template

from accounts.identity import phone_national as _phone_national

register = template.Library()


@register.filter
def phone_national(e164: str) -> str:
    return _phone_national(e164) if e164 else ""
