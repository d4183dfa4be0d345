"""Writes that set up the site itself: locales and the home page in every language."""

from django.conf import settings
from django.db import transaction
from wagtail.models import Locale, Page, Site


def ensure_locales(sender=None, **kwargs):
    """One Wagtail locale per configured content language (idempotent)."""
    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        Locale.objects.get_or_create(language_code=code)


@transaction.atomic
def ensure_home_page(*, title, purpose, translations=None):
    """Make the default site's root a HomePage, replacing Wagtail's welcome page.

    ``translations`` maps a language code to ``{"title": ..., "purpose": ...}``; each
    becomes a published translation of the home page. Returns the home page in the
    default language.
    """
    from portal.models import HomePage

    ensure_locales()
    default_locale = Locale.get_default()
    root = Page.get_first_root_node()
    site = Site.objects.filter(is_default_site=True).first()
    home = HomePage.objects.filter(locale=default_locale).first()
    if home is None:
        home = HomePage(title=title, slug="home", purpose=purpose, locale=default_locale)
        welcome = Page.objects.filter(depth=2, slug="home").exclude(
            content_type__model="homepage"
        ).first()
        if welcome is not None:
            # Wagtail's installation page holds the slug we want; move it aside first.
            welcome.slug = "wagtail-welcome"
            welcome.save(update_fields=["slug"])
        root.add_child(instance=home)
        home.save_revision().publish()
        if welcome is not None:
            if site is not None and site.root_page_id == welcome.pk:
                site.root_page = home
                site.save()
            welcome.delete()
    if site is None:
        site = Site.objects.create(
            hostname="localhost", port=80, root_page=home, is_default_site=True,
            site_name=title,
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.save()

    for language_code, values in (translations or {}).items():
        locale = Locale.objects.get(language_code=language_code)
        translated = home.get_translation_or_none(locale)
        if translated is None:
            translated = home.copy_for_translation(locale)
            translated.title = values["title"]
            translated.purpose = values["purpose"]
            translated.save_revision().publish()
    return home


def translate_page(page, language_code, **fields):
    """Create (once) and publish the translation of ``page`` with the given field values."""
    locale = Locale.objects.get(language_code=language_code)
    translated = page.get_translation_or_none(locale)
    if translated is not None:
        return translated.specific
    translated = page.copy_for_translation(locale, copy_parents=True)
    for name, value in fields.items():
        setattr(translated, name, value)
    translated.save_revision().publish()
    return translated.specific
