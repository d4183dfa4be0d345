"""`python manage.py create_trade_fair [--slug S] [--rooms 300] [--sessions 8] [--rounds 2000]
[--delegations 600] [--seed 0] [--organiser EMAIL]`: a large sample workshop with a ready
schedule, to try the schedule editor at the size of a trade fair."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from matchmaking.optimizer.bench.trade_fair import TradeFairShape
from matchmaking.services.exchange import ExchangeError
from matchmaking.services.samples import create_trade_fair


class Command(BaseCommand):
    help = "Create a large sample workshop (a trade fair) with its schedule."

    def add_arguments(self, parser):
        defaults = TradeFairShape()
        parser.add_argument("--slug", default="trade-fair")
        parser.add_argument("--rooms", type=int, default=defaults.rooms)
        parser.add_argument("--sessions", type=int, default=defaults.sessions)
        parser.add_argument("--rounds", type=int, default=defaults.rounds)
        parser.add_argument("--delegations", type=int, default=defaults.delegations)
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--organiser", help="Email of the account that organises it.")

    def handle(self, *args, **options):
        organiser = None
        if options["organiser"]:
            organiser = get_user_model().objects.filter(email=options["organiser"]).first()
            if organiser is None:
                raise CommandError(f"--organiser: no account has the email "
                                   f"{options['organiser']!r}.")
        shape = TradeFairShape(rooms=options["rooms"], sessions=options["sessions"],
                               rounds=options["rounds"], delegations=options["delegations"])
        try:
            workshop = create_trade_fair(slug=options["slug"], organiser=organiser,
                                         shape=shape, seed=options["seed"])
        except (ExchangeError, ValueError) as error:
            raise CommandError(str(error)) from error
        rounds = workshop.current_version.rounds.count()
        self.stdout.write(f"Created workshop {workshop.slug!r}: {shape.rooms} rooms, "
                          f"{shape.sessions} sessions, {rounds} rounds.")
