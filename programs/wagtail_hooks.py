from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from programs.models import (
    ExchangeMethod,
    ProgramStatus,
    SDGTarget,
    SustainableDevelopmentGoal,
    TargetPopulation,
    Topic,
)
from programs.registry_admin import RegistryViewSetGroup


class VocabularyViewSet(SnippetViewSet):
    list_display = ["name_en", "name_es", "key", "sort_order"]
    search_fields = ["name_en", "name_es", "key"]
    ordering = ["sort_order", "name_en"]
    copy_view_enabled = False


class TopicViewSet(VocabularyViewSet):
    model = Topic
    icon = "tag"
    form_fields = ["key", "name_en", "name_es", "description_en", "description_es",
                   "sort_order"]


class TargetPopulationViewSet(VocabularyViewSet):
    model = TargetPopulation
    icon = "group"
    form_fields = ["key", "name_en", "name_es", "sort_order"]


class ExchangeMethodViewSet(VocabularyViewSet):
    model = ExchangeMethod
    icon = "resubmit"
    form_fields = ["key", "name_en", "name_es", "sort_order"]


class ProgramStatusViewSet(VocabularyViewSet):
    model = ProgramStatus
    icon = "tasks"
    form_fields = ["key", "name_en", "name_es", "sort_order"]


class GoalViewSet(SnippetViewSet):
    model = SustainableDevelopmentGoal
    icon = "pick"
    list_display = ["number", "name_en", "name_es"]
    search_fields = ["name_en", "name_es", "title_en", "title_es"]
    ordering = ["number"]
    form_fields = ["number", "name_en", "name_es", "title_en", "title_es"]
    copy_view_enabled = False


class TargetViewSet(SnippetViewSet):
    model = SDGTarget
    icon = "crosshairs"
    list_display = ["code", "short_text", "goal"]
    list_filter = ["goal"]
    search_fields = ["code", "text_en", "text_es"]
    form_fields = ["goal", "code", "text_en", "text_es", "sort_order"]
    copy_view_enabled = False


class ProgramVocabulariesGroup(SnippetViewSetGroup):
    menu_label = _("Program vocabularies")
    menu_icon = "list-ul"
    menu_order = 250
    items = [TopicViewSet, TargetPopulationViewSet, ExchangeMethodViewSet,
             ProgramStatusViewSet, GoalViewSet, TargetViewSet]


register_snippet(ProgramVocabulariesGroup)
register_snippet(RegistryViewSetGroup)


@hooks.register("after_create_user")
@hooks.register("after_edit_user")
def keep_delegate_country_group(request, user):
    from programs.services.delegates import sync_country_delegate_groups

    sync_country_delegate_groups(user)


@hooks.register("after_create_snippet")
def add_pages_for_new_country(request, instance):
    from portal.models import Country
    from programs.services.structure import ensure_country_pages

    if isinstance(instance, Country):
        ensure_country_pages(instance)


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    from django.urls import reverse_lazy

    from programs.services.profiles import user_may_import

    class ImportMenuItem(MenuItem):
        def is_shown(self, request):
            return user_may_import(request.user)

    return ImportMenuItem(_("Import profiles"), reverse_lazy("programs:import"),
                          icon_name="upload", order=260)
