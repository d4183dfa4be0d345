from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "portal.accounts"
    label = "accounts"
    verbose_name = _("Accounts")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from portal.accounts.roles import ensure_role_groups

        # After every migrate, so that permissions created by later apps' migrations exist.
        post_migrate.connect(ensure_role_groups, dispatch_uid="portal.accounts.ensure_role_groups")

