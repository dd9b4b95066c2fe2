from django.urls import include, path
from django.views.generic import RedirectView

from operator_console import admin_views, views

app_name = "operator_console"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="operator_console:records"), name="home"),
    path("tao-tai-khoan-cong-dan/", views.records, name="records"),
    path("tao-tai-khoan-cong-dan/them-moi/", views.lookup, name="lookup"),
    path("tao-tai-khoan-cong-dan/them-moi/thong-tin/", views.details, name="details"),
    path("tao-tai-khoan-cong-dan/them-moi/xac-nhan/", views.confirm, name="confirm"),
    path("tao-tai-khoan-cong-dan/them-moi/gui-ma-otp/", views.send_code, name="send_code"),
    path("tao-tai-khoan-cong-dan/them-moi/giay-de-nghi.pdf", views.request_form,
         name="request_form"),
    path("tao-tai-khoan-cong-dan/<int:account_id>/", views.record, name="record"),
    path("tao-tai-khoan-cong-dan/<int:account_id>/ban-quet/", views.record_scan,
         name="record_scan"),
    path("tao-tai-khoan-cong-dan/<int:account_id>/giay-de-nghi.pdf", views.record_request_form,
         name="record_request_form"),
    path("tao-tai-khoan-cong-dan/<int:account_id>/gui-lai-mat-khau/", views.record_password,
         name="record_password"),
    path("nguoi-dung/", admin_views.staff, name="staff"),
    path("nguoi-dung/<int:membership_id>/phan-quyen/", admin_views.staff_rights,
         name="staff_rights"),
    path("nguoi-dung/<int:membership_id>/dua-khoi-don-vi/", admin_views.staff_remove,
         name="staff_remove"),
    path("quan-tri-don-vi/", admin_views.admins, name="admins"),
    path("quan-tri-don-vi/bo-nhiem/", admin_views.admin_appoint, name="admin_appoint"),
    path("quan-tri-don-vi/<int:appointment_id>/thoi/", admin_views.admin_dismiss,
         name="admin_dismiss"),
    path("xac-thuc-lai/", admin_views.reauth, name="reauth"),
    path("xac-thuc-lai/otp/", admin_views.reauth_otp, name="reauth_otp"),
    path("xac-thuc-lai/gui-lai-otp/", admin_views.reauth_resend, name="reauth_resend"),
    path("nhat-ky/", include("operator_console.audit_urls")),
    path("thong-ke/", include("operator_console.stats_urls")),
]
