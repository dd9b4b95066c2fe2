"""The counter console fuzzed: the list's search, the look-up, the citizen's data with any
file, the confirmation, and the pages of one record. No 5xx, and no account, record or
stored scan from a refused step."""

import datetime as dt
import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from hypothesis import assume, event, given
from hypothesis import strategies as st

from accounts.models import Account
from operator_console.counter.flow import FLOW
from operator_console.counter.scans import scan_store
from operator_console.models import CounterRecord, Unit
from tests.fuzz import strategies as s
from tests.fuzz.conftest import SOME, alerts, answered, example, fuzz, new_client
from tests.operator_console.conftest import PDF, person

LIST = "/quan-tri/tao-tai-khoan-cong-dan/"
BASE = LIST + "them-moi/"
COUNTER = "S-X11953"  # Hà's counter


@pytest.fixture
def records(units, clerk, other_clerk):
    """A few accounts made at the counters, for the list to have rows to show."""
    made = [("001190000201", "Nguyễn Văn An", "+84912345201", COUNTER, clerk),
            ("001190000202", "Đặng Thị Ánh Tuyết", "+84912345202", COUNTER, clerk),
            ("001190000204", "Nguyễn Văn An", "+84912345204", "S-X11983", other_clerk)]
    found = []
    for username, name, phone, unit, by in made:
        found.append(CounterRecord.objects.create(
            account=person(username, name, phone), unit=units[unit], clerk=by,
            scan_name=scan_store(PDF), scan_type="pdf",
            created_at=timezone.make_aware(dt.datetime(2026, 5, 9, 10, 0))))
    return found


def unit_ids(units_by_code: dict) -> st.SearchStrategy:
    """Unit fields: the clerk's unit, another unit, no unit, or anything."""
    known = [str(unit.pk) for unit in units_by_code.values()]
    return s.value_or_list(st.one_of(st.sampled_from(known), s.numbers_as_text(), s.junk()))


# --- The list ---------------------------------------------------------------------------

@fuzz(SOME)
@given(data=st.data())
def test_the_search_of_the_list(clerk, units, records, data):
    query = data.draw(s.form_data({
        "name": s.names(), "phone": s.phones(), "id_number": s.id_numbers(),
        "clerk": s.names(), "unit": unit_ids(units),
        "date_from": s.birth_dates(), "date_to": s.birth_dates(),
        "trang": s.field(["1", "2", "0", "-1", "last", "999999"]),
    }), label="query")
    with example():
        client = new_client()
        client.force_login(clerk)
        response = answered(client.get(LIST, query), f"GET {LIST}")
        assert response.status_code == 200


# --- Look-up ----------------------------------------------------------------------------

@fuzz(SOME)
@given(data=s.form_data({"id_number": st.one_of(s.cccd(), s.id_numbers())}))
def test_the_lookup(clerk, units, citizen, data):
    """Any ID number looked up: an existing account is shown, a new one starts the flow
    for an ID of ASCII digits, and no account is made here."""
    with example():
        client = new_client()
        client.force_login(clerk)
        before = Account.objects.count()
        response = answered(client.post(BASE, data), f"POST {BASE}")
        assert response.status_code in (200, 302)
        if response.status_code == 302:
            assert response["Location"] == BASE + "thong-tin/"
            looked_up = client.session[FLOW.session_key]["data"]["id_number"]
            assert looked_up.isascii() and looked_up.isdigit(), looked_up
        assert Account.objects.count() == before


# --- The citizen's data -----------------------------------------------------------------

def docx_bytes(parts=("[Content_Types].xml", "word/document.xml")) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in parts:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


FILE_BYTES = st.one_of(
    st.just(PDF), st.just(PDF), st.just(PDF), st.just(b""), st.just(docx_bytes()),
    st.just(docx_bytes(("[Content_Types].xml", "word/document.xml", "word/vbaProject.bin"))),
    st.just(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument".encode("utf-16-le")),
    st.binary(max_size=2000),
    st.binary(max_size=200).map(lambda b: b"%PDF-" + b),
    st.binary(max_size=200).map(lambda b: b"PK\x03\x04" + b),
    st.binary(max_size=200).map(lambda b: PDF + b),
)
FILE_NAMES = st.one_of(st.sampled_from(["CCCD.pdf", "scan.docx", "a.doc", "x", ".pdf",
                                        "../../etc/passwd", "C:\\scan.pdf", "a" * 300 + ".pdf",
                                        "bản quét.pdf", "a\x00.pdf"]),
                       st.text(st.characters(exclude_categories=("Cs",)), min_size=1,
                               max_size=60))


@st.composite
def uploads(draw) -> list:
    """No file, one file, or several, with any name, bytes and content type."""
    files = []
    for _ in range(draw(st.sampled_from([0, 1, 1, 1, 2]))):
        files.append(SimpleUploadedFile(
            draw(FILE_NAMES), draw(FILE_BYTES),
            content_type=draw(st.sampled_from(["application/pdf", "text/html", "",
                                               "application/octet-stream"]))))
    return files


CITIZEN_FIELDS = {
    "full_name": s.names(), "birth_date": s.birth_dates(), "phone": s.phones(),
    "email": s.emails(), "mismatch_reason": s.field(["Thẻ cũ ghi sai năm sinh"]),
}
WALK_IN = {"full_name": "Hoàng Văn Nam", "birth_date": "12/05/1995", "phone": "0912345111",
           "email": "nam@example.vn"}


@fuzz(SOME)
@given(data=st.data())
def test_the_citizens_data(clerk, units, data):
    """After a look-up, any data and any file: no account, no record; on to the
    confirmation only with a stored scan."""
    id_number = data.draw(s.cccd(dt.date(1995, 5, 12)), label="id_number")
    fields = data.draw(s.some_changes({**CITIZEN_FIELDS, "unit": unit_ids(units),
                                       "for_id": s.field([id_number])}), label="changes")
    files = data.draw(uploads(), label="files")
    with example():
        client = new_client()
        client.force_login(clerk)
        client.post(BASE, {"id_number": id_number})
        body = {**WALK_IN, "unit": str(units[COUNTER].pk), "for_id": id_number, **fields}
        if files:
            body["scan"] = files if len(files) > 1 else files[0]
        response = answered(client.post(BASE + "thong-tin/", body), "POST details")
        assert response.status_code in (200, 302)
        assert not Account.objects.filter(username=id_number).exists()
        assert not CounterRecord.objects.exists()
        event(f"details answered {response.status_code}")
        if response.status_code == 302:
            assert response["Location"] == BASE + "xac-nhan/"
            answered(client.get(BASE + "xac-nhan/"), "GET confirm")
            answered(client.get(BASE + "giay-de-nghi.pdf"), "GET request form")


@fuzz(SOME)
@given(data=s.form_data({"code": s.codes(), "for_id": s.field(["033095012345"])}))
def test_the_confirmation_before_any_code(clerk, units, data):
    """The confirmation posted with anything before a code was sent: nothing is made."""
    with example():
        client = new_client()
        client.force_login(clerk)
        client.post(BASE, {"id_number": "033095012345"})
        client.post(BASE + "thong-tin/", {**WALK_IN, "unit": units[COUNTER].pk,
                                          "for_id": "033095012345",
                                          "scan": SimpleUploadedFile("CCCD.pdf", PDF)})
        response = answered(client.post(BASE + "xac-nhan/", data), "POST confirm")
        assert response.status_code in (200, 302)
        assert not Account.objects.filter(username="033095012345").exists()


# --- The whole walk, with the code ------------------------------------------------------

COUNTER_NAMES = st.one_of(
    s.names(),
    st.text(st.sampled_from(s.TRICKY + "abc "), min_size=1, max_size=150),
    s.huge_text(max_size=150),
)


@pytest.mark.django_db(transaction=True)
@fuzz(20, shrink=False)
@given(
    birth=st.dates(dt.date(1900, 1, 1), dt.date(2025, 12, 31)),
    full_name=COUNTER_NAMES,
    email=s.valid_emails(max_size=s.FORM_EMAIL_MAX),  # the walk needs an accepted email
    phone=st.sampled_from(["0912345111", "+84 912 345 112", "0387654321", "0912345017"]),
    codes=st.lists(s.codes(), max_size=3),
    right_code=st.booleans(),
    data=st.data(),
)
def test_the_counter_walk(clerk, units, sms_outbox, birth, full_name, email, phone, codes,
                          right_code, data):
    """Look up, any name (long, controls, any script), any accepted email,
    codes right and wrong: an account exists only after the right code, and holds what
    its columns can; its record's pages open."""
    id_number = data.draw(s.cccd(birth), label="id_number")
    client = new_client()
    client.force_login(clerk)
    try:
        response = answered(client.post(BASE, {"id_number": id_number}), "POST lookup")
        assume(response.status_code == 302)  # not an ID an earlier example created
        response = answered(client.post(BASE + "thong-tin/", {
            "full_name": full_name, "birth_date": s.dmy(birth), "phone": phone,
            "email": email, "unit": units[COUNTER].pk, "for_id": id_number,
            "scan": SimpleUploadedFile("CCCD.pdf", PDF)}), "POST details")
        assume(response.status_code == 302 and response["Location"] == BASE + "xac-nhan/")
        answered(client.get(BASE + "giay-de-nghi.pdf"), "GET request form")
        answered(client.post(BASE + "gui-ma-otp/", {"for_id": id_number}), "POST send code")
        texts = [m["text"] for m in sms_outbox]
        assert texts, alerts(client.get(BASE + "xac-nhan/"))
        right = re.search(r"\b(\d{6})\b", texts[-1]).group(1)
        for code in codes:
            if code == right:
                continue
            answered(client.post(BASE + "xac-nhan/", {"code": code, "for_id": id_number}),
                     "POST confirm (wrong code)")
            assert not Account.objects.filter(username=id_number).exists()
        if not right_code:
            return
        response = answered(client.post(BASE + "xac-nhan/", {"code": right,
                                                            "for_id": id_number}),
                            "POST confirm")
        made = Account.objects.filter(username=id_number).first()
        event(f"confirm answered {response.status_code}")
        if made is not None:
            assert CounterRecord.objects.filter(account=made).exists()
            assert 0 < len(made.full_name) <= 150 and len(made.email) <= 254
            answered(client.get(response["Location"]), "GET record")
            answered(client.get(f"{LIST}{made.pk}/giay-de-nghi.pdf"), "GET record's form")
            answered(client.get(f"{LIST}{made.pk}/ban-quet/"), "GET record's scan")
    finally:
        sms_outbox.clear()


# --- One record's pages, by any id -----------------------------------------------------

@fuzz(SOME)
@given(
    data=st.data(),
    page=st.sampled_from(["", "ban-quet/", "giay-de-nghi.pdf"]),
    post=st.booleans(),
)
def test_record_pages_by_any_id(clerk, units, records, data, page, post):
    """A record of the clerk's counter, of another counter, or no record at all."""
    account_id = data.draw(st.one_of(
        st.sampled_from([record.pk for record in records]), st.integers(0, 10**4),
        st.integers(0, 10**30), st.sampled_from([2**31 - 1, 2**31, 2**63 - 1, 2**63, 10**100])),
        label="account_id")
    with example():
        client = new_client()
        client.force_login(clerk)
        url = f"{LIST}{account_id}/{page}"
        response = answered(client.get(url), f"GET {url}")
        assert response.status_code in (200, 404)
        if post:
            url = f"{LIST}{account_id}/gui-lai-mat-khau/"
            response = answered(client.post(url), f"POST {url}")
            assert response.status_code in (302, 404)


def test_the_counter_units_are_counters(units):
    """The fuzz above relies on Hà's unit being a counter."""
    from operator_console.selectors import unit_is_counter

    assert unit_is_counter(Unit.objects.get(code=COUNTER))
