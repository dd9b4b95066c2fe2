"""Hostile uploads at the counter's details step: refused with a Vietnamese message, and
nothing stored (no file under SCAN_STORAGE_ROOT, no way on to the confirmation).

tests/operator_console/test_counter_flow.py already sends a PNG named .pdf, an empty file,
a PDF of 5 MB and some bytes, and a zip without a Word document named .docx; these are
the others.
"""

import functools
import io
import zipfile

import pytest

from operator_console.models import CounterRecord
from tests.operator_console.conftest import details_post, scan_file, start_creation
from tests.pdfs import pdf_of_size

pytestmark = pytest.mark.django_db(transaction=True)

MB = 1024 * 1024
CONFIRM = "/quan-tri/tao-tai-khoan-cong-dan/them-moi/xac-nhan/"
NOT_A_DOCUMENT = "Tệp đính kèm không phải tài liệu PDF hoặc Word (doc, docx)"
TOO_LARGE = "Tệp đính kèm vượt quá 5 MB cho phép"
UNSAFE_ARCHIVE = "Tệp Word (docx) có cấu trúc bất thường nên không được chấp nhận"
MACROS = "Tệp Word đính kèm có chứa macro nên không được chấp nhận"

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
# A macro-enabled document (.docm) renamed .docx, as Word writes it.
MACRO_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
    '<Override PartName="/word/document.xml" ContentType="application/'
    'vnd.ms-word.document.macroEnabled.main+xml"/></Types>'
)
DOCUMENT = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>Căn cước công dân</w:t></w:r></w:p></w:body></w:document>"
)
DOCUMENT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.microsoft.com/office/2006/relationships/'
    'vbaProject" Target="{target}"/></Relationships>'
)
VBA_PROJECT = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "_VBA_PROJECT".encode(
    "utf-16-le")
# A Windows program: the MZ header and the PE signature, then the DOS stub's text.
EXE = (b"MZ\x90\x00" + b"\0" * 56 + b"\x80\x00\x00\x00" + b"\0" * 64 + b"PE\0\0"
       + b"This program cannot be run in DOS mode." + b"\0" * 400)
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"


def _zip(members: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _macro_docx(part: str) -> bytes:
    """A docx carrying a VBA project as the member `part`, linked from the document."""
    return _zip({
        "[Content_Types].xml": MACRO_CONTENT_TYPES, "word/document.xml": DOCUMENT,
        "word/_rels/document.xml.rels": DOCUMENT_RELS.format(target=part.removeprefix("word/")),
        part: VBA_PROJECT,
    })


@functools.cache
def _zip_bomb() -> bytes:
    """A docx with one member of 100 MB of zeros, deflated (written in 1 MB pieces)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("word/document.xml", DOCUMENT)
        with archive.open("word/media/image1.png", "w") as member:
            zeros = bytes(MB)
            for _ in range(100):
                member.write(zeros)
    return buffer.getvalue()


@functools.cache
def _ten_thousand_entries() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("word/document.xml", DOCUMENT)
        for n in range(10_000):
            archive.writestr(f"word/media/{n}.xml", b"")
    return buffer.getvalue()


def _pdf_of(size: int) -> bytes:
    return pdf_of_size(size)


UPLOADS = {
    "exe-named-pdf": (lambda: EXE, "CCCD.pdf", NOT_A_DOCUMENT),
    "exe-named-docx": (lambda: EXE, "CCCD.docx", NOT_A_DOCUMENT),
    "zip-named-pdf": (lambda: _zip({"cai-dat.exe": EXE}), "CCCD.pdf", NOT_A_DOCUMENT),
    "png-named-docx": (lambda: PNG + bytes(200), "CCCD.docx", NOT_A_DOCUMENT),
    "5-MB-and-1-byte": (lambda: _pdf_of(5 * MB + 1), "CCCD.pdf", TOO_LARGE),
    "zip-bomb": (_zip_bomb, "CCCD.docx", UNSAFE_ARCHIVE),
    "10000-entries": (_ten_thousand_entries, "CCCD.docx", UNSAFE_ARCHIVE),
    "macro": (lambda: _macro_docx("word/vbaProject.bin"), "CCCD.docx", MACROS),
}


@pytest.fixture
def at_details(client, clerk):
    client.force_login(clerk)
    start_creation(client)
    return client


def _nothing_kept(client, scan_storage) -> bool:
    return ((not scan_storage.exists() or not any(scan_storage.iterdir()))
            and not CounterRecord.objects.exists()
            and client.get(CONFIRM).status_code == 302)  # the flow did not move on


@pytest.mark.parametrize("kind", UPLOADS)
def test_a_hostile_upload_is_refused_and_nothing_is_kept(at_details, scan_storage, kind):
    make, name, message = UPLOADS[kind]
    data = make()
    if kind == "zip-bomb":
        assert len(data) < MB  # a hundred megabytes inflated, under one on the wire
    if kind == "10000-entries":
        assert len(data) < 5 * MB
    response = details_post(at_details, scan=scan_file(data, name))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert _nothing_kept(at_details, scan_storage)


def test_a_pdf_of_exactly_five_megabytes_is_kept(at_details, scan_storage):
    """The control: the same walk keeps a good file, so the refusals above are the checks'."""
    response = details_post(at_details, scan=scan_file(_pdf_of(5 * MB), "CCCD.pdf"))
    assert response.status_code == 302 and response["Location"] == CONFIRM
    assert len(list(scan_storage.iterdir())) == 1


@pytest.mark.parametrize("part", ["word/VBAPROJECT.BIN", "word/thong-tin.bin"])
def test_a_macro_under_another_name_is_refused(at_details, scan_storage, part):
    response = details_post(at_details, scan=scan_file(_macro_docx(part), "CCCD.docx"))
    assert MACROS in response.content.decode()
    assert _nothing_kept(at_details, scan_storage)
