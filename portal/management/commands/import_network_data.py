"""`manage.py import_network_data ARCHIVE.zip`: restore an archive of `export_network_data`
into a freshly migrated database (see portal/network_archive.py)."""

import time

from django.core.management.base import BaseCommand, CommandError

from portal.network_archive import NetworkArchiveError, import_archive, rebuild_derived_data


class Command(BaseCommand):
    help = ("Restore an archive written by `export_network_data` into a freshly migrated "
            "database, then rebuild the search indexes. Verifies the whole archive first; "
            "a failed import changes nothing.")

    def add_arguments(self, parser):
        parser.add_argument("archive", help="Path of the zip file to read.")
        parser.add_argument("--database", default="default", help="Database alias to write.")

    def handle(self, *args, archive, database, **options):
        started = time.monotonic()
        try:
            # Committed on return; the indexes are rebuilt below, to time them apart.
            summary = import_archive(archive, using=database, rebuild=False)
        except NetworkArchiveError as error:
            raise CommandError(f"Nothing was imported. {error}") from error
        self.stdout.write(
            f"Imported {summary.rows} rows of {summary.models} models and "
            f"{summary.media_files} media files in {time.monotonic() - started:.1f} s.")
        if summary.replaced:
            self.stdout.write("Replaced what `migrate` had created: " + ", ".join(
                f"{label} ({count})" for label, count in sorted(summary.replaced.items())))
        started = time.monotonic()
        rebuild_derived_data()
        self.stdout.write(self.style.SUCCESS(
            f"Search indexes and reference index rebuilt in {time.monotonic() - started:.1f} s."))
