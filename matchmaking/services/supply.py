"""Supply: which of its published program profiles a delegation offers, and how often."""

from django.db import transaction
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from matchmaking.models import ChangeKind, Offer, Workshop
from matchmaking.services.changes import record_change
from matchmaking.services.profiles import offerable_profiles

MOST_REPEATS = 20


class SupplyError(Exception):
    """An offer the portal cannot take; the message says which program and why."""


@transaction.atomic
def set_offers(delegation, choices, *, now=None):
    """Make the delegation's profile-based offers exactly `choices` ({profile id: repeats}).

    Offers entered without a profile (imported from a file) are left as they are. An offer
    that another delegation has requested, or that a schedule uses, cannot be withdrawn here.
    Returns the delegation's offers with a profile.
    """
    workshop = Workshop.objects.select_for_update().get(pk=delegation.workshop_id)
    if not workshop.accepts_offers(now):
        raise SupplyError(_("Offers for %(workshop)s closed on %(deadline)s.") % {
            "workshop": workshop,
            "deadline": formats.date_format(timezone.localtime(workshop.offers_deadline),
                                            "DATETIME_FORMAT")})
    profiles = {page.pk: page for page in offerable_profiles(delegation)}
    for profile_id, repeats in choices.items():
        if profile_id not in profiles:
            raise SupplyError(_("Program %(id)s is not a published program of %(delegation)s.")
                              % {"id": profile_id, "delegation": delegation})
        if not isinstance(repeats, int) or not 1 <= repeats <= MOST_REPEATS:
            raise SupplyError(_("“%(title)s”: how often it can be presented must be a whole "
                                "number from 1 to %(most)s.")
                              % {"title": profiles[profile_id].title, "most": MOST_REPEATS})
    taken = (Offer.objects.filter(workshop=workshop, profile_id__in=list(choices))
             .exclude(delegation=delegation).select_related("delegation", "profile").first())
    if taken is not None:
        raise SupplyError(_("“%(title)s” is offered already by %(other)s.")
                          % {"title": taken.profile.title, "other": taken.delegation})

    existing = {offer.profile_id: offer
                for offer in delegation.offers.filter(profile__isnull=False)}
    for profile_id, offer in existing.items():
        if profile_id in choices:
            continue
        requested = offer.requests.count()
        if requested or offer.rounds.exists():
            raise SupplyError(_(
                "“%(title)s” cannot be withdrawn: %(count)s delegations have requested it or "
                "it is in a schedule. Ask the organisers.") % {"title": offer.title,
                                                               "count": requested})
        record_change(workshop, ChangeKind.OFFER_REMOVED, delegation=delegation, offer=offer,
                      at=now)
        offer.delete()
    for profile_id, repeats in choices.items():
        offer = existing.get(profile_id)
        if offer is not None:
            if offer.max_repeats != repeats:
                record_change(workshop, ChangeKind.OFFER_CHANGED, delegation=delegation,
                              offer=offer, detail=f"× {offer.max_repeats} → × {repeats}",
                              at=now)
                offer.max_repeats = repeats
                offer.save(update_fields=["max_repeats"])
            continue
        profile = profiles[profile_id]
        offer = Offer.objects.create(
            workshop=workshop, delegation=delegation, profile=profile,
            key=_free_key(workshop, profile.external_id or slugify(profile.title)),
            title=profile.title, max_repeats=repeats,
            topics=sorted(profile.topics.values_list("key", flat=True)))
        record_change(workshop, ChangeKind.OFFER_ADDED, delegation=delegation, offer=offer,
                      detail=f"× {repeats}", at=now)
    return list(delegation.offers.filter(profile__isnull=False))


def _free_key(workshop, wanted):
    """`wanted` as an exchange-format id (letters, digits, - and _), unique in the workshop."""
    base = "".join(ch for ch in wanted if ch.isascii() and (ch.isalnum() or ch in "-_"))
    base = base[:70] or "offer"
    taken = set(Offer.objects.filter(workshop=workshop, key__startswith=base)
                .values_list("key", flat=True))
    key, number = base, 2
    while key in taken:
        key, number = f"{base}-{number}", number + 1
    return key
