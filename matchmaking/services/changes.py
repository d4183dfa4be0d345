"""The log of supply, demand and answers that the organisers' digest reads.

Services call `record_change` inside their own transaction, so an entry exists exactly when
the change it describes was saved.
"""

from django.utils import timezone

from matchmaking.models import WorkshopChange


def record_change(workshop, kind, *, delegation, offer, other=None, detail="", at=None):
    """Log one change: `delegation` (who acted), `offer` (its title is kept), `other` (the
    other party: the requester of an answered request, for instance)."""
    return WorkshopChange.objects.create(
        workshop=workshop, kind=kind, at=at or timezone.now(),
        delegation=str(delegation)[:200], offer=str(offer)[:255],
        other=str(other)[:200] if other is not None else "", detail=str(detail)[:300])


def changes_since(workshop, moment):
    """The workshop's logged changes after `moment` (all of them when it is None), oldest
    first."""
    changes = WorkshopChange.objects.filter(workshop=workshop)
    if moment is not None:
        changes = changes.filter(at__gt=moment)
    return list(changes.order_by("at", "pk"))
