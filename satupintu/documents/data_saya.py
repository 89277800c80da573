"""The document vault's section of "Data saya" (what is kept, never the files themselves)."""

from django.utils.translation import gettext_lazy as _


def rows(person) -> list[dict]:
    from satupintu.documents.models import VaultDocument

    return [{"jenis": str(d.get_kind_display()),
             "nama berkas": d.original_name, "diunggah": d.created_at.date().isoformat(),
             "status": str(d.get_status_display())}
            for d in VaultDocument.objects.filter(owner=person).order_by("-created_at")[:200]]


def register() -> None:
    from satupintu.identity.selectors import data_section_register

    data_section_register("documents", _("Dokumen tersimpan"), rows, order=35)
