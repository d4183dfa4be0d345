from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from portal.accounts.admin_views import InvitationViewSet
from portal.admin_views import CountryViewSet, InstitutionViewSet
from portal.models import Institution
from portal.permissions import CountryScopedPermissionPolicy

register_permission_policy(Institution, CountryScopedPermissionPolicy(Institution))

register_snippet(CountryViewSet)
register_snippet(InstitutionViewSet)


@hooks.register("register_admin_viewset")
def register_invitation_viewset():
    return InvitationViewSet("invitations")
