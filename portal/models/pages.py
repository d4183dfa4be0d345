"""CMS pages every network needs: home, content pages and news."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from portal.blocks import BodyBlock, EntryPointBlock
from portal.i18n import pick_language


class HomePage(Page):
    """The network's front door: its purpose and the ways in."""

    purpose = RichTextField(
        _("purpose"),
        features=["bold", "italic", "link"],
        help_text=_("What the network is for, in two or three sentences."),
    )
    entry_points = StreamField(
        [("entry_point", EntryPointBlock())],
        verbose_name=_("entry points"),
        blank=True,
    )
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("purpose"),
        FieldPanel("entry_points"),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("purpose")]

    max_count_per_parent = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        news_index = NewsIndexPage.objects.live().descendant_of(self).filter(
            locale=self.locale
        ).first()
        context["latest_news"] = (
            news_index.published_news()[:3] if news_index is not None else NewsPage.objects.none()
        )
        return context


class StandardPage(Page):
    """A content page: about the network, how to take part, privacy..."""

    introduction = models.TextField(_("introduction"), blank=True, max_length=600)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction"), FieldPanel("body")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("introduction"),
        index.SearchField("body"),
    ]

    class Meta:
        verbose_name = _("standard page")


class NewsIndexPage(Page):
    """News and announcements, newest first."""

    introduction = models.TextField(_("introduction"), blank=True, max_length=600)

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    subpage_types = ["portal.NewsPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("news index page")

    def published_news(self):
        return (
            NewsPage.objects.live()
            .child_of(self)
            .filter(date__lte=timezone.localdate())
            .order_by("-date", "-pk")
        )

    def get_context(self, request, *args, **kwargs):
        from django.core.paginator import Paginator

        context = super().get_context(request, *args, **kwargs)
        paginator = Paginator(self.published_news(), 10)
        context["news_page"] = paginator.get_page(request.GET.get("page"))
        return context


class NewsPage(Page):
    date = models.DateField(_("date"), default=timezone.localdate)
    introduction = models.TextField(_("introduction"), blank=True, max_length=600)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel([FieldPanel("date"), FieldPanel("introduction")], heading=_("Summary")),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("introduction"),
        index.SearchField("body"),
    ]
    parent_page_types = ["portal.NewsIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("news page")


@register_setting(icon="site")
class SiteIdentity(BaseGenericSetting):
    """How the network names itself; any network running the portal sets its own."""

    network_name_en = models.CharField(
        _("network name (English)"), max_length=120, default="Social Protection Network"
    )
    network_name_es = models.CharField(
        _("network name (Spanish)"), max_length=120, default="Red de Protección Social"
    )
    tagline_en = models.CharField(_("tagline (English)"), max_length=200, blank=True)
    tagline_es = models.CharField(_("tagline (Spanish)"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)

    class Meta:
        verbose_name = _("site identity")

    @property
    def network_name(self):
        return pick_language(self.network_name_en, self.network_name_es)

    @property
    def tagline(self):
        return pick_language(self.tagline_en, self.tagline_es)
