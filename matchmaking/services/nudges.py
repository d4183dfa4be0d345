"""Nudges before a workshop's "answer by" date, and the organisers' digest of changes.

Both are sent by `manage.py send_workshop_nudges`, meant for a daily cron job; each send is
recorded in the same transaction as the e-mail (if sending fails, the record goes too), and
the records' unique constraints make reruns send nothing twice:

- a delegation that has ranked nothing while requests are open, or that leaves requests for
  its offers unanswered when the workshop needs answers, is nudged once per kind and per
  "answer by" date, during the NUDGE_LEAD before that date;
- the organisers of a published workshop get at most one digest a day listing what changed
  (requests, answers, offers) since the schedule was last published, and only when something
  changed since the previous digest.
"""

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from matchmaking.models import (
    ChangeKind,
    Nudge,
    NudgeKind,
    OrganiserDigest,
    Request,
    RequestAnswer,
    Workshop,
)
from matchmaking.services.changes import changes_since
from matchmaking.services.reminders import recipients_of

NUDGE_LEAD = timedelta(days=3)


def _url(name, *args):
    return settings.PORTAL_BASE_URL.rstrip("/") + reverse(f"matchmaking:{name}", args=args)


def _moment(workshop, value):
    local = timezone.localtime(value, timezone=ZoneInfo(workshop.time_zone))
    return formats.date_format(local, "DATETIME_FORMAT")


def lagging(workshop, now):
    """[(delegation, kind, pending answers)] of the delegations to nudge now, by name."""
    found = []
    pending = {}
    if workshop.requests_need_answer:
        for owner_id in Request.objects.filter(
                offer__workshop=workshop, answer=RequestAnswer.PENDING).values_list(
                "offer__delegation_id", flat=True):
            pending[owner_id] = pending.get(owner_id, 0) + 1
    ranking_open = workshop.accepts_requests(now)
    for delegation in (workshop.delegations.prefetch_related("members__user")
                       .order_by("name")):
        if ranking_open and not delegation.requests.exists():
            found.append((delegation, NudgeKind.RANK, 0))
        if pending.get(delegation.pk):
            found.append((delegation, NudgeKind.ANSWER, pending[delegation.pk]))
    return found


def send_nudges(now):
    """Nudge the lagging delegations of every workshop whose "answer by" date is at most
    NUDGE_LEAD ahead. Returns (sent, unreachable): lists of (delegation, kind)."""
    sent, unreachable = [], []
    workshops = Workshop.objects.filter(answers_due__isnull=False, answers_due__gte=now,
                                        answers_due__lte=now + NUDGE_LEAD)
    for workshop in workshops.order_by("answers_due", "pk"):
        for delegation, kind, count in lagging(workshop, now):
            if Nudge.objects.filter(delegation=delegation, kind=kind,
                                    due=workshop.answers_due).exists():
                continue
            addresses = recipients_of(delegation)
            if not addresses:
                unreachable.append((delegation, kind))
                continue
            try:
                with transaction.atomic():
                    Nudge.objects.create(delegation=delegation, kind=kind,
                                         due=workshop.answers_due, recipients=addresses,
                                         sent_at=now)
                    subject, body = nudge_message(workshop, delegation, kind, count)
                    send_mail(subject, body, None, addresses)
            except IntegrityError:  # another run got there first
                continue
            sent.append((delegation, kind))
    return sent, unreachable


def nudge_message(workshop, delegation, kind, count=0):
    due = _moment(workshop, workshop.answers_due)
    if kind == NudgeKind.RANK:
        subject = _("%(workshop)s: rank the offers you want to hear by %(due)s") % {
            "workshop": workshop.name, "due": due}
        lines = [
            _("%(delegation)s has not ranked any offer for %(workshop)s yet. The rounds are "
              "built from the delegations' rankings: please rank the programs you want to "
              "hear by %(due)s.") % {"delegation": delegation.name,
                                     "workshop": workshop.name, "due": due},
            "", _("Rank the offers: %(url)s") % {
                "url": _url("demand", workshop.slug, delegation.key)},
        ]
    else:
        subject = _("%(workshop)s: requests for your offers await your answer") % {
            "workshop": workshop.name}
        lines = [
            ngettext(
                "%(count)d request for the offers of %(delegation)s awaits your answer; only "
                "accepted requests are scheduled. Please answer by %(due)s.",
                "%(count)d requests for the offers of %(delegation)s await your answer; only "
                "accepted requests are scheduled. Please answer by %(due)s.", count)
            % {"count": count, "delegation": delegation.name, "due": due},
            "", _("Answer the requests: %(url)s") % {
                "url": _url("incoming", workshop.slug, delegation.key)},
        ]
    return subject, "\n".join(lines)


# -- the organisers' digest -----------------------------------------------------------------


def change_line(workshop, change):
    values = {"delegation": change.delegation, "offer": change.offer, "other": change.other,
              "detail": change.detail}
    texts = {
        ChangeKind.REQUEST_ADDED: _("%(delegation)s asked for “%(offer)s” of %(other)s "
                                    "(rank %(detail)s)"),
        ChangeKind.REQUEST_REMOVED: _("%(delegation)s withdrew its request for “%(offer)s” "
                                      "of %(other)s"),
        ChangeKind.REQUEST_RERANKED: _("%(delegation)s ranked “%(offer)s” of %(other)s anew "
                                       "(%(detail)s)"),
        ChangeKind.REQUEST_ACCEPTED: _("%(delegation)s accepted the request of %(other)s for "
                                       "“%(offer)s”"),
        ChangeKind.REQUEST_DECLINED: _("%(delegation)s declined the request of %(other)s for "
                                       "“%(offer)s”"),
        ChangeKind.OFFER_ADDED: _("%(delegation)s offers “%(offer)s” (%(detail)s)"),
        ChangeKind.OFFER_REMOVED: _("%(delegation)s withdrew its offer “%(offer)s”"),
        ChangeKind.OFFER_CHANGED: _("%(delegation)s changed how often “%(offer)s” can be "
                                    "presented (%(detail)s)"),
    }
    text = texts.get(change.kind, "%(delegation)s: %(offer)s") % values
    if change.kind == ChangeKind.REQUEST_DECLINED and change.detail:
        text += " — " + _("“%(message)s”") % {"message": change.detail}
    return f"{_moment(workshop, change.at)}  {text}"


SECTIONS = (
    ({ChangeKind.REQUEST_ADDED, ChangeKind.REQUEST_REMOVED, ChangeKind.REQUEST_RERANKED},
     "Requests"),
    ({ChangeKind.REQUEST_ACCEPTED, ChangeKind.REQUEST_DECLINED}, "Answers"),
    ({ChangeKind.OFFER_ADDED, ChangeKind.OFFER_REMOVED, ChangeKind.OFFER_CHANGED}, "Offers"),
)


def digest_message(workshop, changes):
    headings = {"Requests": _("Requests"), "Answers": _("Answers"), "Offers": _("Offers")}
    lines = [
        ngettext(
            "%(count)d change in %(workshop)s since the schedule was published on %(when)s "
            "(version %(number)s):",
            "%(count)d changes in %(workshop)s since the schedule was published on %(when)s "
            "(version %(number)s):", len(changes))
        % {"count": len(changes), "workshop": workshop.name,
           "when": _moment(workshop, workshop.published_at),
           "number": workshop.published_version.number if workshop.published_version else "-"},
    ]
    for kinds, key in SECTIONS:
        chosen = [change for change in changes if change.kind in kinds]
        if chosen:
            lines += ["", headings[key] + ":"]
            lines += [f"  {change_line(workshop, change)}" for change in chosen]
    lines += ["", _("Rebuild or edit the rounds, then publish again: %(url)s")
              % {"url": _url("schedule_editor", workshop.slug)}]
    return "\n".join(lines)


def organiser_addresses(workshop):
    users = get_user_model().objects.filter(organised_workshops=workshop, is_active=True)
    return sorted({user.email for user in users if user.email})


def send_digests(now):
    """One digest per published workshop with changes since its last publication that its
    organisers have not had in a digest yet. Returns the workshops digested."""
    today = timezone.localdate(now)
    digested = []
    for workshop in (Workshop.objects.filter(published_at__isnull=False)
                     .select_related("published_version").order_by("pk")):
        changes = [change for change in changes_since(workshop, workshop.published_at)
                   if change.at <= now]
        if not changes:
            continue
        last = workshop.digests.order_by("-covered_until").first()
        if last is not None and changes[-1].at <= last.covered_until:
            continue  # nothing new since the previous digest
        addresses = organiser_addresses(workshop)
        if not addresses:
            continue
        try:
            with transaction.atomic():
                OrganiserDigest.objects.create(workshop=workshop, sent_on=today, sent_at=now,
                                               covered_until=changes[-1].at,
                                               recipients=addresses)
                send_mail(_("%(workshop)s: what changed since the last publication")
                          % {"workshop": workshop.name},
                          digest_message(workshop, changes), None, addresses)
        except IntegrityError:  # already one today
            continue
        digested.append(workshop)
    return digested


def run_daily(now=None):
    """Nudges and digests as of `now`, in the site's language."""
    now = now or timezone.now()
    with translation.override(settings.LANGUAGE_CODE):
        sent, unreachable = send_nudges(now)
        digested = send_digests(now)
    return sent, unreachable, digested
