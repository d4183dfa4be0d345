"""A small workshop with a known schedule, for the rounds tests (jobs, editor, agendas).

Three country delegations (COL, PER, ARG) meet in two sessions and two rooms in Bogotá.
COL presents "col-unidos", PER presents "per-juntos"; ARG presents "arg-auh" to nobody.
Version 1 (set as working version) is:

    s1 / r1: col-unidos, attended by PER and ARG
    s2 / r1: per-juntos, attended by COL and ARG
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from matchmaking import optimizer
from matchmaking.models import (
    Delegate,
    Delegation,
    DelegationKind,
    Offer,
    Request,
    Room,
    Session,
    VersionSource,
    Workshop,
)
from matchmaking.services.adapter import instance_for, save_version
from portal.accounts.roles import Role
from portal.models import Country
from tests.conftest import make_user

BOGOTA = ZoneInfo("America/Bogota")


def small_workshop(slug="small-workshop", *, organiser=None, bilateral=False, schedule=True,
                   min_attendees=2):
    workshop = Workshop.objects.create(
        name="Cooperation, Bogotá; 2026", slug=slug, starts_on="2026-03-10",
        ends_on="2026-03-10", venue="Hotel Tequendama", time_zone="America/Bogota",
        min_attendees=min_attendees, bilateral=bilateral)
    if organiser is not None:
        workshop.organisers.add(organiser)
        workshop.save()
    sessions = [
        Session.objects.create(workshop=workshop, key="s1", label="Tuesday morning",
                               starts_at=datetime(2026, 3, 10, 9, 0, tzinfo=BOGOTA),
                               ends_at=datetime(2026, 3, 10, 10, 30, tzinfo=BOGOTA)),
        Session.objects.create(workshop=workshop, key="s2", label="Tuesday late morning",
                               starts_at=datetime(2026, 3, 10, 11, 0, tzinfo=BOGOTA),
                               ends_at=datetime(2026, 3, 10, 12, 30, tzinfo=BOGOTA)),
    ]
    Room.objects.create(workshop=workshop, key="r1", name="Sala Caribe", capacity=4)
    Room.objects.create(workshop=workshop, key="r2", name="Sala Andes", capacity=4)
    delegations = {}
    for iso3, name in (("COL", "Colombia"), ("PER", "Peru"), ("ARG", "Argentina")):
        delegations[iso3] = Delegation.objects.create(
            workshop=workshop, key=iso3, name=name, kind=DelegationKind.COUNTRY,
            country=Country.objects.get(iso3=iso3), delegates=2)
    offers = {
        "col-unidos": Offer.objects.create(workshop=workshop, key="col-unidos",
                                           delegation=delegations["COL"],
                                           title="Red UNIDOS", max_repeats=2),
        "per-juntos": Offer.objects.create(workshop=workshop, key="per-juntos",
                                           delegation=delegations["PER"], title="JUNTOS"),
        "arg-auh": Offer.objects.create(workshop=workshop, key="arg-auh",
                                        delegation=delegations["ARG"],
                                        title="Asignación Universal por Hijo"),
    }
    for delegation, offer, rank in (("PER", "col-unidos", 1), ("ARG", "col-unidos", 2),
                                    ("COL", "per-juntos", 1), ("ARG", "per-juntos", 1)):
        Request.objects.create(delegation=delegations[delegation], offer=offers[offer],
                               rank=rank)
    if schedule:
        rounds = [optimizer.Round("col-unidos", "s1", "r1", ("ARG", "PER")),
                  optimizer.Round("per-juntos", "s2", "r1", ("ARG", "COL"))]
        store(workshop, rounds, organiser)
    return workshop, sessions, delegations


def store(workshop, rounds, user=None, source=VersionSource.IMPORT):
    instance = instance_for(workshop)
    version = save_version(workshop, rounds, source=source, instance=instance, created_by=user,
                           parent=workshop.current_version)
    workshop.current_version = version
    workshop.save(update_fields=["current_version"])
    return version


def member(delegation, *, email=None, name="Ana Delegada"):
    """A named delegate with an account, belonging to `delegation`."""
    user = make_user(Role.COUNTRY_DELEGATE, country=delegation.country,
                     **({"email": email} if email else {}))
    Delegate.objects.create(delegation=delegation, name=name, email=user.email, user=user)
    return user
