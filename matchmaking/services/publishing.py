"""Publishing a schedule version: what delegates see, pushed live and emailed.

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

from matchmaking.models import Delegation, ScheduleVersion, Workshop
from matchmaking.services.adapter import rounds_queryset
from matchmaking.services.editor import EditRefused, StaleVersion
from matchmaking.services.schedule_access import is_organiser

logger = logging.getLogger(__name__)


def agenda_group(workshop):
    return f"matchmaking-agenda-{workshop.pk}"


class PublishRefused(EditRefused):
    pass


@transaction.atomic
def publish(workshop, user, *, based_on):
    if not is_organiser(user, workshop):
        raise PublishRefused(_("Only the workshop's organisers can publish its schedule."))
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    current = workshop.current_version
    if current is None:
        raise PublishRefused(_("There is no schedule to publish yet."))
    if str(current.number) != str(based_on):
        raise StaleVersion(
            _("Version %(number)s was saved after the version %(based)s you were looking at; "
              "nothing was published. Check the newer version and publish again.")
            % {"number": current.number, "based": based_on})
    if workshop.published_version_id == current.pk:
        raise PublishRefused(_("Version %(number)s is already published.")
                             % {"number": current.number})
    previous = workshop.published_version
    workshop.published_version = current
    workshop.published_at = timezone.now()
    workshop.save(update_fields=["published_version", "published_at"])
    previous_id = previous.pk if previous else None
    transaction.on_commit(lambda: announce(workshop.pk, previous_id, current.pk))
    return current


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
    try:
        async_to_sync(get_channel_layer().group_send)(
            agenda_group(workshop), {"type": "agenda.published", "version": current.number})
    except Exception:  # the email still goes out; pages pick the change up on reload
        logger.exception("Could not announce version %s of %s", current.number, workshop)
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
