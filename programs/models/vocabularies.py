"""Vocabularies that profiles are classified by: data that moderators edit as snippets.

Each entry has a stable ``key`` (used by imports, exports and the API) and its wording in
English and Spanish. The initial entries come from ``programs/data/`` through
``programs.services.vocabularies.ensure_vocabularies`` after every ``migrate``.
"""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.search import index

from portal.i18n import BilingualNameMixin, pick_language

key_validator = RegexValidator(
    r"^[a-z0-9_]+$", _("Use lower-case letters, digits and underscores, e.g. food_security.")
)


class VocabularyEntry(index.Indexed, BilingualNameMixin):
    key = models.CharField(
        _("key"),
        max_length=64,
        unique=True,
        validators=[key_validator],
        help_text=_("A stable identifier used by imports, exports and the API. "
                    "Changing it breaks files that use the old key."),
    )
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    search_fields = [
        index.SearchField("name_en"),
        index.SearchField("name_es"),
        index.AutocompleteField("name_en"),
        index.FilterField("key"),
    ]

    class Meta:
        abstract = True
        ordering = ["sort_order", "name_en"]


class Topic(VocabularyEntry):
    """A social-protection issue a program deals with (seed 003's Graph 1 and annex)."""

    description_en = models.TextField(_("description (English)"), blank=True)
    description_es = models.TextField(_("description (Spanish)"), blank=True)

    class Meta(VocabularyEntry.Meta):
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    @property
    def description(self):
        return pick_language(self.description_en, self.description_es)


class TargetPopulation(VocabularyEntry):
    class Meta(VocabularyEntry.Meta):
        verbose_name = _("target population")
        verbose_name_plural = _("target populations")


class ExchangeMethod(VocabularyEntry):
    """A way of sharing a program with another country (study tour, internship...)."""

    class Meta(VocabularyEntry.Meta):
        verbose_name = _("exchange method")
        verbose_name_plural = _("exchange methods")


class ProgramStatus(VocabularyEntry):
    """A stage of a program's cycle: design, implementation, monitoring..."""

    class Meta(VocabularyEntry.Meta):
        verbose_name = _("program status")
        verbose_name_plural = _("program statuses")


class SustainableDevelopmentGoal(index.Indexed, BilingualNameMixin):
    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    title_en = models.TextField(_("goal statement (English)"))
    title_es = models.TextField(_("goal statement (Spanish)"))

    search_fields = [
        index.SearchField("name_en"),
        index.SearchField("name_es"),
        index.SearchField("title_en"),
        index.SearchField("title_es"),
        index.FilterField("number"),
    ]

    class Meta:
        ordering = ["number"]
        verbose_name = _("Sustainable Development Goal")
        verbose_name_plural = _("Sustainable Development Goals")

    def __str__(self):
        return f"{self.number}. {self.name}"

    @property
    def key(self):
        return str(self.number)

    @property
    def title(self):
        return pick_language(self.title_en, self.title_es)


class SDGTarget(index.Indexed, models.Model):
    goal = models.ForeignKey(
        SustainableDevelopmentGoal,
        verbose_name=_("goal"),
        on_delete=models.CASCADE,
        related_name="targets",
    )
    code = models.CharField(
        _("code"),
        max_length=8,
        unique=True,
        validators=[RegexValidator(r"^\d{1,2}\.[0-9a-z]{1,2}$",
                                   _("Use the UN code of the target, e.g. 1.3 or 17.a."))],
    )
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)
    text_en = models.TextField(_("text (English)"))
    text_es = models.TextField(_("text (Spanish)"))

    search_fields = [
        index.SearchField("code"),
        index.SearchField("text_en"),
        index.SearchField("text_es"),
        index.FilterField("goal_id"),
    ]

    class Meta:
        ordering = ["goal__number", "sort_order"]
        verbose_name = _("SDG target")
        verbose_name_plural = _("SDG targets")

    def __str__(self):
        return f"{self.code} {self.short_text}"

    @property
    def key(self):
        return self.code

    @property
    def text(self):
        return pick_language(self.text_en, self.text_es)

    @property
    def short_text(self):
        text = self.text
        return text if len(text) <= 90 else text[:87].rstrip() + "…"
