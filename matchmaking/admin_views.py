"""Wagtail admin screens where organisers set up their workshops."""

from zoneinfo import ZoneInfo, available_timezones

from django import forms
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, ObjectList, TabbedInterface
from wagtail.snippets.views.snippets import (
    CreateView,
    DeleteView,
    EditView,
    IndexView,
    SnippetViewSet,
    SnippetViewSetGroup,
)

from matchmaking.forms.admin import DelegationAdminForm, WorkshopAdminForm
from matchmaking.models import Delegation, Workshop


class InstanceCheckedMixin:
    """Generic snippet views check model permissions only; ours also check the workshop."""

    instance_permission = "change"

    def get_object(self, queryset=None):
        instance = super().get_object(queryset)
        if not self.permission_policy.user_has_permission_for_instance(
                self.request.user, self.instance_permission, instance):
            raise PermissionDenied
        return instance


class OwnWorkshopsIndexView(IndexView):
    def get_base_queryset(self):
        return self.permission_policy.instances_user_has_any_permission_for(
            self.request.user, ["change", "delete", "view"])


class WorkshopTimeZoneMixin:
    """Session times are typed and shown in the workshop's own time zone (the one posted,
    when the organiser changes it in the same form), not in the organiser's."""

    def dispatch(self, request, *args, **kwargs):
        zone = request.POST.get("time_zone") if request.method == "POST" else None
        if zone not in available_timezones():
            instance = getattr(self, "object", None)
            zone = getattr(instance, "time_zone", None) or Workshop._meta.get_field(
                "time_zone").default
        with timezone.override(ZoneInfo(zone)):
            return super().dispatch(request, *args, **kwargs)


class WorkshopCreateView(WorkshopTimeZoneMixin, CreateView):
    def save_instance(self):
        instance = super().save_instance()
        if not self.request.user.is_superuser:
            # Whoever creates a workshop organises it, or they could not open it again.
            instance.organisers.add(self.request.user)
            instance.organisers.commit()
        return instance


class WorkshopEditView(WorkshopTimeZoneMixin, InstanceCheckedMixin, EditView):
    instance_permission = "change"


class WorkshopDeleteView(InstanceCheckedMixin, DeleteView):
    instance_permission = "delete"


class DelegationEditView(InstanceCheckedMixin, EditView):
    instance_permission = "change"


class DelegationDeleteView(InstanceCheckedMixin, DeleteView):
    instance_permission = "delete"


checkboxes = forms.CheckboxSelectMultiple


class WorkshopViewSet(SnippetViewSet):
    model = Workshop
    icon = "date"
    menu_label = _("Workshops")
    list_display = ["name", "starts_on", "venue"]
    search_fields = ["name", "venue"]
    ordering = ["-starts_on"]
    copy_view_enabled = False
    index_view_class = OwnWorkshopsIndexView
    add_view_class = WorkshopCreateView
    edit_view_class = WorkshopEditView
    delete_view_class = WorkshopDeleteView
    edit_handler = TabbedInterface(
        [
            ObjectList([
                FieldPanel("name"),
                FieldPanel("slug"),
                FieldPanel("description"),
                FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")]),
                FieldPanel("venue"),
                FieldPanel("time_zone"),
                FieldPanel("organisers", widget=checkboxes),
            ], heading=_("Workshop")),
            ObjectList([
                FieldPanel("min_attendees"),
                FieldPanel("bilateral"),
                FieldPanel("max_requests"),
                FieldRowPanel([FieldPanel("offers_deadline"), FieldPanel("requests_deadline")]),
                FieldPanel("requests_need_answer"),
                FieldPanel("answers_due"),
                FieldPanel("min_rounds"),
            ], heading=_("Rules")),
            ObjectList([
                InlinePanel("sessions", heading=_("Sessions"), label=_("Session"),
                            help_text=_("Times are in the workshop's own time zone."),
                            panels=[
                    FieldRowPanel([FieldPanel("key"), FieldPanel("label")]),
                    FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
                ]),
            ], heading=_("Sessions")),
            ObjectList([
                InlinePanel("rooms", heading=_("Rooms"), label=_("Room"), panels=[
                    FieldRowPanel([FieldPanel("key"), FieldPanel("name"),
                                   FieldPanel("capacity")]),
                    FieldPanel("sessions", widget=checkboxes),
                    FieldPanel("hosts"),
                ]),
            ], heading=_("Rooms")),
            ObjectList([
                InlinePanel("delegations", heading=_("Delegations"), label=_("Delegation"),
                            panels=[
                                FieldRowPanel([FieldPanel("key"), FieldPanel("kind"),
                                               FieldPanel("name")]),
                                FieldRowPanel([FieldPanel("country"),
                                               FieldPanel("institution")]),
                                FieldRowPanel([FieldPanel("delegates"),
                                               FieldPanel("max_attended")]),
                                FieldPanel("unavailable_sessions", widget=checkboxes),
                            ]),
            ], heading=_("Delegations")),
        ],
        base_form_class=WorkshopAdminForm,
    )


class DelegationViewSet(SnippetViewSet):
    """A delegation's own page, where its named delegates are listed and linked to accounts."""

    model = Delegation
    icon = "group"
    menu_label = _("Delegations and delegates")
    list_display = ["name", "workshop", "kind", "delegates"]
    list_filter = ["workshop", "kind"]
    search_fields = ["name", "key"]
    ordering = ["workshop", "name"]
    copy_view_enabled = False
    index_view_class = OwnWorkshopsIndexView
    edit_view_class = DelegationEditView
    delete_view_class = DelegationDeleteView
    edit_handler = ObjectList(
        [
            FieldPanel("workshop"),
            FieldRowPanel([FieldPanel("key"), FieldPanel("kind"), FieldPanel("name")]),
            FieldRowPanel([FieldPanel("country"), FieldPanel("institution")]),
            FieldRowPanel([FieldPanel("delegates"), FieldPanel("max_attended")]),
            FieldPanel("unavailable_sessions", widget=checkboxes),
            InlinePanel("members", heading=_("Named delegates"), label=_("Delegate"), panels=[
                FieldRowPanel([FieldPanel("name"), FieldPanel("email"), FieldPanel("user")]),
            ]),
        ],
        base_form_class=DelegationAdminForm,
    )


class WorkshopAdminGroup(SnippetViewSetGroup):
    menu_label = _("Workshops")
    menu_icon = "date"
    menu_order = 270
    items = [WorkshopViewSet, DelegationViewSet]
