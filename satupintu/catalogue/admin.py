from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from satupintu.catalogue.forms import ServiceAdminForm
from satupintu.catalogue.models import Agency, Closure, Counter, Mall, OpeningHours, Region, Service, Tenancy
from satupintu.core.admin import AuditedAdmin


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0
    verbose_name = _("jam buka (waktu setempat mal)")


class ClosureInline(admin.TabularInline):
    model = Closure
    extra = 0


@admin.register(Mall)
class MallAdmin(AuditedAdmin):
    list_display = ("name", "slug", "region", "timezone")
    search_fields = ("name", "slug")
    inlines = [OpeningHoursInline, ClosureInline]
    autocomplete_fields = ("region", "village")
    exclude = ("source",)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level")
    list_filter = ("level",)
    search_fields = ("code", "name")

    def has_change_permission(self, request, obj=None):
        return False  # reference data: changed only by import_regions


@admin.register(Agency)
class AgencyAdmin(AuditedAdmin):
    list_display = ("name", "slug", "kind", "parent")
    list_filter = ("kind",)
    search_fields = ("name", "slug")
    autocomplete_fields = ("parent", "region")
    exclude = ("source",)


class CounterInline(admin.TabularInline):
    model = Counter
    extra = 0
    fields = ("mall", "number", "label", "zone", "is_active")
    autocomplete_fields = ("mall",)


@admin.register(Tenancy)
class TenancyAdmin(AuditedAdmin):
    list_display = ("agency", "mall", "location", "is_active")
    list_filter = ("mall",)
    list_select_related = ("agency", "mall")
    autocomplete_fields = ("mall", "agency")
    exclude = ("facts",)
    inlines = [CounterInline]


@admin.register(Counter)
class CounterAdmin(AuditedAdmin):
    list_display = ("number", "label", "mall", "tenancy", "is_active")
    list_filter = ("mall",)
    filter_horizontal = ("services",)


@admin.register(Service)
class ServiceAdmin(AuditedAdmin):
    form = ServiceAdminForm
    list_display = ("public_code", "name", "agency", "mall", "online", "is_free", "is_active")
    list_filter = ("mall", "agency", "online", "is_free", "is_active")
    search_fields = ("public_code", "name", "name_en")
    list_select_related = ("agency", "mall")
    autocomplete_fields = ("mall", "agency")
    readonly_fields = ("is_free", "facts")
    fieldsets = (
        (None, {"fields": ("mall", "agency", "public_code", "name", "name_en", "description", "description_en",
                           "is_active")}),
        (_("Standar Pelayanan: komponen publik"), {"fields": (
            "requirements_text", "procedure_text", ("duration_value", "duration_unit"), "duration_text",
            "fees_text", "is_free", "product", "complaint_channel")}),
        (_("Kanal"), {"fields": ("online", "at_counter", "channel_note")}),
        (_("Dasar hukum, komponen manufacturing, catatan"), {"fields": (
            "legal_basis", "manufacturing", "notes", "search_aliases"), "classes": ("collapse",)}),
        (_("Asal data (provenance)"), {"fields": ("facts",), "classes": ("collapse",)}),
    )
