"""The portal's roles. Each is a Django group; this module keeps the groups' permissions.

Instance-level rules (a delegate only touches their own country's content, an ecosystem member
only their own entry) live in permission policies next to the models they guard; the groups
below grant the model-level permissions those policies start from.
"""

from django.contrib.auth.models import Group, Permission
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COUNTRY_DELEGATE = "country_delegate", _("Country delegate")
    MODERATOR = "moderator", _("Moderator")
    ORGANISER = "organiser", _("Organiser")
    ECOSYSTEM_MEMBER = "ecosystem_member", _("Ecosystem member")
    ADMINISTRATOR = "administrator", _("Administrator")


# Group names are stored in the database in English; the admin shows them as they are.
GROUP_NAMES = {
    Role.COUNTRY_DELEGATE: "Country delegates",
    Role.MODERATOR: "Moderators",
    Role.ORGANISER: "Organisers",
    Role.ECOSYSTEM_MEMBER: "Ecosystem members",
    Role.ADMINISTRATOR: "Administrators",
}

# "app_label.codename" permissions per role. Apps that add models extend this mapping in
# their own roles module (see ROLE_PERMISSION_MODULES) rather than editing it here.
ROLE_PERMISSIONS = {
    Role.COUNTRY_DELEGATE: {
        "wagtailadmin.access_admin",
        "portal.add_institution",
        "portal.change_institution",
        "wagtailimages.add_image",
        "wagtailimages.choose_image",
        "programs.add_librarydocument",
        "programs.choose_document",
    },
    Role.MODERATOR: {
        "wagtailadmin.access_admin",
        "portal.add_country",
        "portal.change_country",
        "portal.add_institution",
        "portal.change_institution",
        "portal.delete_institution",
        "accounts.add_invitation",
        "accounts.view_invitation",
        "accounts.change_invitation",
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.choose_image",
        "programs.add_librarydocument",
        "programs.change_librarydocument",
        "programs.delete_librarydocument",
        "programs.choose_document",
    },
    Role.ORGANISER: {
        "wagtailadmin.access_admin",
    },
    Role.ECOSYSTEM_MEMBER: set(),
    Role.ADMINISTRATOR: set(),  # administrators are superusers
}

# Modules of other apps holding an EXTRA_ROLE_PERMISSIONS mapping of the same shape.
ROLE_PERMISSION_MODULES = [
    "programs.roles",
    "matchmaking.roles",
]


def role_permissions():
    from importlib import import_module

    merged = {role: set(codes) for role, codes in ROLE_PERMISSIONS.items()}
    for module_name in ROLE_PERMISSION_MODULES:
        try:
            module = import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name != module_name:
                raise
            continue
        for role, codes in module.EXTRA_ROLE_PERMISSIONS.items():
            merged[role] |= set(codes)
    return merged


def group_for(role):
    group, _created = Group.objects.get_or_create(name=GROUP_NAMES[Role(role)])
    return group


def user_has_role(user, role):
    role = Role(role)
    if not user.is_authenticated or not user.is_active:
        return False
    if role == Role.ADMINISTRATOR:
        return user.is_superuser
    return user.groups.filter(name=GROUP_NAMES[role]).exists()


def user_roles(user):
    if not user.is_authenticated:
        return []
    names = set(user.groups.values_list("name", flat=True))
    roles = [role for role, name in GROUP_NAMES.items() if name in names]
    if user.is_superuser and Role.ADMINISTRATOR not in roles:
        roles.append(Role.ADMINISTRATOR)
    return roles


def assign_role(user, role):
    role = Role(role)
    if role == Role.ADMINISTRATOR:
        user.is_superuser = True
        user.is_staff = True
        user.save(update_fields=["is_superuser", "is_staff"])
    user.groups.add(group_for(role))


def ensure_role_groups(sender=None, **kwargs):
    """Create the role groups and give each exactly its permissions (idempotent)."""
    for role, codes in role_permissions().items():
        group = group_for(role)
        wanted = []
        for code in sorted(codes):
            app_label, codename = code.split(".", 1)
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is not None:
                wanted.append(permission)
        group.permissions.set(wanted)
        _grant_root_collection(group, [p for p in wanted if _is_collection_permission(p)])


def _is_collection_permission(permission):
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    model = permission.content_type.model_class()
    return model in (get_image_model(), get_document_model())


def _grant_root_collection(group, permissions):
    """Image and document permissions only count in Wagtail when tied to a collection."""
    from wagtail.models import Collection, GroupCollectionPermission

    root = Collection.get_first_root_node()
    if root is None:
        return
    for permission in permissions:
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=root, permission=permission
        )
