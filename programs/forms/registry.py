"""Forms of the articulator registry: the registration steps, edits, filters, one-time links.

The registration is split into steps; each step is a form of its own, and the same forms
together make the one-page edit form of an approved entry.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.models import Country
from programs.models import (
    ArticulatorScope,
    ArticulatorSector,
    Macrozone,
    PovertyTopic,
    Region,
    SupportType,
)
from programs.models.registry import LinkageAnswer

FIELD_TEMPLATE = "programs/registry/includes/field.html"


class TermChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class TermMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class GroupedCheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    """Checkboxes in one fieldset per group (e.g. regions per macrozone)."""

    template_name = "programs/registry/widgets/grouped_checkboxes.html"


class RegistryForm(forms.Form):
    template_name = "programs/registry/includes/form_fields.html"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.template_name = FIELD_TEMPLATE


class OrganisationForm(RegistryForm):
    name = forms.CharField(label=_("Organisation name"), max_length=200)
    legal_form = forms.CharField(
        label=_("Legal form"), max_length=120,
        help_text=_("For example: foundation, corporation, limited company, public service."),
    )
    sector = TermChoiceField(
        label=_("Sector"), queryset=ArticulatorSector.objects.all(), widget=forms.RadioSelect,
        empty_label=None,
    )
    country = forms.ModelChoiceField(
        label=_("Country"), queryset=Country.objects.all(), empty_label=_("Choose a country"),
        help_text=_("The country where the organisation is based."),
    )
    website = forms.URLField(
        label=_("Website"), required=False, max_length=300, assume_scheme="https",
        help_text=_("For example: https://www.example.org"),
    )
    description = forms.CharField(
        label=_("About the organisation"), required=False, max_length=1500,
        widget=forms.Textarea({"rows": 4}),
        help_text=_("Two or three sentences for the directory (at most 1,500 characters)."),
    )
    # Honeypot: hidden from people (and from assistive technology) by the stylesheet; only
    # robots that fill every field fill it.
    fax_number = forms.CharField(
        label=_("Leave this field empty"), required=False, max_length=100,
        widget=forms.TextInput({"autocomplete": "off", "tabindex": "-1"}),
    )

    HONEYPOT = "fax_number"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].label_from_instance = lambda country: country.name
        # Countries in the active language's alphabetical order.
        self.fields["country"].queryset = Country.objects.all()

    @property
    def caught_robot(self):
        return bool(self.data.get(self.HONEYPOT))

    def visible_without_honeypot(self):
        return [field for field in self.visible_fields() if field.name != self.HONEYPOT]


def _regions_choices(country):
    groups = []
    loose = []
    regions = Region.objects.filter(country=country).select_related("macrozone")
    by_zone = {}
    for region in regions:
        if region.macrozone is None:
            loose.append((region.pk, region.name))
        else:
            by_zone.setdefault(region.macrozone, []).append((region.pk, region.name))
    for zone in sorted(by_zone, key=lambda zone: (zone.sort_order, zone.name)):
        groups.append((zone.name, by_zone[zone]))
    if loose:
        groups.append((_("Other regions"), loose) if groups else (None, loose))
    if len(groups) == 1 and groups[0][0] is None:
        return loose
    return groups


class PlaceForm(RegistryForm):
    head_office_region = forms.ModelChoiceField(
        label=_("Region of the head office"), queryset=Region.objects.none(),
        empty_label=_("Choose a region"),
    )
    regions = forms.TypedMultipleChoiceField(
        label=_("Regions where the organisation works"), coerce=int, required=False,
        widget=GroupedCheckboxSelectMultiple,
        help_text=_("Choose every region where you run activities. Organisations of national "
                    "scope may leave this empty."),
    )
    scope = TermChoiceField(
        label=_("Scope of the organisation's work"), queryset=ArticulatorScope.objects.all(),
        widget=forms.RadioSelect, empty_label=None,
    )

    def __init__(self, *args, country=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.country = country
        regions = Region.objects.filter(country=country) if country is not None else (
            Region.objects.none())
        self.has_regions = regions.exists()
        if self.has_regions:
            self.fields["head_office_region"].queryset = regions
            self.fields["head_office_region"].label_from_instance = lambda region: region.name
            self.fields["regions"].choices = _regions_choices(country)
        else:
            del self.fields["head_office_region"]
            del self.fields["regions"]

    def clean_regions(self):
        chosen = self.cleaned_data.get("regions") or []
        return list(Region.objects.filter(country=self.country, pk__in=chosen))

    def clean(self):
        cleaned = super().clean()
        scope = cleaned.get("scope")
        if (self.has_regions and scope is not None and scope.key != "national"
                and "regions" in cleaned and not cleaned["regions"]):
            self.add_error("regions", _("Choose at least one region, or choose the national "
                                        "scope."))
        return cleaned

    def entry_values(self):
        return {
            "head_office_region": self.cleaned_data.get("head_office_region"),
            "regions": self.cleaned_data.get("regions", []),
            "scope": self.cleaned_data["scope"],
        }


class YesNoField(forms.ChoiceField):
    widget = forms.RadioSelect

    def __init__(self, **kwargs):
        super().__init__(choices=LinkageAnswer.CHOICES, **kwargs)


class ActivitiesForm(RegistryForm):
    support_types = TermMultipleChoiceField(
        label=_("Support the organisation provides to the ecosystem"),
        queryset=SupportType.objects.all(), widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose every kind that applies."),
    )
    runs_linkage_activities = YesNoField(
        label=_("Does the organisation run linkage activities with other actors of the "
                "ecosystem?"),
        help_text=_("Meetings, networks, joint projects or platforms that bring actors "
                    "together."),
    )
    linkage_description = forms.CharField(
        label=_("How does it link with other actors?"), required=False, max_length=2000,
        widget=forms.Textarea({"rows": 3}),
        help_text=_("Needed if you answered yes."),
    )
    has_alliances = YesNoField(
        label=_("Has the organisation made alliances with other actors of the ecosystem?"),
    )
    alliances_description = forms.CharField(
        label=_("Which alliances has it made?"), required=False, max_length=2000,
        widget=forms.Textarea({"rows": 3}),
        help_text=_("Needed if you answered yes: with whom, and for what."),
    )
    poverty_topics = TermMultipleChoiceField(
        label=_("Poverty topics the organisation works on"),
        queryset=PovertyTopic.objects.all(), widget=forms.CheckboxSelectMultiple,
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("runs_linkage_activities") == LinkageAnswer.YES and not (
            cleaned.get("linkage_description") or ""
        ).strip():
            self.add_error("linkage_description",
                           _("Describe how the organisation links with other actors."))
        if cleaned.get("has_alliances") == LinkageAnswer.YES and not (
            cleaned.get("alliances_description") or ""
        ).strip():
            self.add_error("alliances_description", _("Describe the alliances it has made."))
        return cleaned

    def entry_values(self):
        data = self.cleaned_data
        return {
            "support_types": list(data["support_types"]),
            "runs_linkage_activities": LinkageAnswer.to_value(data["runs_linkage_activities"]),
            "linkage_description": data["linkage_description"],
            "has_alliances": LinkageAnswer.to_value(data["has_alliances"]),
            "alliances_description": data["alliances_description"],
            "poverty_topics": list(data["poverty_topics"]),
        }


class ContactForm(RegistryForm):
    contact_name = forms.CharField(label=_("Contact person"), max_length=150)
    contact_email = forms.EmailField(
        label=_("Contact email"), max_length=254,
        help_text=_("We send the confirmation link here. It is never published."),
    )
    publication_consent = forms.BooleanField(
        label=_("I agree that the answers are published in the directory, the statistics, the "
                "exports and the open data API, except the contact email."),
        error_messages={"required": _("The entry can only be registered with your consent to "
                                      "its publication.")},
    )


def organisation_values(form):
    data = form.cleaned_data
    return {name: data[name] for name in ("name", "legal_form", "sector", "country", "website",
                                          "description")}


def contact_values(form):
    data = form.cleaned_data
    return {name: data[name] for name in ("contact_name", "contact_email",
                                          "publication_consent")}


class EntryForms:
    """The four step forms of one entry, validated together (the one-page edit form)."""

    def __init__(self, data=None, initial=None):
        initial = initial or {}
        self.organisation = OrganisationForm(data, initial=initial)
        # The regions offered are those of the country just chosen, or else of the entry's.
        country = initial.get("country")
        if data is not None and self.organisation.is_valid():
            country = self.organisation.cleaned_data["country"]
        self.place = PlaceForm(data, initial=initial, country=country)
        self.activities = ActivitiesForm(data, initial=initial)
        self.contact = ContactForm(data, initial=initial)

    @property
    def all(self):
        return [self.organisation, self.place, self.activities, self.contact]

    def is_valid(self):
        return all([form.is_valid() for form in self.all])

    def entry_values(self):
        return {
            **organisation_values(self.organisation),
            **self.place.entry_values(),
            **self.activities.entry_values(),
            **contact_values(self.contact),
        }

    @property
    def caught_robot(self):
        return self.organisation.caught_robot


def initial_from_values(values):
    """Initial data for the step forms from an entry's values (see services.entry_values)."""
    initial = dict(values)
    initial["runs_linkage_activities"] = LinkageAnswer.from_value(values["runs_linkage_activities"])
    initial["has_alliances"] = LinkageAnswer.from_value(values["has_alliances"])
    initial["regions"] = [region.pk for region in values["regions"]]
    return initial


# --- Public lists ----------------------------------------------------------------------------


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Name contains"), required=False, max_length=100)
    country = forms.ModelChoiceField(
        label=_("Country"), queryset=Country.objects.all(), required=False,
        empty_label=_("All countries"), to_field_name="iso3",
    )
    sector = TermChoiceField(label=_("Sector"), queryset=ArticulatorSector.objects.all(),
                             required=False, empty_label=_("All sectors"), to_field_name="key")
    macrozone = forms.ModelChoiceField(
        label=_("Macrozone"), queryset=Macrozone.objects.select_related("country"),
        required=False, empty_label=_("All macrozones"),
        help_text=_("Where it works or has its head office."),
    )
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.select_related("country"), required=False,
        empty_label=_("All regions"),
        help_text=_("Where it works or has its head office."),
    )
    scope = TermChoiceField(label=_("Scope"), queryset=ArticulatorScope.objects.all(),
                            required=False, empty_label=_("All scopes"), to_field_name="key")
    support_type = TermChoiceField(label=_("Support provided"),
                                   queryset=SupportType.objects.all(), required=False,
                                   empty_label=_("All kinds of support"), to_field_name="key")
    topic = TermChoiceField(label=_("Poverty topic"), queryset=PovertyTopic.objects.all(),
                            required=False, empty_label=_("All topics"), to_field_name="key")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["country"].label_from_instance = lambda country: country.name
        self.fields["macrozone"].label_from_instance = (
            lambda zone: f"{zone.name} ({zone.country.name})")
        self.fields["region"].label_from_instance = (
            lambda region: f"{region.name} ({region.country.name})")
        for field in self.fields.values():
            field.template_name = FIELD_TEMPLATE

    def filter(self, queryset):
        """``queryset`` narrowed by the valid filters (invalid ones are ignored and shown)."""
        from django.db.models import Q

        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data["q"]:
            queryset = queryset.filter(name__icontains=data["q"].strip())
        for name in ("country", "sector", "scope"):
            if data[name] is not None:
                queryset = queryset.filter(**{name: data[name]})
        if data["support_type"] is not None:
            queryset = queryset.filter(support_types=data["support_type"])
        if data["topic"] is not None:
            queryset = queryset.filter(poverty_topics=data["topic"])
        if data["region"] is not None:
            queryset = queryset.filter(
                Q(head_office_region=data["region"]) | Q(regions=data["region"]))
        if data["macrozone"] is not None:
            queryset = queryset.filter(
                Q(head_office_region__macrozone=data["macrozone"])
                | Q(regions__macrozone=data["macrozone"]))
        return queryset.distinct()


class DashboardFilterForm(forms.Form):
    registered_from = forms.DateField(
        label=_("Registered from"), required=False,
        widget=forms.DateInput({"type": "date"}), help_text=_("YYYY-MM-DD"),
    )
    registered_to = forms.DateField(
        label=_("Registered until"), required=False,
        widget=forms.DateInput({"type": "date"}), help_text=_("YYYY-MM-DD, included"),
    )
    country = forms.ModelChoiceField(
        label=_("Country"), queryset=Country.objects.all(), required=False,
        empty_label=_("All countries"), to_field_name="iso3",
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["country"].label_from_instance = lambda country: country.name
        for field in self.fields.values():
            field.template_name = FIELD_TEMPLATE

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("registered_from"), cleaned.get("registered_to")
        if start and end and start > end:
            self.add_error("registered_to", _("The end of the period comes before its start."))
        return cleaned

    def statistics_filters(self):
        if not self.is_valid():
            return {}
        return {key: self.cleaned_data[key]
                for key in ("registered_from", "registered_to", "country")}


# --- One-time links and accounts -----------------------------------------------------------------


class EditLinkRequestForm(forms.Form):
    email = forms.EmailField(
        label=_("Contact email of your entry"), max_length=254,
        help_text=_("The address the entry was registered with."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["email"].template_name = FIELD_TEMPLATE


class OwnerAccountForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    password1 = forms.CharField(label=_("Password"), widget=forms.PasswordInput(
        {"autocomplete": "new-password"}), help_text=_("At least 10 characters."))
    password2 = forms.CharField(label=_("Password again"), widget=forms.PasswordInput(
        {"autocomplete": "new-password"}))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.template_name = FIELD_TEMPLATE

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return cleaned


# --- Moderation ------------------------------------------------------------------------------


class RejectionForm(forms.Form):
    comment = forms.CharField(
        label=_("Reason (sent to the organisation)"),
        required=True,
        max_length=2000,
        widget=forms.Textarea({"rows": 4}),
        error_messages={"required": _("Give the reason for the rejection: it is sent to the "
                                      "organisation.")},
    )
