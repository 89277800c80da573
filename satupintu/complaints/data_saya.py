"""The complaints' section of "Data saya" (complaints filed with the citizen's identity)."""

from django.utils.translation import gettext_lazy as _


def rows(person) -> list[dict]:
    from satupintu.complaints.models import Complaint

    return [{"kode lacak": c.tracking_code, "instansi": c.agency.name, "kategori": str(c.get_category_display()),
             "status": str(c.get_status_display()), "diajukan": c.created_at.date().isoformat()}
            for c in Complaint.objects.filter(complainant=person).select_related("agency")
            .order_by("-created_at")[:200]]


def register() -> None:
    from satupintu.identity.selectors import data_section_register

    data_section_register("complaints", _("Pengaduan"), rows, order=50)
