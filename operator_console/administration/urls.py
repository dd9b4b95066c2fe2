"""Administration's pages, at the top of /quan-tri/ (operator_console/urls.py)."""

from django.urls import path

from operator_console.administration import views

urlpatterns = [
    path("nguoi-dung/", views.staff, name="staff"),
    path("nguoi-dung/<int:membership_id>/phan-quyen/", views.staff_rights,
         name="staff_rights"),
    path("nguoi-dung/<int:membership_id>/dua-khoi-don-vi/", views.staff_remove,
         name="staff_remove"),
    path("quan-tri-don-vi/", views.admins, name="admins"),
    path("quan-tri-don-vi/bo-nhiem/", views.admin_appoint, name="admin_appoint"),
    path("quan-tri-don-vi/<int:appointment_id>/thoi/", views.admin_dismiss,
         name="admin_dismiss"),
]
