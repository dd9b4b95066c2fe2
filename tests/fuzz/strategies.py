"""Hypothesis strategies for form input: what a browser could send, and what it never would.

Every strategy gives text (or lists of text) the Django test client can encode: any
Unicode except lone surrogates (which no HTTP request can carry as UTF-8), NUL included.
"""

import base64
import datetime as dt
import string

from hypothesis import strategies as st

# --- Text -------------------------------------------------------------------------------

# Any code point but the surrogates; NUL and the other controls included.
any_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=60)

# Characters that have bitten form handling elsewhere: NUL, controls, bidi and zero-width
# marks, combining marks, letters that grow when folded or title-cased (ß, ŉ, ﬁ, Hangul),
# non-ASCII digits (Arabic-Indic, full-width, superscript) and Vietnamese.
TRICKY = (
    "\x00\x01\x08\t\n\r\x0b\x0c\x1b\x7f\x85\xa0\u2028\u2029\u200b\u200d\u202e\ufeff\ufffd"
    "ßŉǰﬁﬀİıǅ한글가\u0301\u0303\u0323\u0309"
    "٠١٢٣٤٥٦٧٨٩０１２３४५²³¹"
    "ĐđƯưƠơÂâÊêÔôĂăàáảãạằắẳẵặềếểễệ"
    "<>&\"'%;\\/`${}[]()*+?^|=~#@!"
)
tricky_text = st.text(st.sampled_from(TRICKY), max_size=40)


@st.composite
def huge_text(draw, max_size: int = 10_000) -> str:
    """A long string, up to `max_size` (10k): a character or a short pattern repeated."""
    unit = draw(st.one_of(st.characters(exclude_categories=("Cs",)),
                          st.text(st.sampled_from(TRICKY + string.digits), min_size=1,
                                  max_size=5)))
    size = draw(st.integers(min(200, max_size // 2), max_size))
    return (unit * (size // len(unit) + 1))[:size]


def numbers_as_text() -> st.SearchStrategy[str]:
    return st.one_of(
        st.integers().map(str),
        st.integers(-(10**40), 10**40).map(str),
        st.floats(allow_nan=True, allow_infinity=True).map(str),
        st.sampled_from(["0", "-0", "-1", "1e9", "0x10", "1_000", "  7  ", "+84", "NaN",
                         "inf", "9" * 30, "9" * 5000, "٣", "１２"]),
    )


def junk() -> st.SearchStrategy[str]:
    """Any single form value a client could send."""
    return st.one_of(
        any_text, tricky_text, numbers_as_text(), odd_dates(), huge_text(),
        st.sampled_from(["", " ", "\x00", "a\x00b", "0\x00"]),
    )


def value_or_list(value: st.SearchStrategy[str]) -> st.SearchStrategy:
    """A field sent once (usually) or several times (as a <select multiple> would)."""
    return st.one_of(value, value, value, st.lists(value, max_size=4))


def mutated(seeds: list[str]) -> st.SearchStrategy[str]:
    """A valid-looking value: one of `seeds`, padded, cut, or with a character changed."""

    @st.composite
    def change(draw):
        seed = draw(st.sampled_from(seeds))
        how = draw(st.sampled_from(["pad", "cut", "swap", "insert", "case", "spaces"]))
        extra = draw(tricky_text | any_text)
        if how == "pad":
            return draw(st.sampled_from([extra + seed, seed + extra]))
        if how == "cut":
            return seed[: draw(st.integers(0, max(0, len(seed) - 1)))]
        if not seed:
            return extra
        at = draw(st.integers(0, len(seed) - 1))
        if how == "swap":
            return seed[:at] + (extra[:1] or "x") + seed[at + 1:]
        if how == "insert":
            return seed[:at] + extra + seed[at:]
        if how == "case":
            return draw(st.sampled_from([seed.upper(), seed.lower(), seed.title()]))
        return "  " + " ".join(seed) + "\t"

    return st.one_of(st.sampled_from(seeds), change())


def field(seeds: list[str] | None = None) -> st.SearchStrategy:
    """One form field: sometimes right, often nearly right, sometimes anything."""
    parts = [junk()]
    if seeds:
        parts = [st.sampled_from(seeds), mutated(seeds), *parts]
    return value_or_list(st.one_of(*parts))


def form_data(fields: dict[str, st.SearchStrategy], *, extra: bool = True):
    """A POST body: each field present or missing, plus stray keys now and then."""
    optional = st.fixed_dictionaries({}, optional=fields)
    if not extra:
        return optional
    stray = st.dictionaries(st.text(st.characters(exclude_categories=("Cs",)), min_size=1,
                                    max_size=20), junk(), max_size=3)
    return st.builds(lambda stray, data: {**stray, **data}, stray, optional)


def some_changes(fields: dict[str, st.SearchStrategy]):
    """Changes to a valid form: none, one field, or any number of fields and stray keys."""
    one = st.sampled_from(sorted(fields)).flatmap(
        lambda name: fields[name].map(lambda value: {name: value}))
    return st.one_of(st.just({}), one, one, form_data(fields))


# --- Dates ------------------------------------------------------------------------------

def dmy(day: dt.date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


LIMIT_DATES = ["31/12/9999", "30/12/9999", "01/01/0001", "05/01/0001", "31/01/0001",
               "01/02/0001", "01/01/1900", "31/12/1899", "29/02/2000", "29/02/2100"]


def odd_dates() -> st.SearchStrategy[str]:
    """Dates as people and scripts type them, right and wrong, from year 1 to 9999."""
    return st.one_of(
        st.sampled_from(LIMIT_DATES),
        st.dates().map(dmy),
        st.dates(dt.date(1890, 1, 1), dt.date(2100, 12, 31)).map(dmy),
        st.dates().map(dt.date.isoformat),
        st.dates().map(lambda d: d.strftime("%m/%d/%Y")),
        st.dates().map(lambda d: f"{d.day}/{d.month}/{d.year}"),
        st.tuples(st.integers(-3, 40), st.integers(-3, 15), st.integers(-10, 99999)).map(
            lambda t: f"{t[0]:02d}/{t[1]:02d}/{t[2]:04d}"),
        st.from_regex(r"\A\d{1,3}[/.\- ]\d{1,3}[/.\- ]\d{1,6}\Z"),
        st.sampled_from(["31/12/9999", "01/01/0001", "00/00/0000", "29/02/2023", "32/01/2000",
                         "15/03/1990\x00", "15 /03/1990", "１５/０３/１９９０", "15/03/-1990",
                         "today", "1990-03-15T00:00:00", "15/03/1990 12:00"]),
    )


# --- People -----------------------------------------------------------------------------

ID_NUMBERS = ["001090012345", "079185004567", "001084567801", "012345678", "271234567",
              "033095012345", "034082789012", "027191234560", "999999999999", "001190000201"]
PHONES = ["0912345001", "+84912345001", "84912345001", "0912 345 001", "0912.345.001",
          "0912345017", "0912345111", "02438123456", "+1 202 555 0100", "0912345009"]
NAMES = ["Nguyễn Văn An", "NGUYỄN VĂN AN", "nguyen van an", "Ngô Văn Khoa", "H'Nhi Êban",
         "Hoàng Văn Nam", "Đỗ  Thị   Mai "]
# accounts/forms.py: the email fields' max_length (Account.email is varchar(254)).
FORM_EMAIL_MAX = 254
EMAILS = ["", "an@example.vn", "a@b", "not-an-email", "an@@example.vn", "AN@EXAMPLE.VN",
          "x@localhost", "a@[127.0.0.1]", "\"quoted local\"@example.vn"]


@st.composite
def long_email(draw, max_size: int = 320) -> str:
    """A syntactically valid address of 200 to `max_size` characters (320 by default, the
    RFC's limit: past the forms' FORM_EMAIL_MAX of 254)."""
    total = draw(st.integers(200, max_size))
    domain = "example.vn"
    local_size = total - len(domain) - 1
    alphabet = st.sampled_from(string.ascii_letters + string.digits + "!#$%&'*+/=?^_`{|}~-")
    head = draw(st.text(alphabet, min_size=1, max_size=1))
    return (head * local_size)[:local_size] + "@" + domain


@st.composite
def cccd(draw, birth: dt.date | None = None) -> str:
    """A well-formed 12-digit CCCD; when `birth` is given, its digits 4-6 agree with it."""
    province = draw(st.sampled_from(["001", "033", "079", "048", "096"]))
    if birth is None:
        birth = draw(st.dates(dt.date(1900, 1, 1), dt.date(2099, 12, 31)))
    century = (birth.year - 1900) // 100 * 2 + draw(st.integers(0, 1))
    tail = draw(st.text(st.sampled_from(string.digits), min_size=6, max_size=6))
    return f"{province}{century}{birth.year % 100:02d}{tail}"


def id_numbers() -> st.SearchStrategy:
    return field(ID_NUMBERS)


def phones() -> st.SearchStrategy:
    return field(PHONES)


def names() -> st.SearchStrategy:
    return field(NAMES)


def valid_emails(max_size: int = FORM_EMAIL_MAX) -> st.SearchStrategy[str]:
    """Addresses the form accepts, up to `max_size` characters (its limit: 254)."""
    return st.one_of(st.sampled_from(["", "an@example.vn", "AN@EXAMPLE.VN", "x@localhost",
                                      "a@[127.0.0.1]"]), long_email(max_size),
                     long_email(max_size))


def emails(max_size: int = 320) -> st.SearchStrategy:
    """Any email, accepted or not: over-long (up to `max_size`), mangled, or junk."""
    return value_or_list(st.one_of(st.sampled_from(EMAILS), mutated(EMAILS),
                                   long_email(max_size), junk()))


def typed_dates(*valid: str) -> st.SearchStrategy:
    """A date field: a valid day, the calendar's limits, any day, odd formats, anything."""
    return value_or_list(st.one_of(st.sampled_from([*valid, "15/03/1990"]),
                                   st.sampled_from(LIMIT_DATES), st.dates().map(dmy),
                                   odd_dates(), junk()))


def birth_dates() -> st.SearchStrategy:
    return typed_dates("12/05/1995")


def captchas(valid: bool) -> st.SearchStrategy[dict]:
    """The two captcha fields: the test-mode answer "PASSED", or anything."""
    if valid:
        return st.fixed_dictionaries({"captcha_0": st.sampled_from(["test", "", "x" * 100]),
                                      "captcha_1": st.sampled_from(["PASSED", " passed "])})
    return form_data({"captcha_0": field(["test"]), "captcha_1": field(["PASSED", "abcde"])},
                     extra=False)


# --- Codes, passwords, signatures ---------------------------------------------------------

def codes() -> st.SearchStrategy:
    """OTP codes: 6 digits, almost 6 digits, Unicode digits, long, NUL."""
    six = st.text(st.sampled_from(string.digits), min_size=6, max_size=6)
    return value_or_list(st.one_of(
        six, st.text(st.sampled_from("0123456789٠١٢٣٤٥٦٧٨٩０１２３²³ \x00"), max_size=9),
        st.sampled_from(["000000", "123456", "12345\x00", " 123456 ", "１２３４５６",
                         "١٢٣٤٥٦", "²²²²²²", "1234567", "-12345", "+12345", "12 345"]),
        junk(),
    ))


def passwords() -> st.SearchStrategy:
    return value_or_list(st.one_of(
        st.sampled_from(["Dvc@2026mat", "Mới#Mật2026", "Khác#Mật2026", "12345678", "Aa1!" * 3,
                         "Dvc@2026mat\x00", "x" * 129]),
        st.text(st.characters(exclude_categories=("Cs",)), min_size=8, max_size=40),
        junk(),
    ))


BASE64ISH = string.ascii_letters + string.digits + "+/=-_ \n"


def base64ish() -> st.SearchStrategy:
    return value_or_list(st.one_of(
        st.text(st.sampled_from(BASE64ISH), max_size=300),
        st.binary(max_size=300).map(lambda b: base64.b64encode(b).decode()),
        st.sampled_from(["", "====", "AA", "AAAA", "A" * 20001, "MII="]),
        junk(),
    ))


def algorithms() -> st.SearchStrategy:
    return field(["RS256", "PS256", "ES256", "none", "HS256", "rs256"])
