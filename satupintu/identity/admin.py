from django.contrib import admin
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from satupintu.core.admin import AuditedAdmin
from satupintu.core.audit import audit_record
from satupintu.identity.models import Mandate, Membership, User


@admin.register(User)
class UserAdmin(AuditedAdmin):
    list_display = ("full_name", "email", "phone", "kind", "is_active", "is_staff")
    list_filter = ("kind", "is_active", "is_staff")
    search_fields = ("full_name", "email", "phone")
    exclude = ("password", "user_permissions")
    readonly_fields = ("last_login", "date_joined")


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    """Superusers' view of roles; mall managers and agency administrators use /petugas/kelola/,
    which limits them to their own mall or agency."""

    list_display = ("user", "role", "agency", "mall", "is_active", "granted_by")
    list_filter = ("role", "is_active", "mall")
    search_fields = ("user__full_name", "user__email", "agency__name")
    autocomplete_fields = ("user",)
    readonly_fields = ("granted_by",)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.granted_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Mandate)
class MandateAdmin(AuditedAdmin):
    """Read-only: mandates are made and revoked through their services (audited, both people named)."""

    list_display = ("basis", "actor", "agency", "mall", "valid_from", "valid_until", "revoked_at")
    list_filter = ("basis", "mall")
    readonly_fields = [f.name for f in Mandate._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditedTOTPDeviceAdmin(TOTPDeviceAdmin):
    """django-otp's device admin, with every change in the audit trail — never the secret key."""

    def _record(self, request, action, obj):
        audit_record(action=action, actor=request.user, obj=obj.user, ip=request.META.get("REMOTE_ADDR"),
                     data={"device": obj.name, "confirmed": obj.confirmed})

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self._record(request, "admin.totp_device_change" if change else "admin.totp_device_add", obj)

    def delete_model(self, request, obj):
        self._record(request, "admin.totp_device_delete", obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)
admin.site.register(TOTPDevice, AuditedTOTPDeviceAdmin)
