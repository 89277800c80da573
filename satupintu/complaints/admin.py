from django.contrib import admin

from satupintu.complaints.models import Complaint, ComplaintSettings
from satupintu.core.admin import AuditedAdmin, ReadOnlyAdmin


@admin.register(ComplaintSettings)
class ComplaintSettingsAdmin(AuditedAdmin):
    list_display = ("mall", "acknowledge_within_days", "answer_within_days", "accept_within_days", "forward_to_lapor")


@admin.register(Complaint)
class ComplaintAdmin(ReadOnlyAdmin):
    """Read-only overview; complaints are handled in the officer screens."""

    list_display = ("tracking_code", "mall", "agency", "category", "status", "answer_due", "escalated_at")
    list_filter = ("mall", "status", "category")
    search_fields = ("tracking_code",)
    exclude = ("complainant", "contact")
