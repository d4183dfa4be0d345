"""Which published program profiles a delegation may offer, one page per program."""

from django.db.models import Q

from matchmaking.models import DelegationKind


def offerable_profiles(delegation):
    """The live profiles of the delegation's country (or institution), in their original
    language, ordered by title. Translations share a program, so each program comes once."""
    from programs.models import ProgramProfilePage

    pages = ProgramProfilePage.objects.live().select_related("locale", "country")
    if delegation.kind == DelegationKind.COUNTRY:
        if delegation.country_id is None:
            return []
        pages = pages.filter(country_id=delegation.country_id)
    else:
        if delegation.institution_id is None:
            return []
        pages = pages.filter(institutions=delegation.institution_id)
    chosen = {}
    for page in pages.prefetch_related("topics").order_by("pk"):
        original = page.locale.language_code == page.original_language
        if original or page.translation_key not in chosen:
            chosen[page.translation_key] = page
    return sorted(chosen.values(), key=lambda page: page.title.casefold())


def in_active_language(page):
    """The page's translation in the active language when it is live, else the page."""
    localized = page.localized
    return localized if localized.live else page


def summary_text(page, words=40):
    """A plain-text summary short enough for a list of offers (the objectives when the
    profile has no summary, as the seed's annex profiles do not)."""
    from django.utils.html import strip_tags
    from django.utils.text import Truncator

    return Truncator(strip_tags(page.summary or page.objectives or "")).words(words)


def profile_search_filter(query):
    terms = [term for term in query.split() if term]
    condition = Q()
    for term in terms:
        condition &= Q(title__icontains=term) | Q(delegation__name__icontains=term)
    return condition
