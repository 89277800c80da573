"""The applications' section of the citizen's "Data saya" (UU 27/2022)."""

from django.utils.translation import gettext_lazy as _


def rows(person) -> list[dict]:
    from satupintu.applications.models import Application

    return [{"nomor": a.reference or "—", "layanan": a.service.name, "instansi": a.agency.name,
             "status": str(a.get_status_display()),
             "diajukan": a.submitted_at.date().isoformat() if a.submitted_at else "—"}
            for a in Application.objects.filter(applicant=person).exclude(status="draft")
            .select_related("service", "agency").order_by("-submitted_at")[:200]]


def register() -> None:
    from satupintu.identity.selectors import data_section_register

    data_section_register("applications", _("Permohonan"), rows, order=30)
