import re
import secrets

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

RULE = "Sử dụng 8 ký tự trở lên bao gồm chữ thường, chữ in hoa, số và ký tự đặc biệt."


class PasswordRuleValidator:
    """The portal's rule: 8 characters or more, with lower case, upper case, digit, special."""

    checks = (
        (re.compile(r"[a-zà-ỹđ]"), "chữ thường"),
        (re.compile(r"[A-ZÀ-ỸĐ]"), "chữ in hoa"),
        (re.compile(r"\d"), "số"),
        (re.compile(r"[^\w\s]|_"), "ký tự đặc biệt"),
    )

    def validate(self, password, user=None):
        missing = [name for pattern, name in self.checks if not pattern.search(password)]
        if len(password) < 8:
            missing.insert(0, "ít nhất 8 ký tự")
        if missing:
            raise ValidationError(
                _("Mật khẩu chưa đạt yêu cầu, còn thiếu: %(missing)s.")
                % {"missing": ", ".join(_(m) for m in missing)},
                code="password_rule",
            )

    def get_help_text(self):
        return _(RULE)


# Characters that read unambiguously when typed from an SMS (no 0/O, 1/l/I).
_GENERATED = ("abcdefghijkmnpqrstuvwxyz", "ABCDEFGHJKLMNPQRSTUVWXYZ", "23456789", "#@%+=?")


def password_generate(length: int = 10) -> str:
    """A random password that meets the rule, for a citizen to change at first login."""
    chars = [secrets.choice(group) for group in _GENERATED]
    alphabet = "".join(_GENERATED)
    chars += [secrets.choice(alphabet) for _ in range(length - len(chars))]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)
