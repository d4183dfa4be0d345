"""Who may do what with a workshop's schedule.

Organisers listed on the workshop (and administrators) build, edit and publish it; a
delegate sees the agenda of the delegations they belong to (Delegate.user), once published.
"""

from matchmaking.models import Delegation, Workshop


def is_organiser(user, workshop):
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    # A query, not workshop.organisers: a ParentalManyToManyField also holds unsaved choices.
    return user.is_superuser or Workshop.objects.filter(pk=workshop.pk, organisers=user).exists()


def delegations_of(user, workshop):
    if user is None or not user.is_authenticated:
        return Delegation.objects.none()
    return Delegation.objects.filter(workshop=workshop, members__user=user).distinct()


def belongs_to(user, delegation):
    return bool(user is not None and user.is_authenticated
                and delegation.members.filter(user=user).exists())


def can_follow_agenda(user, workshop):
    """May open the workshop's live agenda channel: an organiser or a member of a delegation."""
    return is_organiser(user, workshop) or delegations_of(user, workshop).exists()
