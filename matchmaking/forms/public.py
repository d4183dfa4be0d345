"""Forms of the workshop pages: supply, import."""

import json

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from matchmaking.services.profiles import summary_text
from matchmaking.services.supply import MOST_REPEATS
from portal.uploads import check_size


class SupplyForm(forms.Form):
    """One row per offerable program: offer it or not, and how often."""

    def __init__(self, *args, profiles, offers, **kwargs):
        super().__init__(*args, **kwargs)
        self.profiles = profiles
        offered = {offer.profile_id: offer for offer in offers}
        for page in profiles:
            offer = offered.get(page.pk)
            self.fields[f"offer_{page.pk}"] = forms.BooleanField(
                label=page.title, required=False, initial=offer is not None)
            self.fields[f"repeats_{page.pk}"] = forms.IntegerField(
                label=_("How often can you present “%(title)s”?") % {"title": page.title},
                min_value=1, max_value=MOST_REPEATS, required=False,
                initial=offer.max_repeats if offer else 1)

    def clean(self):
        cleaned_data = super().clean()
        for page in self.profiles:
            if cleaned_data.get(f"offer_{page.pk}") and not cleaned_data.get(
                    f"repeats_{page.pk}"):
                self.add_error(f"repeats_{page.pk}", _(
                    "Say how often “%(title)s” can be presented (1 or more).")
                    % {"title": page.title})
        return cleaned_data

    def choices(self):
        """{profile id: repeats} of the programs ticked."""
        return {page.pk: self.cleaned_data[f"repeats_{page.pk}"] for page in self.profiles
                if self.cleaned_data.get(f"offer_{page.pk}")}

    def rows(self):
        return [(page, self[f"offer_{page.pk}"], self[f"repeats_{page.pk}"],
                 summary_text(page)) for page in self.profiles]


class WorkshopImportForm(forms.Form):
    file = forms.FileField(
        label=_("Workshop file (negotiation-rounds/1 JSON)"),
        help_text=_("As exported from this portal or written for the optimiser's command "
                    "line."))
    slug = forms.SlugField(
        label=_("Slug"), required=False, max_length=80,
        help_text=_("The workshop's address; leave empty to use the file's workshop.slug."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_size(upload, settings.PORTAL_MAX_IMPORT_SIZE)
        try:
            document = json.loads(upload.read().decode("utf-8"))
        except UnicodeDecodeError as error:
            raise forms.ValidationError(_("The file is not UTF-8 text.")) from error
        except json.JSONDecodeError as error:
            raise forms.ValidationError(
                _("The file is not valid JSON (line %(line)s, column %(column)s: %(msg)s).")
                % {"line": error.lineno, "column": error.colno, "msg": error.msg}) from error
        if not isinstance(document, dict):
            raise forms.ValidationError(_("The file must hold one JSON object."))
        return document
