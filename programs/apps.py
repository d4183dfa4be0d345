from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = _("Programs and ecosystem registry")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from portal.models import Country
        from programs.services import registry_signals
        from programs.services.delegates import sync_all_country_delegates
        from programs.services.registry_vocabularies import (
            ensure_registry_reference_data,
            on_country_saved,
        )
        from programs.services.structure import ensure_programs_structure
        from programs.services.vocabularies import ensure_vocabularies

        # Data, not data migrations: each step adds what is missing and keeps edits.
        post_migrate.connect(ensure_vocabularies, sender=self,
                             dispatch_uid="programs.ensure_vocabularies")
        post_migrate.connect(ensure_programs_structure, sender=self,
                             dispatch_uid="programs.ensure_programs_structure")
        post_migrate.connect(sync_all_country_delegates, sender=self,
                             dispatch_uid="programs.sync_all_country_delegates")
        post_migrate.connect(ensure_registry_reference_data, sender=self,
                             dispatch_uid="programs.ensure_registry_reference_data")
        post_save.connect(on_country_saved, sender=Country,
                          dispatch_uid="programs.registry_regions_for_new_country")
        registry_signals.connect()
