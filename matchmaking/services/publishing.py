"""Publishing a schedule version: what delegates see, pushed live and emailed.

A version can first be shared as provisional: delegations see it, marked as such, and may
flag a problem on a round (`flag_round`); organisers read the flags on the conflict report.
The final publication replaces it. Publishing is refused while the version breaks a rule
(`conflicts.check_version`) and needs `confirm_warnings` when it only has warnings.

Publishing sets the workshop's published version. Once the transaction commits, open
agenda pages of the workshop (WebSocket group `agenda_group`) are told to reload their
agenda, and every delegation whose rounds changed against the previously published version
gets an email listing its rounds added, moved and removed.
"""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from matchmaking.models import (
    FLAG_MAX_LENGTH,
    Delegation,
    Round,
    ScheduleFlag,
    ScheduleVersion,
    Workshop,
)
from matchmaking.services.adapter import rounds_queryset
from matchmaking.services.conflicts import check_version
from matchmaking.services.editor import EditRefused, StaleVersion
from matchmaking.services.schedule_access import belongs_to, is_organiser

logger = logging.getLogger(__name__)


def agenda_group(workshop):
    return f"matchmaking-agenda-{workshop.pk}"


class PublishRefused(EditRefused):
    """Nothing was published or shared; `violations` lists the problems' messages."""

    def __init__(self, message, problems=()):
        super().__init__(message)
        self.violations = [problem.message for problem in problems]


class ConfirmationNeeded(PublishRefused):
    """The version has warnings only: publish again with `confirm_warnings=True`."""


class FlagRefused(Exception):
    """A flag not stored; the message says why."""


def shared_version(workshop):
    """(version, provisional) that the delegations see: the provisional version while one is
    shared, else the published one; (None, False) before either."""
    if workshop.provisional_version_id:
        return workshop.provisional_version, True
    return workshop.published_version, False


def _locked_current(workshop, user, based_on, stale_message):
    if not is_organiser(user, workshop):
        raise PublishRefused(_("Only the workshop's organisers can publish or share its "
                               "schedule."))
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    current = workshop.current_version
    if current is None:
        raise PublishRefused(_("There is no schedule to publish yet."))
    if str(current.number) != str(based_on):
        raise StaleVersion(stale_message % {"number": current.number, "based": based_on})
    return workshop, current


@transaction.atomic
def publish(workshop, user, *, based_on, confirm_warnings=False):
    workshop, current = _locked_current(workshop, user, based_on, _(
        "Version %(number)s was saved after the version %(based)s you were looking at; "
        "nothing was published. Check the newer version and publish again."))
    if workshop.published_version_id == current.pk:
        raise PublishRefused(_("Version %(number)s is already published.")
                             % {"number": current.number})
    report = check_version(workshop, current)
    if report.errors:
        raise PublishRefused(
            _("Version %(number)s was not published: it breaks the workshop's rules "
              "(%(count)s error(s)): %(problems)s")
            % {"number": current.number, "count": len(report.errors),
               "problems": " ".join(problem.message for problem in report.errors)},
            report.errors)
    if report.warnings and not confirm_warnings:
        raise ConfirmationNeeded(
            _("Version %(number)s has %(count)s warning(s); confirm that you want to publish "
              "it anyway: %(problems)s")
            % {"number": current.number, "count": len(report.warnings),
               "problems": " ".join(problem.message for problem in report.warnings)},
            report.warnings)
    previous = workshop.published_version
    workshop.published_version = current
    workshop.published_at = timezone.now()
    workshop.provisional_version = None
    workshop.save(update_fields=["published_version", "published_at", "provisional_version"])
    previous_id = previous.pk if previous else None
    transaction.on_commit(lambda: announce(workshop.pk, previous_id, current.pk))
    return current


@transaction.atomic
def share_provisional(workshop, user, *, based_on):
    """Show the working version to the delegations as provisional, for their comments."""
    workshop, current = _locked_current(workshop, user, based_on, _(
        "Version %(number)s was saved after the version %(based)s you were looking at; "
        "nothing was shared. Check the newer version and share it again."))
    if workshop.provisional_version_id == current.pk:
        raise PublishRefused(_("Version %(number)s is already shared as provisional.")
                             % {"number": current.number})
    if workshop.published_version_id == current.pk:
        raise PublishRefused(_("Version %(number)s is already published as final.")
                             % {"number": current.number})
    workshop.provisional_version = current
    workshop.save(update_fields=["provisional_version"])
    number = current.number
    transaction.on_commit(lambda: _tell_agenda_pages(workshop, number))
    return current


@transaction.atomic
def flag_round(workshop, user, *, round_id, delegation_key, text):
    """A delegation's member reports a problem with a round of the provisional version."""
    delegation = Delegation.objects.filter(workshop=workshop, key=delegation_key).first()
    if delegation is None or not belongs_to(user, delegation):
        raise FlagRefused(_("Only members of a delegation can flag a problem for it."))
    workshop = Workshop.objects.get(pk=workshop.pk)
    version = workshop.provisional_version
    if version is None:
        raise FlagRefused(_("No schedule is shared as provisional now; problems can be "
                            "flagged only on a provisional schedule."))
    try:
        round_ = Round.objects.get(pk=int(round_id), version=version)
    except (Round.DoesNotExist, TypeError, ValueError):
        raise FlagRefused(_("That round is not part of the provisional version %(number)s.")
                          % {"number": version.number}) from None
    text = (text or "").strip()
    if not text:
        raise FlagRefused(_("Describe the problem in a few words."))
    if len(text) > FLAG_MAX_LENGTH:
        raise FlagRefused(_("Keep the description under %(limit)s characters (it has "
                            "%(length)s).") % {"limit": FLAG_MAX_LENGTH, "length": len(text)})
    return ScheduleFlag.objects.create(version=version, round=round_, delegation=delegation,
                                       text=text, author=user)


def flags_of(version):
    if version is None:
        return ScheduleFlag.objects.none()
    return ScheduleFlag.objects.filter(version=version).select_related(
        "delegation", "author", "round__offer", "round__session", "round__room")


def _tell_agenda_pages(workshop, number):
    try:
        async_to_sync(get_channel_layer().group_send)(
            agenda_group(workshop), {"type": "agenda.published", "version": number})
    except Exception:  # pages pick the change up on reload
        logger.exception("Could not announce version %s of %s", number, workshop)


def _placements(version):
    """{delegation id: {(role, offer id, occurrence): round row}}."""
    placements = {}
    if version is None:
        return placements
    counts = {}
    for row in rounds_queryset(version):
        parties = [("presenting", row.offer.delegation_id)] + [
            ("attending", d.pk) for d in row.attendees.all()]
        for role, delegation_id in parties:
            key = (delegation_id, role, row.offer_id)
            counts[key] = counts.get(key, 0) + 1
            placements.setdefault(delegation_id, {})[(role, row.offer_id, counts[key])] = row
    return placements


def changes_by_delegation(previous, current):
    """{delegation id: {"added": [rows], "moved": [(old, new)], "removed": [rows]}} for every
    delegation whose rounds differ between the two versions."""
    old, new = _placements(previous), _placements(current)
    changes = {}
    for delegation_id in set(old) | set(new):
        before, after = old.get(delegation_id, {}), new.get(delegation_id, {})
        added = [after[k] for k in after if k not in before]
        removed = [before[k] for k in before if k not in after]
        moved = [(before[k], after[k]) for k in after if k in before and (
            before[k].session.key, before[k].room.key) != (after[k].session.key,
                                                           after[k].room.key)]
        if added or removed or moved:
            changes[delegation_id] = {"added": added, "moved": moved, "removed": removed}
    return changes


def _round_line(row):
    return _("%(offer)s, presented by %(presenter)s: %(session)s, %(room)s") % {
        "offer": row.offer.title, "presenter": row.offer.delegation.name,
        "session": row.session, "room": row.room.name}


def change_message(workshop, delegation, change, version):
    lines = [_("The published agenda of %(workshop)s changed (version %(number)s). "
               "For %(delegation)s:") % {"workshop": workshop.name, "number": version.number,
                                         "delegation": delegation.name}, ""]
    if change["added"]:
        lines.append(_("Added:"))
        lines += [f"  + {_round_line(row)}" for row in change["added"]]
    if change["moved"]:
        lines.append(_("Moved:"))
        lines += [f"  ~ {_round_line(old)}  →  {new.session}, {new.room.name}"
                  for old, new in change["moved"]]
    if change["removed"]:
        lines.append(_("Removed:"))
        lines += [f"  - {_round_line(row)}" for row in change["removed"]]
    url = settings.PORTAL_BASE_URL.rstrip("/") + reverse(
        "matchmaking:agenda_delegation", args=[workshop.slug, delegation.key])
    lines += ["", _("Your agenda: %(url)s") % {"url": url}]
    return "\n".join(lines)


def announce(workshop_id, previous_id, current_id):
    workshop = Workshop.objects.get(pk=workshop_id)
    current = ScheduleVersion.objects.get(pk=current_id)
    previous = ScheduleVersion.objects.filter(pk=previous_id).first() if previous_id else None
    _tell_agenda_pages(workshop, current.number)  # the email goes out even if this fails
    changes = changes_by_delegation(previous, current)
    delegations = Delegation.objects.filter(pk__in=changes).prefetch_related("members__user")
    with translation.override(settings.LANGUAGE_CODE):
        for delegation in delegations:
            recipients = sorted({member.email or (member.user.email if member.user else "")
                                 for member in delegation.members.all()} - {""})
            if not recipients:
                continue
            send_mail(
                _("%(workshop)s: your agenda changed") % {"workshop": workshop.name},
                change_message(workshop, delegation, changes[delegation.pk], current),
                None, recipients)
