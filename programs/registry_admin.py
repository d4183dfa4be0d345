"""The registry in the Wagtail admin: entries (moderated with Wagtail's workflow), regions,
macrozones and vocabularies, under one "Ecosystem registry" menu."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList, Panel
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from programs.models import (
    Articulator,
    ArticulatorScope,
    ArticulatorSector,
    Macrozone,
    PovertyTopic,
    Region,
    SupportType,
)


class RegistrationPanel(Panel):
    """What a moderator needs next to the form: where the entry stands, and the entries it
    probably duplicates."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "programs/registry/admin/registration_panel.html"

        def get_context_data(self, parent_context=None):
            from programs.services.registry import duplicates_of

            context = super().get_context_data(parent_context)
            entry = self.instance
            context["entry"] = entry
            if entry is not None and entry.pk:
                context["duplicates"] = [
                    {"hint": hint, "edit_url": reverse(
                        "wagtailsnippets_programs_articulator:edit", args=[hint.entry.pk])}
                    for hint in duplicates_of(entry)
                ]
                context["status"] = entry.registration_status.label
                if entry.live:
                    context["public_url"] = reverse("programs:articulator_detail",
                                                    args=[entry.pk])
            return context


class StatusColumn(Column):
    def get_value(self, instance):
        return instance.registration_status.label


class ArticulatorViewSet(SnippetViewSet):
    model = Articulator
    icon = "group"
    menu_label = _("Entries")
    menu_order = 100
    list_display = ["name", "country", "sector", StatusColumn("status", label=_("Status")),
                    "registered_at", "last_confirmed_at"]
    list_filter = ["live", "country", "sector", "scope", "self_registered"]
    search_fields = ["name", "legal_form", "description"]
    ordering = ["-registered_at"]
    edit_handler = ObjectList([
        RegistrationPanel(heading=_("Registration")),
        MultiFieldPanel([
            FieldPanel("name"), FieldPanel("legal_form"), FieldPanel("sector"),
            FieldPanel("country"), FieldPanel("website"), FieldPanel("description"),
        ], heading=_("Organisation")),
        MultiFieldPanel([
            FieldPanel("head_office_region"), FieldPanel("regions"), FieldPanel("scope"),
        ], heading=_("Where it works")),
        MultiFieldPanel([
            FieldPanel("support_types"), FieldPanel("runs_linkage_activities"),
            FieldPanel("linkage_description"), FieldPanel("has_alliances"),
            FieldPanel("alliances_description"), FieldPanel("poverty_topics"),
        ], heading=_("What it does")),
        MultiFieldPanel([
            FieldPanel("contact_name"), FieldPanel("contact_email"),
            FieldPanel("publication_consent"), FieldPanel("owner"),
        ], heading=_("Contact")),
    ])


def _term_viewset(term_model, label, icon, order, extra_fields=()):
    fields = ["key", "name_en", "name_es", *extra_fields, "sort_order"]
    return type(f"{term_model.__name__}ViewSet", (SnippetViewSet,), {
        "model": term_model,
        "icon": icon,
        "menu_label": label,
        "menu_order": order,
        "list_display": ["name_en", "name_es", "key", *extra_fields, "sort_order"],
        "search_fields": ["name_en", "name_es", "key"],
        "ordering": ["sort_order", "name_en"],
        "panels": [FieldPanel(name) for name in fields],
    })


class MacrozoneViewSet(SnippetViewSet):
    model = Macrozone
    icon = "site"
    menu_label = _("Macrozones")
    menu_order = 200
    list_display = ["name_en", "name_es", "country", "key"]
    list_filter = ["country"]
    search_fields = ["name_en", "name_es", "key"]
    panels = [FieldPanel("country"), FieldPanel("key"), FieldPanel("name_en"),
              FieldPanel("name_es"), FieldPanel("sort_order")]


class RegionViewSet(SnippetViewSet):
    model = Region
    icon = "site"
    menu_label = _("Regions")
    menu_order = 210
    list_display = ["name_en", "name_es", "code", "country", "macrozone"]
    list_filter = ["country", "macrozone"]
    search_fields = ["name_en", "name_es", "code"]
    panels = [FieldPanel("country"), FieldPanel("code"), FieldPanel("name_en"),
              FieldPanel("name_es"), FieldPanel("macrozone"), FieldPanel("sort_order")]


class RegistryViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Ecosystem registry")
    menu_icon = "group"
    menu_order = 250
    items = (
        ArticulatorViewSet,
        MacrozoneViewSet,
        RegionViewSet,
        _term_viewset(ArticulatorSector, _("Sectors"), "tag", 300, ["counts_as_private"]),
        _term_viewset(ArticulatorScope, _("Scopes"), "tag", 310),
        _term_viewset(SupportType, _("Support types"), "tag", 320),
        _term_viewset(PovertyTopic, _("Poverty topics"), "tag", 330),
    )
