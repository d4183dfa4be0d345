"""Probable duplicates: the same website anywhere, or the same or a very similar name in the
same country."""

import pytest

from portal.models import Country
from programs.models.registry import name_key, website_key
from programs.services.registry import find_probable_duplicates, names_are_very_similar
from tests.programs.registry.factories import make_entry


@pytest.mark.parametrize(("first", "second"), [
    ("Fundación Mar Adentro", "Fundacion Mar Adentro"),
    ("Fundación Mar Adentro", "MAR ADENTRO"),
    ("Corporación Puentes Ltda.", "Puentes"),
    ("Red  de   Apoyo", "red apoyo"),
])
def test_names_that_differ_in_accents_case_or_legal_form_are_the_same(first, second):
    assert name_key(first) == name_key(second)


@pytest.mark.parametrize(("first", "second", "similar"), [
    ("Fundación Quillay", "Fundación Quillai", True),
    ("Fundación Mar Adentro", "Fundación Mar Adentr", True),
    ("Centro de Innovación Social del Maule", "Centro Innovacion Social Maule", True),
    ("Adentro Mar", "Mar Adentro", True),
    ("Agrupación Comunitaria Chucao", "Agrupación Comunitaria Tenca", False),
    ("Servicio Regional de Innovación Minga", "Servicio Regional de Innovación Semilla", False),
    ("Red Viajera Norte", "Red Viajera Sur", False),
    ("Puentes", "Puentes Impacto SpA", False),
])
def test_very_similar_names(first, second, similar):
    assert names_are_very_similar(name_key(first), name_key(second)) is similar


@pytest.mark.parametrize(("url", "key"), [
    ("https://www.example.org/about", "example.org"),
    ("http://EXAMPLE.org", "example.org"),
    ("example.org", "example.org"),
    ("https://www.facebook.com/FundacionX/", "facebook.com/fundacionx"),
    ("", ""),
    ("http://[::1", ""),
])
def test_website_keys(url, key):
    assert website_key(url) == key


@pytest.mark.django_db
def test_same_website_in_any_country_but_names_only_within_a_country(chile):
    peru = Country.objects.get(iso3="PER")
    chilean = make_entry("approved", name="Fundación Horizonte", website="https://horizonte.example")
    facebook = make_entry("approved", name="Colectivo Uno",
                          website="https://facebook.com/colectivouno")

    def found(**query):
        return [hint.entry for hint in find_probable_duplicates(**query)]

    assert found(name="Otra", website="http://www.horizonte.example/x", country=peru) == [chilean]
    assert found(name="Fundacion Horizonte", website="", country=peru) == []
    assert found(name="Horizonte", website="", country=chile) == [chilean]
    assert found(name="Colectivo Dos", website="https://facebook.com/colectivodos",
                 country=chile) == []
    assert found(name="Nada", website="https://facebook.com/ColectivoUno/", country=peru) == [
        facebook]
