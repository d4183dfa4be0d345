"""Wagtail admin screens for the network's members."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.snippets.views.snippets import (
    CreateView,
    DeleteView,
    EditView,
    IndexView,
    SnippetViewSet,
)

from portal.models import Country, Institution
from portal.permissions import is_country_bound


class InstitutionForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        if user is not None and is_country_bound(user):
            # A delegate adds institutions of their own country, nothing else.
            self.fields["country"].queryset = Country.objects.filter(pk=user.country_id)
            self.fields["country"].required = True
            self.fields["country"].empty_label = None


class InstanceCheckedMixin:
    """Generic snippet views check model permissions only; ours also check the instance."""

    instance_permission = "change"

    def get_object(self, queryset=None):
        instance = super().get_object(queryset)
        if not self.permission_policy.user_has_permission_for_instance(
            self.request.user, self.instance_permission, instance
        ):
            raise PermissionDenied
        return instance


class InstitutionEditView(InstanceCheckedMixin, EditView):
    instance_permission = "change"


class InstitutionDeleteView(InstanceCheckedMixin, DeleteView):
    instance_permission = "delete"


class InstitutionIndexView(IndexView):
    def get_base_queryset(self):
        return self.permission_policy.instances_user_has_any_permission_for(
            self.request.user, ["change", "delete"]
        ).select_related("country")


class InstitutionCreateView(CreateView):
    pass


class CountryViewSet(SnippetViewSet):
    model = Country
    icon = "globe"
    menu_label = _("Countries")
    list_display = ["name_en", "name_es", "iso3", "subregion", "member_since"]
    list_filter = ["subregion"]
    search_fields = ["name_en", "name_es", "iso3"]
    ordering = ["name_en"]
    panels = [
        FieldPanel("iso3"),
        FieldPanel("iso2"),
        FieldPanel("name_en"),
        FieldPanel("name_es"),
        FieldPanel("subregion"),
        FieldPanel("member_since"),
    ]


class InstitutionViewSet(SnippetViewSet):
    model = Institution
    icon = "group"
    menu_label = _("Institutions")
    edit_handler = ObjectList(
        [
            FieldPanel("name_en"),
            FieldPanel("name_es"),
            FieldPanel("acronym"),
            FieldPanel("key"),
            FieldPanel("country"),
            FieldPanel("kind"),
            FieldPanel("website"),
        ],
        base_form_class=InstitutionForm,
    )
    list_display = ["name_en", "acronym", "country", "kind"]
    list_filter = ["kind", "country"]
    search_fields = ["name_en", "name_es", "acronym"]
    ordering = ["name_en"]
    index_view_class = InstitutionIndexView
    add_view_class = InstitutionCreateView
    edit_view_class = InstitutionEditView
    delete_view_class = InstitutionDeleteView
