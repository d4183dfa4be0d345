"""Sample workshops for trying the portal at scale: a large trade fair with its schedule.

Organisers use it to see how the schedule editor handles an event of their size before they
import their own; the editor benchmark uses it to measure the page. It goes through the same
import path as a real negotiation-rounds/1 file, so nothing here writes rows by itself.
"""

from datetime import date

from django.db import transaction

from matchmaking import optimizer
from matchmaking.optimizer.bench.trade_fair import DEFAULT_TOPICS, TradeFairShape, trade_fair
from matchmaking.optimizer.model import SCHEDULE_FORMAT
from matchmaking.services.exchange import import_schedule, import_workshop
from portal.models import Country
from programs.models import Topic


@transaction.atomic
def create_trade_fair(*, slug, organiser=None, shape=None, seed=0, starts_on=None):
    """Create workshop `slug` from `trade_fair(shape, seed)` with its schedule as the working
    version. Its delegations are country delegations, several per country (ministries and
    agencies of the same government), so it needs the countries of the reference data."""
    countries = list(Country.objects.order_by("iso3").values_list("iso3", flat=True))
    if not countries:
        raise ValueError("No countries: load the reference data (manage.py load_demo_data).")
    topics = tuple(Topic.objects.order_by("sort_order", "key").values_list("key", flat=True))
    shape = shape or TradeFairShape()
    shape = TradeFairShape(**{**shape.__dict__, "topics": topics or DEFAULT_TOPICS})
    fair = trade_fair(shape, seed)
    document = optimizer.instance_to_dict(fair.instance)
    document["workshop"] = {"slug": slug, "starts_on": (starts_on or date.today()).isoformat(),
                            "time_zone": "America/Bogota"}
    for index, delegation in enumerate(document["delegations"]):
        delegation["country"] = countries[index % len(countries)]
    workshop = import_workshop(document, created_by=organiser)
    version = import_schedule(workshop, {
        "format": SCHEDULE_FORMAT,
        "rounds": [{"offer": r.offer, "session": r.session, "room": r.room,
                    "attendees": list(r.attendees)} for r in fair.rounds],
    }, created_by=organiser)
    workshop.current_version = version
    workshop.save(update_fields=["current_version"])
    return workshop
