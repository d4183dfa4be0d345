"""Admin forms of workshops and delegations: choices limited to what belongs together."""

from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from matchmaking.models import Session, Workshop
from portal.accounts.roles import GROUP_NAMES, Role

OTHER_WORKSHOP_SESSION = _(
    "Choose only sessions of this workshop; “%(value)s” is not one of them (save the "
    "workshop's sessions first).")


def _with_sessions_of(form_class, field_name, sessions):
    """`form_class` whose `field_name` offers only `sessions`, refusing any other by name."""

    class LimitedForm(form_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            if field_name in self.fields:
                field = self.fields[field_name]
                field.queryset = sessions
                field.error_messages["invalid_choice"] = OTHER_WORKSHOP_SESSION

    LimitedForm.__name__ = form_class.__name__
    return LimitedForm


def organiser_choices(current=()):
    return get_user_model().objects.filter(
        Q(groups__name=GROUP_NAMES[Role.ORGANISER]) | Q(is_superuser=True)
        | Q(pk__in=[user.pk for user in current])
    ).distinct().order_by("email")


class WorkshopAdminForm(WagtailAdminModelForm):
    """A workshop with its sessions, rooms and delegations in one form."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "organisers" in self.fields:
            current = self.instance.organisers.all() if self.instance.pk else ()
            self.fields["organisers"].queryset = organiser_choices(current)
        sessions = (Session.objects.filter(workshop=self.instance) if self.instance.pk
                    else Session.objects.none())
        # Formsets build their forms lazily, so swapping the form class here reaches every
        # row, the blank template row included.
        for formset_name, field_name in (("rooms", "sessions"),
                                         ("delegations", "unavailable_sessions")):
            formset = self.formsets.get(formset_name)
            if formset is not None:
                formset.form = _with_sessions_of(formset.form, field_name, sessions)

    def clean(self):
        cleaned_data = super().clean()
        starts_on, ends_on = cleaned_data.get("starts_on"), cleaned_data.get("ends_on")
        zone = cleaned_data.get("time_zone")
        sessions = self.formsets.get("sessions")
        if sessions is None or not (starts_on and ends_on and zone):
            return cleaned_data
        for form in sessions.forms:
            # Child forms are cleaned after the parent unless asked first.
            data = form.cleaned_data if form.is_valid() else {}
            if data.get("DELETE") or not data.get("starts_at"):
                continue
            day = data["starts_at"].astimezone(ZoneInfo(zone)).date()
            if not starts_on <= day <= ends_on:
                form.add_error("starts_at", _(
                    "This session starts on %(day)s, outside the workshop's days "
                    "(%(first)s to %(last)s in %(zone)s).") % {
                        "day": day.isoformat(), "first": starts_on.isoformat(),
                        "last": ends_on.isoformat(), "zone": zone})
        return cleaned_data


class DelegationAdminForm(WagtailAdminModelForm):
    """A delegation with its named delegates, in a workshop its editor organises."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        if "workshop" in self.fields and user is not None and not user.is_superuser:
            self.fields["workshop"].queryset = Workshop.objects.filter(organisers=user)
        if "unavailable_sessions" in self.fields:
            field = self.fields["unavailable_sessions"]
            field.queryset = (Session.objects.filter(workshop_id=self.instance.workshop_id)
                              if self.instance.workshop_id else
                              Session.objects.select_related("workshop"))
            field.error_messages["invalid_choice"] = OTHER_WORKSHOP_SESSION

    def clean(self):
        cleaned_data = super().clean()
        workshop = cleaned_data.get("workshop")
        foreign = [session for session in cleaned_data.get("unavailable_sessions") or ()
                   if workshop is not None and session.workshop_id != workshop.pk]
        if foreign:
            self.add_error("unavailable_sessions", _(
                "“%(session)s” is a session of another workshop; choose sessions of "
                "%(workshop)s.") % {"session": foreign[0], "workshop": workshop})
        return cleaned_data
