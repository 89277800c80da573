from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from satupintu.catalogue.importer import CatalogueInvalid, import_regions


class Command(BaseCommand):
    help = "Impor wilayah Kemendagri dari CSV / Import Kemendagri regions from the CSV folder."

    def add_arguments(self, parser):
        parser.add_argument("directory", nargs="?", default=str(settings.REFERENCE_DATA_DIR / "wilayah"))

    def handle(self, *args, directory, **options):
        try:
            report = import_regions(Path(directory))
        except CatalogueInvalid as exc:
            raise CommandError(f"{exc.path}:\n" + "\n".join(f"  {p}" for p in exc.problems)) from exc
        for line in report.lines():
            self.stdout.write(line)
