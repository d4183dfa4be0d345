from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language
from wagtail.models import Locale, Page, Site

register = template.Library()


@register.inclusion_tag("components/language_switcher.html", takes_context=True)
def language_switcher(context):
    """Links to the current page in each language.

    A CMS page links to its translation (or the home page of that language when there is
    none yet); any other view links to the same path under the other language prefix.
    """
    request = context.get("request")
    page = context.get("page")
    current = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    languages = []
    for code, name in settings.LANGUAGES:
        url = None
        if isinstance(page, Page) and page.pk:
            url = _page_url_in(page, code, request)
        elif request is not None:
            url = translate_url(request.get_full_path(), code)
        languages.append(
            {"code": code, "name": _native_name(code, name), "url": url or f"/{code}/",
             "current": code == current}
        )
    return {"languages": languages}


def _page_url_in(page, language_code, request):
    # A page type may know a better place in that language (e.g. its untranslated original
    # served under the translated parent) than the home page.
    url_in_language = getattr(page.specific_deferred, "url_in_language", None)
    if url_in_language is not None:
        url = url_in_language(language_code, request)
        if url:
            return url
    locale = Locale.objects.filter(language_code=language_code).first()
    if locale is None:
        return None
    translation = page.get_translation_or_none(locale)
    if translation is not None and translation.live:
        return translation.get_url(request)
    site = Site.find_for_request(request) if request is not None else None
    if site is not None:
        home = site.root_page.get_translation_or_none(locale)
        if home is not None and home.live:
            return home.get_url(request)
    return None


def _native_name(code, fallback):
    return {"en": "English", "es": "Español"}.get(code, str(fallback))
