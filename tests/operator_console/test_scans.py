"""The ID-card scan a clerk attaches: what is accepted, what is refused, how it is kept."""

import base64
import io
import os
import stat
import time
import zipfile

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile

from operator_console.counter.scans import (
    ScanRefused,
    scan_check,
    scan_delete,
    scan_read,
    scan_store,
)
from operator_console.models import CounterRecord, Unit
from operator_console.services import scans_orphaned_purge
from operator_console.units import units_load, units_sample_rows
from tests.operator_console.conftest import person
from tests.pdfs import (
    CATALOG,
    PAGE,
    PAGES,
    pdf_of,
    pdf_of_size,
    pdf_with_object_stream,
    scan_pdf,
)

MB = 1024 * 1024

PDF = scan_pdf()
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
DOCUMENT = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>Căn cước công dân</w:t></w:r></w:p></w:body></w:document>"
)
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def upload(content: bytes, name: str = "cccd.pdf", content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def zip_bytes(members: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def docx(**extra: bytes) -> bytes:
    return zip_bytes({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": DOCUMENT,
                      **extra})


def refusal(content: bytes, name: str = "cccd.pdf") -> ScanRefused:
    with pytest.raises(ScanRefused) as caught:
        scan_check(upload(content, name))
    return caught.value


@pytest.fixture(autouse=True)
def scan_settings(settings, tmp_path):
    settings.SCAN_STORAGE_ROOT = tmp_path / "var" / "scans"
    settings.SCAN_ENCRYPTION_KEY = base64.b64encode(b"k" * 32).decode()
    return settings


# What is accepted -------------------------------------------------------------------------


def test_it_accepts_a_pdf():
    assert scan_check(upload(PDF)) == "pdf"


def test_it_accepts_a_pdf_with_a_few_leading_bytes():
    assert scan_check(upload(b"\n" * 100 + PDF)) == "pdf"


def test_it_accepts_a_docx():
    assert scan_check(upload(docx(), "cccd.docx")) == "docx"


def test_it_accepts_a_doc():
    content = OLE_MAGIC + b"\x00" * 504 + "WordDocument".encode("utf-16-le") + b"\x00" * 512
    assert scan_check(upload(content, "cccd.doc", "application/msword")) == "doc"


def test_it_goes_by_the_content_not_the_name():
    assert scan_check(upload(PDF, "cccd.docx", "application/msword")) == "pdf"
    assert scan_check(upload(docx(), "cccd.pdf")) == "docx"


def test_it_accepts_a_pdf_of_exactly_five_megabytes():
    content = pdf_of_size(5 * MB)
    assert len(content) == 5 * MB
    assert scan_check(upload(content)) == "pdf"


def test_it_leaves_the_upload_readable_again():
    uploaded = upload(PDF)
    scan_check(uploaded)
    assert uploaded.read() == PDF


# What is refused --------------------------------------------------------------------------


def test_it_refuses_an_empty_file():
    refused = refusal(b"")
    assert refused.code == "empty"
    assert refused.message.startswith("Tệp đính kèm rỗng")


def test_it_refuses_one_byte_over_five_megabytes_and_says_the_size():
    refused = refusal(pdf_of_size(5 * MB + 1))
    assert refused.code == "too_large"
    assert "5,01 MB" in refused.message
    assert "vượt quá 5 MB" in refused.message


def test_it_refuses_a_png_named_pdf():
    refused = refusal(PNG, "cccd.pdf")
    assert refused.code == "not_document"
    assert refused.message.startswith(
        "Tệp đính kèm không phải tài liệu PDF hoặc Word (doc, docx)")


def test_it_refuses_a_zip_named_docx_without_a_word_document():
    refused = refusal(zip_bytes({"[Content_Types].xml": CONTENT_TYPES, "a.txt": "x"}), "a.docx")
    assert refused.code == "not_document"


def test_it_refuses_a_pdf_header_past_the_first_kilobyte():
    assert refusal(b" " * 1024 + PDF).code == "not_document"


def test_it_refuses_a_truncated_pdf():
    assert refusal(PDF.replace(b"%%EOF", b"")).code == "damaged"


JS_ACTION = b"<</S/JavaScript/JS(app.alert(1))>>"
ACTIVE_PDFS = {
    "document-level script": pdf_of(b"<</Type/Catalog/Pages 2 0 R/Names 4 0 R>>", PAGES, PAGE,
                                     b"<</JavaScript<</Names[(x) 5 0 R]>>>>", JS_ACTION),
    "script on opening": pdf_of(b"<</Type/Catalog/Pages 2 0 R/OpenAction 4 0 R>>", PAGES,
                                PAGE, JS_ACTION),
    "program launched from a link": pdf_of(
        CATALOG, PAGES, b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Annots[4 0 R]>>",
        b"<</Type/Annot/Subtype/Link/Rect[0 0 595 842]/A<</S/Launch/F(cmd.exe)>>>>"),
    "page action": pdf_of(CATALOG, PAGES,
                          b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 9 9]/AA<</O 4 0 R>>>>",
                          JS_ACTION),
    "embedded file": pdf_of(
        b"<</Type/Catalog/Pages 2 0 R/Names<</EmbeddedFiles 4 0 R>>>>", PAGES, PAGE,
        b"<</Names[(a.exe) 5 0 R]>>",
        b"<</Type/Filespec/F(a.exe)/EF<</F 6 0 R>>>>",
        b"<</Type/EmbeddedFile/Length 2>>stream\nMZ\nendstream"),
    "name written with #xx escapes": pdf_of(
        b"<</Type/Catalog/Pages 2 0 R/Open#41ction 4 0 R>>", PAGES, PAGE,
        b"<</S/J#61vaScript/J#53(app.alert(1))>>"),
    "file attached to a note, its stream untyped": pdf_of(
        CATALOG, PAGES, b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 9 9]/Annots[4 0 R]>>",
        b"<</Type/Annot/Subtype/FileAttachment/Rect[0 0 9 9]/FS 5 0 R>>",
        b"<</Type/Filespec/F(a.exe)/EF<</F 6 0 R>>>>", b"<</Length 2>>stream\nMZ\nendstream"),
    "link to another file on a share": pdf_of(
        CATALOG, PAGES, b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 9 9]/Annots[4 0 R]>>",
        b"<</Type/Annot/Subtype/Link/Rect[0 0 9 9]/A<</S/GoToR/F(\\\\thu\\x.pdf)/D[0]>>>>"),
    "link to a web address": pdf_of(
        CATALOG, PAGES, b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 9 9]/Annots[4 0 R]>>",
        b"<</Type/Annot/Subtype/Link/Rect[0 0 9 9]/A<</S/URI/URI(http://x.example)>>>>"),
    "script packed in an object stream": pdf_with_object_stream(
        b"<</Type/Catalog/Pages 2 0 R/OpenAction 3 0 R>>", b"<</Type/Pages/Kids[]/Count 0>>",
        JS_ACTION),
}


@pytest.mark.parametrize("content", ACTIVE_PDFS.values(), ids=ACTIVE_PDFS.keys())
def test_it_refuses_a_pdf_that_acts_or_carries_a_file(content):
    refused = refusal(content)
    assert refused.code == "active_content"
    assert "mã lệnh, hành động tự động hoặc tệp đính kèm" in refused.message


def test_it_accepts_a_scan_whose_image_bytes_happen_to_spell_names():
    """A compressed image holds any bytes, "/JS" and "/AA" among them: not names."""
    import random

    noise = bytes(random.Random(7).getrandbits(8) for _ in range(200_000))
    image = b"/JS /AA /OpenAction " + noise
    scan = pdf_of(CATALOG, PAGES, PAGE, b"<</Type/XObject/Subtype/Image/Width 1/Height 1"
                  b"/ColorSpace/DeviceGray/BitsPerComponent 8/Length %d>>stream\n" % len(image)
                  + image + b"\nendstream")
    assert scan_check(upload(scan)) == "pdf"


def test_it_accepts_a_pdf_packed_in_object_streams():
    assert scan_check(upload(pdf_with_object_stream(
        CATALOG, b"<</Type/Pages/Kids[]/Count 0>>"))) == "pdf"


def test_it_refuses_a_pdf_it_cannot_read_as_a_reader_would():
    no_cross_reference = (b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\n"
                          b"trailer<</Root 1 0 R>>\n%%EOF\n")
    assert refusal(no_cross_reference).code == "damaged"


def test_it_refuses_a_corrupt_zip():
    assert refusal(b"PK\x03\x04" + b"\x00" * 200, "cccd.docx").code == "damaged"


def test_it_refuses_an_ole_file_that_is_not_word():
    content = OLE_MAGIC + b"\x00" * 504 + "Workbook".encode("utf-16-le")
    assert refusal(content, "cccd.doc").code == "not_document"


def test_it_refuses_a_password_protected_docx():
    content = OLE_MAGIC + b"\x00" * 504 + "EncryptedPackage".encode("utf-16-le")
    assert refusal(content, "cccd.docx").code == "encrypted"


def test_it_refuses_an_encrypted_zip():
    content = bytearray(docx())
    for magic, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = content.find(magic)
        while at != -1:
            content[at + flag_at] |= 0x1
            at = content.find(magic, at + 4)
    assert refusal(bytes(content), "cccd.docx").code == "encrypted"


def test_it_refuses_a_zip_bomb():
    bomb = docx(**{"word/media/image1.png": bytes(60 * MB)})
    assert len(bomb) < MB
    refused = refusal(bomb, "cccd.docx")
    assert refused.code == "unsafe_archive"
    assert "docx" in refused.message


def test_it_refuses_a_member_that_inflates_more_than_a_hundredfold():
    assert refusal(docx(**{"word/media/a.bin": bytes(2 * MB)}), "a.docx").code == (
        "unsafe_archive")


def test_it_refuses_more_than_a_thousand_entries():
    members = {f"word/media/{n}.txt": str(n) for n in range(1000)}
    assert refusal(docx(**members), "a.docx").code == "unsafe_archive"


# How it is kept ---------------------------------------------------------------------------


def test_it_stores_and_reads_back(scan_settings):
    name = scan_store(PDF)
    assert scan_read(name) == PDF
    path = scan_settings.SCAN_STORAGE_ROOT / name
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert os.listdir(path.parent) == [name]


def test_it_gives_each_scan_its_own_name():
    assert scan_store(PDF) != scan_store(PDF)


def test_it_keeps_no_plaintext_on_disk(scan_settings):
    name = scan_store(PDF)
    on_disk = (scan_settings.SCAN_STORAGE_ROOT / name).read_bytes()
    assert on_disk[:1] == b"\x02"
    assert b"%PDF" not in on_disk
    assert b"Catalog" not in on_disk


def test_it_refuses_a_tampered_file(scan_settings):
    name = scan_store(PDF)
    path = scan_settings.SCAN_STORAGE_ROOT / name
    blob = bytearray(path.read_bytes())
    blob[-1] ^= 0x1
    path.write_bytes(bytes(blob))
    with pytest.raises(ScanRefused) as caught:
        scan_read(name)
    assert caught.value.code == "unreadable"


def test_it_refuses_a_file_copied_under_another_name(scan_settings):
    first, second = scan_store(PDF), scan_store(b"%PDF-other")
    root = scan_settings.SCAN_STORAGE_ROOT
    (root / second).write_bytes((root / first).read_bytes())
    with pytest.raises(ScanRefused):
        scan_read(second)


def test_it_refuses_a_file_under_another_key(scan_settings):
    name = scan_store(PDF)
    scan_settings.SCAN_ENCRYPTION_KEY = base64.b64encode(b"o" * 32).decode()
    with pytest.raises(ScanRefused):
        scan_read(name)


def test_a_new_key_opens_new_scans_while_old_ones_still_open_then_a_pass_moves_them(
    scan_settings, capsys
):
    from django.core.management import call_command

    old_key, new_key = (base64.b64encode(k * 32).decode() for k in (b"k", b"n"))
    before = scan_store(PDF)  # under the old key (the fixture's)
    scan_settings.SCAN_ENCRYPTION_KEY = f"{new_key},{old_key}"  # newest first
    after = scan_store(b"%PDF-after")
    assert (scan_read(before), scan_read(after)) == (PDF, b"%PDF-after")

    call_command("scans_reencrypt")
    assert "rewritten: 1, already under the newest key: 1, unreadable: 0" in (
        capsys.readouterr().out)
    scan_settings.SCAN_ENCRYPTION_KEY = new_key  # the old key dropped
    assert (scan_read(before), scan_read(after)) == (PDF, b"%PDF-after")


def test_a_scan_written_before_key_ids_still_opens_and_moves(scan_settings):
    import secrets

    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    from operator_console.counter.scans import scan_reencrypt

    name, nonce, key = "a" * 32 + ".bin", secrets.token_bytes(12), b"k" * 32
    sealed = AESGCM(key).encrypt(nonce, PDF, name.encode())
    scan_settings.SCAN_STORAGE_ROOT.mkdir(parents=True, exist_ok=True)
    (scan_settings.SCAN_STORAGE_ROOT / name).write_bytes(b"\x01" + nonce + sealed)
    assert scan_read(name) == PDF
    scan_settings.SCAN_ENCRYPTION_KEY = base64.b64encode(b"n" * 32).decode() + "," + (
        base64.b64encode(key).decode())
    assert scan_reencrypt(name) and not scan_reencrypt(name)
    assert (scan_settings.SCAN_STORAGE_ROOT / name).read_bytes()[:1] == b"\x02"


@pytest.mark.parametrize("name", [
    "../../etc/passwd",
    "/etc/passwd",
    "0" * 32 + ".bin/../x",
    "../" + "0" * 32 + ".bin",
    "0" * 32 + ".bin\n",
    "A" * 32 + ".bin",
    "0" * 31 + ".bin",
    "",
])
def test_it_refuses_names_it_does_not_give(name):
    with pytest.raises(ScanRefused) as caught:
        scan_read(name)
    assert caught.value.code == "bad_name"
    with pytest.raises(ScanRefused):
        scan_delete(name)


def test_it_says_a_missing_scan_is_missing():
    with pytest.raises(FileNotFoundError):
        scan_read("0" * 32 + ".bin")


def test_it_deletes_and_a_second_delete_is_fine():
    name = scan_store(PDF)
    scan_delete(name)
    scan_delete(name)
    with pytest.raises(FileNotFoundError):
        scan_read(name)


@pytest.mark.parametrize("key", [
    base64.b64encode(b"k" * 16).decode(),
    base64.b64encode(b"k" * 33).decode(),
    "not base64!",
    "",
])
def test_it_refuses_a_key_that_is_not_32_bytes(scan_settings, key):
    scan_settings.SCAN_ENCRYPTION_KEY = key
    with pytest.raises(ImproperlyConfigured):
        scan_store(PDF)



@pytest.mark.django_db
def test_housekeeping_deletes_only_old_scans_of_flows_that_created_nothing(scan_settings):
    root = scan_settings.SCAN_STORAGE_ROOT
    old_orphan, old_kept, fresh = (scan_store(b"%PDF-1 %%EOF") for _ in range(3))
    day_ago = time.time() - 25 * 3600
    for name in (old_orphan, old_kept):
        os.utime(root / name, (day_ago, day_ago))
    units_load(units_sample_rows())
    CounterRecord.objects.create(
        account=person("033095012345", "Hoàng Văn Nam", "+84912345111"),
        unit=Unit.objects.get(code="S-X11953"), scan_name=old_kept, scan_type="pdf",
        clerk=person("033185001234", "Phạm Thị Thúy Hà", "+84912345101"),
    )
    assert scans_orphaned_purge() == 1
    assert sorted(p.name for p in root.iterdir()) == sorted([old_kept, fresh])


def test_it_refuses_word_files_with_macros():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("word/vbaProject.bin", b"\0" * 64)
    with pytest.raises(ScanRefused) as refused:
        scan_check(upload(buffer.getvalue(), "CCCD.docx"))
    assert refused.value.code == "macros"
    ole = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument".encode("utf-16-le")
           + "_VBA_PROJECT".encode("utf-16-le") + b"\0" * 64)
    with pytest.raises(ScanRefused) as refused:
        scan_check(upload(ole, "CCCD.doc"))
    assert refused.value.code == "macros"
