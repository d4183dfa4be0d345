from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from matchmaking.admin_views import WorkshopAdminGroup
from matchmaking.models import Delegation, Workshop
from matchmaking.permissions import WorkshopPermissionPolicy

register_permission_policy(Workshop, WorkshopPermissionPolicy(Workshop))
register_permission_policy(Delegation,
                           WorkshopPermissionPolicy(Delegation, workshop_lookup="workshop"))
register_snippet(WorkshopAdminGroup)


@hooks.register("register_admin_menu_item")
def register_workshop_import_menu_item():
    from matchmaking.permissions import may_import_workshops

    class ImportMenuItem(MenuItem):
        def is_shown(self, request):
            return may_import_workshops(request.user)

    return ImportMenuItem(_("Import a workshop"), reverse_lazy("matchmaking:workshop_import"),
                          icon_name="upload", order=271)
