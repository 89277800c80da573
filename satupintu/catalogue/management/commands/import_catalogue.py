from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from satupintu.catalogue.importer import CatalogueInvalid, import_catalogue


class Command(BaseCommand):
    help = (
        "Impor katalog layanan sebuah MPP dari YAML. Berkas yang salah ditolak utuh dengan baris dan "
        "kolomnya. / Import a mall's service catalogue from YAML; a bad file is rejected whole."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?",
                            default=str(settings.REFERENCE_DATA_DIR / "catalogue" / "mpp-kota-tangerang.yaml"))
        parser.add_argument("--dry-run", action="store_true", help="laporkan perubahan tanpa menyimpan")

    def handle(self, *args, path, dry_run, **options):
        try:
            report = import_catalogue(Path(path), dry_run=dry_run)
        except CatalogueInvalid as exc:
            lines = "\n".join(f"  {p}" for p in exc.problems)
            raise CommandError(
                f"{exc.path or path}: berkas ditolak, tidak ada yang diubah / file rejected, nothing changed "
                f"({len(exc.problems)} masalah / problems):\n{lines}"
            ) from exc
        for line in report.lines():
            self.stdout.write(line)
        if dry_run:
            self.stdout.write("(uji coba: tidak disimpan / dry run: nothing saved)")
