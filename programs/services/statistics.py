"""The ecosystem dashboard's statistics, computed live from the approved entries.

These are the figures seed 002 publishes about its registry: how many organisations, the
shares by sector, macrozone and scope, the shares running linkage activities and having
alliances, and (which the seed does not give) the distribution of support types.

Every share says what it is computed over:
- sector, macrozone, scope and support types: all approved entries in the selection (an
  organisation offers several kinds of support, so those shares add up to more than 100%);
- the macrozone is the one of the region of the head office (seed 002: where it "is");
- linkage activities and alliances: the entries that answered the question (the form lets an
  organisation leave it unanswered). With seed 002's 72 organisations no count gives 80% of
  72 (57 is 79.2%, 58 is 80.6%), so its 80% was computed over fewer answers than 72.
Percentages are rounded half up to whole numbers, as the seed prints them.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from programs.models import (
    Articulator,
    ArticulatorScope,
    ArticulatorSector,
    Macrozone,
    SupportType,
)


def percent(count, denominator):
    """Whole percent, rounded half up; None when there is nothing to divide by."""
    if not denominator:
        return None
    exact = Decimal(count) * 100 / Decimal(denominator)
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass
class Share:
    key: str
    label: str
    count: int
    denominator: int

    @property
    def percent(self):
        return percent(self.count, self.denominator)


@dataclass
class Distribution:
    key: str
    title: str
    basis: str
    shares: list = field(default_factory=list)
    adds_up: bool = True  # False when an entry can count in several categories

    @property
    def denominator(self):
        return self.shares[0].denominator if self.shares else 0


@dataclass
class RegistryStatistics:
    total: int
    private_sector: Share
    linkage: Share
    alliances: Share
    distributions: list
    first_registered: object = None
    last_registered: object = None

    def distribution(self, key):
        return next(item for item in self.distributions if item.key == key)

    def headline_shares(self):
        return [self.private_sector, self.linkage, self.alliances]


def approved_entries(registered_from=None, registered_to=None, country=None):
    entries = Articulator.objects.approved()
    if registered_from is not None:
        entries = entries.filter(registered_at__date__gte=registered_from)
    if registered_to is not None:
        entries = entries.filter(registered_at__date__lte=registered_to)
    if country is not None:
        entries = entries.filter(country=country)
    return entries


def compute_statistics(registered_from=None, registered_to=None, country=None):
    entries = approved_entries(registered_from, registered_to, country)
    ids = entries.values("pk")
    total = entries.count()
    dates = entries.order_by("registered_at").values_list("registered_at", flat=True)

    sector_counts = dict(entries.values_list("sector").annotate(n=Count("pk")))
    sectors = [
        Share(sector.key, sector.name, sector_counts.get(sector.pk, 0), total)
        for sector in ArticulatorSector.objects.all()
    ]
    private_count = entries.filter(sector__counts_as_private=True).count()

    zone_counts = dict(entries.values_list("head_office_region__macrozone").annotate(n=Count("pk")))
    zones = Macrozone.objects.select_related("country")
    if country is not None:
        zones = zones.filter(country=country)
    else:
        zones = zones.filter(Q(pk__in=[key for key in zone_counts if key is not None])
                             | Q(country__in=entries.values("country")))
    several_countries = len({zone.country_id for zone in zones}) > 1
    macrozones = [
        Share(
            f"{zone.country.iso3}:{zone.key}" if several_countries else zone.key,
            f"{zone.name} ({zone.country.name})" if several_countries else zone.name,
            zone_counts.get(zone.pk, 0), total,
        )
        for zone in zones
    ]
    if zone_counts.get(None):
        macrozones.append(Share("none", str(_("No macrozone")), zone_counts[None], total))

    scope_counts = dict(entries.values_list("scope").annotate(n=Count("pk")))
    scopes = [
        Share(scope.key, scope.name, scope_counts.get(scope.pk, 0), total)
        for scope in ArticulatorScope.objects.all()
    ]

    support_counts = dict(
        SupportType.objects.filter(articulators__in=ids)
        .values_list("pk").annotate(n=Count("articulators", distinct=True))
    )
    support_types = [
        Share(kind.key, kind.name, support_counts.get(kind.pk, 0), total)
        for kind in SupportType.objects.all()
    ]

    linkage_answered = entries.filter(runs_linkage_activities__isnull=False).count()
    alliances_answered = entries.filter(has_alliances__isnull=False).count()

    return RegistryStatistics(
        total=total,
        private_sector=Share("private_sector", str(_("Private sector")), private_count, total),
        linkage=Share(
            "linkage_activities", str(_("Run linkage activities with other actors")),
            entries.filter(runs_linkage_activities=True).count(), linkage_answered,
        ),
        alliances=Share(
            "alliances", str(_("Have made alliances with other actors")),
            entries.filter(has_alliances=True).count(), alliances_answered,
        ),
        distributions=[
            Distribution("sector", str(_("Entries by sector")),
                         str(_("Share of all approved entries in the selection.")), sectors),
            Distribution("macrozone", str(_("Entries by macrozone of the head office")),
                         str(_("Share of all approved entries in the selection.")),
                         macrozones),
            Distribution("scope", str(_("Entries by scope")),
                         str(_("Share of all approved entries in the selection.")), scopes),
            Distribution("support_type", str(_("Support provided to the ecosystem")),
                         str(_("Share of all approved entries offering each kind of support; "
                               "an organisation may offer several.")),
                         support_types, adds_up=False),
        ],
        first_registered=dates.first(),
        last_registered=entries.order_by("-registered_at").values_list(
            "registered_at", flat=True).first(),
    )


def statistics_rows(stats):
    """The figures as flat rows (statistic, key, label, count, denominator, percent): the CSV
    download and the tables show the same numbers as the charts."""
    rows = [("total", "approved_entries", str(_("Approved entries")), stats.total, "", "")]
    for share in stats.headline_shares():
        rows.append(("headline", share.key, share.label, share.count, share.denominator,
                     "" if share.percent is None else share.percent))
    for distribution in stats.distributions:
        for share in distribution.shares:
            rows.append((distribution.key, share.key, share.label, share.count,
                         share.denominator, "" if share.percent is None else share.percent))
    return rows
