"""`python manage.py import_workshop FILE [--slug S] [--name N] [--organiser EMAIL]...
[--delegate KEY=EMAIL]... [--schedule SCHEDULE.json]`: create a workshop from a
negotiation-rounds/1 file, optionally with a negotiation-rounds-schedule/1 file as its
working schedule; all of it or nothing."""

import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from matchmaking.models import Delegate
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
        parser.add_argument("--delegate", action="append", default=[], metavar="KEY=EMAIL",
                            help="Make the account with EMAIL a delegate of the delegation "
                                 "KEY, so that they see its agenda (repeatable).")

    def handle(self, *args, **options):
        document = _read(options["file"])
        users = [_account("--organiser", email) for email in options["organiser"]]
        delegates = []
        for pair in options["delegate"]:
            key, _sign, email = pair.partition("=")
            if not key or not email:
                raise CommandError(f"--delegate {pair}: write KEY=EMAIL.")
            delegates.append((key, _account("--delegate", email)))
        try:
            with transaction.atomic():
                workshop = import_workshop(document, slug=options["slug"], name=options["name"])
                workshop.organisers.add(*users)
                workshop.save()
                for key, user in delegates:
                    delegation = workshop.delegations.filter(key=key).first()
                    if delegation is None:
                        raise CommandError(f"--delegate {key}: no delegation with that key.")
                    Delegate.objects.create(delegation=delegation, user=user, email=user.email,
                                            name=user.get_full_name() or user.email)
                if options["schedule"]:
                    version = import_schedule(workshop, _read(options["schedule"]))
                    workshop.current_version = version
                    workshop.save(update_fields=["current_version"])
        except ExchangeError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Workshop “{workshop.name}” created as {workshop.slug}.")


def _account(option, email):
    user = get_user_model().objects.filter(email__iexact=email).first()
    if user is None:
        raise CommandError(f"{option} {email}: no account with that email.")
    return user


def _read(path):
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, json.JSONDecodeError) as error:
        raise CommandError(f"{path}: {error}") from error
