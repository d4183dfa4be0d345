from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Discovery search")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from search import documents, signals

        signals.connect_page_signals()
        documents.autodiscover()
