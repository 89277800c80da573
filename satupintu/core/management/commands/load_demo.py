import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from satupintu.demo import load_all


class Command(BaseCommand):
    help = "Muat data demo (idempoten) / Load the demo data (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--logins-json", help="write the demo logins to this file")

    def handle(self, *args, logins_json=None, **options):
        if settings.PRODUCTION:
            raise CommandError("Data demo tidak dimuat di produksi / demo data is never loaded in production")
        logins = load_all(self.stdout)
        if logins_json:
            with open(logins_json, "w", encoding="utf-8") as fh:
                json.dump([login.__dict__ for login in logins], fh, indent=1)
        self.stdout.write(f"Data demo siap ({len(logins)} akun demo). / Demo data ready.")
