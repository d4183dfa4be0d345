"""`python manage.py import_workshop FILE [--slug S] [--name N] [--organiser EMAIL]...
[--schedule SCHEDULE.json]`: create a workshop from a negotiation-rounds/1 file, optionally
with a negotiation-rounds-schedule/1 file as its working schedule."""

import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from matchmaking.services.exchange import ExchangeError, import_schedule, import_workshop


class Command(BaseCommand):
    help = "Create a workshop from a negotiation-rounds/1 JSON file."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--slug")
        parser.add_argument("--name")
        parser.add_argument("--organiser", action="append", default=[],
                            help="Email of an organiser (repeatable).")
        parser.add_argument("--schedule", help="A negotiation-rounds-schedule/1 file.")

    def handle(self, *args, **options):
        document = _read(options["file"])
        users = []
        for email in options["organiser"]:
            user = get_user_model().objects.filter(email__iexact=email).first()
            if user is None:
                raise CommandError(f"--organiser {email}: no account with that email.")
            users.append(user)
        try:
            with transaction.atomic():
                workshop = import_workshop(document, slug=options["slug"], name=options["name"])
                workshop.organisers.add(*users)
                workshop.save()
                if options["schedule"]:
                    version = import_schedule(workshop, _read(options["schedule"]))
                    workshop.current_version = version
                    workshop.save(update_fields=["current_version"])
        except ExchangeError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Workshop “{workshop.name}” created as {workshop.slug}.")


def _read(path):
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, json.JSONDecodeError) as error:
        raise CommandError(f"{path}: {error}") from error
