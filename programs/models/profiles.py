"""Program profiles: one Wagtail page per program, under its country's page.

The tree is home -> programs index -> one country page per country -> profiles, in every
language (Spanish pages are translations of the English ones, or the other way round).
Delegates get Wagtail page permissions on their own country's page in every language;
publishing goes through the moderation workflow.
"""

import calendar
from datetime import date, timedelta

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Max, Q
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail import blocks
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
    TitleFieldPanel,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.documents import get_document_model_string
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Locale, Orderable, Page, TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from .vocabularies import (
    ExchangeMethod,
    ProgramStatus,
    SDGTarget,
    SustainableDevelopmentGoal,
    TargetPopulation,
    Topic,
)

PROSE_FEATURES = ["bold", "italic", "link", "ol", "ul"]
STALE_AFTER = timedelta(days=365)

partial_date_validator = RegexValidator(
    r"^\d{4}(-\d{2}(-\d{2})?)?$",
    _("Write the date as YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2012 or 2012-08."),
)


def check_partial_date(value):
    """Raise ValidationError unless ``value`` is a real year, month or day (2012, 2012-08...)."""
    if not value:
        return
    partial_date_validator(value)
    parts = [int(part) for part in value.split("-")]
    if not 1900 <= parts[0] <= 2100:
        raise ValidationError(_("%(value)s: the year must be between 1900 and 2100."),
                              params={"value": value})
    if len(parts) >= 2 and not 1 <= parts[1] <= 12:
        raise ValidationError(_("%(value)s: there is no month %(month)s."),
                              params={"value": value, "month": parts[1]})
    if len(parts) == 3 and not 1 <= parts[2] <= calendar.monthrange(parts[0], parts[1])[1]:
        raise ValidationError(_("%(value)s: that day does not exist."), params={"value": value})


def format_partial_date(value):
    """A partial ISO date in the active language: "2012", "August 2012", "1 July 2012"."""
    if not value:
        return ""
    parts = [int(part) for part in value.split("-")]
    if len(parts) == 1:
        return str(parts[0])
    if len(parts) == 2:
        return date_format(date(parts[0], parts[1], 1), "YEAR_MONTH_FORMAT")
    return date_format(date(*parts), "DATE_FORMAT")


class AreaOfInfluence(models.TextChoices):
    NATIONAL = "national", _("National")
    SUBNATIONAL = "subnational", _("Subnational (departmental, state or regional)")
    LOCAL = "local", _("Local (municipal or community)")


class ProgramsIndexPage(Page):
    """All published program profiles, with filters; the parent of the country pages."""

    introduction = models.TextField(_("introduction"), blank=True, max_length=800)

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    template = "programs/profiles/programs_index_page.html"
    parent_page_types = ["portal.HomePage"]
    subpage_types = ["programs.CountryIndexPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("programs index page")

    def get_context(self, request, *args, **kwargs):
        from programs.views.profiles import programs_index_context

        context = super().get_context(request, *args, **kwargs)
        context.update(programs_index_context(request, self))
        return context


class CountryIndexPage(Page):
    """One country's program profiles. Delegates of the country may add profiles here."""

    country = models.ForeignKey(
        "portal.Country", verbose_name=_("country"), on_delete=models.PROTECT,
        related_name="program_pages",
    )
    introduction = models.TextField(_("introduction"), blank=True, max_length=800)

    content_panels = [*Page.content_panels, FieldPanel("country"), FieldPanel("introduction")]
    template = "programs/profiles/country_index_page.html"
    parent_page_types = ["programs.ProgramsIndexPage"]
    subpage_types = ["programs.ProgramProfilePage"]

    class Meta:
        verbose_name = _("country programs page")

    def profiles(self):
        """The country's published profiles in this page's language, falling back to the
        original wording where a profile has no translation yet."""
        return profiles_in_locale(self.locale).filter(country_id=self.country_id).order_by(
            "title")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["profiles"] = self.profiles().select_related("locale", "country").prefetch_related(
            "statuses", "topics")
        return context

    def route(self, request, path_components):
        try:
            return super().route(request, path_components)
        except Http404:
            # A profile not yet translated into this language is served in its original
            # language at this language's address, rather than as a missing page.
            if len(path_components) < 1:
                raise
            original = (
                ProgramProfilePage.objects.live()
                .filter(country_id=self.country_id, slug=path_components[0],
                        locale__language_code=F("original_language"))
                .exclude(locale=self.locale).first()
            )
            if original is None or original.get_translation_or_none(self.locale) is not None:
                raise
            return original.specific.route(request, path_components[1:])


def profiles_in_locale(locale):
    """Live profiles in ``locale``, plus the originals of profiles with no live version in it.

    One row per profile: the version a reader of that language should see.
    """
    live = ProgramProfilePage.objects.live()
    translated_keys = live.filter(locale=locale).values("translation_key")
    return live.filter(
        Q(locale=locale)
        | (Q(locale__language_code=F("original_language"))
           & ~Q(translation_key__in=translated_keys))
    )


class IndicatorBlock(blocks.StructBlock):
    name = blocks.CharBlock(label=_("Indicator"), max_length=200)
    unit = blocks.CharBlock(label=_("Unit"), max_length=40, required=False,
                            help_text=_("e.g. families, %, USD"))
    baseline = blocks.DecimalBlock(label=_("Baseline"), required=False)
    target = blocks.DecimalBlock(label=_("Target"), required=False)
    achieved = blocks.DecimalBlock(label=_("Achieved"), required=False)

    class Meta:
        icon = "list-ol"
        label = _("Indicator")


class ProgressRating(models.TextChoices):
    # The words carry the meaning; the colour only repeats it.
    GREEN = "green", _("On track (green)")
    AMBER = "amber", _("Some delays (amber)")
    RED = "red", _("Off track (red)")


class ProgramProfileForm(WagtailAdminPageForm):
    """The profile's admin form: only the institutions of the profile's own country (and
    regional or international ones) are offered."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        country_id = self.instance.country_id
        parent = self.parent_page.specific if self.parent_page is not None else None
        if country_id is None and isinstance(parent, CountryIndexPage):
            country_id = parent.country_id
        if country_id is not None and "institutions" in self.fields:
            self.fields["institutions"].queryset = self.fields["institutions"].queryset.filter(
                Q(country_id=country_id) | Q(country__isnull=True))


class ProgramProfilePage(RoutablePageMixin, Page):
    """A country's social program, described with the fields of the seed forms."""

    base_form_class = ProgramProfileForm

    external_id = models.CharField(
        _("external id"), max_length=64, blank=True,
        validators=[RegexValidator(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$",
                                   _("Use letters, digits, dots, dashes and underscores."))],
        help_text=_("A stable identifier that imports use to find this profile again, "
                    "e.g. COL-red-unidos. Left empty, one is made from the country and title."),
    )
    acronym = models.CharField(_("acronym"), max_length=32, blank=True)
    country = models.ForeignKey(
        "portal.Country", verbose_name=_("country"), on_delete=models.PROTECT,
        related_name="program_profiles", editable=False, null=True,
    )
    original_language = models.CharField(
        _("original language"), max_length=8, editable=False, blank=True,
        help_text=_("The language the profile was first written in."),
    )
    institutions = ParentalManyToManyField(
        "portal.Institution", verbose_name=_("responsible institutions"), blank=True,
        related_name="program_profiles",
    )
    implementing_agency = models.CharField(_("implementing agency"), max_length=255,
                                           blank=True)
    topics = ParentalManyToManyField(Topic, verbose_name=_("topics"), blank=True,
                                     related_name="profiles")
    area_of_influence = models.CharField(
        _("area of influence"), max_length=16, choices=AreaOfInfluence.choices,
        default=AreaOfInfluence.NATIONAL,
    )
    regions = models.TextField(
        _("regions or departments"), blank=True,
        help_text=_("One per line. Required for a subnational area of influence."),
    )
    target_populations = ParentalManyToManyField(
        TargetPopulation, verbose_name=_("target populations"), blank=True,
        related_name="profiles",
    )
    target_population_other = models.CharField(
        _("other target population"), max_length=255, blank=True,
        help_text=_("Describe the population when “Other” is chosen, or to be more precise."),
    )
    start_date = models.CharField(
        _("start date"), max_length=10, blank=True, validators=[check_partial_date],
        help_text=_("YYYY, YYYY-MM or YYYY-MM-DD"),
    )
    end_date = models.CharField(
        _("end date"), max_length=10, blank=True, validators=[check_partial_date],
        help_text=_("YYYY, YYYY-MM or YYYY-MM-DD"),
    )
    duration_note = models.CharField(
        _("note on duration"), max_length=255, blank=True,
        help_text=_("e.g. Indefinite, renewable every year."),
    )
    statuses = ParentalManyToManyField(
        ProgramStatus, verbose_name=_("status"), blank=True, related_name="profiles",
        help_text=_("Every stage the program is in now."),
    )
    summary = RichTextField(_("summary"), features=PROSE_FEATURES, blank=True)
    objectives = RichTextField(_("general objectives"), features=PROSE_FEATURES, blank=True)
    achievements = RichTextField(_("achievements"), features=PROSE_FEATURES, blank=True)
    other_organisations = models.TextField(
        _("other organisations involved"), blank=True, help_text=_("One per line."),
    )
    funding_amount = models.DecimalField(
        _("budget amount"), max_digits=16, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0)],
    )
    funding_currency = models.CharField(
        _("currency"), max_length=3, blank=True,
        validators=[RegexValidator(r"^[A-Z]{3}$",
                                   _("Use the three-letter ISO 4217 code, e.g. USD or COP."))],
    )
    funding_year = models.PositiveSmallIntegerField(
        _("budget year"), null=True, blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )
    funding_source = models.CharField(_("source of funding"), max_length=255, blank=True)
    beneficiaries = models.PositiveIntegerField(_("beneficiaries"), null=True, blank=True,
                                                help_text=_("People or households reached."))
    coverage = models.CharField(_("coverage"), max_length=255, blank=True,
                                help_text=_("e.g. all 1,102 municipalities, 40% of poor "
                                            "households."))
    what_worked = RichTextField(_("what worked"), features=PROSE_FEATURES, blank=True)
    lessons_learned = RichTextField(_("lessons learned"), features=PROSE_FEATURES, blank=True)
    exchange_methods = ParentalManyToManyField(
        ExchangeMethod, verbose_name=_("preferred exchange methods"), blank=True,
        related_name="profiles",
    )
    sdg_goals = ParentalManyToManyField(
        SustainableDevelopmentGoal, verbose_name=_("related SDGs"), blank=True,
        related_name="profiles",
    )
    sdg_targets = ParentalManyToManyField(
        SDGTarget, verbose_name=_("related SDG targets"), blank=True, related_name="profiles",
        help_text=_("Choosing a target adds its goal."),
    )
    website = models.URLField(_("website"), blank=True)

    # Facts that do not depend on the language are kept equal in every translation.
    override_translatable_fields = [
        SynchronizedField("external_id", overridable=False),
        SynchronizedField("start_date", overridable=False),
        SynchronizedField("end_date", overridable=False),
        SynchronizedField("funding_currency", overridable=False),
        SynchronizedField("institutions", overridable=False),
        SynchronizedField("topics", overridable=False),
        SynchronizedField("target_populations", overridable=False),
        SynchronizedField("statuses", overridable=False),
        SynchronizedField("exchange_methods", overridable=False),
        SynchronizedField("sdg_goals", overridable=False),
        SynchronizedField("sdg_targets", overridable=False),
    ]

    search_fields = [
        *Page.search_fields,
        index.SearchField("acronym"),
        index.SearchField("summary"),
        index.SearchField("objectives"),
        index.SearchField("achievements"),
        index.SearchField("implementing_agency"),
        index.FilterField("country_id"),
        index.FilterField("external_id"),
    ]

    program_panels = [
        TitleFieldPanel("title", heading=_("Program title")),
        FieldRowPanel([FieldPanel("acronym"), FieldPanel("external_id")]),
        FieldPanel("institutions", widget=forms.CheckboxSelectMultiple),
        FieldPanel("implementing_agency"),
        FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
        FieldPanel("statuses", widget=forms.CheckboxSelectMultiple),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
             FieldPanel("duration_note")],
            heading=_("Duration"),
        ),
        FieldPanel("summary"),
        FieldPanel("objectives"),
        FieldPanel("achievements"),
    ]
    reach_panels = [
        MultiFieldPanel([FieldPanel("area_of_influence"), FieldPanel("regions")],
                        heading=_("Area of influence")),
        MultiFieldPanel(
            [FieldPanel("target_populations", widget=forms.CheckboxSelectMultiple),
             FieldPanel("target_population_other")],
            heading=_("Target population"),
        ),
        MultiFieldPanel([FieldPanel("beneficiaries"), FieldPanel("coverage")],
                        heading=_("Scale and reach")),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("funding_amount"), FieldPanel("funding_currency"),
                            FieldPanel("funding_year")]),
             FieldPanel("funding_source")],
            heading=_("Funding and budget"),
        ),
    ]
    learning_panels = [
        FieldPanel("other_organisations"),
        FieldPanel("what_worked"),
        FieldPanel("lessons_learned"),
        FieldPanel("exchange_methods", widget=forms.CheckboxSelectMultiple),
        MultiFieldPanel(
            [FieldPanel("sdg_goals", widget=forms.CheckboxSelectMultiple),
             FieldPanel("sdg_targets", widget=forms.CheckboxSelectMultiple)],
            heading=_("Sustainable Development Goals"),
        ),
    ]
    contact_panels = [
        FieldPanel("website"),
        InlinePanel("contacts", label=_("Contacts"),
                    help_text=_("Shown only to signed-in delegates and moderators.")),
        InlinePanel("documents", label=_("Documents")),
        InlinePanel("images", label=_("Images")),
    ]
    progress_panels = [
        InlinePanel("progress_reports", label=_("Progress reports")),
    ]
    edit_handler = TabbedInterface([
        ObjectList(program_panels, heading=_("Program")),
        ObjectList(reach_panels, heading=_("Reach and funding")),
        ObjectList(learning_panels, heading=_("Learning and exchange")),
        ObjectList(contact_panels, heading=_("Contacts and files")),
        ObjectList(progress_panels, heading=_("Progress")),
        ObjectList(Page.promote_panels, heading=_("Promote")),
    ])

    template = "programs/profiles/program_profile_page.html"
    parent_page_types = ["programs.CountryIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("program profile")
        verbose_name_plural = _("program profiles")
        indexes = [models.Index(fields=["external_id"])]

    # -- saving ----------------------------------------------------------------------------

    def _country_from_parent(self):
        parent = self.get_parent() if self.path else None
        if parent is not None:
            parent = parent.specific
            if isinstance(parent, CountryIndexPage):
                return parent.country
        return None

    def full_clean(self, *args, **kwargs):
        country = self._country_from_parent()
        if country is not None:
            self.country = country
        if not self.original_language and self.locale_id:
            self.original_language = self.locale.language_code
        super().full_clean(*args, **kwargs)

    def clean(self):
        super().clean()
        errors = {}
        if self.area_of_influence == AreaOfInfluence.SUBNATIONAL and not self.regions.strip():
            errors["regions"] = _("Name the regions or departments of a subnational program.")
        if self.start_date and self.end_date:
            try:
                check_partial_date(self.start_date)
                check_partial_date(self.end_date)
            except ValidationError:
                pass  # the field validators report it
            else:
                if self.end_date[: len(self.start_date)] < self.start_date[: len(self.end_date)]:
                    errors["end_date"] = _("The end date is before the start date.")
        if self.funding_amount is not None and not self.funding_currency:
            errors["funding_currency"] = _("Give the currency of the budget amount.")
        if self.external_id:
            clash = (
                ProgramProfilePage.objects.filter(external_id=self.external_id)
                .exclude(translation_key=self.translation_key).first()
            )
            if clash is not None:
                errors["external_id"] = _(
                    "The external id %(id)s is already used by “%(title)s”."
                ) % {"id": self.external_id, "title": clash.title}
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        if self.country_id is None:
            country = self._country_from_parent()
            if country is not None:
                self.country = country
        if not self.original_language and self.locale_id:
            self.original_language = self.locale.language_code
        if not self.external_id and self.country_id:
            self.external_id = self._new_external_id()
        return super().save(*args, **kwargs)

    def _new_external_id(self):
        base = f"{self.country.iso3}-{slugify(self.acronym or self.title)}"[:56].rstrip("-")
        candidate, number = base, 1
        taken = ProgramProfilePage.objects.exclude(translation_key=self.translation_key)
        while taken.filter(external_id=candidate).exists():
            number += 1
            candidate = f"{base}-{number}"
        return candidate

    # -- reading -----------------------------------------------------------------------------

    @property
    def start_display(self):
        return format_partial_date(self.start_date)

    @property
    def end_display(self):
        return format_partial_date(self.end_date)

    @property
    def region_list(self):
        return [line.strip() for line in self.regions.splitlines() if line.strip()]

    @property
    def other_organisation_list(self):
        return [line.strip() for line in self.other_organisations.splitlines() if line.strip()]

    @property
    def is_original(self):
        return not self.original_language or self.locale.language_code == self.original_language

    @property
    def original_language_name(self):
        names = dict(settings.LANGUAGES)
        return names.get(self.original_language, self.original_language)

    @cached_property
    def last_updated(self):
        """When the profile last changed for readers: its latest publication in any language,
        or its latest progress report, whichever is later."""
        published = (
            ProgramProfilePage.objects.live().filter(translation_key=self.translation_key)
            .aggregate(latest=Max("last_published_at"))["latest"]
        )
        return self._latest_change(published)

    def with_live_versions(self, pages):
        """This profile, told its live versions (a list page has them already), so that
        `last_updated` needs no query of its own."""
        published = [page.last_published_at for page in pages if page.last_published_at]
        self.__dict__["last_updated"] = self._latest_change(max(published, default=None))
        return self

    def _latest_change(self, published):
        # Iterating uses prefetched reports when a list page prefetched them.
        report = max((item.report_date for item in self.progress_reports.all()
                      if item.report_date), default=None)
        candidates = [value for value in [
            published.date() if published else None, report] if value]
        return max(candidates) if candidates else None

    @property
    def may_be_out_of_date(self):
        updated = self.last_updated
        return updated is not None and timezone.localdate() - updated > STALE_AFTER

    def latest_report(self):
        return self.progress_reports.order_by("-report_date", "-pk").first()

    def get_context(self, request, *args, **kwargs):
        from programs.services.profiles import user_may_see_contacts

        context = super().get_context(request, *args, **kwargs)
        context["profile"] = self
        context["show_contacts"] = user_may_see_contacts(getattr(request, "user", None))
        active = Locale.get_active()
        context["shown_as_fallback"] = self.locale_id != active.pk
        context["content_language"] = self.locale.language_code
        return context

    @path("")
    def profile(self, request):
        return self.render(request)

    @path("pdf/")
    def pdf_sheet(self, request):
        from programs.views.profiles import profile_pdf

        return profile_pdf(request, self)

    def url_in_language(self, language_code, request=None):
        """Where a reader of ``language_code`` finds this profile: its translation, or this
        version served at the translated country page (see CountryIndexPage.route)."""
        locale = Locale.objects.filter(language_code=language_code).first()
        if locale is None:
            return None
        translation = self.get_translation_or_none(locale)
        if translation is not None and translation.live:
            return translation.get_url(request)
        country_page = self.get_parent().get_translation_or_none(locale)
        if country_page is None or not country_page.live:
            return None
        return f"{country_page.get_url(request)}{self.slug}/"


class ProgressReport(TranslatableMixin, Orderable):
    """A dated account of what the program did, with indicators and a traffic light."""

    page = ParentalKey(ProgramProfilePage, on_delete=models.CASCADE,
                       related_name="progress_reports")
    report_date = models.DateField(_("date of the report"), default=timezone.localdate)
    rating = models.CharField(_("status"), max_length=8, choices=ProgressRating.choices,
                              default=ProgressRating.GREEN)
    summary = RichTextField(_("what was done"), features=PROSE_FEATURES)
    indicators = StreamField([("indicator", IndicatorBlock())], verbose_name=_("indicators"),
                             blank=True)

    panels = [
        FieldRowPanel([FieldPanel("report_date"), FieldPanel("rating")]),
        FieldPanel("summary"),
        FieldPanel("indicators"),
    ]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        unique_together = [("translation_key", "locale")]

    def __str__(self):
        return f"{self.report_date}: {self.get_rating_display()}"


class ProfileContact(Orderable):
    page = ParentalKey(ProgramProfilePage, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=150)
    position = models.CharField(_("position"), max_length=150, blank=True)
    email = models.EmailField(_("email address"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    panels = [FieldRowPanel([FieldPanel("name"), FieldPanel("position")]),
              FieldRowPanel([FieldPanel("email"), FieldPanel("phone")])]

    class Meta(Orderable.Meta):
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self):
        return self.name


class ProfileDocument(Orderable):
    page = ParentalKey(ProgramProfilePage, on_delete=models.CASCADE, related_name="documents")
    document = models.ForeignKey(get_document_model_string(), verbose_name=_("document"),
                                 on_delete=models.CASCADE, related_name="+")

    panels = [FieldPanel("document")]

    class Meta(Orderable.Meta):
        verbose_name = _("document")
        verbose_name_plural = _("documents")


class ProfileImage(Orderable):
    page = ParentalKey(ProgramProfilePage, on_delete=models.CASCADE, related_name="images")
    image = models.ForeignKey("wagtailimages.Image", verbose_name=_("image"),
                              on_delete=models.CASCADE, related_name="+")
    caption = models.CharField(_("caption"), max_length=255, blank=True)

    panels = [FieldPanel("image"), FieldPanel("caption")]

    class Meta(Orderable.Meta):
        verbose_name = _("image")
        verbose_name_plural = _("images")


class CountryEditorsGroup(models.Model):
    """The group whose members edit one country's profiles (its delegates).

    The group holds Wagtail page permissions on the country's page in every language;
    ``programs.services.delegates`` keeps its membership in step with users' countries.
    """

    country = models.OneToOneField("portal.Country", verbose_name=_("country"),
                                   on_delete=models.CASCADE, related_name="editors_group")
    group = models.OneToOneField("auth.Group", verbose_name=_("group"),
                                 on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("country editors group")
        verbose_name_plural = _("country editors groups")

    def __str__(self):
        return self.group.name


class StaleProfileReminder(models.Model):
    """One reminder email about one out-of-date profile, so that it is sent once a period."""

    translation_key = models.UUIDField(_("profile"), db_index=True)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recipient"),
                                  on_delete=models.CASCADE, related_name="+")
    period_start = models.DateField(
        _("period start"),
        help_text=_("The day the profile became out of date for this reminder."),
    )
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("stale profile reminder")
        verbose_name_plural = _("stale profile reminders")
        constraints = [
            models.UniqueConstraint(fields=["translation_key", "recipient", "period_start"],
                                    name="one_reminder_per_profile_recipient_period"),
        ]

    def __str__(self):
        return f"{self.translation_key} → {self.recipient} ({self.period_start})"


class ImportBatch(models.Model):
    """An uploaded import file, kept between the dry run and the user's confirmation."""

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"

    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"),
                                    on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(_("file name"), max_length=255)
    file_format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    content = models.BinaryField(_("content"))
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        ordering = ["-created_at"]

    def __str__(self):
        return self.filename
