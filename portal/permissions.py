"""Instance-level rules for members' data: a delegate touches only their own country's."""

from wagtail.permission_policies import ModelPermissionPolicy

from portal.accounts.roles import Role, user_has_role


def is_country_bound(user):
    """True for a person whose rights stop at their own country (a delegate, not a moderator)."""
    return (
        user_has_role(user, Role.COUNTRY_DELEGATE)
        and not user_has_role(user, Role.MODERATOR)
        and not user.is_superuser
    )


class CountryScopedPermissionPolicy(ModelPermissionPolicy):
    """Model permissions as usual, narrowed to the user's own country for delegates.

    ``country_field`` names the lookup from the model to its Country.
    """

    def __init__(self, model, country_field="country", **kwargs):
        super().__init__(model, **kwargs)
        self.country_field = country_field

    def _own_country_filter(self, user):
        return {f"{self.country_field}_id": user.country_id}

    def user_has_permission_for_instance(self, user, action, instance):
        if not self.user_has_permission(user, action):
            return False
        if is_country_bound(user):
            country_id = getattr(instance, f"{self.country_field}_id", None)
            return user.country_id is not None and country_id == user.country_id
        return True

    def instances_user_has_any_permission_for(self, user, actions):
        queryset = super().instances_user_has_any_permission_for(user, actions)
        if is_country_bound(user):
            if user.country_id is None:
                return queryset.none()
            return queryset.filter(**self._own_country_filter(user))
        return queryset
