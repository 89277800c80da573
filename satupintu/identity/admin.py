from django.contrib import admin

from satupintu.core.admin import AuditedAdmin
from satupintu.identity.models import User


@admin.register(User)
class UserAdmin(AuditedAdmin):
    list_display = ("full_name", "email", "phone", "kind", "is_active", "is_staff")
    list_filter = ("kind", "is_active", "is_staff")
    search_fields = ("full_name", "email", "phone")
    exclude = ("password", "user_permissions")
    readonly_fields = ("last_login", "date_joined")
