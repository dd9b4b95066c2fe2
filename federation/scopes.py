"""What another portal may ask for: the scopes, and what each one tells it about a person.

One catalogue serves django-oauth-toolkit (through `ScopeCatalogue`, its scopes backend),
the consent page, "Ứng dụng được chia sẻ" and discovery. A client gets only the scopes its
record allows (federation.Client.allowed_scopes) and the person agreed to.
"""

from django.utils.translation import gettext_lazy as _

from accounts.models import Account

OPENID = "openid"  # every request: the subject, the level and how the person logged in

# scope: (its description for integrators, its claims, what the person reads it reveals)
SCOPES = {
    OPENID: ("Pairwise subject, assurance level (acr), how the login was made (amr)",
             ("sub",),
             (_("Mã định danh của bạn dành riêng cho cổng này"),
              _("Mức độ xác minh tài khoản và cách bạn đăng nhập"))),
    "profile": ("Full name and date of birth", ("name", "birthdate"),
                (_("Họ tên"), _("Ngày sinh"))),
    "id_number": ("Personal ID number (id_number), or a business's tax code (tax_code)",
                  ("id_number", "tax_code"), (_("Số CMT/CCCD"),)),
    "phone": ("Mobile phone number, verified", ("phone_number", "phone_number_verified"),
              (_("Số điện thoại"),)),
    "email": ("Email address", ("email",), (_("Email"),)),
}
# A business is named and numbered otherwise; it has no date of birth.
BUSINESS_ATTRIBUTES = {"profile": (_("Tên doanh nghiệp"),), "id_number": (_("Mã số thuế"),)}


def scopes_known(names) -> list[str]:
    """`names` that the catalogue knows, in its order."""
    wanted = set(names)
    return [name for name in SCOPES if name in wanted]


def scope_attributes(scopes, account_type: str = Account.Type.CITIZEN) -> list[str]:
    """What a person reads the scopes reveal, in the catalogue's order."""
    found = []
    for name in scopes_known(scopes):
        labels = SCOPES[name][2]
        if account_type == Account.Type.BUSINESS:
            labels = BUSINESS_ATTRIBUTES.get(name, labels)
        found.extend(str(label) for label in labels)
    return found


def scope_claims(scopes) -> list[str]:
    return [claim for name in scopes_known(scopes) for claim in SCOPES[name][1]]


class ScopeCatalogue:
    """django-oauth-toolkit's scopes backend over the catalogue; what one client may ask
    is narrowed by the validator (federation/validator.py)."""

    def get_all_scopes(self):
        return {name: description for name, (description, _claims, _labels) in SCOPES.items()}

    def get_available_scopes(self, application=None, request=None, *args, **kwargs):
        return list(SCOPES)

    def get_default_scopes(self, application=None, request=None, *args, **kwargs):
        return [OPENID]
