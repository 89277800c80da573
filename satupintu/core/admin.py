"""Every back-office change is recorded in the audit trail: who, when, and which fields
changed from what to what."""

from __future__ import annotations

from django.contrib import admin
from django.forms.models import model_to_dict

from satupintu.core.audit import audit_record
from satupintu.core.models import AuditEvent


def _snapshot(obj) -> dict:
    return {k: v for k, v in model_to_dict(obj).items() if not isinstance(v, (bytes, memoryview))}


class AuditedAdmin(admin.ModelAdmin):
    def save_model(self, request, obj, form, change):
        before = {}
        if change and obj.pk:
            original = type(obj).objects.filter(pk=obj.pk).first()
            before = _snapshot(original) if original else {}
        super().save_model(request, obj, form, change)
        after = _snapshot(obj)
        diff = {k: {"from": before.get(k), "to": after.get(k)} for k in after
                if not change or before.get(k) != after.get(k)}
        audit_record(action="admin.change" if change else "admin.add", actor=request.user, obj=obj,
                     data={"changes": diff}, ip=request.META.get("REMOTE_ADDR"))

    def delete_model(self, request, obj):
        audit_record(action="admin.delete", actor=request.user, obj=obj, data={"deleted": _snapshot(obj)},
                     ip=request.META.get("REMOTE_ADDR"))
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("seq", "at", "actor_label", "action", "object_type", "object_code")
    list_filter = ("action",)
    search_fields = ("object_code", "actor_label")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
