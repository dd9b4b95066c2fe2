"""The request form PDF: one page, every Vietnamese letter intact, user data printed as
typed. Page 1 is saved to test-artifacts/request-form.png for a person to look at."""

import datetime as dt
import unicodedata
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from operator_console.counter.request_pdf import request_form_pdf

ROOT = Path(__file__).resolve().parents[2]
ARTIFACT = ROOT / "test-artifacts" / "request-form.png"

UNIT = "Bộ phận Một cửa UBND phường Bến Thành"
# 02:30 UTC is 09:30 in Hồ Chí Minh City.
CREATED_AT = dt.datetime(2025, 3, 14, 2, 30, tzinfo=dt.UTC)


def citizen(**changes) -> dict:
    return {
        "id_number": "079190001234",
        "full_name": "Nguyễn Thị Ánh Đào",
        "birth_date": dt.date(1990, 9, 5),
        "phone": "0912345678",
        "email": "anhdao@example.vn",
    } | changes


def clerk(**changes) -> dict:
    return {"full_name": "Trần Văn Đức", "phone": "0283823456"} | changes


def render(**kwargs) -> bytes:
    arguments = {"citizen": citizen(), "clerk": clerk(), "unit_name": UNIT,
                 "created_at": CREATED_AT} | kwargs
    return request_form_pdf(**arguments)


def pages_text(pdf: bytes) -> list[str]:
    document = pdfium.PdfDocument(pdf)
    texts = [page.get_textpage().get_text_range() for page in document]
    return [unicodedata.normalize("NFC", text) for text in texts]


def flat(text: str) -> str:
    """The text with line breaks as spaces, for phrases a paragraph may wrap."""
    return " ".join(text.split())


def test_it_fills_one_page_with_the_citizens_data():
    texts = pages_text(render())
    assert len(texts) == 1
    text = texts[0]
    for expected in ("Nguyễn Thị Ánh Đào", "Trần Văn Đức", "079190001234", "05/09/1990",
                     UNIT, "0912345678", "anhdao@example.vn"):
        assert expected in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "GIẤY ĐỀ NGHỊ TẠO TÀI KHOẢN" in text
    assert "Kính gửi: " + UNIT in text


def test_it_prints_the_reception_in_local_time():
    text = pages_text(render())[0]
    assert "Cán bộ tiếp nhận: Trần Văn Đức – 0283823456" in text
    assert "Thời gian: 09:30 14/03/2025" in text


def test_it_prints_markup_characters_literally():
    text = pages_text(render(citizen=citizen(full_name="Lê & <Bình>")))[0]
    assert "Lê & <Bình>" in text
    assert "&amp;" not in text


def test_it_accepts_decomposed_input():
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Ánh Đào")
    text = pages_text(render(citizen=citizen(full_name=decomposed)))[0]
    assert "Nguyễn Thị Ánh Đào" in text


def test_it_says_when_there_is_no_email_or_clerk_phone():
    text = pages_text(render(citizen=citizen(email=""), clerk=clerk(phone="")))[0]
    assert "(không có)" in text
    assert "Cán bộ tiếp nhận: Trần Văn Đức" in text.splitlines()
    assert "–" not in text


def test_it_stays_on_one_page_with_long_values():
    long_unit = "Trung tâm Phục vụ hành chính công " + "tỉnh Thừa Thiên Huế " * 4
    pdf = render(unit_name=long_unit, citizen=citizen(
        full_name="Tôn Nữ Thị Hoàng Phương Quỳnh Như Ngọc Bích Thủy Tiên",
        email="mot.dia.chi.thu.dien.tu.rat.dai.de.kiem.tra@phuong-ben-thanh.example.vn",
    ))
    texts = pages_text(pdf)
    assert len(texts) == 1
    assert "tỉnh Thừa Thiên Huế tỉnh" in flat(texts[0])


def test_it_keeps_the_id_number_out_of_the_metadata():
    metadata = pdfium.PdfDocument(render()).get_metadata_dict()
    assert metadata["Title"] == "Giấy đề nghị tạo tài khoản"
    assert not any("079190001234" in value for value in metadata.values())


def test_it_saves_page_one_as_png():
    pytest.importorskip("PIL")
    page = pdfium.PdfDocument(render())[0]
    ARTIFACT.parent.mkdir(parents=True, exist_ok=True)
    page.render(scale=2).to_pil().save(ARTIFACT)
    assert ARTIFACT.stat().st_size > 10_000
