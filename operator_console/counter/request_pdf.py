"""The citizen's request form ("giấy đề nghị tạo tài khoản") as a one-page PDF.

The counter clerk prints it for the citizen to check and sign (`request_form_response`
serves it as a download). The fonts are vendored (DejaVu covers every Vietnamese letter)
so the PDF looks the same on any server.
"""

import datetime as dt
import functools
import io
import unicodedata
from pathlib import Path
from xml.sax.saxutils import escape

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    HRFlowable,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from accounts.identity import phone_national

# The fonts sit at the app level, where the package data (pyproject.toml) ships them.
FONT_DIR = Path(__file__).resolve().parents[1] / "fonts"
REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"

# Margins of an administrative document (Nghị định 30/2020/NĐ-CP): wide on the binding side.
LEFT, RIGHT, TOP, BOTTOM = 30 * mm, 20 * mm, 20 * mm, 20 * mm
# The frame of SimpleDocTemplate pads 6 pt on each side: tables match the text width.
WIDTH = A4[0] - LEFT - RIGHT - 2 * 6


@functools.cache
def _fonts() -> None:
    """Register the vendored fonts once, on first use, not at import."""
    for name in (REGULAR, BOLD):
        pdfmetrics.registerFont(TTFont(name, FONT_DIR / f"{name}.ttf"))
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD)


@functools.cache
def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=REGULAR, fontSize=11, leading=15)
    centre = ParagraphStyle("centre", base, alignment=TA_CENTER)
    return {
        "base": base,
        "body": ParagraphStyle("body", base, alignment=TA_JUSTIFY, firstLineIndent=10 * mm),
        "centre": centre,
        "header": ParagraphStyle("header", centre, fontName=BOLD, fontSize=11.5),
        "title": ParagraphStyle("title", centre, fontName=BOLD, fontSize=15, leading=20),
        "note": ParagraphStyle("note", centre, fontSize=9.5, textColor=colors.HexColor("#444444")),
        "cell": ParagraphStyle("cell", base, leading=14),
        "label": ParagraphStyle("label", base, fontName=BOLD, leading=14),
        "sign": ParagraphStyle("sign", centre, fontName=BOLD),
    }


def _text(value: str) -> str:
    """User data as Paragraph markup: NFC (the fonts hold precomposed Vietnamese letters,
    not stacked combining marks) and escaped, so "A & <B>" prints as typed."""
    return escape(unicodedata.normalize("NFC", value or ""))


def _para(text: str, style: str) -> Paragraph:
    return Paragraph(_text(text), _styles()[style])


def request_form_pdf(
    *, citizen: dict, clerk: dict, unit_name: str, created_at: dt.datetime
) -> bytes:
    """The filled request form. `created_at` must be aware; it prints in local time."""
    _fonts()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=LEFT, rightMargin=RIGHT, topMargin=TOP,
        bottomMargin=BOTTOM, title=gettext("Giấy đề nghị tạo tài khoản"),
        subject=gettext("Cổng Dịch vụ công quốc gia"), author="", creator="",
    )
    document.build([
        *_heading(unit_name),
        _citizen_table(citizen),
        Spacer(0, 5 * mm),
        *_declaration(),
        *_reception(clerk, created_at),
        _signatures(citizen, clerk),
    ])
    return buffer.getvalue()


def request_form_response(person: dict, clerk_account, unit, created_at) -> HttpResponse:
    """The request form; the clerk named is the one who received the citizen."""
    citizen = {**person, "phone": phone_national(person["phone"])}
    clerk = {"full_name": clerk_account.full_name,
             "phone": phone_national(clerk_account.phone) if clerk_account.phone else ""}
    pdf = request_form_pdf(citizen=citizen, clerk=clerk, unit_name=unit.name,
                           created_at=created_at)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="giay-de-nghi-tao-tai-khoan.pdf"'
    response["Cache-Control"] = "no-store"
    return response


def _heading(unit_name: str) -> list:
    return [
        _para(gettext("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), "header"),
        _para(gettext("Độc lập - Tự do - Hạnh phúc"), "header"),
        # The short line official forms draw under the motto.
        HRFlowable(width=55 * mm, thickness=0.7, color=colors.black, spaceBefore=3),
        Spacer(0, 10 * mm),
        _para(gettext("GIẤY ĐỀ NGHỊ TẠO TÀI KHOẢN"), "title"),
        _para(gettext("trên Cổng Dịch vụ công quốc gia"), "centre"),
        Spacer(0, 8 * mm),
        Paragraph(
            f"<b>{_text(gettext('Kính gửi:'))}</b> {_text(unit_name)}", _styles()["centre"]
        ),
        Spacer(0, 6 * mm),
        _para(gettext("Thông tin người đề nghị:"), "label"),
        Spacer(0, 2 * mm),
    ]


def _citizen_table(citizen: dict) -> Table:
    rows = [
        (gettext("Số CMND/CCCD"), citizen["id_number"]),
        (gettext("Họ và tên"), citizen["full_name"]),
        (gettext("Ngày sinh"), f"{citizen['birth_date']:%d/%m/%Y}"),
        (gettext("Số điện thoại"), citizen["phone"]),
        (gettext("Email"), citizen["email"] or gettext("(không có)")),
    ]
    table = Table(
        [[_para(label, "label"), _para(value, "cell")] for label, value in rows],
        colWidths=[45 * mm, WIDTH - 45 * mm],
    )
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.6, colors.HexColor("#555555")),
        ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#eeeeee")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        ("LEFTPADDING", (0, 0), (-1, -1), 6),
    ]))
    return table


def _declaration() -> list:
    return [
        _para(gettext(
            "Tôi xin cam đoan số điện thoại nêu trên là của chính tôi và các thông tin "
            "trên là đúng sự thật. Tôi đề nghị được tạo tài khoản trên Cổng Dịch vụ công "
            "quốc gia, đồng thời đồng ý với Điều khoản sử dụng và Chính sách chia sẻ thông "
            "tin của Cổng."
        ), "body"),
        Spacer(0, 6 * mm),
    ]


def _reception(clerk: dict, created_at: dt.datetime) -> list:
    who = clerk["full_name"]
    if clerk.get("phone"):
        who = f"{who} – {clerk['phone']}"
    when = f"{timezone.localtime(created_at):%H:%M %d/%m/%Y}"
    return [
        Paragraph(f"<b>{_text(gettext('Cán bộ tiếp nhận:'))}</b> {_text(who)}",
                  _styles()["base"]),
        Paragraph(f"<b>{_text(gettext('Thời gian:'))}</b> {_text(when)}", _styles()["base"]),
        Spacer(0, 10 * mm),
    ]


def _signatures(citizen: dict, clerk: dict) -> Table:
    hint = gettext("(Ký, ghi rõ họ tên)")
    table = Table(
        [
            [_para(gettext("CÁN BỘ TIẾP NHẬN"), "sign"), _para(gettext("NGƯỜI ĐỀ NGHỊ"), "sign")],
            [_para(hint, "note"), _para(hint, "note")],
            ["", ""],
            [_para(clerk["full_name"], "sign"), _para(citizen["full_name"], "sign")],
        ],
        colWidths=[WIDTH / 2, WIDTH / 2],
        rowHeights=[None, None, 28 * mm, None],
    )
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table

