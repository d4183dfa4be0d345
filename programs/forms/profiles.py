from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from portal.models import Country
from programs.models import (
    ExchangeMethod,
    ProgramStatus,
    SustainableDevelopmentGoal,
    TargetPopulation,
    Topic,
)


class ProfileFilterForm(forms.Form):
    """The programs index's filters; values are stable keys so that links can be shared."""

    country = forms.ModelChoiceField(
        Country.objects.filter(program_profiles__live=True).distinct(),
        label=_("Country"), to_field_name="iso3", required=False, empty_label=_("Any country"))
    topic = forms.ModelChoiceField(Topic.objects.all(), label=_("Topic"), to_field_name="key",
                                   required=False, empty_label=_("Any topic"))
    population = forms.ModelChoiceField(
        TargetPopulation.objects.all(), label=_("Target population"), to_field_name="key",
        required=False, empty_label=_("Any population"))
    status = forms.ModelChoiceField(ProgramStatus.objects.all(), label=_("Status"),
                                    to_field_name="key", required=False,
                                    empty_label=_("Any status"))
    exchange_method = forms.ModelChoiceField(
        ExchangeMethod.objects.all(), label=_("Exchange method"), to_field_name="key",
        required=False, empty_label=_("Any exchange method"))
    sdg = forms.ModelChoiceField(SustainableDevelopmentGoal.objects.all(),
                                 label=_("Sustainable Development Goal"),
                                 to_field_name="number", required=False,
                                 empty_label=_("Any goal"))

    FILTERS = {
        "country": "country",
        "topic": "topics",
        "population": "target_populations",
        "status": "statuses",
        "exchange_method": "exchange_methods",
        "sdg": "sdg_goals",
    }

    def filter(self, queryset):
        """Narrow ``queryset``; invalid values are ignored (the form shows them as errors)."""
        data = self.cleaned_data if self.is_valid() else {
            name: value for name, value in getattr(self, "cleaned_data", {}).items()
            if name not in self.errors}
        for name, lookup in self.FILTERS.items():
            value = data.get(name)
            if value is not None:
                queryset = queryset.filter(**{lookup: value})
        return queryset.distinct()

    def active_filters(self):
        if not self.is_bound:
            return []
        data = getattr(self, "cleaned_data", {})
        return [(self.fields[name].label, value) for name, value in data.items()
                if value is not None]


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "At most %(limit)s. Use the template: one row per profile, matched by its "
            "external id.") % {"limit": filesizeformat(settings.PORTAL_MAX_IMPORT_SIZE)}
