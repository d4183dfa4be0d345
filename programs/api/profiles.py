"""The open read API of program profiles: /api/v1/programs/.

Only published versions are read (a live page's row holds its published content; drafts
live in revisions), every profile appears once with its wording in each language, and
contacts are never included. A profile's id is its Wagtail translation key: the same in
every language and for the profile's whole life.
"""

from datetime import date, datetime
from uuid import UUID

from django.db.models import Prefetch, Q
from ninja import Query, Router, Schema
from pydantic import Field
from wagtail.models import Locale
from wagtail.rich_text import expand_db_html

from portal.api_schemas import CountryOut, LocalizedText, Message, QueryText, Term
from programs.models import (
    ExchangeMethod,
    ProfileDocument,
    ProgramProfilePage,
    ProgramStatus,
    SDGTarget,
    SustainableDevelopmentGoal,
    TargetPopulation,
    Topic,
    profiles_in_locale,
)

router = Router(tags=["programs"])

LANGUAGES = ["en", "es"]



class LocalizedList(Schema):
    en: list[str] = []
    es: list[str] = []




class InstitutionOut(Schema):
    key: str
    acronym: str
    name: LocalizedText


class GoalOut(Schema):
    number: int
    name: LocalizedText


class TargetOut(Schema):
    code: str
    goal: int
    text: LocalizedText


class FundingOut(Schema):
    amount: str | None = Field(None, description="Decimal amount as a string.")
    currency: str
    year: int | None
    source: LocalizedText


class ReachOut(Schema):
    beneficiaries: int | None
    coverage: LocalizedText


class IndicatorOut(Schema):
    name: str
    unit: str
    baseline: str | None
    target: str | None
    achieved: str | None


class ProgressReportOut(Schema):
    date: date
    rating: str = Field(description="green (on track), amber (some delays) or red (off track)")
    summary: LocalizedText
    indicators: list[IndicatorOut]


class DocumentOut(Schema):
    title: str
    url: str


class ProfileOut(Schema):
    id: UUID = Field(description="Stable id: the same in every language and over time.")
    external_id: str
    original_language: str
    languages: list[str] = Field(description="Languages the profile is published in.")
    url: LocalizedText
    country: CountryOut
    title: LocalizedText
    acronym: str
    institutions: list[InstitutionOut]
    implementing_agency: LocalizedText
    topics: list[Term]
    statuses: list[Term]
    area_of_influence: str
    regions: LocalizedList
    target_populations: list[Term]
    target_population_other: LocalizedText
    start_date: str | None = Field(description="YYYY, YYYY-MM or YYYY-MM-DD")
    end_date: str | None
    duration_note: LocalizedText
    summary: LocalizedText = Field(description="HTML")
    objectives: LocalizedText = Field(description="HTML")
    achievements: LocalizedText = Field(description="HTML")
    other_organisations: LocalizedList
    funding: FundingOut
    reach: ReachOut
    what_worked: LocalizedText = Field(description="HTML")
    lessons_learned: LocalizedText = Field(description="HTML")
    exchange_methods: list[Term]
    sdg_goals: list[GoalOut]
    sdg_targets: list[TargetOut]
    website: str
    documents: list[DocumentOut]
    progress_reports: list[ProgressReportOut]
    first_published_at: datetime | None
    last_published_at: datetime | None
    may_be_out_of_date: bool


class ProfileList(Schema):
    count: int
    limit: int
    offset: int
    items: list[ProfileOut]


class VocabulariesOut(Schema):
    topics: list[Term]
    target_populations: list[Term]
    statuses: list[Term]
    exchange_methods: list[Term]
    sdg_goals: list[GoalOut]


def _term(obj):
    return {"key": obj.key, "name": {"en": obj.name_en, "es": obj.name_es}}


def _goal(goal):
    return {"number": goal.number, "name": {"en": goal.name_en, "es": goal.name_es}}


def _text(versions, attribute, html=False):
    values = {}
    for code in LANGUAGES:
        page = versions.get(code)
        value = getattr(page, attribute) if page is not None else None
        if html and value:
            value = expand_db_html(value)
        values[code] = value if value else None
    return values


def _lines(versions, attribute):
    return {code: [line.strip() for line in getattr(versions[code], attribute).splitlines()
                   if line.strip()] if code in versions else [] for code in LANGUAGES}


def _decimal(value):
    return None if value is None else str(value)


def _reports(versions, original):
    reports = []
    translated = {
        code: {report.translation_key: report for report in page.progress_reports.all()}
        for code, page in versions.items()
    }
    for report in original.progress_reports.all():
        summaries = {code: (translated[code].get(report.translation_key).summary
                            if code in translated and report.translation_key in translated[code]
                            else None) for code in LANGUAGES}
        reports.append({
            "date": report.report_date,
            "rating": report.rating,
            "summary": {code: expand_db_html(value) if value else None
                        for code, value in summaries.items()},
            "indicators": [
                {"name": block.value["name"], "unit": block.value.get("unit") or "",
                 "baseline": _decimal(block.value.get("baseline")),
                 "target": _decimal(block.value.get("target")),
                 "achieved": _decimal(block.value.get("achieved"))}
                for block in report.indicators
            ],
        })
    return sorted(reports, key=lambda item: item["date"], reverse=True)


def profile_data(versions, request):
    """The API's representation of one profile from its live versions {language: page}."""
    original = versions.get(next(iter(versions.values())).original_language) or next(
        iter(versions.values()))
    country = original.country
    return {
        "id": original.translation_key,
        "external_id": original.external_id,
        "original_language": original.original_language,
        "languages": [code for code in LANGUAGES if code in versions],
        "url": {code: versions[code].get_full_url(request) if code in versions else None
                for code in LANGUAGES},
        "country": {"iso3": country.iso3, "name": {"en": country.name_en,
                                                   "es": country.name_es}},
        "title": _text(versions, "title"),
        "acronym": original.acronym,
        "institutions": [{"key": institution.key, "acronym": institution.acronym,
                          "name": {"en": institution.name_en, "es": institution.name_es}}
                         for institution in original.institutions.all()],
        "implementing_agency": _text(versions, "implementing_agency"),
        "topics": [_term(topic) for topic in original.topics.all()],
        "statuses": [_term(status) for status in original.statuses.all()],
        "area_of_influence": original.area_of_influence,
        "regions": _lines(versions, "regions"),
        "target_populations": [_term(item) for item in original.target_populations.all()],
        "target_population_other": _text(versions, "target_population_other"),
        "start_date": original.start_date or None,
        "end_date": original.end_date or None,
        "duration_note": _text(versions, "duration_note"),
        "summary": _text(versions, "summary", html=True),
        "objectives": _text(versions, "objectives", html=True),
        "achievements": _text(versions, "achievements", html=True),
        "other_organisations": _lines(versions, "other_organisations"),
        "funding": {"amount": _decimal(original.funding_amount),
                    "currency": original.funding_currency, "year": original.funding_year,
                    "source": _text(versions, "funding_source")},
        "reach": {"beneficiaries": original.beneficiaries,
                  "coverage": _text(versions, "coverage")},
        "what_worked": _text(versions, "what_worked", html=True),
        "lessons_learned": _text(versions, "lessons_learned", html=True),
        "exchange_methods": [_term(method) for method in original.exchange_methods.all()],
        "sdg_goals": [_goal(goal) for goal in original.sdg_goals.all()],
        "sdg_targets": [{"code": target.code, "goal": target.goal.number,
                         "text": {"en": target.text_en, "es": target.text_es}}
                        for target in original.sdg_targets.all()],
        "website": original.website,
        "documents": [{"title": item.document.title,
                       "url": request.build_absolute_uri(item.document.url)}
                      for item in original.documents.all()],
        "progress_reports": _reports(versions, original),
        "first_published_at": original.first_published_at,
        "last_published_at": max(page.last_published_at for page in versions.values()
                                 if page.last_published_at) if any(
            page.last_published_at for page in versions.values()) else None,
        "may_be_out_of_date": original.with_live_versions(versions.values()).may_be_out_of_date,
    }


def _versions_by_key(keys):
    versions = {}
    pages = (
        ProgramProfilePage.objects.live().filter(translation_key__in=keys)
        .select_related("locale", "country")
        .prefetch_related("institutions", "topics", "statuses", "target_populations",
                          "exchange_methods", "sdg_goals", "progress_reports",
                          Prefetch("sdg_targets", SDGTarget.objects.select_related("goal")),
                          Prefetch("documents", ProfileDocument.objects.select_related("document")))
    )
    for page in pages:
        versions.setdefault(page.translation_key, {})[page.locale.language_code] = page
    return versions


class ProfileFilters(Schema):
    country: QueryText | None = Field(None, description="ISO 3166 alpha-3 code, e.g. COL")
    topic: QueryText | None = Field(None, description="Topic key, e.g. food_security")
    population: QueryText | None = Field(None, description="Target population key")
    status: QueryText | None = Field(None, description="Status key, e.g. implementation")
    exchange_method: QueryText | None = Field(None, description="Exchange method key")
    sdg: int | None = Field(None, ge=1, le=17, description="SDG number")
    sdg_target: QueryText | None = Field(None, description="SDG target code, e.g. 1.3")
    updated_since: date | None = Field(None, description="Updated on or after this day")
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=1_000_000)


@router.get("/", response=ProfileList, summary="Published program profiles")
def list_profiles(request, filters: Query[ProfileFilters]):
    """Every published profile once, in both languages, filtered and paginated.

    Profiles are ordered by country and external id, which never change."""
    profiles = profiles_in_locale(Locale.get_default())
    if filters.country:
        profiles = profiles.filter(country__iso3=filters.country.upper())
    lookups = {"topics__key": filters.topic, "target_populations__key": filters.population,
               "statuses__key": filters.status, "exchange_methods__key": filters.exchange_method,
               "sdg_goals__number": filters.sdg, "sdg_targets__code": filters.sdg_target}
    for lookup, value in lookups.items():
        if value is not None:
            profiles = profiles.filter(**{lookup: value})
    if filters.updated_since is not None:
        profiles = profiles.filter(
            Q(last_published_at__date__gte=filters.updated_since)
            | Q(progress_reports__report_date__gte=filters.updated_since))
    profiles = profiles.distinct().order_by("country__iso3", "external_id", "pk")
    count = profiles.count()
    offset, limit = filters.offset, filters.limit
    keys = list(profiles.values_list("translation_key", flat=True)[offset: offset + limit])
    versions = _versions_by_key(keys)
    items = [profile_data(versions[key], request) for key in keys if key in versions]
    return {"count": count, "limit": limit, "offset": offset, "items": items}


@router.get("/vocabularies/", response=VocabulariesOut, summary="Filter values")
def vocabularies(request):
    """The keys that the profile filters accept, with their names in both languages."""
    return {
        "topics": [_term(item) for item in Topic.objects.all()],
        "target_populations": [_term(item) for item in TargetPopulation.objects.all()],
        "statuses": [_term(item) for item in ProgramStatus.objects.all()],
        "exchange_methods": [_term(item) for item in ExchangeMethod.objects.all()],
        "sdg_goals": [_goal(goal) for goal in SustainableDevelopmentGoal.objects.all()],
    }


@router.get("/{profile_id}/", response={200: ProfileOut, 404: Message},
            summary="One published program profile")
def get_profile(request, profile_id: UUID):
    versions = _versions_by_key([profile_id])
    if profile_id not in versions:
        return 404, {"detail": "No published program profile has this id."}
    return profile_data(versions[profile_id], request)

