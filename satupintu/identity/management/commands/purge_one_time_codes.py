from django.core.management.base import BaseCommand

from satupintu.identity.services import one_time_codes_purge


class Command(BaseCommand):
    help = "Delete one-time codes and pending sign-ups that expired more than a day ago (run daily)."

    def handle(self, *args, **options):
        count = one_time_codes_purge()
        self.stdout.write(f"{count} kode kedaluwarsa dihapus. / {count} expired codes deleted.")
