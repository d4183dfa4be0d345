"""Demand: the offers a delegation wants to hear, ranked (1 = most wanted)."""

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from matchmaking.models import ChangeKind, Offer, Request, Workshop
from matchmaking.services.changes import record_change

MOVES = ("up", "down", "add", "remove")


class DemandError(Exception):
    """A ranking the portal cannot take; the message says what to change."""


def rearranged(ranking, move, offer_id):
    """The ranking after one keyboard or button move; unknown moves change nothing."""
    ranking = list(ranking)
    if move == "add" and offer_id not in ranking:
        ranking.append(offer_id)
    elif move == "remove" and offer_id in ranking:
        ranking.remove(offer_id)
    elif move in ("up", "down") and offer_id in ranking:
        index = ranking.index(offer_id)
        other = index - 1 if move == "up" else index + 1
        if 0 <= other < len(ranking):
            ranking[index], ranking[other] = ranking[other], ranking[index]
    return ranking


@transaction.atomic
def set_requests(delegation, offer_ids, *, now=None):
    """Make the delegation's requests exactly `offer_ids`, in rank order.

    Requests that stay keep their weight and creation time. Returns the requests by rank.
    """
    workshop = Workshop.objects.select_for_update().get(pk=delegation.workshop_id)
    if not workshop.accepts_requests(now):
        raise DemandError(_("Requests for %(workshop)s closed on %(deadline)s.") % {
            "workshop": workshop,
            "deadline": formats.date_format(timezone.localtime(workshop.requests_deadline),
                                            "DATETIME_FORMAT")})
    offer_ids = list(offer_ids)
    if len(set(offer_ids)) != len(offer_ids):
        raise DemandError(_("Each offer can be ranked once only."))
    if len(offer_ids) > workshop.max_requests:
        raise DemandError(ngettext(
            "You may rank at most %(limit)d offer; remove one first.",
            "You may rank at most %(limit)d offers; remove one first.",
            workshop.max_requests) % {"limit": workshop.max_requests})
    offers = {offer.pk: offer for offer in
              Offer.objects.filter(workshop=workshop, pk__in=offer_ids)
              .select_related("delegation")}
    for offer_id in offer_ids:
        offer = offers.get(offer_id)
        if offer is None:
            raise DemandError(_("Offer %(id)s is not an offer of this workshop.")
                              % {"id": offer_id})
        if offer.delegation_id == delegation.pk:
            raise DemandError(_("“%(title)s” is your own offer; rank offers of other "
                                "delegations.") % {"title": offer.title})
    existing = {request.offer_id: request
                for request in delegation.requests.select_related("offer")}
    for request in existing.values():
        if request.offer_id not in offers:
            record_change(workshop, ChangeKind.REQUEST_REMOVED, delegation=delegation,
                          offer=request.offer, other=request.offer.delegation, at=now)
    Request.objects.filter(delegation=delegation).exclude(offer_id__in=offer_ids).delete()
    for rank, offer_id in enumerate(offer_ids, start=1):
        request = existing.get(offer_id)
        if request is None:
            Request.objects.create(delegation=delegation, offer=offers[offer_id], rank=rank)
            record_change(workshop, ChangeKind.REQUEST_ADDED, delegation=delegation,
                          offer=offers[offer_id], other=offers[offer_id].delegation,
                          detail=f"#{rank}", at=now)
        elif request.rank != rank:
            record_change(workshop, ChangeKind.REQUEST_RERANKED, delegation=delegation,
                          offer=request.offer, other=request.offer.delegation,
                          detail=f"#{request.rank} → #{rank}", at=now)
            request.rank = rank
            request.save(update_fields=["rank"])
    return list(delegation.requests.select_related("offer").order_by("rank"))
