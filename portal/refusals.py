"""One way to refuse: a refusal is a code, and one table per domain turns it into text.

Every "no" the portal says to a person is an exception derived from `Refusal`: it carries
a `code` (what went wrong, stable, safe to log) and the values its sentence names
(`params`). The sentence itself lives in the domain's table (`texts`), written once, marked
for translation; a view catches `Refusal` and shows `refusal.message`. A page that must
say the same refusal differently (the counter names its own button) passes its own table
to `message_in`, never edits the translated text.
"""

from collections.abc import Callable, Mapping

from django.utils.functional import Promise
from django.utils.translation import ngettext

# A table's entry: a sentence, or a function of the refusal's params returning one.
Text = str | Promise | Callable[..., str]


class Refusal(Exception):
    texts: Mapping[str, Text] = {}

    def __init__(self, code: str, **params):
        if code not in self.texts:
            # A code without a sentence would reach the page blank: fail where it is made.
            raise ValueError(f"{type(self).__name__}: no text for code {code!r}")
        super().__init__(code)
        self.code = code
        self.params = params

    def __getattr__(self, name: str):
        """The params read as attributes (refusal.wait, refusal.tries_left)."""
        params = self.__dict__.get("params", {})
        if name in params:
            return params[name]
        raise AttributeError(name)

    @property
    def message(self) -> str:
        return self.message_in(self.texts)

    def message_in(self, texts: Mapping[str, Text]) -> str:
        text = texts.get(self.code, self.texts[self.code])
        if callable(text) and not isinstance(text, Promise):
            return text(**self.params)
        return str(text) % self.params if self.params else str(text)


def wait_text(seconds: int) -> str:
    """A wait as a person reads it: "40 giây", "3 phút", "2 giờ"."""
    if seconds >= 3600:
        hours = (seconds + 3599) // 3600
        return ngettext("%(n)d giờ", "%(n)d giờ", hours) % {"n": hours}
    if seconds >= 120:  # under two minutes, the seconds say more than "1 phút"
        minutes = (seconds + 59) // 60
        return ngettext("%(n)d phút", "%(n)d phút", minutes) % {"n": minutes}
    return ngettext("%(n)d giây", "%(n)d giây", seconds) % {"n": seconds}
