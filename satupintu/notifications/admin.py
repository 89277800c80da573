"""Read-only view of the outbox for staff. Secret values (one-time codes) are never shown,
and message bodies are not rendered here at all."""

from __future__ import annotations

from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from satupintu.notifications.catalog import TEMPLATES
from satupintu.notifications.models import Notification, NotificationEvent

MASK = "••••••"


def mask_destination(value: str) -> str:
    if "@" in value:
        local, _sep, domain = value.partition("@")
        return f"{local[:1]}***@{domain}"
    return f"{value[:5]}****{value[-3:]}" if len(value) > 8 else MASK


def masked_context(notification: Notification) -> dict:
    spec = TEMPLATES.get(notification.template)
    sensitive = spec.sensitive if spec else frozenset()
    return {key: (MASK if key in sensitive or (isinstance(value, dict) and "$enc" in value) else value)
            for key, value in notification.context.items()}


class NotificationEventInline(admin.TabularInline):
    model = NotificationEvent
    fields = ["at", "kind", "attempt", "detail"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "template", "channel", "masked_destination", "status", "attempts",
                    "next_attempt_at", "sent_at"]
    list_filter = ["status", "channel", "template", "language"]
    search_fields = ["related_code", "provider_message_id", "=idempotency_key"]
    date_hierarchy = "created_at"
    fields = ["code", "template", "channel", "masked_destination", "language", "shown_context", "status",
              "attempts", "next_attempt_at", "last_error", "provider_message_id", "sent_at", "idempotency_key",
              "related_type", "related_code", "mall", "created_at", "updated_at"]
    readonly_fields = fields
    inlines = [NotificationEventInline]
    list_select_related = ["mall"]

    @admin.display(description=_("tujuan"))
    def masked_destination(self, obj: Notification) -> str:
        return mask_destination(obj.destination)

    @admin.display(description=_("isi (rahasia disamarkan)"))
    def shown_context(self, obj: Notification) -> str:
        return format_html_join("\n", "<div>{}: {}</div>", sorted(masked_context(obj).items()))

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
