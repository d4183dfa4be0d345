"""The matchmaking part of the demo: the Santa Marta 2012 workshop of seed 003, ready to
optimise (delegations, the annex's offers linked to their program profiles, 4 sessions x 4
rooms, and Table 1's requests ranked), with the demo organiser and delegates attached.

Runs on every `make run`: an existing workshop is completed, never duplicated.
"""

import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model

from matchmaking.models import Delegate, Delegation, Workshop
from matchmaking.services.exchange import import_workshop

DATA_FILE = Path(__file__).resolve().parent / "data" / "santa_marta_2012.json"
SLUG = "santa-marta-2012"
ZONE = ZoneInfo("America/Bogota")
# The seed dates the rounds to Thursday 1 November 2012 without clock times (see the data
# file's mapping notes); these follow its session labels.
SESSION_TIMES = {
    "s1": ((9, 0), (10, 30)),
    "s2": ((11, 0), (12, 30)),
    "s3": ((14, 0), (15, 30)),
    "s4": ((16, 0), (17, 30)),
}
ORGANISER = "organiser@example.org"
DELEGATES = {"COL": "delegate.col@example.org", "PER": "delegate.per@example.org"}


def document():
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    data["workshop"] = {
        "slug": SLUG, "starts_on": "2012-10-31", "ends_on": "2012-11-02",
        "venue": "Santa Marta, Colombia", "time_zone": "America/Bogota", "bilateral": False,
        "max_requests": 10,
    }
    for session in data["sessions"]:
        (start_hour, start_minute), (end_hour, end_minute) = SESSION_TIMES[session["id"]]
        session["starts_at"] = datetime(2012, 11, 1, start_hour, start_minute,
                                        tzinfo=ZONE).isoformat()
        session["ends_at"] = datetime(2012, 11, 1, end_hour, end_minute,
                                      tzinfo=ZONE).isoformat()
    return data


def load(stdout):
    workshop = Workshop.objects.filter(slug=SLUG).first()
    if workshop is None:
        workshop = import_workshop(
            document(), name="Third Workshop on Social Policy and International Cooperation")
        workshop.description = (
            "Santa Marta, Colombia, 31 October – 2 November 2012. Delegations of 13 countries "
            "and 2 subregional mechanisms present their programs in negotiation rounds: four "
            "sessions with four groups meeting at once.")
        workshop.save(update_fields=["description"])
        stdout.write(f"  workshop {workshop.slug}: {workshop.offers.count()} offers, "
                     f"{workshop.delegations.count()} delegations")
    users = get_user_model().objects
    organiser = users.filter(email=ORGANISER).first()
    if organiser is not None and not workshop.organisers.filter(pk=organiser.pk).exists():
        workshop.organisers.add(organiser)
        workshop.organisers.commit()
    for key, email in DELEGATES.items():
        user = users.filter(email=email).first()
        delegation = Delegation.objects.filter(workshop=workshop, key=key).first()
        if user is None or delegation is None:
            continue
        Delegate.objects.get_or_create(
            delegation=delegation, user=user,
            defaults={"name": user.get_full_name() or email, "email": email})
    return workshop
