"""Program profiles in the discovery search: one document per published language version.

Only published text goes in; contacts are never copied. Facet values are vocabulary keys,
labelled in the reader's language when results are shown.
"""

import re

from django.utils.translation import gettext_lazy as _
from wagtail.models import PageViewRestriction

from programs.models import (
    ExchangeMethod,
    ProgramProfilePage,
    ProgramStatus,
    SustainableDevelopmentGoal,
    TargetPopulation,
    Topic,
)
from programs.services.profiles import richtext_to_text
from search.documents import SearchDocument, register
from search.facets import register_labels


def _is_public(page):
    return page.live and not PageViewRestriction.objects.filter(
        page__in=page.get_ancestors(inclusive=True)).exists()


@register("program", model=ProgramProfilePage, label=_("Program profile"),
          is_public=_is_public,
          queryset=lambda: ProgramProfilePage.objects.live().select_related("country", "locale"))
def program_document(page):
    summary = richtext_to_text(page.summary) or richtext_to_text(page.objectives)
    body = "\n\n".join(part for part in [
        page.acronym, page.implementing_agency, richtext_to_text(page.summary),
        richtext_to_text(page.objectives), richtext_to_text(page.achievements),
        page.other_organisations, page.regions, page.target_population_other,
        richtext_to_text(page.what_worked), richtext_to_text(page.lessons_learned),
        page.coverage, page.funding_source,
    ] if part)
    return SearchDocument(
        title=page.title,
        url=page.url,
        language=page.locale.language_code,
        summary=summary[:500],
        body=body,
        date=page.last_published_at.date() if page.last_published_at else None,
        facets={
            "country": [page.country.iso3] if page.country_id else [],
            "topic": [topic.key for topic in page.topics.all()],
            "target_population": [item.key for item in page.target_populations.all()],
            "status": [status.key for status in page.statuses.all()],
            "exchange_method": [method.key for method in page.exchange_methods.all()],
            "sdg": [str(goal.number) for goal in page.sdg_goals.all()],
            "year": [page.start_date[:4]] if page.start_date else [],
        },
    )


def _labeller(model):
    def labels(keys):
        return {entry.key: entry.name for entry in model.objects.filter(key__in=keys)}

    return labels


def _goal_labels(keys):
    # Keys arrive from the query string: only short ASCII numbers can be goals ("²" is a
    # digit to str.isdigit(), and a 30-digit number overflows the database's integers).
    numbers = [int(key) for key in keys if re.fullmatch(r"[0-9]{1,3}", str(key))]
    return {str(goal.number): str(goal)
            for goal in SustainableDevelopmentGoal.objects.filter(number__in=numbers)}


def _country_labels(keys):
    from portal.models import Country

    return {country.iso3: country.name for country in Country.objects.filter(iso3__in=keys)}


register_labels("topic", _labeller(Topic))
register_labels("target_population", _labeller(TargetPopulation))
register_labels("status", _labeller(ProgramStatus))
register_labels("exchange_method", _labeller(ExchangeMethod))
register_labels("sdg", _goal_labels)
register_labels("country", _country_labels)
