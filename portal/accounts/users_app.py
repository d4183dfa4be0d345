from wagtail.users.apps import WagtailUsersAppConfig


class PortalUsersConfig(WagtailUsersAppConfig):
    """Wagtail's user admin, with each person's country and institution."""

    user_viewset = "portal.accounts.admin_views.UserViewSet"
