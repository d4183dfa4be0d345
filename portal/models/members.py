"""The network's members: countries and the institutions that speak for them."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.search import index

from portal.i18n import BilingualNameMixin


class Subregion(models.TextChoices):
    NORTH_AMERICA = "north_america", _("North America")
    CENTRAL_AMERICA = "central_america", _("Central America")
    CARIBBEAN = "caribbean", _("Caribbean")
    ANDEAN = "andean", _("Andean region")
    SOUTHERN_CONE = "southern_cone", _("Southern Cone")


class Country(index.Indexed, BilingualNameMixin):
    iso3 = models.CharField(
        _("ISO 3166 alpha-3 code"),
        max_length=3,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{3}$", _("Use three capital letters, e.g. COL."))],
    )
    iso2 = models.CharField(
        _("ISO 3166 alpha-2 code"),
        max_length=2,
        blank=True,
        validators=[RegexValidator(r"^[A-Z]{2}$", _("Use two capital letters, e.g. CO."))],
    )
    subregion = models.CharField(_("subregion"), max_length=32, choices=Subregion.choices)
    member_since = models.DateField(_("member since"), null=True, blank=True)

    search_fields = [
        index.SearchField("name_en"),
        index.SearchField("name_es"),
        index.AutocompleteField("name_en"),
        index.FilterField("iso3"),
    ]

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")


class InstitutionKind(models.TextChoices):
    MINISTRY = "ministry", _("Ministry")
    AGENCY = "agency", _("Government agency")
    LOCAL_GOVERNMENT = "local_government", _("Local or regional government")
    SUBREGIONAL_MECHANISM = "subregional_mechanism", _("Subregional mechanism")
    INTERNATIONAL_ORGANISATION = "international_organisation", _("International organisation")
    NGO = "ngo", _("Non-governmental organisation")
    ACADEMIA = "academia", _("Academia")
    OTHER = "other", _("Other")


class Institution(index.Indexed, BilingualNameMixin):
    key = models.SlugField(
        _("key"),
        max_length=64,
        unique=True,
        help_text=_("A stable identifier used by imports and exports, e.g. col-icbf."),
    )
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="institutions",
        help_text=_("Leave empty for subregional mechanisms and international organisations."),
    )
    acronym = models.CharField(_("acronym"), max_length=32, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=InstitutionKind.choices)
    website = models.URLField(_("website"), blank=True)

    search_fields = [
        index.SearchField("name_en"),
        index.SearchField("name_es"),
        index.SearchField("acronym"),
        index.AutocompleteField("name_en"),
        index.FilterField("country_id"),
    ]

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")

    def __str__(self):
        if self.acronym:
            return f"{self.name} ({self.acronym})"
        return self.name
