"""/api/v1/articulators/: the registry's approved entries and their statistics, read-only.

Only published entries are served, and contact emails are not part of any schema, so they
cannot leak through a forgotten filter.
"""

from datetime import date

from django.db.models import Q
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from portal.api_schemas import (
    BoundedPageNumberPagination,
    CountryOut,
    LocalizedText,
    Message,
    QueryText,
    Term,
    bilingual,
)
from portal.models import Country
from programs.models import Articulator
from programs.services.statistics import compute_statistics

router = Router(tags=["Ecosystem registry"])


class RegionOut(Schema):
    code: str
    name: LocalizedText
    macrozone: Term | None = None

    @staticmethod
    def resolve_name(region):
        return bilingual(region, "name")


class ArticulatorOut(Schema):
    id: int
    name: str
    legal_form: str
    sector: Term
    country: CountryOut
    head_office_region: RegionOut | None = None
    regions: list[RegionOut]
    scope: Term
    support_types: list[Term]
    runs_linkage_activities: bool | None = Field(
        None, description="Null when the organisation did not answer.")
    linkage_description: str
    has_alliances: bool | None = Field(None, description="Null when the organisation did not "
                                                         "answer.")
    alliances_description: str
    poverty_topics: list[Term]
    website: str
    description: str
    contact_name: str
    registered_at: date
    last_confirmed_at: date | None = None
    stale: bool = Field(description="True when nobody has confirmed the data for 12 months.")

    @staticmethod
    def resolve_regions(entry):
        return list(entry.regions.all())

    @staticmethod
    def resolve_support_types(entry):
        return list(entry.support_types.all())

    @staticmethod
    def resolve_poverty_topics(entry):
        return list(entry.poverty_topics.all())

    @staticmethod
    def resolve_registered_at(entry):
        return entry.registered_at.date()

    @staticmethod
    def resolve_last_confirmed_at(entry):
        return entry.last_confirmed_at.date() if entry.last_confirmed_at else None

    @staticmethod
    def resolve_stale(entry):
        return entry.is_stale()


class ArticulatorFilters(Schema):
    country: QueryText | None = Field(None, description="ISO 3166 alpha-3 code, e.g. CHL.")
    sector: QueryText | None = Field(None, description="Sector key.")
    scope: QueryText | None = Field(None, description="Scope key.")
    region: QueryText | None = Field(
        None, description="Region code (where it works or has its head office).")
    macrozone: QueryText | None = Field(
        None, description="Macrozone key (where it works or has its head office).")
    support_type: QueryText | None = Field(None, description="Support type key.")
    topic: QueryText | None = Field(None, description="Poverty topic key.")
    q: QueryText | None = Field(None, description="Text the name contains.")


class ShareOut(Schema):
    key: str
    label: str
    count: int
    denominator: int
    percent: int | None


class DistributionOut(Schema):
    key: str
    title: str
    basis: str
    shares: list[ShareOut]


class StatisticsOut(Schema):
    total: int
    private_sector: ShareOut
    linkage_activities: ShareOut
    alliances: ShareOut
    distributions: list[DistributionOut]


def _published():
    return (
        Articulator.objects.approved()
        .select_related("sector", "country", "scope", "head_office_region__macrozone")
        .prefetch_related("regions__macrozone", "support_types", "poverty_topics")
        .order_by("name", "pk")
    )


@router.get("/", response=list[ArticulatorOut], summary="Approved registry entries")
@paginate(BoundedPageNumberPagination, page_size=50, max_page_size=200)
def list_articulators(request, filters: Query[ArticulatorFilters]):
    entries = _published()
    if filters.country:
        entries = entries.filter(country__iso3=filters.country.upper())
    if filters.sector:
        entries = entries.filter(sector__key=filters.sector)
    if filters.scope:
        entries = entries.filter(scope__key=filters.scope)
    if filters.support_type:
        entries = entries.filter(support_types__key=filters.support_type)
    if filters.topic:
        entries = entries.filter(poverty_topics__key=filters.topic)
    if filters.region:
        entries = entries.filter(Q(head_office_region__code=filters.region)
                                 | Q(regions__code=filters.region))
    if filters.macrozone:
        entries = entries.filter(Q(head_office_region__macrozone__key=filters.macrozone)
                                 | Q(regions__macrozone__key=filters.macrozone))
    if filters.q:
        entries = entries.filter(name__icontains=filters.q)
    return entries.distinct()


@router.get("/statistics/", response={200: StatisticsOut, 404: Message},
            summary="The dashboard's statistics")
def statistics(request, registered_from: date | None = None, registered_to: date | None = None,
               country: QueryText | None = None):
    """Computed live from the approved entries, like the public dashboard; linkage and
    alliance shares are over the entries that answered."""
    country_row = None
    if country:
        country_row = get_object_or_404(Country, iso3=country.upper())
    stats = compute_statistics(registered_from=registered_from, registered_to=registered_to,
                               country=country_row)
    return {
        "total": stats.total,
        "private_sector": _share(stats.private_sector),
        "linkage_activities": _share(stats.linkage),
        "alliances": _share(stats.alliances),
        "distributions": [
            {"key": item.key, "title": item.title, "basis": item.basis,
             "shares": [_share(share) for share in item.shares]}
            for item in stats.distributions
        ],
    }


def _share(share):
    return {"key": share.key, "label": share.label, "count": share.count,
            "denominator": share.denominator, "percent": share.percent}


@router.get("/{int:articulator_id}/", response={200: ArticulatorOut, 404: Message},
            summary="One approved entry")
def get_articulator(request, articulator_id: int):
    return get_object_or_404(_published(), pk=articulator_id)
