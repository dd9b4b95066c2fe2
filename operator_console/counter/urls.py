"""The counter's pages, under /quan-tri/tao-tai-khoan-cong-dan/ (operator_console/urls.py)."""

from django.urls import path

from operator_console.counter import record_views, views

urlpatterns = [
    path("", record_views.records, name="records"),
    path("them-moi/", views.lookup, name="lookup"),
    path("them-moi/thong-tin/", views.details, name="details"),
    path("them-moi/xac-nhan/", views.confirm, name="confirm"),
    path("them-moi/gui-ma-otp/", views.send_code, name="send_code"),
    path("them-moi/giay-de-nghi.pdf", views.request_form, name="request_form"),
    path("<int:account_id>/", record_views.record, name="record"),
    path("<int:account_id>/ban-quet/", record_views.record_scan, name="record_scan"),
    path("<int:account_id>/giay-de-nghi.pdf", record_views.record_request_form,
         name="record_request_form"),
    path("<int:account_id>/gui-lai-mat-khau/", record_views.record_password,
         name="record_password"),
]
