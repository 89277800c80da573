"""What the other domains hold about a citizen shows in "Data saya" (UU 27/2022)."""

from django.utils import timezone

from satupintu.catalogue.models import Service
from satupintu.complaints.services import complaint_file
from satupintu.identity.selectors import data_sections


def test_sections_of_every_domain_are_registered_and_list_the_persons_rows(catalogue, complaint_people):
    keys = {s.key for s in data_sections()}
    assert {"applications", "documents", "queue.bookings", "complaints"} <= keys
    c = complaint_file(mall=catalogue, service=Service.objects.get(mall=catalogue, public_code="SKCK"),
                       category="slow", complainant=complaint_people.person, service_date=timezone.localdate(),
                       description="Antrean SKCK tidak bergerak lebih dari satu jam hari ini.")
    section = next(s for s in data_sections() if s.key == "complaints")
    assert [r["kode lacak"] for r in section.rows(complaint_people.person)] == [c.tracking_code]
    for s in data_sections():
        assert isinstance(s.rows(complaint_people.person), list)  # every section answers for any person
