from django.core.management.base import BaseCommand

from satupintu.complaints.models import Complaint
from satupintu.complaints.services import complaint_escalate_overdue, complaint_forward, complaint_sync_lapor
from satupintu.integrations.lapor.client import LaporError


class Command(BaseCommand):
    help = ("Eskalasi pengaduan yang lewat tenggat, teruskan yang belum terkirim ke SP4N-LAPOR!, dan sinkronkan "
            "statusnya. / Escalate overdue complaints, forward pending ones, sync statuses.")

    def handle(self, *args, **options):
        escalated = complaint_escalate_overdue()
        forwarded = failed = synced = 0
        for complaint in Complaint.objects.filter(lapor_id="", mall__complaint_settings__forward_to_lapor=True) | \
                Complaint.objects.filter(lapor_id="", mall__complaint_settings__isnull=True):
            try:
                complaint_forward(complaint_id=complaint.pk)
                forwarded += 1
            except LaporError:
                failed += 1
        for complaint in Complaint.objects.exclude(lapor_id="").exclude(status=Complaint.Status.CLOSED):
            try:
                complaint_sync_lapor(complaint=complaint)
                synced += 1
            except LaporError:
                failed += 1
        self.stdout.write(f"eskalasi {len(escalated)}, diteruskan {forwarded}, disinkronkan {synced}, gagal {failed}")
