"""Back office for the mall manager: queue policy, service groups (letters), quota
templates (the defaults) and per-date sessions (the exceptions). A manager sees only
the malls of their memberships. Places already taken are never lost by an edit: a
session's capacity goes through `quota_set_capacity` (refused below what is taken)."""

from django.contrib import admin, messages

from satupintu.core.admin import AuditedAdmin
from satupintu.core.errors import DomainError
from satupintu.identity.access import memberships
from satupintu.identity.models import Role
from satupintu.queue.models import Booking, DailyStat, QueueSettings, Quota, QuotaTemplate, ServiceGroup, Ticket
from satupintu.queue.services import quota_set_capacity


class MallScopedAdmin(AuditedAdmin):
    def _malls(self, request):
        return list(memberships(request.user, roles=[Role.MALL_MANAGER]).values_list("mall_id", flat=True))

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs if request.user.is_superuser else qs.filter(mall_id__in=self._malls(request))

    def has_module_permission(self, request):
        return request.user.is_superuser or bool(self._malls(request))

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    has_change_permission = has_add_permission = has_view_permission

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "mall" and not request.user.is_superuser:
            from satupintu.catalogue.models import Mall

            kwargs["queryset"] = Mall.objects.filter(pk__in=self._malls(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(QueueSettings)
class QueueSettingsAdmin(MallScopedAdmin):
    list_display = ("mall", "online_open_days", "online_open_time", "booking_cutoff_minutes", "noshow_limit",
                    "noshow_block_days", "turn_near_threshold")


class QuotaTemplateInline(admin.TabularInline):
    model = QuotaTemplate
    extra = 0
    fields = ("label", "weekdays", "starts", "ends", "online_capacity", "walkin_capacity", "priority_capacity")


@admin.register(ServiceGroup)
class ServiceGroupAdmin(MallScopedAdmin):
    list_display = ("letter", "name", "mall", "zone")
    list_filter = ("mall",)
    filter_horizontal = ("services",)
    inlines = [QuotaTemplateInline]

    def save_formset(self, request, form, formset, change):
        for f in formset.forms:
            if f.instance and not f.instance.mall_id:
                f.instance.mall_id = form.instance.mall_id
        super().save_formset(request, form, formset, change)


@admin.register(Quota)
class QuotaAdmin(MallScopedAdmin):
    """Exceptions for one date: close a session, change a channel's capacity."""

    list_display = ("date", "group", "label", "starts", "ends", "online_remaining", "online_capacity",
                    "walkin_remaining", "walkin_capacity", "priority_remaining", "priority_capacity", "is_closed")
    list_filter = ("mall", "group", "is_closed")
    date_hierarchy = "date"
    fields = ("mall", "group", "date", "label", "starts", "ends", "online_capacity", "walkin_capacity",
              "priority_capacity", "is_closed", "note")

    def get_readonly_fields(self, request, obj=None):
        return ("mall", "group", "date", "starts") if obj else ()

    def save_model(self, request, obj, form, change):
        if not change:
            obj.online_remaining, obj.walkin_remaining = obj.online_capacity, obj.walkin_capacity
            obj.priority_remaining = obj.priority_capacity
            return super().save_model(request, obj, form, change)
        wanted = {c: form.cleaned_data[f"{c}_capacity"] for c in ("online", "walkin", "priority")}
        current = Quota.objects.get(pk=obj.pk)
        Quota.objects.filter(pk=obj.pk).update(label=obj.label, ends=obj.ends, is_closed=obj.is_closed,
                                               note=obj.note)
        for channel, capacity in wanted.items():
            if getattr(current, f"{channel}_capacity") != capacity:
                try:
                    quota_set_capacity(quota=current, channel=channel, capacity=capacity, by=request.user)
                except DomainError as exc:
                    messages.error(request, str(exc.message))
        obj.refresh_from_db()


@admin.register(Booking)
class BookingAdmin(MallScopedAdmin):
    list_display = ("short_code", "date", "service", "status", "created_at")
    list_filter = ("mall", "status", "date")
    search_fields = ("short_code",)
    readonly_fields = [f.name for f in Booking._meta.fields]

    def has_add_permission(self, request, obj=None):
        return False

    has_change_permission = has_add_permission


@admin.register(Ticket)
class TicketAdmin(BookingAdmin):
    list_display = ("number", "date", "service", "status", "channel", "priority", "counter")
    list_filter = ("mall", "status", "channel", "date")
    search_fields = ("number",)
    readonly_fields = [f.name for f in Ticket._meta.fields]


@admin.register(DailyStat)
class DailyStatAdmin(BookingAdmin):
    list_display = ("date", "dimension", "key", "label", "tickets", "served", "no_shows", "wait_median_s",
                    "service_median_s", "online_offered", "online_used", "walkin_offered", "walkin_used")
    list_filter = ("mall", "dimension", "date")
    search_fields = ("key", "label")
    readonly_fields = [f.name for f in DailyStat._meta.fields]
