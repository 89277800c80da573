"""Back office: issued documents can be looked up and revoked (with a reason); vault
documents are listed by metadata only — the files are reached through the access rules
and signed links, never from the admin."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from satupintu.core.admin import ReadOnlyAdmin
from satupintu.core.errors import DomainError
from satupintu.documents.models import IssuedDocument, VaultDocument
from satupintu.documents.services import issued_document_revoke


@admin.register(VaultDocument)
class VaultDocumentAdmin(ReadOnlyAdmin):
    list_display = ("code", "kind", "status", "content_type", "size", "created_at")
    list_filter = ("kind", "status")
    fields = ("code", "kind", "status", "content_type", "size", "sha256", "created_at", "uploaded_by",
              "on_behalf_of")
    readonly_fields = fields


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Alasan pencabutan"), max_length=300)


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(ReadOnlyAdmin):
    list_display = ("title", "agency", "mall", "issued_at", "revoked_at")
    list_filter = ("agency", "mall")
    search_fields = ("related_code", "verification_token", "sha256")
    fields = ("code", "title", "document_type", "agency", "mall", "holder_name", "related_type", "related_code",
              "sha256", "signer", "issued_at", "issued_by", "revoked_at", "revoked_reason", "revoked_by")
    readonly_fields = fields
    actions = ["revoke"]

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("documents.change_issueddocument")  # needed for the revoke action

    @admin.action(description=_("Cabut dokumen terpilih"))
    def revoke(self, request, queryset):
        if "reason" in request.POST and "apply" in request.POST:
            form = RevokeForm(request.POST)
            if form.is_valid():
                done = 0
                for doc in queryset:
                    try:
                        issued_document_revoke(document=doc, reason=form.cleaned_data["reason"], by=request.user)
                        done += 1
                    except DomainError as exc:
                        self.message_user(request, f"{doc}: {exc.message}", messages.WARNING)
                self.message_user(request, _("%(n)d dokumen dicabut.") % {"n": done}, messages.SUCCESS)
                return None
        else:
            form = RevokeForm()
        return render(request, "documents/admin_revoke.html", {
            "form": form, "documents": queryset, "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "opts": self.model._meta})
