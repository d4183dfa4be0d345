"""The dashboard's figures, checked against counts made independently in the test.

The entries are generated from plain specs; the expected figures are counted from those
specs with Python, never with the code under test, and compared figure by figure on the
service, the page, the CSV download and the API.
"""

import csv
import io
import random
from datetime import UTC, date, datetime

import pytest
from django.utils import timezone

from portal.models import Country
from programs.models import (
    Articulator,
    ArticulatorScope,
    ArticulatorSector,
    PovertyTopic,
    Region,
    SupportType,
)
from programs.services.statistics import compute_statistics

pytestmark = pytest.mark.django_db

SECTORS = ["public", "private_for_profit", "private_non_profit", "academia", "civil_society",
           "international_cooperation"]
PRIVATE = {"private_for_profit", "private_non_profit", "civil_society"}
SCOPES = ["national", "macrozonal", "regional", "local"]
SUPPORT = ["open_innovation_contests", "training", "studies_and_evaluations",
           "tools_and_methodologies", "financing", "certifications", "community_and_prizes",
           "incubation_and_acceleration", "coworking_spaces"]
CHILE_ZONES = {  # region code -> macrozone key, written out here rather than read from the data
    "CL-AP": "norte_y_centro", "CL-TA": "norte_y_centro", "CL-AN": "norte_y_centro",
    "CL-AT": "norte_y_centro", "CL-CO": "norte_y_centro", "CL-VS": "norte_y_centro",
    "CL-LI": "centro_sur_y_metropolitana", "CL-ML": "centro_sur_y_metropolitana",
    "CL-NB": "centro_sur_y_metropolitana", "CL-BI": "centro_sur_y_metropolitana",
    "CL-RM": "centro_sur_y_metropolitana", "CL-AR": "sur_y_austral", "CL-LR": "sur_y_austral",
    "CL-LL": "sur_y_austral", "CL-AI": "sur_y_austral", "CL-MA": "sur_y_austral",
}


def percent(count, denominator):
    """Whole percent with halves rounded up, in integer arithmetic."""
    return None if denominator == 0 else (200 * count + denominator) // (2 * denominator)


def make_specs(seed=7, count=46):
    rng = random.Random(seed)
    specs = []
    for number in range(count):
        country = "CHL" if number % 5 else "PER"
        specs.append({
            "name": f"Organización Estadística {number}",
            "country": country,
            "region": rng.choice(sorted(CHILE_ZONES)) if country == "CHL" else None,
            "sector": rng.choice(SECTORS),
            "scope": rng.choice(SCOPES),
            "linkage": rng.choice([True, True, True, False, None]),
            "alliances": rng.choice([True, True, False, None]),
            "support": sorted(rng.sample(SUPPORT, rng.randint(1, 4))),
            "registered": datetime(2021, 9, 1 + number % 28, 12, tzinfo=UTC),
            # Only approved entries count; the others must be left out of every figure.
            "state": rng.choice(["approved"] * 6 + ["pending", "rejected", "unconfirmed"]),
        })
    return specs


def create(spec):
    country = Country.objects.get(iso3=spec["country"])
    region = Region.objects.get(country=country, code=spec["region"]) if spec["region"] else None
    entry = Articulator(
        name=spec["name"], legal_form="Fundación", country=country, head_office_region=region,
        sector=ArticulatorSector.objects.get(key=spec["sector"]),
        scope=ArticulatorScope.objects.get(key=spec["scope"]),
        runs_linkage_activities=spec["linkage"], has_alliances=spec["alliances"],
        contact_name="Contacto", contact_email="contacto@example.org",
        publication_consent=True, live=False, self_registered=True,
        email_confirmed_at=None if spec["state"] == "unconfirmed" else spec["registered"],
        rejected_at=timezone.now() if spec["state"] == "rejected" else None,
    )
    entry.regions = [region] if region else []
    entry.support_types = list(SupportType.objects.filter(key__in=spec["support"]))
    entry.poverty_topics = [PovertyTopic.objects.get(key="income_poverty")]
    entry.save()
    revision = entry.save_revision()
    if spec["state"] == "approved":
        revision.publish()
    # The registration date is the registrant's, whatever the day of approval.
    Articulator.objects.filter(pk=entry.pk).update(registered_at=spec["registered"])


def expected_figures(specs, start=None, end=None, country=None):
    chosen = [spec for spec in specs if spec["state"] == "approved"
              and (start is None or spec["registered"].date() >= start)
              and (end is None or spec["registered"].date() <= end)
              and (country is None or spec["country"] == country)]
    total = len(chosen)
    linkage_answered = [spec for spec in chosen if spec["linkage"] is not None]
    alliances_answered = [spec for spec in chosen if spec["alliances"] is not None]
    figures = {
        ("total", "approved_entries"): (total, None, None),
        ("headline", "private_sector"): (
            sum(spec["sector"] in PRIVATE for spec in chosen), total, None),
        ("headline", "linkage_activities"): (
            sum(spec["linkage"] is True for spec in chosen), len(linkage_answered), None),
        ("headline", "alliances"): (
            sum(spec["alliances"] is True for spec in chosen), len(alliances_answered), None),
    }
    for sector in SECTORS:
        figures["sector", sector] = (sum(spec["sector"] == sector for spec in chosen), total, None)
    for scope in SCOPES:
        figures["scope", scope] = (sum(spec["scope"] == scope for spec in chosen), total, None)
    for kind in SUPPORT:
        figures["support_type", kind] = (sum(kind in spec["support"] for spec in chosen), total,
                                         None)
    # Macrozones shown: those of the chosen country, or of the countries in the selection.
    chile_shown = country == "CHL" or (country is None and any(
        spec["country"] == "CHL" for spec in chosen))
    zones = sorted(set(CHILE_ZONES.values())) if chile_shown else []
    for zone in zones:
        figures["macrozone", zone] = (
            sum(spec["region"] is not None and CHILE_ZONES[spec["region"]] == zone
                for spec in chosen), total, None)
    without_zone = sum(spec["region"] is None for spec in chosen)
    if without_zone:
        figures["macrozone", "none"] = (without_zone, total, None)
    return {key: (count, denominator, None if denominator is None else percent(count, denominator))
            for key, (count, denominator, _percent) in figures.items()}


def service_figures(stats):
    figures = {("total", "approved_entries"): (stats.total, None, None)}
    for share in stats.headline_shares():
        figures["headline", share.key] = (share.count, share.denominator, share.percent)
    for distribution in stats.distributions:
        for share in distribution.shares:
            figures[distribution.key, share.key] = (share.count, share.denominator,
                                                    share.percent)
    return figures


@pytest.fixture
def specs(db):
    specs = make_specs()
    for spec in specs:
        create(spec)
    return specs


SELECTIONS = [
    {},
    {"start": date(2021, 9, 5), "end": date(2021, 9, 20)},
    {"country": "CHL"},
    {"country": "PER", "end": date(2021, 9, 15)},
    {"start": date(2022, 1, 1)},
]


def test_every_figure_matches_an_independent_count(specs):
    assert sum(spec["state"] == "approved" for spec in specs) > 20
    for selection in SELECTIONS:
        country = selection.get("country")
        stats = compute_statistics(
            registered_from=selection.get("start"), registered_to=selection.get("end"),
            country=Country.objects.get(iso3=country) if country else None)
        expected = expected_figures(specs, **selection)
        actual = service_figures(stats)
        assert actual == expected, selection


def test_the_page_the_csv_and_the_api_show_the_same_figures(client, specs):
    query = {"registered_from": "2021-09-05", "registered_to": "2021-09-20", "country": "CHL"}
    expected = expected_figures(specs, start=date(2021, 9, 5), end=date(2021, 9, 20),
                                country="CHL")

    rows = list(csv.DictReader(io.StringIO(
        client.get("/en/programs/articulators/dashboard.csv", query).content.decode(
            "utf-8-sig"))))
    from_csv = {(row["statistic"], row["key"]): (
        int(row["count"]), int(row["denominator"]) if row["denominator"] else None,
        int(row["percent"]) if row["percent"] else None) for row in rows}
    assert from_csv == expected

    html = client.get("/en/programs/articulators/dashboard/", query).content.decode()
    for (statistic, key), (count, denominator, share) in expected.items():
        if statistic == "total":
            assert f'<span class="registry-figure__value">{count}</span>' in html
            continue
        row = html.split(f'<tr data-key="{key}">', 1)[1].split("</tr>", 1)[0]
        cells = row.replace("</td>", "").split("<td>")[1:]
        assert cells == [str(count), str(denominator), f"{share}%"], (statistic, key)

    api = client.get("/api/v1/articulators/statistics/", {
        "registered_from": "2021-09-05", "registered_to": "2021-09-20", "country": "chl"}).json()
    assert api["total"] == expected["total", "approved_entries"][0]
    assert (api["linkage_activities"]["count"], api["linkage_activities"]["denominator"],
            api["linkage_activities"]["percent"]) == expected["headline", "linkage_activities"]
    for distribution in api["distributions"]:
        for share in distribution["shares"]:
            assert (share["count"], share["denominator"], share["percent"]) == expected[
                distribution["key"], share["key"]]


def test_the_charts_are_svg_with_a_title_a_description_and_a_table(client, specs):
    html = client.get("/en/programs/articulators/dashboard/").content.decode()
    for key in ("sector", "macrozone", "scope", "support_type", "headline"):
        assert f'aria-labelledby="chart-{key}-title chart-{key}-desc"' in html
        assert f'<title id="chart-{key}-title">' in html
        assert f'<desc id="chart-{key}-desc">' in html
    assert html.count("<table") == 5
    assert "<script" not in html and "style=" not in html


def test_rounding_is_half_up():
    from programs.services.statistics import percent as service_percent

    assert service_percent(63, 72) == 88  # 87.5
    assert service_percent(1, 8) == 13  # 12.5
    assert service_percent(43, 72) == 60  # 59.72
    assert service_percent(0, 0) is None


def test_a_bad_period_is_explained(client):
    response = client.get("/en/programs/articulators/dashboard/",
                          {"registered_from": "2021-09-30", "registered_to": "2021-09-01"})
    assert response.status_code == 200
    assert "The end of the period comes before its start." in response.content.decode()
    nonsense = client.get("/en/programs/articulators/dashboard/", {"registered_from": "soon"})
    assert nonsense.status_code == 200 and "Enter a valid date." in nonsense.content.decode()


def test_an_empty_registry_shows_dashes_not_errors(client):
    html = client.get("/en/programs/articulators/dashboard/").content.decode()
    assert "No approved entry matches this selection." in html
