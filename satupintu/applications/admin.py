from django.contrib import admin
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from satupintu.applications.models import Application, ApplicationDefinition, ApplicationEvent, Bundle
from satupintu.core.admin import AuditedAdmin


@admin.register(ApplicationDefinition)
class ApplicationDefinitionAdmin(AuditedAdmin):
    """Definitions are data: agency admins edit the JSON; it is validated on save with
    messages that name the place of each problem (ADR 0070)."""

    list_display = ("service", "version", "status", "published_at")
    list_filter = ("status", "service__agency")
    search_fields = ("service__public_code", "service__name")
    autocomplete_fields = ("service",)
    readonly_fields = ("published_at",)
    actions = ["publish"]

    @admin.action(description=gettext_lazy(
        "Terbitkan versi draf yang dipilih (versi terbit sebelumnya tidak dipakai lagi)"))
    def publish(self, request, queryset):
        from satupintu.applications.services import definition_publish
        from satupintu.core.errors import DomainError

        for definition in queryset:
            try:
                definition_publish(definition=definition, by=request.user)
            except DomainError as exc:
                self.message_user(request, f"{definition}: {exc.message}", level="error")
            else:
                self.message_user(request, _("%(d)s diterbitkan.") % {"d": definition})


@admin.register(Bundle)
class BundleAdmin(AuditedAdmin):
    list_display = ("name", "mall", "slug", "is_active")


class EventInline(admin.TabularInline):
    model = ApplicationEvent
    extra = 0
    can_delete = False
    readonly_fields = ("at", "kind", "action", "from_status", "to_status", "actor", "actor_role", "text")
    fields = readonly_fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ("reference", "service", "agency", "status", "due_at")
    list_filter = ("status", "agency")
    search_fields = ("reference",)
    readonly_fields = [f.name for f in Application._meta.fields]
    inlines = [EventInline]

    def has_add_permission(self, request):
        return False
