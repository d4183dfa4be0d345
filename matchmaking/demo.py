"""The matchmaking part of the demo: the Santa Marta 2012 workshop of seed 003, ready to
optimise (delegations, the annex's offers linked to their program profiles, 4 sessions x 4
rooms, and Table 1's requests ranked), with the demo organiser and delegates attached; and
its outcomes: Table 1's 46 cooperation intentions, some followed up, two selected for
funding, and the published outcome report.

Runs on every `make run`: an existing workshop is completed, never duplicated.
"""

import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model

from matchmaking.models import Delegate, Delegation, Offer, Stage, Workshop
from matchmaking.services import outcomes
from matchmaking.services.exchange import import_workshop

DATA_FILE = Path(__file__).resolve().parent / "data" / "santa_marta_2012.json"
INTENTIONS_FILE = Path(__file__).resolve().parent / "data" / "santa_marta_2012_intentions.json"
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
# The agreements were signed at the end of the rounds' day.
AGREED_AT = datetime(2012, 11, 1, 18, 0, tzinfo=ZONE)
# SYNTHETIC follow-up (the seed stops at the selection for funding): Table 1 row -> moves
# (stage, date, comment). Rows 23 and 41 are the two the network funded (see the data file's
# notes); their funding is recorded on FUNDED_ON.
FOLLOW_UP = {
    3: [(Stage.PLAN_AGREED, (2013, 2, 15), "")],
    9: [(Stage.PLAN_AGREED, (2013, 3, 1), "")],
    11: [(Stage.PLAN_AGREED, (2013, 1, 20), ""), (Stage.FUNDING_REQUESTED, (2013, 4, 10), "")],
    14: [(Stage.PLAN_AGREED, (2013, 2, 5), "")],
    18: [(Stage.PLAN_AGREED, (2013, 3, 12), ""),
         (Stage.DROPPED, (2013, 9, 30), "The supplying ministry could not host the visit.")],
    23: [(Stage.PLAN_AGREED, (2012, 12, 10), ""), (Stage.FUNDING_REQUESTED, (2013, 1, 15), ""),
         "funding", (Stage.UNDER_WAY, (2013, 5, 6), "")],
    25: [(Stage.DROPPED, (2013, 6, 1), "No supplier was found for the topic.")],
    41: [(Stage.PLAN_AGREED, (2012, 12, 14), ""), (Stage.FUNDING_REQUESTED, (2013, 1, 15), ""),
         "funding", (Stage.UNDER_WAY, (2013, 4, 22), ""),
         (Stage.COMPLETED, (2013, 8, 30), "Expert visit and final workshop held in Lima.")],
}
FUNDED_ON = (2013, 3, 1)
# SYNTHETIC amounts: the seed names the source but not the sums.
FUNDING = {"amount": "15000", "currency": "USD",
           "source": "IASPN project supported by the U.S. Department of State"}
REPORT = {
    "title_en": "Santa Marta 2012: cooperation agreed in the negotiation rounds",
    "title_es": "Santa Marta 2012: cooperación acordada en las rondas de negociación",
    "summary_en": (
        "In the negotiation rounds of the Third Workshop on Social Policy and International "
        "Cooperation, delegations reached 46 preliminary cooperation agreements. Academic "
        "activities and expert visits were the preferred forms of cooperation, most often "
        "through inter-institutional or bilateral agreements. Two activities were selected "
        "for funding by the Inter-American Social Protection Network."),
    "summary_es": (
        "En las rondas de negociación del Tercer Taller de Política Social y Cooperación "
        "Internacional, las delegaciones alcanzaron 46 acuerdos preliminares de cooperación. "
        "Las actividades académicas y las visitas de expertos fueron las formas de cooperación "
        "preferidas, sobre todo mediante acuerdos interinstitucionales o bilaterales. Dos "
        "actividades fueron seleccionadas para financiamiento por la Red Interamericana de "
        "Protección Social."),
}


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
    if not workshop.intentions.exists():
        load_intentions(workshop, organiser)
        stdout.write(f"  workshop {workshop.slug}: {workshop.intentions.count()} cooperation "
                     "intentions")
    return workshop


def _moment(year_month_day):
    return datetime(*year_month_day, 12, 0, tzinfo=ZONE)


def load_intentions(workshop, organiser=None):
    """Table 1 as intentions (numbered by their row), the follow-up above, the report."""
    data = json.loads(INTENTIONS_FILE.read_text(encoding="utf-8"))
    delegations = {delegation.key: delegation for delegation in workshop.delegations.all()}
    offers = {offer.key: offer for offer in Offer.objects.filter(workshop=workshop)}
    intentions = {}
    for row in data["intentions"]:
        supplying = row["supplying"]
        keys = [] if supplying is None else ([supplying] if isinstance(supplying, str)
                                             else supplying)
        fields = outcomes.IntentionFields(
            demanding=delegations[row["demanding"]],
            suppliers=[delegations[key] for key in keys],
            offer=offers.get(row["offer"]), topic=row["topic"],
            activity_types=row["activity_types"], mechanism=row["mechanism"] or "",
            focus=row["focus"] or "", focus_component=row["focus_component"] or "",
            notes=f"Table 1: {row['demanding']} ← {row['supplying_text']}, "
                  f"“{row['topic_text']}”.")
        intentions[row["row"]] = outcomes.record_intention(
            workshop, fields, by=organiser, number=row["row"], recorded_at=AGREED_AT)
    funded = {number for number, moves in FOLLOW_UP.items() if "funding" in moves}
    if funded != set(data["selected_for_funding"]):
        raise ValueError(f"The demo funds rows {sorted(funded)}, the data file names "
                         f"{data['selected_for_funding']}.")
    for number, moves in FOLLOW_UP.items():
        intention = intentions[number]
        for move in moves:
            if move == "funding":
                outcomes.select_for_funding(intention, by=organiser,
                                            selected_at=_moment(FUNDED_ON), **FUNDING)
            else:
                stage, day, comment = move
                outcomes.move_intention(intention, stage, by=organiser, moved_at=_moment(day),
                                        comment=comment)
    report = outcomes.save_outcome_report(workshop, REPORT, by=organiser, publish=True,
                                          today=_moment((2013, 9, 1)).date())
    return intentions, report
