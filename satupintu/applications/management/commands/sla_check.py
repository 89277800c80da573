from django.core.management.base import BaseCommand

from satupintu.applications.tasks import sla_check_run


class Command(BaseCommand):
    help = "Warn the agency's approvers and the mall manager before an SLA breach; record breaches (idempotent)."

    def handle(self, *args, **options):
        warned, breached = sla_check_run()
        self.stdout.write(f"sla_check: {warned} peringatan, {breached} pelanggaran tercatat")
