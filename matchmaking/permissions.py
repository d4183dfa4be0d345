"""Who may do what with a workshop.

Organisers hold the model permissions (matchmaking.roles); the policies below narrow them to
the workshops that name them as organisers. Administrators (superusers) pass everywhere.
A delegation's own pages (offers, requests) are open to its delegates, the workshop's
organisers and administrators.
"""

from wagtail.permission_policies import ModelPermissionPolicy

from matchmaking.models import Delegate, Delegation, Workshop


def organises(user, workshop):
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return workshop.organisers.filter(pk=user.pk).exists()


def delegations_of(user, workshop):
    """The delegations of `workshop` that `user` belongs to as a named delegate."""
    if not user.is_authenticated:
        return Delegation.objects.none()
    return Delegation.objects.filter(workshop=workshop, members__user=user).distinct()


def may_act_for(user, delegation):
    """True when `user` may read and change `delegation`'s offers and requests."""
    if not user.is_authenticated or not user.is_active:
        return False
    if organises(user, delegation.workshop):
        return True
    return Delegate.objects.filter(delegation=delegation, user=user).exists()


def may_import_workshops(user):
    """Organisers and administrators create workshops, from the admin or from a file."""
    return user.is_authenticated and user.has_perm("matchmaking.add_workshop")


class WorkshopPermissionPolicy(ModelPermissionPolicy):
    """Model permissions, narrowed to the workshops a user organises."""

    def __init__(self, model=Workshop, workshop_lookup="", **kwargs):
        super().__init__(model, **kwargs)
        self.workshop_lookup = workshop_lookup

    def _workshop_of(self, instance):
        return instance if not self.workshop_lookup else getattr(instance, self.workshop_lookup)

    def user_has_permission_for_instance(self, user, action, instance):
        if not self.user_has_permission(user, action):
            return False
        return organises(user, self._workshop_of(instance))

    def instances_user_has_any_permission_for(self, user, actions):
        queryset = super().instances_user_has_any_permission_for(user, actions)
        if not user.is_authenticated or user.is_superuser:
            return queryset
        prefix = f"{self.workshop_lookup}__" if self.workshop_lookup else ""
        return queryset.filter(**{f"{prefix}organisers": user}).distinct()


def party_delegations(intention):
    """The delegations an intention binds: the demanding one and every supplier."""
    return [intention.demanding, *intention.suppliers.all()]


def may_edit_intention(user, intention):
    """Organisers of the workshop edit all its intentions; a delegate edits those their
    delegation is party to (demanding or supplying)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if organises(user, intention.workshop):
        return True
    party_ids = [delegation.pk for delegation in party_delegations(intention)]
    return Delegate.objects.filter(delegation_id__in=party_ids, user=user).exists()


def may_record_intentions(user, workshop):
    """Organisers, and members of any of the workshop's delegations."""
    return organises(user, workshop) or delegations_of(user, workshop).exists()
