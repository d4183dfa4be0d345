"""Helpers for data that carries its own English and Spanish wording (vocabularies, countries)."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def pick_language(english, spanish):
    """The Spanish wording when Spanish is active and there is one, otherwise the English."""
    language = (get_language() or "en").split("-")[0]
    if language == "es" and spanish:
        return spanish
    return english


class BilingualNameMixin(models.Model):
    name_en = models.CharField(_("name (English)"), max_length=255)
    name_es = models.CharField(_("name (Spanish)"), max_length=255)

    class Meta:
        abstract = True

    def __str__(self):
        return self.name

    @property
    def name(self):
        return pick_language(self.name_en, self.name_es)
