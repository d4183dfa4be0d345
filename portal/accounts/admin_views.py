"""Wagtail admin screens for accounts: users with their country, and invitations."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from portal.accounts import services
from portal.accounts.models import Invitation
from portal.accounts.roles import Role


class PortalUserCreationForm(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = UserCreationForm.Meta.fields | {"country", "institution"}


class PortalUserEditForm(UserEditForm):
    class Meta(UserEditForm.Meta):
        fields = UserEditForm.Meta.fields | {"country", "institution"}


class UserViewSet(WagtailUserViewSet):
    def get_form_class(self, for_update=False):
        return PortalUserEditForm if for_update else PortalUserCreationForm


class InvitationAdminForm(WagtailAdminModelForm):
    role = forms.ChoiceField(label=gettext_lazy("Role"))

    class Meta:
        model = Invitation
        fields = ["email", "role", "country", "institution"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = services.roles_user_may_invite(self.for_user)
        self.fields["role"].choices = [(r.value, r.label) for r in Role if r in allowed]


class InvitationCreateView(generic.CreateView):
    def form_valid(self, form):
        try:
            self.object, _link = services.invite(
                invited_by=self.request.user,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                country=form.cleaned_data.get("country"),
                institution=form.cleaned_data.get("institution"),
                language=translation.get_language() or "en",
            )
        except services.AccountError as error:
            form.add_error(None, str(error))
            self.produced_error_code = "validation_error"
            self.produced_error_message = str(error)
            return self.form_invalid(form)
        messages.success(
            self.request, _("Invitation sent to %(email)s.") % {"email": self.object.email}
        )
        return redirect(self.get_success_url())


class InvitationViewSet(ModelViewSet):
    model = Invitation
    form_fields = ["email", "role", "country", "institution"]
    icon = "mail"
    menu_label = gettext_lazy("Invitations")
    add_to_settings_menu = True
    menu_order = 610
    inspect_view_enabled = True
    add_view_class = InvitationCreateView
    list_filter = ["role", "country"]
    search_fields = ["email"]

    list_display = [
        Column("email", label=gettext_lazy("Email address")),
        Column("role_label", label=gettext_lazy("Role"), accessor=lambda i: Role(i.role).label),
        Column("country", label=gettext_lazy("Country")),
        Column("status", label=gettext_lazy("Status")),
        DateColumn("created_at", label=gettext_lazy("Created")),
    ]

    def get_form_class(self, for_update=False):
        return InvitationAdminForm
