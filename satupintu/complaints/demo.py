"""Complaints demo: the SP4N-LAPOR! defaults for each mall and two example complaints."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from satupintu.catalogue.models import Mall, Service
from satupintu.complaints.models import Complaint, ComplaintSettings
from satupintu.complaints.services import complaint_answer, complaint_file

EXAMPLES = [
    ("SKCK", "slow", "Antrean SKCK tidak bergerak lebih dari satu jam dan tidak ada pengumuman penyebabnya.", True),
    ("KTPEL_HILANG_RUSAK", "information", "Persyaratan di loket berbeda dengan yang tertulis di situs; saya "
                                          "diminta membawa surat pengantar RT.", False),
]


def load(stdout):
    for mall in Mall.objects.all():
        ComplaintSettings.objects.get_or_create(mall=mall, defaults={"forward_to_lapor": False})
    mall = Mall.objects.filter(slug="kota-tangerang").first()
    if mall is None or Complaint.objects.filter(mall=mall, contact="demo@satupintu.id").exists():
        return []
    for code, category, text, answered in EXAMPLES:
        service = Service.objects.filter(mall=mall, public_code=code).first()
        if service is None:
            continue
        complaint = complaint_file(mall=mall, service=service, category=category, description=text,
                                   service_date=timezone.localdate() - timedelta(days=2), contact="demo@satupintu.id",
                                   anonymous=True)
        if answered:
            complaint_answer(complaint=complaint, by=None, answer="Terima kasih. Jaringan sempat terputus; antrean "
                                                                  "sudah normal dan petugas tambahan disiagakan.")
        stdout.write(f"pengaduan demo {complaint.tracking_code}")
    return []
