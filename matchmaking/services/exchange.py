"""Workshops and schedules in the exchange format (negotiation-rounds/1 and its schedule).

Exported documents carry, besides FORMAT.md's fields, what the portal needs to rebuild the
workshop (session times, room names, delegation kinds, the program profile behind an offer);
readers ignore unknown fields, so the files stay valid input for the command line.
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.models import ReferenceIndex
from wagtail.signal_handlers import disable_reference_index_auto_update

from matchmaking import optimizer
from matchmaking.models import (
    Delegation,
    DelegationKind,
    Offer,
    Request,
    Room,
    ScheduleVersion,
    Session,
    VersionSource,
    Workshop,
)
from matchmaking.services.adapter import instance_for, rounds_of, save_version
from portal.models import Country, Institution


class ExchangeError(Exception):
    """A document the portal cannot take; the message names the entry and field."""


def export_instance(workshop):
    document = optimizer.instance_to_dict(instance_for(workshop))
    sessions = {s.key: s for s in workshop.sessions.all()}
    rooms = {r.key: r for r in workshop.rooms.all()}
    delegations = {
        d.key: d for d in workshop.delegations.select_related("country", "institution")
    }
    offers = {o.key: o for o in workshop.offers.select_related("profile")}
    document["workshop"] = {
        "slug": workshop.slug, "starts_on": workshop.starts_on.isoformat(),
        "ends_on": workshop.ends_on.isoformat(), "venue": workshop.venue,
        "time_zone": workshop.time_zone, "bilateral": workshop.bilateral,
        "max_requests": workshop.max_requests,
    }
    for entry in document["sessions"]:
        session = sessions[entry["id"]]
        entry["starts_at"] = session.starts_at.isoformat()
        entry["ends_at"] = session.ends_at.isoformat()
    for entry in document["rooms"]:
        entry["name"] = rooms[entry["id"]].name
    for entry in document["delegations"]:
        delegation = delegations[entry["id"]]
        entry["kind"] = delegation.kind
        if delegation.country_id:
            entry["country"] = delegation.country.iso3
        if delegation.institution_id:
            entry["institution"] = delegation.institution.key
    for entry in document["offers"]:
        profile = offers[entry["id"]].profile
        if profile is not None and profile.external_id:
            entry["profile"] = profile.external_id
    return document


def export_schedule(version):
    """The stored version as a negotiation-rounds-schedule/1 document."""
    report = dict(version.report)
    document = {
        "format": optimizer.model.SCHEDULE_FORMAT,
        "rounds": [
            {"offer": r.offer, "session": r.session, "room": r.room,
             "attendees": list(r.attendees)}
            for r in rounds_of(version)
        ],
        "score": version.score,
    }
    if version.upper_bound is not None:
        document["upper_bound"] = version.upper_bound
    if version.objective:
        document["objective"] = version.objective
    document["proven_optimal"] = version.proven_optimal
    for field in ("delegations", "unmet", "changes"):
        if field in report:
            document[field] = report[field]
    return document


@transaction.atomic
def import_workshop(document, *, slug=None, name=None, created_by=None):
    """Create a workshop from a negotiation-rounds/1 document; all of it or nothing.

    Wagtail re-indexes a workshop's references (ReferenceIndex) on every save of one of its
    rooms or delegations, re-reading all the others each time: quadratic, 7 minutes for a
    600-delegation fair. The import turns that off and indexes the workshop once at the end.
    """
    with disable_reference_index_auto_update():
        workshop = _create_workshop(document, slug=slug, name=name, created_by=created_by)
    ReferenceIndex.create_or_update_for_object(workshop)
    return workshop


def _create_workshop(document, *, slug, name, created_by):
    try:
        instance = optimizer.instance_from_dict(document)
    except optimizer.InvalidInstance as error:
        raise ExchangeError(str(error)) from error
    settings = document.get("workshop") or {}
    slug = slug or settings.get("slug")
    if not slug:
        raise ExchangeError(_("workshop.slug: give the workshop a slug."))
    if Workshop.objects.filter(slug=slug).exists():
        raise ExchangeError(_("workshop.slug: a workshop “%(slug)s” exists already.")
                            % {"slug": slug})
    starts_on = _date(settings.get("starts_on"), "workshop.starts_on")
    time_zone = settings.get("time_zone") or "UTC"
    try:
        zone = ZoneInfo(time_zone)
    except (KeyError, ValueError) as error:
        raise ExchangeError(_("workshop.time_zone: unknown time zone “%(zone)s”.")
                            % {"zone": time_zone}) from error
    workshop = Workshop.objects.create(
        name=name or instance.name or slug,
        slug=slug,
        starts_on=starts_on,
        ends_on=_date(settings.get("ends_on"), "workshop.ends_on", default=starts_on),
        venue=settings.get("venue") or "",
        time_zone=time_zone,
        min_attendees=instance.min_attendees,
        bilateral=bool(settings.get("bilateral", False)),
        max_requests=max(settings.get("max_requests") or 10, _most_requests(instance)),
    )
    if created_by is not None:
        workshop.organisers.add(created_by)
        workshop.organisers.commit()

    sessions = {}
    raw_sessions = {entry["id"]: entry for entry in document["sessions"]}
    for index, session in enumerate(instance.sessions):
        raw = raw_sessions[session.id]
        default_start = datetime.combine(starts_on, time(9), zone) + timedelta(hours=2 * index)
        starts_at = _datetime(raw.get("starts_at"), f"sessions[{index}].starts_at",
                              default_start)
        ends_at = _datetime(raw.get("ends_at"), f"sessions[{index}].ends_at",
                            starts_at + timedelta(hours=1, minutes=30))
        sessions[session.id] = Session.objects.create(
            workshop=workshop, key=session.id, label=session.label, starts_at=starts_at,
            ends_at=ends_at)

    raw_rooms = {entry["id"]: entry for entry in document["rooms"]}
    for room in instance.rooms:
        row = Room.objects.create(workshop=workshop, key=room.id, capacity=room.capacity,
                                  name=raw_rooms[room.id].get("name") or room.id)
        if room.sessions is not None:
            row.sessions.set([sessions[key] for key in room.sessions])
            row.sessions.commit()  # a parental relation is written only on commit

    delegations = {}
    raw_delegations = {entry["id"]: entry for entry in document["delegations"]}
    for index, delegation in enumerate(instance.delegations):
        raw = raw_delegations[delegation.id]
        country, institution, kind = _party(raw, delegation.id, index)
        row = Delegation.objects.create(
            workshop=workshop, key=delegation.id, name=delegation.name or delegation.id,
            kind=kind, country=country, institution=institution,
            delegates=delegation.delegates, max_attended=delegation.max_attended)
        row.unavailable_sessions.set([sessions[key] for key in delegation.unavailable])
        row.unavailable_sessions.commit()
        delegations[delegation.id] = row

    offers = {}
    raw_offers = {entry["id"]: entry for entry in document["offers"]}
    profiles = _profiles_by_external_id(
        [raw.get("profile") or raw["id"] for raw in raw_offers.values()])
    for offer in instance.offers:
        offers[offer.id] = Offer.objects.create(
            workshop=workshop, key=offer.id, delegation=delegations[offer.owner],
            title=offer.title or offer.id, max_repeats=offer.max_repeats,
            topics=list(offer.topics),
            profile=profiles.get(raw_offers[offer.id].get("profile") or offer.id))

    Request.objects.bulk_create(
        Request(delegation=delegations[r.delegation], offer=offers[r.offer], rank=r.rank,
                weight=r.weight)
        for r in instance.requests
    )
    if instance.pinned:
        raise ExchangeError(_("pinned: pins belong to a schedule; import the workshop without "
                              "them and pin rounds in the schedule editor."))
    return workshop


@transaction.atomic
def import_schedule(workshop, document, *, created_by=None):
    """Store a negotiation-rounds-schedule/1 document as a new version, if it is feasible."""
    try:
        rounds = optimizer.rounds_from_dict(document)
    except (optimizer.InvalidSchedule, ValueError) as error:
        raise ExchangeError(str(error)) from error
    instance = instance_for(workshop)
    violations, _score = optimizer.validate(instance, rounds)
    if violations:
        listed = "; ".join(str(violation) for violation in violations[:5])
        raise ExchangeError(
            _("The schedule breaks the workshop's rules (%(count)s problems): %(list)s")
            % {"count": len(violations), "list": listed})
    return save_version(workshop, rounds, source=VersionSource.IMPORT, instance=instance,
                        created_by=created_by, note=_("Imported schedule"))


def latest_version(workshop):
    return ScheduleVersion.objects.filter(workshop=workshop).order_by("-number").first()


def _most_requests(instance):
    counts = {}
    for request in instance.requests:
        counts[request.delegation] = counts.get(request.delegation, 0) + 1
    return max(counts.values(), default=0)


def _party(raw, key, index):
    """Country, institution and kind of a delegation entry, from its extra fields or its id.

    An id that is an ISO 3166 alpha-3 code makes a country delegation (its listed
    institutions are kept for information) unless "kind" says otherwise; any other id is read
    as an institution's key."""
    where = f"delegations[{index}]"
    named = raw.get("institution") or next(iter(raw.get("institutions") or []), None)
    iso3 = str(raw.get("country") or "").upper() or None
    kind = raw.get("kind") if raw.get("kind") in DelegationKind.values else None
    if iso3 is None and kind in (None, DelegationKind.COUNTRY) and Country.objects.filter(
            iso3=key.upper()).exists():
        iso3 = key.upper()
        kind = kind or DelegationKind.COUNTRY
    if named is None and iso3 is None:
        named = key
    country = None
    if iso3 is not None:
        country = Country.objects.filter(iso3=iso3).first()
        if country is None:
            raise ExchangeError(_("%(where)s.country: unknown country code “%(code)s”.")
                                % {"where": where, "code": iso3})
    institution = None
    if named is not None:
        institution = Institution.objects.filter(key=named).first()
        if institution is None:
            raise ExchangeError(
                _("%(where)s: “%(key)s” is neither a country code nor an institution key; add "
                  "a \"country\" or \"institution\" field.") % {"where": where, "key": named})
    if kind == DelegationKind.COUNTRY or (kind is None and institution is None):
        return country, institution, DelegationKind.COUNTRY
    if kind is None:
        kind = (DelegationKind.SUBREGIONAL_MECHANISM
                if institution.kind == "subregional_mechanism" else DelegationKind.INSTITUTION)
    return country or institution.country, institution, kind


def _profiles_by_external_id(external_ids):
    """Each profile's original-language page, by external id (translations share the id)."""
    from programs.models import ProgramProfilePage

    wanted = {key for key in external_ids if key}
    profiles = {}
    pages = ProgramProfilePage.objects.filter(external_id__in=wanted).select_related("locale")
    for page in pages:
        if page.locale.language_code == page.original_language or (
                page.external_id not in profiles):
            profiles[page.external_id] = page
    return profiles


def _date(value, where, default=None):
    from datetime import date

    if value in (None, ""):
        if default is not None:
            return default
        raise ExchangeError(_("%(where)s: required (YYYY-MM-DD).") % {"where": where})
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError) as error:
        raise ExchangeError(_("%(where)s: “%(value)s” is not a date (YYYY-MM-DD).")
                            % {"where": where, "value": value}) from error


def _datetime(value, where, default):
    if value in (None, ""):
        return default
    try:
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError) as error:
        raise ExchangeError(_("%(where)s: “%(value)s” is not a date and time (ISO 8601).")
                            % {"where": where, "value": value}) from error
    if moment.tzinfo is None:
        raise ExchangeError(_("%(where)s: give the time zone offset, e.g. "
                              "2012-11-01T09:00:00-05:00.") % {"where": where})
    return moment
