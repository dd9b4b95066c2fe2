from django.urls import path

from accounts.views import login, profile, registration, reset, signer, sim, usb

app_name = "accounts"

urlpatterns = [
    path("dang-ky/", registration.chooser, name="register"),
    path("dang-ky/xac-thuc-otp/", registration.otp, name="register_otp"),
    path("dang-ky/gui-lai-otp/", registration.resend, name="register_resend"),
    path("dang-ky/mat-khau/", registration.password, name="register_password"),
    path("dang-ky/chu-ky-so/<slug:token>/", signer.register_details,
         name="signer_register_details"),
    path("dang-ky/usb-ky-so/<slug:kind>/", usb.register_sign, name="usb_register_verify"),
    path("dang-ky/usb-ky-so/<slug:kind>/thu-thach/", usb.register_challenge,
         name="usb_register_challenge"),
    path("dang-ky/sim-ky-so/<slug:kind>/", sim.register_start, name="sim_register"),
    path("dang-ky/<slug:method_key>/", registration.identity, name="register_method"),
    path("dang-nhap/", login.login, name="login"),
    path("dang-nhap/xac-thuc-otp/", login.otp, name="login_otp"),
    path("dang-nhap/gui-lai-otp/", login.resend, name="login_resend"),
    path("dang-nhap/usb-ky-so/", usb.login_sign, name="usb_login"),
    path("dang-nhap/usb-ky-so/thu-thach/", usb.login_challenge, name="usb_login_challenge"),
    path("dang-nhap/sim-ky-so/", sim.login_start, name="sim_login"),
    path("dang-nhap/ky-so/<slug:token>/", signer.login_done, name="signature_login"),
    path("ky-so/sim/<slug:token>/", sim.wait, name="sim_wait"),
    path("ky-so/sim/<slug:token>/trang-thai/", sim.status, name="sim_status"),
    path("ho-tro/cong-cu-ky-so/", usb.signing_tool, name="signing_tool"),
    path("ho-tro/cong-cu-ky-so/tai-ve/<str:name>", usb.signing_tool_file,
         name="signing_tool_file"),
    path("quen-mat-khau/", reset.request_reset, name="reset"),
    path("quen-mat-khau/xac-thuc-otp/", reset.otp, name="reset_otp"),
    path("quen-mat-khau/gui-lai-otp/", reset.resend, name="reset_resend"),
    path("quen-mat-khau/mat-khau-moi/", reset.new_password, name="reset_password"),
    path("trang-ca-nhan/", profile.profile, name="profile"),
    path("trang-ca-nhan/doi-mat-khau/", profile.change_password, name="change_password"),
    path("trang-ca-nhan/phien-dang-nhap/", profile.logins, name="logins"),
    path("trang-ca-nhan/phien-dang-nhap/<int:login_id>/dang-xuat/", profile.login_end,
         name="login_end"),
    path("trang-ca-nhan/phien-dang-nhap/dang-xuat-thiet-bi-khac/", profile.logins_end_others,
         name="logins_end_others"),
    path("dang-xuat/", profile.logout, name="logout"),
    path("ho-tro/mat-so-dien-thoai/", profile.lost_phone, name="lost_phone"),
]
