from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_migrate, post_save, pre_save
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = _("Programs and ecosystem registry")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from portal.models import Country
        from programs.models import LibraryDocument
        from programs.services import library, registry_signals
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
        pre_save.connect(library.on_library_document_pre_save, sender=LibraryDocument,
                         dispatch_uid="programs.library_extract_text")
        m2m_changed.connect(library.on_library_topics_changed,
                            sender=LibraryDocument.topics.through,
                            dispatch_uid="programs.library_topics_reindex")
