from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from portal import page_cache
        from portal.services import ensure_locales

        page_cache.connect_signals()

        post_migrate.connect(ensure_locales, sender=self, dispatch_uid="portal.ensure_locales")
