"""Organisers' edits of the working schedule: move, swap, pin, attendees.

Each edit reads the working version under a row lock on the workshop, applies the change to
the optimiser's rounds, checks the result with the optimiser's own rules
(`optimizer.validate`) and either stores it as a new version (parent: the version edited)
or refuses with every violation, saving nothing. An edit names the version it was based on;
if another organiser saved a newer one meanwhile, the edit is refused and says who.
"""

import dataclasses

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from matchmaking import optimizer
from matchmaking.models import Delegation, VersionSource, Workshop
from matchmaking.services.adapter import instance_for, rounds_queryset, save_version
from matchmaking.services.consent import attendance_refusal
from matchmaking.services.schedule_access import is_organiser

RULE_LABELS = {
    1: gettext_lazy("rooms and sessions"),
    2: gettext_lazy("offer repeats"),
    3: gettext_lazy("attendees requested the offer"),
    4: gettext_lazy("round size"),
    5: gettext_lazy("delegates available, most rounds attended"),
    6: gettext_lazy("pins"),
}


class EditRefused(Exception):
    """An edit not saved; `violations` lists the broken rules, if that is the reason."""

    def __init__(self, message, violations=()):
        super().__init__(message)
        self.message = message
        self.violations = [describe_violation(v) for v in violations]


class StaleVersion(EditRefused):
    pass


def describe_violation(violation):
    label = RULE_LABELS.get(violation.rule, violation.label)
    return _("Rule %(number)s (%(label)s): %(message)s") % {
        "number": violation.rule, "label": label, "message": violation.message}


class _Draft:
    """The working version's rounds as mutable records, keyed by Round row id."""

    def __init__(self, workshop, version):
        self.workshop = workshop
        self.version = version
        self.rows = {row.pk: row for row in rounds_queryset(version)}
        self.cells = {
            pk: {"offer": row.offer.key, "session": row.session.key, "room": row.room.key,
                 "attendees": [d.key for d in row.attendees.all()], "pinned": row.pinned}
            for pk, row in self.rows.items()
        }

    def cell(self, round_id):
        try:
            return self.cells[int(round_id)]
        except (KeyError, TypeError, ValueError):
            raise EditRefused(_("That round is not part of version %(number)s.")
                              % {"number": self.version.number}) from None

    def rounds(self):
        return [optimizer.Round(c["offer"], c["session"], c["room"], tuple(sorted(c["attendees"])))
                for c in self.cells.values()]

    def pinned_keys(self):
        return {(c["offer"], c["session"], c["room"]) for c in self.cells.values() if c["pinned"]}


def _instance(workshop, pinned_keys):
    pins = tuple(optimizer.Pin(*key) for key in sorted(pinned_keys))
    return dataclasses.replace(instance_for(workshop), pinned=pins)


def _locked_draft(workshop, user, based_on):
    if not is_organiser(user, workshop):
        raise EditRefused(_("Only the workshop's organisers can edit its schedule."))
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    current = workshop.current_version
    if current is None:
        raise EditRefused(_("There is no schedule to edit yet; build one first."))
    try:
        based_on = int(based_on)
    except (TypeError, ValueError):
        raise EditRefused(_("The edit does not say which version it was based on; reload "
                            "the schedule.")) from None
    if current.number != based_on:
        author = current.created_by
        who = (author.get_full_name() or author.email) if author else _("The optimiser")
        moment = formats.time_format(timezone.localtime(
            current.created_at, timezone=_zone(workshop)), "H:i")
        raise StaleVersion(
            _("%(who)s saved version %(number)s at %(time)s, after the version %(based)s you "
              "were editing. Nothing was saved: reload the schedule and make your change "
              "again.") % {"who": who, "number": current.number, "time": moment,
                           "based": based_on})
    return workshop, _Draft(workshop, current)


def _zone(workshop):
    from zoneinfo import ZoneInfo

    return ZoneInfo(workshop.time_zone)


def _save(workshop, draft, user, note):
    instance = _instance(workshop, draft.pinned_keys())
    rounds = draft.rounds()
    violations, _score = optimizer.validate(instance, rounds)
    if violations:
        raise EditRefused(_("The edit breaks the workshop's rules, so it was not saved."),
                          violations)
    version = save_version(workshop, rounds, source=VersionSource.EDIT, instance=instance,
                           parent=draft.version, created_by=user, note=note,
                           pinned_keys=draft.pinned_keys())
    workshop.current_version = version
    workshop.save(update_fields=["current_version"])
    return version


def _session_and_room(workshop, session_key, room_key):
    session = workshop.sessions.filter(key=session_key).first()
    room = workshop.rooms.filter(key=room_key).first()
    if session is None or room is None:
        raise EditRefused(_("Choose a session and a room of this workshop."))
    return session, room


@transaction.atomic
def move_round(workshop, user, *, based_on, round_id, session_key, room_key):
    workshop, draft = _locked_draft(workshop, user, based_on)
    cell = draft.cell(round_id)
    session, room = _session_and_room(workshop, session_key, room_key)
    occupied = [c for pk, c in draft.cells.items() if pk != int(round_id)
                and c["session"] == session.key and c["room"] == room.key]
    if occupied:
        raise EditRefused(_("%(room)s already holds a round in %(session)s; swap the two "
                            "rounds instead.") % {"room": room.name, "session": session})
    note = _("Moved “%(offer)s” to %(session)s, %(room)s") % {
        "offer": draft.rows[int(round_id)].offer.title, "session": session, "room": room.name}
    cell["session"], cell["room"] = session.key, room.key
    return _save(workshop, draft, user, note)


@transaction.atomic
def swap_rounds(workshop, user, *, based_on, round_id, other_round_id):
    workshop, draft = _locked_draft(workshop, user, based_on)
    first, second = draft.cell(round_id), draft.cell(other_round_id)
    if first is second:
        raise EditRefused(_("Choose two different rounds to swap."))
    first["session"], second["session"] = second["session"], first["session"]
    first["room"], second["room"] = second["room"], first["room"]
    note = _("Swapped “%(first)s” and “%(second)s”") % {
        "first": draft.rows[int(round_id)].offer.title,
        "second": draft.rows[int(other_round_id)].offer.title}
    return _save(workshop, draft, user, note)


@transaction.atomic
def set_pinned(workshop, user, *, based_on, round_id, pinned):
    workshop, draft = _locked_draft(workshop, user, based_on)
    cell = draft.cell(round_id)
    if cell["pinned"] == bool(pinned):
        raise EditRefused(_("The round is already pinned.") if pinned
                          else _("The round is not pinned."))
    cell["pinned"] = bool(pinned)
    title = draft.rows[int(round_id)].offer.title
    note = (_("Pinned “%(offer)s”") if pinned else _("Unpinned “%(offer)s”")) % {"offer": title}
    return _save(workshop, draft, user, note)


def _delegation(workshop, key):
    delegation = Delegation.objects.filter(workshop=workshop, key=key).first()
    if delegation is None:
        raise EditRefused(_("Choose a delegation of this workshop."))
    return delegation


@transaction.atomic
def add_attendee(workshop, user, *, based_on, round_id, delegation_key):
    workshop, draft = _locked_draft(workshop, user, based_on)
    cell = draft.cell(round_id)
    delegation = _delegation(workshop, delegation_key)
    if delegation.key in cell["attendees"]:
        raise EditRefused(_("%(delegation)s already attends this round.")
                          % {"delegation": delegation.name})
    offer = draft.rows[int(round_id)].offer
    refusal = attendance_refusal(workshop, delegation, offer)
    if refusal is not None:
        raise EditRefused(refusal)
    if delegation.max_attended is not None:
        attended = sum(delegation.key in c["attendees"] for c in draft.cells.values())
        if attended >= delegation.max_attended:
            raise EditRefused(ngettext(
                "%(delegation)s already attends %(count)d round, the most it may attend "
                "over the workshop (set in its delegation's “most rounds attended”).",
                "%(delegation)s already attends %(count)d rounds, the most it may attend "
                "over the workshop (set in its delegation's “most rounds attended”).",
                attended) % {"delegation": delegation.name, "count": attended})
    cell["attendees"].append(delegation.key)
    note = _("Added %(delegation)s to “%(offer)s”") % {
        "delegation": delegation.name, "offer": draft.rows[int(round_id)].offer.title}
    return _save(workshop, draft, user, note)


@transaction.atomic
def remove_attendee(workshop, user, *, based_on, round_id, delegation_key):
    workshop, draft = _locked_draft(workshop, user, based_on)
    cell = draft.cell(round_id)
    delegation = _delegation(workshop, delegation_key)
    if delegation.key not in cell["attendees"]:
        raise EditRefused(_("%(delegation)s does not attend this round.")
                          % {"delegation": delegation.name})
    cell["attendees"].remove(delegation.key)
    note = _("Removed %(delegation)s from “%(offer)s”") % {
        "delegation": delegation.name, "offer": draft.rows[int(round_id)].offer.title}
    return _save(workshop, draft, user, note)


@transaction.atomic
def import_schedule_document(workshop, user, document):
    """A negotiation-rounds-schedule/1 document becomes the working version, if feasible."""
    from matchmaking.services.exchange import ExchangeError, import_schedule

    if not is_organiser(user, workshop):
        raise EditRefused(_("Only the workshop's organisers can edit its schedule."))
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    try:
        version = import_schedule(workshop, document, created_by=user)
    except ExchangeError as error:
        raise EditRefused(str(error)) from error
    version.parent = workshop.current_version
    version.save(update_fields=["parent"])
    workshop.current_version = version
    workshop.save(update_fields=["current_version"])
    return version
