"""The registry of articulators of a social-innovation ecosystem, and what it is described with.

An articulator is an organisation that links the actors of an ecosystem (seed 002). Entries
are Wagtail snippets with drafts, revisions, locking and a moderation workflow: the row of a
published entry always holds the approved version, while a registrant's later edits wait in a
revision until a moderator approves them.

Regions, macrozones and the registry's vocabularies are data (see
``programs.services.registry_vocabularies``), never lists in code or templates.
"""

import hashlib
import re
import unicodedata
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import (
    AbstractGroupApprovalTask,
    DraftStateMixin,
    LockableMixin,
    Page,
    RevisionMixin,
    WorkflowMixin,
)

from portal.i18n import BilingualNameMixin

# --- Vocabularies ----------------------------------------------------------------------------


class RegistryTerm(BilingualNameMixin):
    """A term of one of the registry's vocabularies, identified by a stable key."""

    key = models.SlugField(
        _("key"),
        max_length=64,
        unique=True,
        help_text=_("A stable identifier used in exports, the API and filters."),
    )
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        abstract = True
        ordering = ["sort_order", "name_en"]


class ArticulatorSector(RegistryTerm):
    counts_as_private = models.BooleanField(
        _("counts as private sector"),
        default=False,
        help_text=_("Entries of this sector count in the dashboard's private-sector share."),
    )

    class Meta(RegistryTerm.Meta):
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")


class ArticulatorScope(RegistryTerm):
    class Meta(RegistryTerm.Meta):
        verbose_name = _("scope")
        verbose_name_plural = _("scopes")


class SupportType(RegistryTerm):
    class Meta(RegistryTerm.Meta):
        verbose_name = _("ecosystem support type")
        verbose_name_plural = _("ecosystem support types")


class PovertyTopic(RegistryTerm):
    class Meta(RegistryTerm.Meta):
        verbose_name = _("poverty topic")
        verbose_name_plural = _("poverty topics")


class Macrozone(BilingualNameMixin):
    """A group of a country's regions, e.g. Chile's three macrozones of seed 002."""

    country = models.ForeignKey(
        "portal.Country", verbose_name=_("country"), on_delete=models.PROTECT,
        related_name="macrozones",
    )
    key = models.SlugField(_("key"), max_length=64)
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["country__name_en", "sort_order", "name_en"]
        verbose_name = _("macrozone")
        verbose_name_plural = _("macrozones")
        constraints = [
            models.UniqueConstraint(fields=["country", "key"], name="unique_macrozone_key"),
        ]


class Region(BilingualNameMixin):
    """A first-level subdivision of a country where organisations work."""

    country = models.ForeignKey(
        "portal.Country", verbose_name=_("country"), on_delete=models.PROTECT,
        related_name="registry_regions",
    )
    code = models.CharField(
        _("code"),
        max_length=16,
        help_text=_("ISO 3166-2 code where there is one, e.g. CL-RM."),
    )
    macrozone = models.ForeignKey(
        Macrozone, verbose_name=_("macrozone"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="regions",
    )
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["country__name_en", "macrozone__sort_order", "sort_order", "name_en"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        constraints = [
            models.UniqueConstraint(fields=["country", "code"], name="unique_region_code"),
        ]

    def clean(self):
        super().clean()
        if self.macrozone_id and self.country_id and self.macrozone.country_id != self.country_id:
            raise ValidationError(
                {"macrozone": _("Choose a macrozone of the region's own country.")}
            )


# --- Matching helpers (duplicates) -------------------------------------------------------------

# Words that say what kind of organisation it is rather than which one; two names that differ
# only in them name the same organisation.
GENERIC_NAME_WORDS = {
    "fundacion", "foundation", "corporacion", "corporation", "ong", "ngo", "asociacion",
    "association", "ltda", "limitada", "spa", "sa", "inc", "ltd", "the", "de", "del", "la",
    "el", "los", "las", "y", "and", "of",
}

# Hosts shared by many organisations: there, only the full address identifies one of them.
SHARED_HOSTS = {
    "facebook.com", "instagram.com", "linkedin.com", "twitter.com", "x.com", "youtube.com",
    "linktr.ee", "sites.google.com", "wixsite.com", "blogspot.com", "wordpress.com",
    "medium.com", "tiktok.com",
}


def name_key(name):
    """The name reduced to what identifies the organisation: no accents, case or legal form."""
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(char for char in text if not unicodedata.combining(char)).casefold()
    words = re.findall(r"[a-z0-9]+", text)
    meaningful = [word for word in words if word not in GENERIC_NAME_WORDS]
    return " ".join(meaningful or words)


def website_key(url):
    """The website's domain without "www.", or host and path for shared platforms."""
    url = (url or "").strip()
    if not url:
        return ""
    if "://" not in url:
        url = f"http://{url}"
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower().rstrip(".")
    except ValueError:
        return ""
    if host.startswith("www."):
        host = host[4:]
    if any(host == shared or host.endswith(f".{shared}") for shared in SHARED_HOSTS):
        path = parts.path.strip("/").lower()
        return f"{host}/{path}" if path else host
    return host


# --- The registry entry ------------------------------------------------------------------------


class RegistrationStatus(models.TextChoices):
    UNCONFIRMED = "unconfirmed", _("Email not confirmed")
    PENDING = "pending", _("Awaiting moderation")
    APPROVED = "approved", _("Approved")
    APPROVED_CHANGES_PENDING = (
        "approved_changes_pending", _("Approved, changes awaiting moderation"))
    REJECTED = "rejected", _("Rejected")
    DRAFT = "draft", _("Draft")


class LinkageAnswer:
    """The three answers of the yes/no questions, stored as True, False or None."""

    YES = "yes"
    NO = "no"
    UNANSWERED = "unanswered"
    CHOICES = [
        (YES, _("Yes")),
        (NO, _("No")),
        (UNANSWERED, _("I prefer not to answer")),
    ]

    @classmethod
    def to_value(cls, answer):
        return {cls.YES: True, cls.NO: False}.get(answer)

    @classmethod
    def from_value(cls, value):
        return {True: cls.YES, False: cls.NO}.get(value, cls.UNANSWERED)


class ArticulatorQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(live=True)

    def stale(self, now=None):
        """Approved entries whose data nobody has confirmed for 12 months."""
        return self.approved().filter(last_confirmed_at__lt=stale_threshold(now))


def stale_threshold(now=None):
    now = now or timezone.now()
    try:
        return now.replace(year=now.year - 1)
    except ValueError:  # 29 February
        return now.replace(year=now.year - 1, day=28)


class Articulator(WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, ClusterableModel):
    """An organisation registered as an articulator of the ecosystem."""

    name = models.CharField(_("organisation name"), max_length=200)
    legal_form = models.CharField(
        _("legal form"), max_length=120,
        help_text=_("For example: foundation, corporation, limited company, public service."),
    )
    sector = models.ForeignKey(
        ArticulatorSector, verbose_name=_("sector"), on_delete=models.PROTECT,
        related_name="articulators",
    )
    country = models.ForeignKey(
        "portal.Country", verbose_name=_("country"), on_delete=models.PROTECT,
        related_name="articulators",
    )
    head_office_region = models.ForeignKey(
        Region, verbose_name=_("region of the head office"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="articulators_based_here",
    )
    regions = ParentalManyToManyField(
        Region, verbose_name=_("regions where it works"), blank=True,
        related_name="articulators_working_here",
    )
    scope = models.ForeignKey(
        ArticulatorScope, verbose_name=_("scope"), on_delete=models.PROTECT,
        related_name="articulators",
    )
    support_types = ParentalManyToManyField(
        SupportType, verbose_name=_("ecosystem support it provides"), blank=True,
        related_name="articulators",
    )
    runs_linkage_activities = models.BooleanField(
        _("runs linkage activities with other actors"), null=True, blank=True,
    )
    linkage_description = models.TextField(
        _("how it links with other actors"), blank=True, max_length=2000,
    )
    has_alliances = models.BooleanField(
        _("has made alliances with other actors"), null=True, blank=True,
    )
    alliances_description = models.TextField(
        _("alliances it has made"), blank=True, max_length=2000,
    )
    poverty_topics = ParentalManyToManyField(
        PovertyTopic, verbose_name=_("poverty topics"), blank=True, related_name="articulators",
    )
    website = models.URLField(_("website"), blank=True, max_length=300)
    description = models.TextField(_("about the organisation"), blank=True, max_length=1500)
    contact_name = models.CharField(_("contact person"), max_length=150)
    contact_email = models.EmailField(_("contact email"))
    publication_consent = models.BooleanField(_("consent to publication"), default=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("account that manages the entry"), null=True,
        blank=True, on_delete=models.SET_NULL, related_name="articulators",
    )

    # Bookkeeping of the registration, not content: kept out of revisions' say (see
    # with_content_json) so that publishing an older revision never rewinds it.
    language = models.CharField(_("language of the registrant"), max_length=8, default="en",
                                editable=False)
    self_registered = models.BooleanField(
        _("registered through the public form"), default=False, editable=False)
    registered_at = models.DateTimeField(_("registered at"), default=timezone.now, db_index=True,
                                         editable=False)
    email_confirmed_at = models.DateTimeField(_("email confirmed at"), null=True, editable=False)
    approved_at = models.DateTimeField(_("first approved at"), null=True, editable=False)
    last_confirmed_at = models.DateTimeField(_("data last confirmed at"), null=True,
                                             editable=False, db_index=True)
    reconfirmation_requested_at = models.DateTimeField(
        _("confirmation last requested at"), null=True, editable=False)
    rejected_at = models.DateTimeField(_("rejected at"), null=True, editable=False)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True, editable=False)
    awaiting_decision = models.BooleanField(
        _("registrant awaits a decision"), default=False, editable=False,
        help_text=_("Set while a submission by the organisation itself waits for moderation."),
    )
    name_key = models.CharField(max_length=200, blank=True, editable=False, db_index=True)
    website_key = models.CharField(max_length=300, blank=True, editable=False, db_index=True)

    BOOKKEEPING_FIELDS = (
        "language", "self_registered", "registered_at", "email_confirmed_at", "approved_at",
        "last_confirmed_at", "reconfirmation_requested_at", "rejected_at", "rejection_reason",
        "awaiting_decision",
    )

    objects = ArticulatorQuerySet.as_manager()

    # Nothing links to an entry from content, so Wagtail's reference index has nothing to say;
    # the discovery search (search/) indexes published entries itself.
    wagtail_reference_index_ignore = True

    class Meta:
        ordering = ["name"]
        verbose_name = _("articulator")
        verbose_name_plural = _("articulators")

    def __str__(self):
        return self.name

    def update_match_keys(self):
        self.name_key = name_key(self.name)
        self.website_key = website_key(self.website)

    def save(self, *args, **kwargs):
        self.update_match_keys()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"name", "website"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "name_key", "website_key"}
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        errors = {}
        if not self.country_id:
            return
        if self.head_office_region_id and self.head_office_region.country_id != self.country_id:
            errors["head_office_region"] = _("Choose a region of the organisation's country.")
        if any(region.country_id != self.country_id for region in self.regions.all()):
            errors["regions"] = _("Choose regions of the organisation's country.")
        if errors:
            raise ValidationError(errors)

    def with_content_json(self, content):
        obj = super().with_content_json(content)
        for field_name in self.BOOKKEEPING_FIELDS:
            setattr(obj, field_name, getattr(self, field_name))
        return obj

    @property
    def macrozone(self):
        region = self.head_office_region
        return region.macrozone if region is not None else None

    @property
    def registration_status(self):
        if self.live:
            if self.workflow_in_progress:
                return RegistrationStatus.APPROVED_CHANGES_PENDING
            return RegistrationStatus.APPROVED
        if self.rejected_at:
            return RegistrationStatus.REJECTED
        if self.workflow_in_progress:
            return RegistrationStatus.PENDING
        if self.self_registered and self.email_confirmed_at is None:
            return RegistrationStatus.UNCONFIRMED
        return RegistrationStatus.DRAFT

    def is_stale(self, now=None):
        return bool(self.live and self.last_confirmed_at
                    and self.last_confirmed_at < stale_threshold(now))


def hash_token(token):
    return hashlib.sha256((token or "").encode()).hexdigest()


class ArticulatorToken(models.Model):
    """A one-time link sent to an entry's contact; only a hash of the secret is stored."""

    class Purpose(models.TextChoices):
        CONFIRM_EMAIL = "confirm_email", _("Confirm the email address")
        EDIT = "edit", _("Edit the entry")
        RECONFIRM = "reconfirm", _("Confirm the entry is up to date")

    articulator = models.ForeignKey(Articulator, on_delete=models.CASCADE, related_name="tokens")
    purpose = models.CharField(max_length=16, choices=Purpose.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("one-time link")
        verbose_name_plural = _("one-time links")

    def __str__(self):
        return f"{self.get_purpose_display()}: {self.articulator}"


# --- Moderation --------------------------------------------------------------------------------


class ArticulatorReviewTask(AbstractGroupApprovalTask):
    """Group approval in which a rejection always carries a reason for the registrant."""

    def get_actions(self, obj, user):
        if user.is_superuser or self._user_in_groups(user):
            return [
                ("reject", _("Reject"), True),
                ("approve", _("Approve"), False),
                ("approve", _("Approve with comment"), True),
            ]
        return []

    def get_form_for_action(self, action):
        if action == "reject":
            from programs.forms.registry import RejectionForm

            return RejectionForm
        return super().get_form_for_action(action)

    @classmethod
    def get_description(cls):
        return _("Members of the chosen groups approve or reject registry entries; a rejection "
                 "needs a reason, which is emailed to the organisation.")

    class Meta:
        verbose_name = _("Ecosystem registry review")
        verbose_name_plural = _("Ecosystem registry reviews")


# --- The public registration page ----------------------------------------------------------------


class ArticulatorRegistrationPage(Page):
    """Hosts the public multi-step registration form; editors write its texts per language."""

    introduction = RichTextField(
        _("introduction"), blank=True, features=["bold", "italic", "link"],
        help_text=_("Who should register and what happens next."),
    )
    privacy_notice = RichTextField(
        _("privacy notice"), blank=True, features=["bold", "italic", "link"],
        help_text=_("Shown next to the consent question: what is published and what is not."),
    )
    confirmation_text = RichTextField(
        _("text after submission"), blank=True, features=["bold", "italic", "link"],
        help_text=_("Shown once the form is submitted, above the request to check the inbox."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("introduction"),
        FieldPanel("privacy_notice"),
        FieldPanel("confirmation_text"),
    ]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("articulator registration page")

    def serve(self, request, *args, **kwargs):
        from programs.views.registry import registration_form

        return registration_form(request, self)
