"""Every back-office change is recorded in the audit trail: who, when, and which fields
changed from what to what — for the edited object and for each inline row (opening
hours, closures, counters). Each object's "Riwayat perubahan" (the admin history page)
shows those audit events."""

from __future__ import annotations

import json

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.forms.models import model_to_dict
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from satupintu.core.audit import audit_record
from satupintu.core.models import AuditEvent


def _snapshot(obj) -> dict:
    return {k: v for k, v in model_to_dict(obj).items() if not isinstance(v, (bytes, memoryview))}


def _plain(value):
    """Values as they read in the trail (related objects by their label, lists of them too)."""
    if hasattr(value, "_meta"):
        return str(value)
    if isinstance(value, (list, tuple)) and value and all(hasattr(v, "_meta") for v in value):
        return [str(v) for v in value]
    if hasattr(value, "all") and callable(value.all):  # a queryset from a M2M form field
        return [str(v) for v in value.all()]
    return value


def _shown(value):
    """Lists and mappings as compact JSON, the way they are stored."""
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return value


def object_code(obj) -> str:
    return str(getattr(obj, "code", None) or obj.pk)


class AuditedAdmin(admin.ModelAdmin):
    object_history_template = "admin/core/audit_history.html"

    def _ip(self, request):
        return request.META.get("REMOTE_ADDR")

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
                     data={"changes": diff}, ip=self._ip(request))

    def save_related(self, request, form, formsets, change):
        # Many-to-many fields are saved here, after save_model: record them as well.
        m2m = [f.name for f in form.instance._meta.many_to_many if f.name in form.changed_data]
        before = {name: [str(v) for v in getattr(form.instance, name).all()] for name in m2m} if change else {}
        super().save_related(request, form, formsets, change)
        if m2m:
            after = {name: [str(v) for v in getattr(form.instance, name).all()] for name in m2m}
            diff = {n: {"from": before.get(n, []), "to": after[n]} for n in m2m if before.get(n, []) != after[n]}
            if diff:
                audit_record(action="admin.change", actor=request.user, obj=form.instance,
                             data={"changes": diff}, ip=self._ip(request))

    def save_formset(self, request, form, formset, change):
        """Inline rows: record each added, changed and deleted row with its parent."""
        parent = form.instance
        parent_ref = {"parent_type": parent._meta.label_lower, "parent_code": object_code(parent)}
        changed = []
        for f in formset.forms:
            if f in formset.deleted_forms or not f.has_changed() or not f.is_valid():
                continue
            if f.instance.pk:
                changed.append(("admin.change", f, {
                    name: {"from": _plain(f.initial.get(name)), "to": _plain(f.cleaned_data.get(name))}
                    for name in f.changed_data}))
            else:
                changed.append(("admin.add", f, None))
        deleted = [(f.instance, _snapshot(f.instance)) for f in formset.deleted_forms if f.instance.pk]
        deleted_codes = [(obj, snap, object_code(obj)) for obj, snap in deleted]
        super().save_formset(request, form, formset, change)
        for action, f, diff in changed:
            if diff is None:
                diff = {k: {"from": None, "to": v} for k, v in _snapshot(f.instance).items()}
            audit_record(action=action, actor=request.user, obj=f.instance,
                         data={"changes": diff, **parent_ref}, ip=self._ip(request))
        for obj, snap, code in deleted_codes:
            audit_record(action="admin.delete", actor=request.user, object_type=obj._meta.label_lower,
                         object_code=code, data={"deleted": snap, **parent_ref}, ip=self._ip(request))

    def delete_model(self, request, obj):
        audit_record(action="admin.delete", actor=request.user, obj=obj, data={"deleted": _snapshot(obj)},
                     ip=self._ip(request))
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)

    def history_view(self, request, object_id, extra_context=None):
        """Riwayat perubahan: the audit events of this object and of its inline rows."""
        model = self.model
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, model._meta, object_id)
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        label, code = model._meta.label_lower, object_code(obj)
        events = AuditEvent.objects.filter(
            Q(object_type=label, object_code=code) | Q(data__parent_type=label, data__parent_code=code)
        ).order_by("-seq")[:500]
        rows = []
        for e in events:
            data = e.data or {}
            changes = data.get("changes") or {}
            if "deleted" in data:
                changes = {k: {"from": v, "to": None} for k, v in data["deleted"].items()}
            changes = {k: {"from": _shown(v.get("from")), "to": _shown(v.get("to"))} if isinstance(v, dict) else
                       {"from": None, "to": _shown(v)} for k, v in changes.items()}
            rows.append({"event": e, "changes": sorted(changes.items()),
                         "inline": e.object_type != label or e.object_code != code})
        context = {
            **self.admin_site.each_context(request),
            "title": _("Riwayat perubahan: %(obj)s") % {"obj": obj},
            "subtitle": None,
            "rows": rows,
            "module_name": str(model._meta.verbose_name_plural).capitalize(),
            "object": obj,
            "opts": model._meta,
            "app_label": model._meta.app_label,
            "preserved_filters": self.get_preserved_filters(request),
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.object_history_template, context)


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records written only by their services (audit, issued documents, complaints):
    the back office may look, never add, change or delete."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("seq", "at", "actor_label", "action", "object_type", "object_code")
    list_filter = ("action",)
    search_fields = ("object_code", "actor_label")
