"""The scan of a citizen's ID card that a clerk attaches at the counter.

One file, PDF or Word (doc, docx), at most settings.SCAN_MAX_BYTES. What the file *is* is
read from its bytes; the name and the browser's content type are the client's word and are
ignored. A scan is stored outside the public path, encrypted with AES-256-GCM under the
newest of settings.SCAN_ENCRYPTION_KEY (comma-separated keys, newest first), in this
layout:

    version (1 byte, 0x02) | key id (4 bytes) | nonce (12 bytes) | ciphertext + tag

The key id is the start of the key's SHA-256, so a scan opens under whichever listed key
made it; `manage.py scans_reencrypt` rewrites every scan under the newest key, after
which an old key can be dropped from the list. (Version 0x01, before rotation, had no key
id: it is tried under each key.) The stored name is the associated data, so a file copied
under another name does not open.
"""

import base64
import binascii
import hashlib
import io
import math
import os
import re
import secrets
import tempfile
import time
import zipfile
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, NameObject

from portal.refusals import Refusal

MB = 1024 * 1024
CHUNK_BYTES = 64 * 1024

PDF_MAGIC = b"%PDF-"
PDF_HEADER_WITHIN = 1024  # readers accept leading bytes before the header, up to 1 KB
PDF_EOF = b"%%EOF"
PDF_EOF_WITHIN = 1024  # incremental saves and scanners may leave a few bytes after it
# What makes a PDF do something when opened or clicked, reach out, or carry another file:
# a clerk opens these scans, and a scan needs none of it (keys, action types, annotation
# subtypes). A remote go-to or a link would have the clerk's reader fetch an address (a
# file share leaks the Windows login's hash).
PDF_ACTIVE_NAMES = frozenset({
    "/JavaScript", "/JS", "/OpenAction", "/AA", "/Launch", "/EmbeddedFile", "/EmbeddedFiles",
    "/EF", "/FileAttachment", "/RichMedia", "/XFA", "/AcroForm", "/SubmitForm", "/ImportData",
    "/ResetForm", "/GoToR", "/GoToE", "/URI", "/Rendition", "/Sound", "/Movie",
})
PDF_NAME_RE = re.compile(rb"/([A-Za-z0-9#]+)")
# A stream's bytes (compressed images, fonts) hold anything: names are looked for outside.
PDF_STREAM_RE = re.compile(rb"stream\r?\n.*?endstream", re.DOTALL)
PDF_MAX_DEPTH = 64
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OLE_WORD_STREAM = "WordDocument".encode("utf-16-le")
OLE_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")  # a password-protected docx
DOCX_PARTS = ("[Content_Types].xml", "word/document.xml")
# Macros: a scan has no use for them, and other clerks open these files.
OLE_MACRO_STREAMS = tuple(name.encode("utf-16-le") for name in ("Macros", "_VBA_PROJECT"))
DOCX_MACRO_PART = "vbaProject.bin"
ZIP_MAX_ENTRIES = 1000
ZIP_MAX_TOTAL = 50 * MB
ZIP_MAX_RATIO = 100

FORMAT_VERSION = b"\x02"
FORMAT_WITHOUT_KEY_ID = b"\x01"
KEY_ID_BYTES = 4
NONCE_BYTES = 12
NAME_RE = re.compile(r"\A[0-9a-f]{32}\.bin\Z")


class ScanRefused(Refusal):
    """A scan the portal will not take or cannot give back."""

    texts = {
        "empty": _("Tệp đính kèm rỗng. Vui lòng quét lại hai mặt CCCD/CMND và đính kèm lại."),
        "too_large": lambda size: _(
            "Tệp đính kèm có dung lượng %(size)s MB, vượt quá %(limit)s MB cho phép. Vui lòng "
            "quét lại với độ phân giải thấp hơn.") % {
                "size": _megabytes(size), "limit": _megabytes(settings.SCAN_MAX_BYTES)},
        "not_document": _(
            "Tệp đính kèm không phải tài liệu PDF hoặc Word (doc, docx). Vui lòng đính kèm bản "
            "quét hai mặt CCCD/CMND ở một trong các định dạng này."),
        "damaged": _(
            "Tệp đính kèm bị hỏng hoặc không đầy đủ nên không đọc được. Vui lòng quét và đính "
            "kèm lại."),
        "macros": _(
            "Tệp Word đính kèm có chứa macro nên không được chấp nhận. Vui lòng lưu bản quét "
            "dưới dạng PDF rồi đính kèm lại."),
        "active_content": _(
            "Tệp PDF đính kèm có chứa mã lệnh, hành động tự động hoặc tệp đính kèm bên trong "
            "nên không được chấp nhận. Vui lòng quét lại CCCD/CMND thành PDF (hoặc in ra PDF) "
            "rồi đính kèm lại."),
        "encrypted": _(
            "Tệp đính kèm đang được đặt mật khẩu. Vui lòng đính kèm bản không có mật khẩu."),
        "unsafe_archive": _(
            "Tệp Word (docx) có cấu trúc bất thường nên không được chấp nhận. Vui lòng lưu "
            "lại tài liệu dưới dạng PDF rồi đính kèm lại."),
        "bad_name": _("Tên tệp bản quét không hợp lệ."),
        "unreadable": _(
            "Bản quét đã lưu không còn nguyên vẹn nên không mở được. Vui lòng đính kèm lại."),
    }


# Checking an upload ---------------------------------------------------------------------


def scan_check(uploaded) -> str:
    """The kind of document the upload is, "pdf", "docx" or "doc", judged by its content.
    Leaves the upload at position 0 so the caller can read it again."""
    data = _upload_bytes(uploaded)
    if not data:
        raise ScanRefused("empty")
    if data.startswith(ZIP_MAGIC):
        return _docx_check(data)
    if data.startswith(OLE_MAGIC):
        return _doc_check(data)
    if PDF_MAGIC in data[: PDF_HEADER_WITHIN + len(PDF_MAGIC) - 1]:
        return _pdf_check(data)
    raise ScanRefused("not_document")


def _upload_bytes(uploaded) -> bytes:
    """The upload's bytes, read in chunks and never more than one byte past the limit."""
    limit = settings.SCAN_MAX_BYTES
    if (uploaded.size or 0) > limit:
        raise ScanRefused("too_large", size=uploaded.size)
    data = bytearray()
    for chunk in uploaded.chunks(CHUNK_BYTES):
        data += chunk
        if len(data) > limit:
            raise ScanRefused("too_large", size=max(len(data), uploaded.size or 0))
    uploaded.seek(0)
    return bytes(data)


def _pdf_check(data: bytes) -> str:
    if PDF_EOF not in data[-PDF_EOF_WITHIN:]:
        raise ScanRefused("damaged")
    if _pdf_names(data) & PDF_ACTIVE_NAMES:
        raise ScanRefused("active_content")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        locked = reader.is_encrypted and not reader.decrypt("")
        active = not locked and (
            any(_pdf_active(reader.get_object(number), 0)
                for number in _pdf_object_numbers(reader)) or _pdf_active(reader.trailer, 0))
    except Exception:  # noqa: BLE001 - a broken file makes pypdf raise many kinds
        raise ScanRefused("damaged") from None
    if locked:
        raise ScanRefused("encrypted")
    if active:
        raise ScanRefused("active_content")
    return "pdf"


def _pdf_names(data: bytes) -> set[str]:
    """Every name written in the file's own bytes outside its streams, with #xx escapes
    undone (`/J#61vaScript` is `/JavaScript`): objects a reader might use whether or not
    the cross-reference lists them (pypdf reads those it lists, compressed ones too)."""
    return {"/" + re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m[1], 16)]),
                         name).decode("latin-1")
            for name in PDF_NAME_RE.findall(PDF_STREAM_RE.sub(b"", data))}


def _pdf_object_numbers(reader: PdfReader) -> set[int]:
    """Every object the cross-reference names, those packed in object streams included."""
    return ({number for table in reader.xref.values() for number in table}
            | set(reader.xref_objStm))


def _pdf_active(value, depth: int) -> bool:
    """Whether an object holds an action, a script or an embedded file, looking into its
    own dictionaries and arrays (each indirect object is looked at on its own)."""
    if depth > PDF_MAX_DEPTH:
        return True  # nested deeper than any scan needs: not worth the risk
    if isinstance(value, DictionaryObject):
        if set(value) & PDF_ACTIVE_NAMES:
            return True
        return any(_pdf_active(item, depth + 1) for item in value.values())
    if isinstance(value, ArrayObject):
        return any(_pdf_active(item, depth + 1) for item in value)
    return isinstance(value, NameObject) and value in PDF_ACTIVE_NAMES


def _doc_check(data: bytes) -> str:
    if OLE_ENCRYPTED_STREAM in data:
        raise ScanRefused("encrypted")
    if OLE_WORD_STREAM not in data:
        raise ScanRefused("not_document")
    if any(stream in data for stream in OLE_MACRO_STREAMS):
        raise ScanRefused("macros")
    return "doc"


def _docx_check(data: bytes) -> str:
    """Judged from the central directory alone: nothing is decompressed."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError):
        raise ScanRefused("damaged") from None
    _zip_bomb_check(members)
    if any(member.flag_bits & 0x1 for member in members):
        raise ScanRefused("encrypted")
    names = {member.filename for member in members}
    if not all(part in names for part in DOCX_PARTS):
        raise ScanRefused("not_document")
    if _docx_has_macros(data, names):
        raise ScanRefused("macros")
    return "docx"


def _docx_has_macros(data: bytes, names: set[str]) -> bool:
    """A macro project under any name: Word finds it by its declared content type (read
    from [Content_Types].xml, small and already size-checked) as well as by its name."""
    if any(name.rsplit("/", 1)[-1].lower() == DOCX_MACRO_PART.lower() for name in names):
        return True
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        types = archive.read("[Content_Types].xml").lower()
    return b"vbaproject" in types or b"macroenabled" in types


def _zip_bomb_check(members: list[zipfile.ZipInfo]) -> None:
    total = sum(member.file_size for member in members)
    if len(members) > ZIP_MAX_ENTRIES or total > ZIP_MAX_TOTAL or any(map(_inflates, members)):
        raise ScanRefused("unsafe_archive")


def _inflates(member: zipfile.ZipInfo) -> bool:
    if member.file_size == 0:
        return False
    if member.compress_size == 0:
        return True
    return member.file_size / member.compress_size > ZIP_MAX_RATIO


def scan_label(kind: str, size: int) -> str:
    """How the portal names a kept scan to the clerk: "Bản quét CCCD/CMND (PDF, 1,2 MB)"."""
    return _("Bản quét CCCD/CMND (%(kind)s, %(size)s MB)") % {
        "kind": kind.upper(), "size": _megabytes(size)}


def _megabytes(size: int) -> str:
    """Rounded up to 0.01 MB, so a file one byte over 5 MB never reads as "5 MB"."""
    text = f"{math.ceil(size * 100 / MB) / 100:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


# Storing a scan -------------------------------------------------------------------------


def scan_store(data: bytes) -> str:
    """Encrypts and writes the scan under the newest key; returns the name to keep for it."""
    name = secrets.token_hex(16) + ".bin"
    _seal_to(name, data)
    return name


def scan_read(name: str) -> bytes:
    """The scan's bytes. FileNotFoundError if it is gone; ScanRefused if the name is not
    one scan_store gives or the file does not open under any listed key."""
    return _open(name, _scan_path(name).read_bytes())[0]


def scan_reencrypt(name: str) -> bool:
    """Rewrite the scan under the newest key; False when it already was (ScanRefused,
    FileNotFoundError as scan_read)."""
    data, key = _open(name, _scan_path(name).read_bytes())
    if key == _keys()[0]:
        return False
    _seal_to(name, data)
    return True


def _seal_to(name: str, data: bytes) -> None:
    key, nonce = _keys()[0], secrets.token_bytes(NONCE_BYTES)
    sealed = AESGCM(key).encrypt(nonce, data, name.encode("ascii"))
    _write_atomically(_storage_root(create=True) / name,
                      FORMAT_VERSION + _key_id(key) + nonce + sealed)


def _open(name: str, blob: bytes) -> tuple[bytes, bytes]:
    """The plaintext and the key that opened it."""
    version = blob[:1]
    if version == FORMAT_VERSION:
        wanted, rest = blob[1 : 1 + KEY_ID_BYTES], blob[1 + KEY_ID_BYTES :]
        candidates = [key for key in _keys() if _key_id(key) == wanted]
    elif version == FORMAT_WITHOUT_KEY_ID:
        rest, candidates = blob[1:], _keys()
    else:
        raise ScanRefused("unreadable")
    nonce, sealed = rest[:NONCE_BYTES], rest[NONCE_BYTES:]
    for key in candidates:
        try:
            return AESGCM(key).decrypt(nonce, sealed, name.encode("ascii")), key
        except (InvalidTag, ValueError):
            continue
    raise ScanRefused("unreadable")


def _key_id(key: bytes) -> bytes:
    return hashlib.sha256(key).digest()[:KEY_ID_BYTES]


def scan_delete(name: str) -> None:
    _scan_path(name).unlink(missing_ok=True)


def _keys() -> list[bytes]:
    """The configured keys, newest first."""
    keys = []
    for text in (settings.SCAN_ENCRYPTION_KEY or "").split(","):
        try:
            key = base64.b64decode(text.strip(), validate=True)
        except (binascii.Error, ValueError, TypeError):
            raise ImproperlyConfigured("SCAN_ENCRYPTION_KEY is not valid base64.") from None
        if len(key) != 32:
            raise ImproperlyConfigured("SCAN_ENCRYPTION_KEY must decode to 32 bytes (AES-256).")
        keys.append(key)
    return keys


def _storage_root(create: bool = False) -> Path:
    root = Path(settings.SCAN_STORAGE_ROOT)
    if create and not root.is_dir():
        root.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(root, 0o700)  # mkdir's mode passes through the umask
    return root


def _scan_path(name: str) -> Path:
    if not isinstance(name, str) or not NAME_RE.match(name):
        raise ScanRefused("bad_name")
    return _storage_root() / name


def _write_atomically(path: Path, blob: bytes) -> None:
    """Readers see the whole file or none: written beside it (mkstemp gives 0o600), synced,
    then renamed over."""
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(blob)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    _sync_directory(path.parent)


def _sync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def scan_names_older_than(seconds: float) -> list[str]:
    """Names of the stored scans last written more than `seconds` ago."""
    root = _storage_root()
    if not root.is_dir():
        return []
    limit = time.time() - seconds
    return [path.name for path in root.iterdir()
            if NAME_RE.match(path.name) and path.stat().st_mtime < limit]
