"""Consent: the offering delegation's answer to requests, and "do not schedule with" marks.

A workshop either accepts requests automatically or needs the answer of the delegation that
offers the program (`Workshop.requests_need_answer`). Only accepted requests then reach the
optimiser; a declined one never does, whatever the setting. In bilateral (one-to-one) mode a
delegation may mark another as "do not schedule with": the two never meet, whichever asked.
`schedulable_requests` is the one filter the adapter and the editor share.
"""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from matchmaking.models import (
    ChangeKind,
    Delegation,
    Request,
    RequestAnswer,
    ScheduleExclusion,
    Workshop,
)
from matchmaking.permissions import may_act_for
from matchmaking.services.changes import record_change

MESSAGE_LENGTH = 1000


class ConsentError(Exception):
    """An answer or mark the portal cannot take; the message says what is wrong."""


def may_answer(user, request_row):
    """Members of the delegation that offers the program, and the workshop's organisers."""
    return may_act_for(user, request_row.offer.delegation)


def excluded_pairs(workshop):
    """{frozenset({delegation key, delegation key})} of the workshop's do-not-schedule marks."""
    return {
        frozenset(pair) for pair in ScheduleExclusion.objects.filter(
            delegation__workshop=workshop).values_list("delegation__key", "other__key")
    }


def schedulable_requests(workshop):
    """The requests the optimiser may meet, in the order they were made: never a declined
    one; only accepted ones when the workshop needs answers; in bilateral mode none between
    two delegations kept apart."""
    requests = (Request.objects.filter(delegation__workshop=workshop)
                .exclude(answer=RequestAnswer.DECLINED)
                .select_related("delegation", "offer__delegation").order_by("pk"))
    if workshop.requests_need_answer:
        requests = requests.filter(answer=RequestAnswer.ACCEPTED)
    requests = list(requests)
    if workshop.bilateral:
        apart = excluded_pairs(workshop)
        requests = [r for r in requests
                    if frozenset((r.delegation.key, r.offer.delegation.key)) not in apart]
    return requests


def attendance_refusal(workshop, delegation, offer):
    """Why `delegation` may not attend a round of `offer` because of consent or a
    do-not-schedule mark, worded for organisers; None when nothing of the kind stands in the
    way (the editor's other rules still apply)."""
    request = Request.objects.filter(delegation=delegation, offer=offer).first()
    owner = offer.delegation
    if request is not None and request.answer == RequestAnswer.DECLINED:
        return _("%(owner)s declined the request of %(delegation)s for “%(offer)s”.") % {
            "owner": owner.name, "delegation": delegation.name, "offer": offer.title}
    if (request is not None and workshop.requests_need_answer
            and request.answer != RequestAnswer.ACCEPTED):
        return _("The request of %(delegation)s for “%(offer)s” still awaits the answer of "
                 "%(owner)s.") % {"owner": owner.name, "delegation": delegation.name,
                                  "offer": offer.title}
    if workshop.bilateral and ScheduleExclusion.objects.filter(
            Q(delegation=delegation, other=owner) | Q(delegation=owner, other=delegation)
    ).exists():
        return _("%(first)s and %(second)s are marked “do not schedule with”; they never "
                 "meet.") % {"first": delegation.name, "second": owner.name}
    return None


def incoming_requests(delegation):
    """Requests for the delegation's offers: awaiting an answer first, then by offer."""
    order = {RequestAnswer.PENDING: 0, RequestAnswer.ACCEPTED: 1, RequestAnswer.DECLINED: 2}
    rows = (Request.objects.filter(offer__delegation=delegation)
            .select_related("delegation__country", "delegation__institution", "offer",
                            "answered_by")
            .prefetch_related("delegation__offers", "delegation__members")
            .order_by("offer__title", "created_at"))
    return sorted(rows, key=lambda row: order.get(row.answer, 3))


@transaction.atomic
def answer_request(request_id, user, *, accept, message="", owner=None, now=None):
    """Accept or decline a request for one of the user's delegation's offers (`owner`, when
    given, is the delegation whose page the answer came from)."""
    request = (Request.objects.select_for_update().select_related(
        "delegation__workshop", "offer__delegation").filter(pk=request_id).first())
    if request is None:
        raise ConsentError(_("That request no longer exists; it may have been withdrawn."))
    if owner is not None and request.offer.delegation_id != owner.pk:
        raise ConsentError(_("That request is not for an offer of %(owner)s.")
                           % {"owner": owner.name})
    workshop = request.delegation.workshop
    if not may_answer(user, request):
        raise ConsentError(_("Only members of %(owner)s or the workshop's organisers can "
                             "answer requests for its offers.")
                           % {"owner": request.offer.delegation.name})
    if not workshop.requests_need_answer:
        raise ConsentError(_("Requests for %(workshop)s are accepted automatically; there is "
                             "nothing to answer.") % {"workshop": workshop.name})
    message = (message or "").strip()
    if len(message) > MESSAGE_LENGTH:
        raise ConsentError(_("The message is %(length)d characters long; keep it to "
                             "%(most)d.") % {"length": len(message), "most": MESSAGE_LENGTH})
    answer = RequestAnswer.ACCEPTED if accept else RequestAnswer.DECLINED
    request.answer = answer
    request.answer_message = message
    request.answered_at = now or timezone.now()
    request.answered_by = user
    request.save(update_fields=["answer", "answer_message", "answered_at", "answered_by"])
    record_change(workshop, ChangeKind.REQUEST_ACCEPTED if accept else
                  ChangeKind.REQUEST_DECLINED, delegation=request.offer.delegation,
                  offer=request.offer, other=request.delegation, detail=message, at=now)
    return request


def _pair(delegation, other_id, user):
    if not may_act_for(user, delegation):
        raise ConsentError(_("Only members of %(delegation)s or the workshop's organisers can "
                             "change whom it is not scheduled with.")
                           % {"delegation": delegation.name})
    workshop = Workshop.objects.select_for_update().get(pk=delegation.workshop_id)
    other = Delegation.objects.filter(workshop=workshop, pk=other_id).first()
    if other is None:
        raise ConsentError(_("Choose a delegation of this workshop."))
    if other.pk == delegation.pk:
        raise ConsentError(_("A delegation cannot be kept apart from itself."))
    return workshop, other


@transaction.atomic
def keep_apart(delegation, other_id, user):
    """Mark `other` as "do not schedule with" for `delegation` (bilateral workshops only)."""
    workshop, other = _pair(delegation, other_id, user)
    if not workshop.bilateral:
        raise ConsentError(_("“Do not schedule with” applies to one-to-one meetings only, "
                             "and %(workshop)s does not hold them.")
                           % {"workshop": workshop.name})
    mark, created = ScheduleExclusion.objects.get_or_create(
        delegation=delegation, other=other, defaults={"created_by": user})
    if not created:
        raise ConsentError(_("%(other)s is already marked “do not schedule with”.")
                           % {"other": other.name})
    return mark


@transaction.atomic
def allow_again(delegation, other_id, user):
    """Remove `delegation`'s "do not schedule with" mark on `other`."""
    _workshop, other = _pair(delegation, other_id, user)
    deleted, _details = ScheduleExclusion.objects.filter(delegation=delegation,
                                                         other=other).delete()
    if not deleted:
        raise ConsentError(_("%(other)s is not marked “do not schedule with”.")
                           % {"other": other.name})
    return other
