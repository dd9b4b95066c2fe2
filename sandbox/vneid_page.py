"""The sandbox VNeID's pages: the tester, standing in for the person's VNeID app, picks a
sample person and agrees to share their data with the portal, or refuses."""

import html

LEVEL_NAMES = {1: "Mức 1", 2: "Mức 2"}
# What the tester should expect of a person whose record misbehaves.
BEHAVIOUR_NOTES = {"refused": " (ứng dụng từ chối chia sẻ)",
                   "timeout": " (VNeID không trả lời kịp)",
                   "nonsense": " (VNeID trả về dữ liệu hỏng)"}
HEAD = ('<!doctype html><html lang="vi"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>{title}</title><style>body{{font-family:sans-serif;max-width:40rem;"
        "margin:1rem auto;padding:0 1rem;line-height:1.5}}label{{display:block;"
        "padding:.25rem 0}}button{{font-size:1rem;padding:.5rem 1rem;margin:.5rem .5rem 0 0}}"
        "</style></head><body><main>")


def authorize_page(request_id: str, people: list[dict]) -> bytes:
    esc = html.escape
    choices = "".join(
        f'<label><input type="radio" name="person" value="{esc(p["id_number"])}" required> '
        f'{esc(p["full_name"])} – {esc(p["vneid"].get("id_number", p["id_number"]))} – '
        f'{LEVEL_NAMES[p["vneid"]["level"]]}{BEHAVIOUR_NOTES.get(p["vneid"].get("behaviour"), "")}'
        "</label>"
        for p in people)
    return (
        HEAD.format(title="VNeID (thử nghiệm) – Xác nhận chia sẻ thông tin")
        + "<h1>VNeID (thử nghiệm)</h1>"
        "<p>Trang này thay cho ứng dụng VNeID của công dân trong môi trường thử nghiệm.</p>"
        "<p><strong>Cổng Dịch vụ công quốc gia</strong> đề nghị được nhận thông tin định danh "
        "của bạn: họ tên, ngày sinh, số định danh cá nhân, số điện thoại và mức định danh.</p>"
        '<form method="post" action="/vneid/authorize">'
        f'<input type="hidden" name="request_id" value="{esc(request_id)}">'
        f"<fieldset><legend>Chọn công dân thử nghiệm</legend>{choices}</fieldset>"
        '<button type="submit" name="decision" value="allow">Đồng ý</button>'
        '<button type="submit" name="decision" value="deny" formnovalidate>Từ chối</button>'
        "</form></main></body></html>"
    ).encode("utf-8")


def error_page(problem: str) -> bytes:
    return (HEAD.format(title="VNeID (thử nghiệm) – Yêu cầu không hợp lệ")
            + f"<h1>Yêu cầu không hợp lệ</h1><p>{html.escape(problem)}</p>"
            "</main></body></html>").encode("utf-8")
