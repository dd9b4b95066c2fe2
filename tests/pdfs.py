"""Small, well-formed PDFs for the scan tests, written object by object with a correct
cross-reference table (the scan check parses a PDF as a reader does)."""

import zlib

CATALOG = b"<</Type/Catalog/Pages 2 0 R>>"
PAGES = b"<</Type/Pages/Kids[3 0 R]/Count 1>>"
PAGE = b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>"


def pdf_of(*objects: bytes, padding: int = 0, trailer: bytes = b"") -> bytes:
    """A PDF 1.4 holding `objects` as 1 0 obj, 2 0 obj…, the first being the catalog;
    `padding` bytes of comment after the header make it as large as a test needs."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    if padding:
        out += b"%" + b"x" * max(0, padding - 2) + b"\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<</Size %d/Root 1 0 R%s>>\n" % (len(objects) + 1, trailer)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def scan_pdf(padding: int = 0) -> bytes:
    """A blank one-page document: what a good scan looks like to the check."""
    return pdf_of(CATALOG, PAGES, PAGE, padding=padding)


def pdf_of_size(size: int) -> bytes:
    """A good scan of exactly `size` bytes."""
    padding = size - len(scan_pdf())
    while len(pdf := scan_pdf(padding=padding)) != size:  # startxref's digits grow with it
        padding += size - len(pdf)
    return pdf


def pdf_with_object_stream(*packed: bytes) -> bytes:
    """A PDF 1.5 whose objects 1… sit compressed in an object stream, found through a
    cross-reference stream: nothing of them is readable in the file's bytes."""
    numbers = range(1, len(packed) + 1)
    header, bodies, at = [], bytearray(), 0
    for number, body in zip(numbers, packed, strict=True):
        header.append(b"%d %d" % (number, at))
        bodies += body + b" "
        at = len(bodies)
    head = b" ".join(header) + b" "
    stream = zlib.compress(head + bytes(bodies))
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    objstm_number, xref_number = len(packed) + 1, len(packed) + 2
    objstm_at = len(out)
    out += (b"%d 0 obj\n<</Type/ObjStm/N %d/First %d/Filter/FlateDecode/Length %d>>stream\n"
            % (objstm_number, len(packed), len(head), len(stream)) + stream
            + b"\nendstream\nendobj\n")
    xref_at = len(out)
    rows = [bytes([0, 0, 0, 255])]  # object 0: free
    rows += [bytes([2, 0, objstm_number, index]) for index in range(len(packed))]
    rows.append(bytes([1]) + objstm_at.to_bytes(2, "big") + b"\x00")
    rows.append(bytes([1]) + xref_at.to_bytes(2, "big") + b"\x00")
    table = zlib.compress(b"".join(rows))
    out += (b"%d 0 obj\n<</Type/XRef/Size %d/W[1 2 1]/Root 1 0 R/Filter/FlateDecode"
            b"/Length %d>>stream\n" % (xref_number, xref_number + 1, len(table))
            + table + b"\nendstream\nendobj\n")
    out += b"startxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)
