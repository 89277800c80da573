from django.core.management.base import BaseCommand, CommandError

from satupintu.core.audit import audit_verify


class Command(BaseCommand):
    help = "Periksa rantai hash jejak audit / Verify the audit trail's hash chain."

    def handle(self, *args, **options):
        report = audit_verify()
        if not report.ok:
            where = f"baris #{report.broken_seq}" if report.broken_seq else "akhir rantai"
            raise CommandError(
                f"Rantai audit RUSAK pada {where}: {report.reason} ({report.checked} baris sebelumnya utuh). / "
                f"Audit chain BROKEN at {where}."
            )
        self.stdout.write(f"Rantai audit utuh: {report.checked} baris diperiksa. / Audit chain intact.")
