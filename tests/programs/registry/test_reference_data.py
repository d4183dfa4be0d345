"""Regions, macrozones and vocabularies are data, shipped after migrate and editable."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command

from portal.models import Country, Institution
from programs.models import (
    ArticulatorScope,
    ArticulatorSector,
    Macrozone,
    PovertyTopic,
    Region,
    SupportType,
)
from programs.services.registry_vocabularies import ensure_registry_reference_data

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[3] / "programs" / "data"


def test_chile_has_its_16_regions_in_the_seeds_three_macrozones(chile):
    shipped = json.loads((DATA / "regions.json").read_text())["CHL"]["macrozones"]
    zones = list(Macrozone.objects.filter(country=chile).order_by("sort_order"))
    assert [zone.key for zone in zones] == [zone["key"] for zone in shipped]
    assert [zone.name_es for zone in zones] == [
        "Zona norte y centro", "Zona centro sur y Región Metropolitana", "Zona sur y austral"]
    for zone, expected in zip(zones, shipped, strict=True):
        codes = list(zone.regions.order_by("sort_order").values_list("code", flat=True))
        assert codes == [region["code"] for region in expected["regions"]]
    assert Region.objects.filter(country=chile).count() == 16
    centro_sur = Macrozone.objects.get(country=chile, key="centro_sur_y_metropolitana")
    assert set(centro_sur.regions.values_list("name_en", flat=True)) == {
        "Libertador General Bernardo O'Higgins", "Maule", "Ñuble", "Biobío",
        "Santiago Metropolitan Region"}


def test_vocabularies_match_the_data_file():
    data = json.loads((DATA / "registry_vocabularies.json").read_text())
    for model, section in [(ArticulatorSector, "sectors"), (ArticulatorScope, "scopes"),
                           (SupportType, "support_types"), (PovertyTopic, "poverty_topics")]:
        assert list(model.objects.values_list("key", flat=True)) == [
            entry["key"] for entry in data[section]]
    private = set(ArticulatorSector.objects.filter(counts_as_private=True)
                  .values_list("key", flat=True))
    assert private == {"private_for_profit", "private_non_profit", "civil_society"}


def test_shipping_again_adds_what_is_missing_and_keeps_moderators_edits(chile):
    training = SupportType.objects.get(key="training")
    training.name_en = "Training courses"
    training.save()
    maule = Region.objects.get(country=chile, code="CL-ML")
    maule.name_en = "Maule Region"
    maule.save()
    Region.objects.filter(country=chile, code="CL-MA").delete()
    PovertyTopic.objects.filter(key="health").delete()

    ensure_registry_reference_data()

    assert SupportType.objects.get(key="training").name_en == "Training courses"
    assert Region.objects.get(country=chile, code="CL-ML").name_en == "Maule Region"
    assert Region.objects.filter(country=chile, code="CL-MA").exists()
    assert PovertyTopic.objects.filter(key="health").exists()
    assert Region.objects.filter(country=chile).count() == 16
    assert SupportType.objects.count() == 9


def test_migrate_ships_the_reference_data():
    SupportType.objects.all().delete()
    call_command("migrate", "programs", verbosity=0)
    assert SupportType.objects.count() == 9


def test_a_newly_created_country_with_shipped_regions_gets_them():
    Region.objects.filter(country__iso3="CHL").delete()
    Macrozone.objects.filter(country__iso3="CHL").delete()
    chile = Country.objects.get(iso3="CHL")
    data = {field: getattr(chile, field) for field in
            ("iso2", "name_en", "name_es", "subregion", "member_since")}
    Institution.objects.filter(country=chile).delete()
    chile.delete()
    chile = Country.objects.create(iso3="CHL", **data)
    assert Region.objects.filter(country=chile).count() == 16


def test_moderators_define_another_countrys_regions_in_the_admin(client, moderator):
    peru = Country.objects.get(iso3="PER")
    client.force_login(moderator)
    response = client.post("/admin/snippets/programs/macrozone/add/", {
        "country": peru.pk, "key": "sur", "name_en": "Southern macrozone",
        "name_es": "Macrozona sur", "sort_order": 0})
    assert response.status_code == 302
    zone = Macrozone.objects.get(country=peru, key="sur")
    response = client.post("/admin/snippets/programs/region/add/", {
        "country": peru.pk, "code": "PE-ARE", "name_en": "Arequipa", "name_es": "Arequipa",
        "macrozone": zone.pk, "sort_order": 0})
    assert response.status_code == 302
    assert Region.objects.get(country=peru, code="PE-ARE").macrozone == zone


def test_a_region_cannot_belong_to_another_countrys_macrozone(client, moderator, chile):
    peru = Country.objects.get(iso3="PER")
    client.force_login(moderator)
    response = client.post("/admin/snippets/programs/region/add/", {
        "country": peru.pk, "code": "PE-LIM", "name_en": "Lima", "name_es": "Lima",
        "macrozone": Macrozone.objects.filter(country=chile).first().pk, "sort_order": 0})
    assert response.status_code == 200
    assert "Choose a macrozone of the region" in response.content.decode()
    assert not Region.objects.filter(code="PE-LIM").exists()
