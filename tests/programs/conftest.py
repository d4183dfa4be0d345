"""Small helpers for the programs tests: profile records and the admin's edit form."""

import pytest
from wagtail.models import Locale
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from programs.models import CountryIndexPage
from programs.services.profiles import COLUMNS, write_profile

_counter = iter(range(1, 10_000))


def profile_record(**values):
    """A complete record with every column, for ``write_profile`` or an import file."""
    number = next(_counter)
    record = {column.key: ([] if column.kind == "keys" else "") for column in COLUMNS}
    record.update({
        "external_id": f"TEST-{number}",
        "country": "COL",
        "title_en": f"Test program {number}",
        "title_es": f"Programa de prueba {number}",
        "area_of_influence": "national",
        "topics": ["food_security"],
        "statuses": ["implementation"],
        "target_populations": ["children"],
        "exchange_methods": ["study_tours"],
        "objectives_en": "Reduce hunger.",
        "objectives_es": "Reducir el hambre.",
    })
    record.update(values)
    return record


@pytest.fixture
def make_profile(db):
    def make(publish=True, **values):
        return write_profile(profile_record(**values), publish=publish)

    return make


def country_page(iso3="COL", language="en"):
    return CountryIndexPage.objects.get(country__iso3=iso3,
                                        locale=Locale.objects.get(language_code=language))


def admin_form_data(title="Programa piloto", slug="programa-piloto", action=None, **fields):
    """The Wagtail edit form of a profile, filled in as a person would."""
    data = {
        "title": title,
        "slug": slug,
        "acronym": "",
        "external_id": "",
        "implementing_agency": "",
        "area_of_influence": "national",
        "regions": "",
        "target_population_other": "",
        "start_date": "2020",
        "end_date": "",
        "duration_note": "",
        "summary": rich_text("<p>A short summary.</p>"),
        "objectives": rich_text("<p>Objectives.</p>"),
        "achievements": rich_text(""),
        "other_organisations": "",
        "funding_amount": "",
        "funding_currency": "",
        "funding_year": "",
        "funding_source": "",
        "beneficiaries": "",
        "coverage": "",
        "what_worked": rich_text(""),
        "lessons_learned": rich_text(""),
        "website": "",
        "contacts": inline_formset([]),
        "documents": inline_formset([]),
        "images": inline_formset([]),
        "progress_reports": inline_formset([]),
        "comments": inline_formset([]),
        "seo_title": "",
        "search_description": "",
    }
    data.update(fields)
    form = nested_form_data(data)
    if action:
        form[action] = "on"
    return form
