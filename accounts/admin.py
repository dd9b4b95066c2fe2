from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from accounts.models import Account


# On the portal's admin site, for superusers only: see portal/admin.py.
@admin.register(Account)
class AccountAdmin(UserAdmin):
    ordering = ["-created_at"]
    list_display = ["username", "full_name", "account_type", "assurance_level",
                    "registration_method", "created_at"]
    list_filter = ["account_type", "assurance_level", "registration_method", "is_active"]
    search_fields = ["username", "full_name"]
    readonly_fields = ["created_at", "last_login", "terms_version", "terms_accepted_at"]
    fieldsets = [
        (None, {"fields": ["username", "password", "account_type"]}),
        ("Thông tin", {"fields": ["full_name", "birth_date", "phone", "email"]}),
        ("Xác minh", {"fields": ["assurance_level", "registration_method", "verified_by",
                                 "created_by", "created_at", "terms_version",
                                 "terms_accepted_at"]}),
        ("Quyền", {"fields": ["is_active", "is_staff", "is_superuser"]}),
    ]
    add_fieldsets = [(None, {"fields": ["username", "full_name", "phone",
                                        "password1", "password2"]})]
    filter_horizontal = []
