"""A client's form: what the console asks of a portal to register, and what can change.

The checks are federation's (federation/clients.py), run here too so that each error
stands beside its field; the service checks again whoever calls it.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from federation.clients import ClientRefused, client_id_check, uri_check, uris_check
from federation.scopes import OPENID, SCOPES, scope_attributes

YES_NO = [("1", _("Có máy chủ giữ khóa bí mật (confidential)")),
          ("0", _("Không có khóa bí mật, chỉ dùng PKCE (public)"))]


def scope_choices() -> list[tuple[str, str]]:
    """Each scope as the person reads it on the consent page, with its code; `openid` is
    always given, so it is no choice."""
    return [(name, f"{', '.join(scope_attributes([name]))} ({name})")
            for name in SCOPES if name != OPENID]


def checked(check, *args, **kwargs):
    """federation's `check`, its refusal as the field's error."""
    try:
        return check(*args, **kwargs)
    except ClientRefused as refusal:
        raise forms.ValidationError(refusal.message) from None


class ClientForm(forms.Form):
    """What can change after registration."""

    display_name = forms.CharField(
        label=_("Tên cổng"), max_length=200,
        error_messages={"required": _("Phải nhập tên cổng.")},
        help_text=_("Tên người dân đọc khi đăng nhập và chia sẻ thông tin, ví dụ “Cổng dịch "
                    "vụ công tỉnh Bắc Kạn”."))
    redirect_uris = forms.CharField(
        label=_("Địa chỉ trả về (redirect URI)"), widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Phải có ít nhất một địa chỉ trả về.")},
        help_text=_("Mỗi dòng một địa chỉ, đúng từng ký tự cổng sẽ gửi: https://, không có "
                    "phần sau dấu #, không có ký tự đại diện *."))
    post_logout_redirect_uris = forms.CharField(
        label=_("Địa chỉ sau khi đăng xuất"), required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Mỗi dòng một địa chỉ, cùng quy tắc như trên; có thể để trống."))
    allowed_scopes = forms.MultipleChoiceField(
        label=_("Thông tin cổng được phép yêu cầu"), required=False, choices=scope_choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Phạm vi thông tin không hợp lệ.")},
        help_text=_("Mã định danh riêng cho cổng và mức độ xác minh (openid) luôn được cấp; "
                    "người dân vẫn phải đồng ý từng thông tin."))
    logo_url = forms.CharField(
        label=_("Địa chỉ logo"), required=False, max_length=200,
        help_text=_("Địa chỉ https:// của ảnh logo; có thể để trống."))
    refresh_allowed = forms.BooleanField(
        label=_("Được cấp refresh token"), required=False,
        help_text=_("Chỉ cho cổng cần giữ phiên làm việc lâu hơn 5 phút."))

    def clean_redirect_uris(self):
        return checked(uris_check, self.cleaned_data["redirect_uris"].splitlines(),
                       required=True)

    def clean_post_logout_redirect_uris(self):
        return checked(uris_check, self.cleaned_data["post_logout_redirect_uris"].splitlines())

    def clean_logo_url(self):
        url = self.cleaned_data["logo_url"].strip()
        return checked(uri_check, url) if url else ""

    def labels(self) -> dict:
        return {name: field.label for name, field in self.fields.items()}


class ClientCreateForm(ClientForm):
    """…and what is chosen once, at registration."""

    client_id = forms.CharField(
        label=_("Mã cổng (client_id)"), required=False, max_length=100,
        help_text=_("Để trống để Cổng tự sinh. Gồm chữ cái không dấu, chữ số, dấu chấm, "
                    "gạch ngang, gạch dưới; không đổi được sau khi đăng ký."))
    confidential = forms.TypedChoiceField(
        label=_("Loại cổng"), choices=YES_NO, coerce=lambda value: value == "1", initial="1",
        widget=forms.RadioSelect,
        help_text=_("Khóa bí mật chỉ hiển thị một lần, ngay sau khi đăng ký."))
    sector = forms.CharField(
        label=_("Nhóm cổng (sector)"), required=False, max_length=255,
        help_text=_("Các cổng cùng nhóm (các cổng của một tỉnh) thấy cùng mã định danh của "
                    "một người; để trống nếu cổng đứng riêng. Không đổi được sau khi đăng ký."))
    enabled = forms.BooleanField(label=_("Hoạt động ngay"), required=False, initial=True)

    field_order = ["display_name", "client_id", "confidential", "redirect_uris",
                   "post_logout_redirect_uris", "allowed_scopes", "logo_url",
                   "refresh_allowed", "sector", "enabled"]

    def clean_client_id(self):
        client_id = self.cleaned_data["client_id"].strip()
        return checked(client_id_check, client_id) if client_id else ""


def client_initial(client) -> dict:
    """The edit form's values: the client as registered."""
    application = client.application
    return {"display_name": client.display_name,
            "redirect_uris": "\n".join(application.redirect_uris.split()),
            "post_logout_redirect_uris": "\n".join(application.post_logout_redirect_uris.split()),
            "allowed_scopes": [name for name in client.allowed_scopes if name != OPENID],
            "logo_url": client.logo_url, "refresh_allowed": client.refresh_allowed}
