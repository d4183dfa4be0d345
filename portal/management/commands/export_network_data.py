"""`manage.py export_network_data ARCHIVE.zip`: every country's and organisation's data, the
site's pages and the uploaded files, as one archive (see portal/network_archive.py)."""

import time

from django.core.management.base import BaseCommand, CommandError

from portal.network_archive import NetworkArchiveError, export_archive


class Command(BaseCommand):
    help = ("Write the whole network's data (accounts, countries, pages, profiles, registry, "
            "library, workshops, outcomes) and its uploaded files to one zip archive, for "
            "`import_network_data`.")

    def add_arguments(self, parser):
        parser.add_argument("archive", help="Path of the zip file to write (replaced if it "
                                            "exists, only once the new archive is complete).")
        parser.add_argument("--database", default="default", help="Database alias to read.")

    def handle(self, *args, archive, database, **options):
        started = time.monotonic()
        try:
            summary = export_archive(archive, using=database)
        except NetworkArchiveError as error:
            raise CommandError(str(error)) from error
        size = summary.path.stat().st_size
        self.stdout.write(self.style.SUCCESS(
            f"Exported {summary.rows} rows of {summary.models} models and "
            f"{summary.media_files} media files ({summary.media_bytes / 1e6:.1f} MB) to "
            f"{summary.path} ({size / 1e6:.1f} MB) in {time.monotonic() - started:.1f} s."))
