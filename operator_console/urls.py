from django.urls import path
from django.views.generic import RedirectView

from operator_console import views

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
]
