"""Internal consistency of the seed-data JSON files (see docs/data-sources.md).

Pure pytest, no Django: run with `.venv/bin/pytest -p no:django tests/data`.
Reads project files only.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

FILES = {
    "countries": "portal/data/countries.json",
    "institutions": "portal/data/institutions.json",
    "vocabularies": "programs/data/vocabularies.json",
    "sdgs": "programs/data/sdgs.json",
    "profiles": "programs/data/annex_profiles.json",
    "instance": "matchmaking/data/santa_marta_2012.json",
    "intentions": "matchmaking/data/santa_marta_2012_intentions.json",
    "regions": "programs/data/regions.json",
    "registry": "programs/data/registry_vocabularies.json",
}

SANTA_MARTA_COUNTRIES = {
    "BOL",
    "BRA",
    "CHL",
    "COL",
    "CRI",
    "ECU",
    "SLV",
    "GTM",
    "HND",
    "PAN",
    "PRY",
    "PER",
    "URY",
}
# Table 3 of seed 003, as published.
TABLE_3_ACTIVITIES = {
    "academic": 29,
    "expert_visits": 18,
    "virtual": 15,
    "internships": 11,
    "study_tours": 0,
    "information_sharing": 0,
}
TABLE_3_MECHANISMS = {"inter_institutional": 30, "regional_program": 9, "other": 4, None: 3}
TABLE_3_FOCUS = {"general": 29, "specific_component": 9, None: 8}

DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
TARGET_CODE = re.compile(r"^(\d{1,2})\.(\d{1,2}|[a-z])$")


@cache
def load(name: str):
    return json.loads((ROOT / FILES[name]).read_text(encoding="utf-8"))


def keys_of(entries, field="key"):
    return [e[field] for e in entries]


def assert_unique(values, what):
    dupes = [v for v, n in Counter(values).items() if n > 1]
    assert not dupes, f"duplicate {what}: {dupes}"


def is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def vocab(name: str) -> set[str]:
    return set(keys_of(load("vocabularies")[name]))


def profiles():
    return load("profiles")["profiles"]


def intentions():
    return load("intentions")["intentions"]


# --- every file --------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(FILES))
def test_file_loads_and_is_canonical(name):
    text = (ROOT / FILES[name]).read_text(encoding="utf-8")
    data = json.loads(text)
    assert text == json.dumps(data, ensure_ascii=False, indent=2) + "\n", (
        f"{FILES[name]} is not in canonical form: run scripts/format_seed_data.py"
    )


# --- countries ---------------------------------------------------------------------------


def test_countries():
    countries = load("countries")
    assert len(countries) == 35
    assert_unique(keys_of(countries, "iso3"), "iso3")
    assert_unique(keys_of(countries, "iso2"), "iso2")
    subregions = {"north_america", "central_america", "caribbean", "andean", "southern_cone"}
    for c in countries:
        assert re.fullmatch(r"[A-Z]{3}", c["iso3"]) and re.fullmatch(r"[A-Z]{2}", c["iso2"])
        assert c["name_en"] and c["name_es"]
        assert c["subregion"] in subregions
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", c["member_since"])
        assert isinstance(c["santa_marta_2012"], bool)
    assert {c["iso3"] for c in countries if c["santa_marta_2012"]} == SANTA_MARTA_COUNTRIES


# --- institutions ------------------------------------------------------------------------


def test_institutions():
    institutions = load("institutions")
    countries = set(keys_of(load("countries"), "iso3"))
    kinds = {
        "ministry",
        "agency",
        "local_government",
        "subregional_mechanism",
        "international_organisation",
        "ngo",
        "academia",
        "other",
    }
    assert_unique(keys_of(institutions), "institution key")
    for i in institutions:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", i["key"]), i["key"]
        assert i["country"] is None or i["country"] in countries, i["key"]
        assert i["kind"] in kinds, i["key"]
        assert i["name_en"] and i["name_es"], i["key"]
        assert i["acronym"] is None or i["acronym"], i["key"]
    by_key = {i["key"]: i for i in institutions}
    for organiser in ("col-apc", "col-dps", "col-anspe", "col-icbf", "col-dnp", "oas"):
        assert "organiser" in by_key[organiser]["roles"]
    mechanisms = [i for i in institutions if i["kind"] == "subregional_mechanism"]
    assert len(mechanisms) == 6  # Table 2
    participants = [i for i in institutions if "participant" in i["roles"]]
    assert sum(i["kind"] == "subregional_mechanism" for i in participants) == 5


# --- vocabularies ------------------------------------------------------------------------


def test_vocabularies():
    data = load("vocabularies")
    expected = {
        "target_populations": {
            "children",
            "youth",
            "adults",
            "elderly",
            "women",
            "ethnic_groups",
            "persons_with_disabilities",
            "other",
        },
        "exchange_methods": {
            "information_sharing",
            "study_tours",
            "expert_visits",
            "internships",
            "workshops",
            "videoconferences",
        },
        "statuses": {"design", "implementation", "monitoring", "evaluation", "closed"},
        "areas_of_influence": {"national", "subnational", "local"},
    }
    assert set(data) == {"topics", *expected}
    for name, entries in data.items():
        assert_unique(keys_of(entries), f"{name} key")
        for e in entries:
            assert e["name_en"] and e["name_es"], (name, e["key"])
    for name, keys in expected.items():
        assert vocab(name) == keys
    assert 20 <= len(data["topics"]) <= 30


# --- SDGs --------------------------------------------------------------------------------


def test_sdgs():
    goals = load("sdgs")
    assert [g["number"] for g in goals] == list(range(1, 18))
    codes = []
    for g in goals:
        assert g["name_en"] and g["name_es"], g["number"]
        for t in g["targets"]:
            m = TARGET_CODE.match(t["code"])
            assert m and int(m.group(1)) == g["number"], t["code"]
            assert t["text_en"].strip() and t["text_es"].strip(), t["code"]
            codes.append(t["code"])
    assert len(codes) == 169
    assert_unique(codes, "target code")
    assert {"1.a", "1.b", "17.19"} <= set(codes)
    assert goals[0]["name_es"] == "Fin de la pobreza"
    assert goals[1]["name_es"] == "Hambre cero"


# --- annex profiles ----------------------------------------------------------------------


def test_profiles_references_and_fields():
    items = profiles()
    assert len(items) == 34
    assert_unique(keys_of(items, "external_id"), "external_id")
    assert [p["annex_position"] for p in items] == list(range(1, 35))
    countries = {c["iso3"]: c for c in load("countries")}
    institutions = {i["key"]: i for i in load("institutions")}
    for p in items:
        pid = p["external_id"]
        assert p["country"] in countries and countries[p["country"]]["santa_marta_2012"], pid
        assert pid.startswith(p["country"] + "-"), pid
        assert p["institutions"], pid
        for key in p["institutions"]:
            assert key in institutions, (pid, key)
            assert institutions[key]["country"] == p["country"], (pid, key)
        assert p["topics"] and set(p["topics"]) <= vocab("topics"), pid
        assert p["topics_text_en"], pid
        assert p["target_populations"], pid
        assert set(p["target_populations"]) <= vocab("target_populations"), pid
        assert set(p["exchange_methods"]) <= vocab("exchange_methods"), pid
        assert p["statuses"] and set(p["statuses"]) <= vocab("statuses"), pid
        assert p["area_of_influence"]["level"] in vocab("areas_of_influence"), pid
        assert isinstance(p["area_of_influence"]["regions"], list), pid
        has_other = "other" in p["target_populations"]
        assert has_other == (p["target_population_other_en"] is not None), pid
        assert has_other == (p["target_population_other_es"] is not None), pid
        for field in ("title_en", "title_es", "objectives_en", "objectives_es"):
            assert p[field].strip(), (pid, field)
        assert p["achievements_en"], pid
        assert len(p["achievements_en"]) == len(p["achievements_es"]), pid
        assert all(a.strip() for a in p["achievements_en"] + p["achievements_es"]), pid
        for field in ("start_date", "end_date"):
            assert p[field] is None or DATE.match(p[field]), (pid, field, p[field])
        if p["start_date"] and p["end_date"]:
            assert p["start_date"][:4] <= p["end_date"][:4], pid
        assert isinstance(p["other_organisations"], list), pid


def test_profiles_per_country():
    counts = Counter(p["country"] for p in profiles())
    assert counts == {
        "BOL": 2,
        "BRA": 2,
        "CHL": 4,
        "COL": 10,
        "CRI": 1,
        "ECU": 2,
        "SLV": 2,
        "HND": 3,
        "PAN": 1,
        "PRY": 2,
        "PER": 3,
        "URY": 2,
    }


# --- negotiation-rounds instance (FORMAT.md validity rules) -----------------------------


def test_instance_is_valid_negotiation_rounds_v1():
    inst = load("instance")
    assert inst["format"] == "negotiation-rounds/1"
    assert is_int(inst.get("min_attendees", 2)) and inst.get("min_attendees", 2) >= 1

    session_ids = keys_of(inst["sessions"], "id")
    room_ids = keys_of(inst["rooms"], "id")
    delegation_ids = keys_of(inst["delegations"], "id")
    offer_ids = keys_of(inst["offers"], "id")
    for what, ids in (
        ("session", session_ids),
        ("room", room_ids),
        ("delegation", delegation_ids),
        ("offer", offer_ids),
    ):
        assert all(isinstance(i, str) and i for i in ids), what
        assert_unique(ids, f"{what} id")
    sessions, rooms = set(session_ids), {r["id"]: r for r in inst["rooms"]}
    delegations, offers = set(delegation_ids), {o["id"]: o for o in inst["offers"]}

    for r in inst["rooms"]:
        assert is_int(r["capacity"]) and r["capacity"] >= 1, r["id"]
        assert set(r.get("sessions", session_ids)) <= sessions, r["id"]
    for d in inst["delegations"]:
        assert is_int(d.get("delegates", 1)) and d.get("delegates", 1) >= 1, d["id"]
        assert set(d.get("unavailable", [])) <= sessions, d["id"]
        if "max_attended" in d:
            assert is_int(d["max_attended"]) and d["max_attended"] >= 0, d["id"]
    for o in inst["offers"]:
        assert o["owner"] in delegations, o["id"]
        assert is_int(o.get("max_repeats", 1)) and o.get("max_repeats", 1) >= 1, o["id"]

    pairs = []
    for q in inst["requests"]:
        assert q["delegation"] in delegations and q["offer"] in offers, q
        assert offers[q["offer"]]["owner"] != q["delegation"], f"self-request {q}"
        assert is_int(q["rank"]) and q["rank"] >= 1, q
        if "weight" in q:
            assert isinstance(q["weight"], int | float) and not isinstance(q["weight"], bool)
        pairs.append((q["delegation"], q["offer"]))
    assert_unique(pairs, "(delegation, offer) request")

    used = []
    for pin in inst.get("pinned", []):
        assert pin["offer"] in offers and pin["session"] in sessions and pin["room"] in rooms
        assert pin["session"] in rooms[pin["room"]].get("sessions", session_ids)
        used.append((pin["session"], pin["room"]))
    assert_unique(used, "pinned (session, room)")


def test_instance_matches_seed_and_project_data():
    inst = load("instance")
    assert len(inst["requests"]) == 46
    assert keys_of(inst["sessions"], "id") == ["s1", "s2", "s3", "s4"]
    assert keys_of(inst["rooms"], "id") == ["r1", "r2", "r3", "r4"]
    assert inst["mapping_notes"]

    # Offers are exactly the annex programs, owned by the program's country.
    by_profile = {p["external_id"]: p for p in profiles()}
    assert {o["id"]: o["owner"] for o in inst["offers"]} == {
        pid: p["country"] for pid, p in by_profile.items()
    }
    for o in inst["offers"]:
        assert set(o["topics"]) <= vocab("topics"), o["id"]

    # Delegations: countries by ISO alpha-3, mechanisms by institution key.
    countries = set(keys_of(load("countries"), "iso3"))
    institutions = {i["key"]: i for i in load("institutions")}
    for d in inst["delegations"]:
        if d["id"] in institutions:
            assert institutions[d["id"]]["kind"] == "subregional_mechanism", d["id"]
        else:
            assert d["id"] in countries, d["id"]
        assert set(d["institutions"]) <= set(institutions), d["id"]
    assert {d["id"] for d in inst["delegations"]} >= SANTA_MARTA_COUNTRIES
    assert 48 <= sum(d["delegates"] for d in inst["delegations"]) <= 54

    # Ranks run 1, 2, 3 ... in Table 1 order within each delegation.
    seen: Counter[str] = Counter()
    for q in sorted(inst["requests"], key=lambda q: q["row"]):
        seen[q["delegation"]] += 1
        assert q["rank"] == seen[q["delegation"]], q


# --- intentions --------------------------------------------------------------------------


def test_intentions_references():
    data = load("intentions")
    items = intentions()
    assert len(items) == 46
    assert [i["row"] for i in items] == list(range(1, 47))
    inst = load("instance")
    delegations = set(keys_of(inst["delegations"], "id"))
    owners = {p["external_id"]: p["country"] for p in profiles()}
    activity_types = set(TABLE_3_ACTIVITIES)
    for i in items:
        row = i["row"]
        assert i["demanding"] in delegations, row
        supplying = i["supplying"]
        named = (
            [] if supplying is None else [supplying] if isinstance(supplying, str) else supplying
        )
        assert set(named) <= delegations, row
        assert i["supplying_text"] and i["topic_text"], row
        assert i["topic"] in vocab("topics"), row
        assert i["offer"] is None or i["offer"] in owners, row
        if i["offer"] is not None:
            assert owners[i["offer"]] != i["demanding"], row
            if named:
                assert owners[i["offer"]] in named, row
        assert set(i["activity_types"]) <= activity_types, row
        assert_unique(i["activity_types"], f"activity type in row {row}")
        assert i["mechanism"] in {"inter_institutional", "regional_program", "other", None}, row
        assert i["focus"] in {"general", "specific_component", None}, row
        assert (i["focus"] == "specific_component") == bool(i["focus_component"]), row
    funded = data["selected_for_funding"]
    assert len(funded) == 2 and len(set(funded)) == 2
    assert set(funded) <= {i["row"] for i in items}


def test_intentions_agree_with_instance_requests():
    requests = {q["row"]: (q["delegation"], q["offer"]) for q in load("instance")["requests"]}
    assert requests == {i["row"]: (i["demanding"], i["offer"]) for i in intentions()}


def test_table_3_counts_recomputed_from_intentions():
    items = intentions()
    activities = Counter(t for i in items for t in i["activity_types"])
    assert {k: activities.get(k, 0) for k in TABLE_3_ACTIVITIES} == TABLE_3_ACTIVITIES
    assert Counter(i["mechanism"] for i in items) == TABLE_3_MECHANISMS
    assert Counter(i["focus"] for i in items) == TABLE_3_FOCUS
    # The figures repeated in the file are the seed's.
    table_3 = load("intentions")["table_3"]
    assert {e["key"]: e["count"] for e in table_3["activity_types"]} == TABLE_3_ACTIVITIES
    assert {e["key"]: e["count"] for e in table_3["mechanisms"]} == {
        k: n for k, n in TABLE_3_MECHANISMS.items() if k is not None
    }
    assert {e["key"]: e["count"] for e in table_3["focus"]} == {
        k: n for k, n in TABLE_3_FOCUS.items() if k is not None
    }


# --- Chilean regions and registry vocabularies --------------------------------------------


def test_chile_regions():
    chile = load("regions")["CHL"]
    assert len(chile["macrozones"]) == 3
    assert_unique(keys_of(chile["macrozones"]), "macrozone key")
    codes = [r["code"] for m in chile["macrozones"] for r in m["regions"]]
    assert len(codes) == 16
    assert_unique(codes, "region code")
    assert all(re.fullmatch(r"CL-[A-Z]{2}", c) for c in codes)
    assert set(codes) == {
        "CL-AP",
        "CL-TA",
        "CL-AN",
        "CL-AT",
        "CL-CO",
        "CL-VS",
        "CL-RM",
        "CL-LI",
        "CL-ML",
        "CL-NB",
        "CL-BI",
        "CL-AR",
        "CL-LR",
        "CL-LL",
        "CL-AI",
        "CL-MA",
    }
    for m in chile["macrozones"]:
        assert m["name_es"] and m["name_en"]
        for r in m["regions"]:
            assert r["name_es"] and r["name_en"], r["code"]


def test_registry_vocabularies():
    data = load("registry")
    for name in ("sectors", "scopes", "support_types", "poverty_topics", "seed_figures"):
        assert data[name], name
        assert_unique(keys_of(data[name]), f"{name} key")
    for name in ("sectors", "scopes", "support_types", "poverty_topics"):
        for e in data[name]:
            assert e["name_en"] and e["name_es"], (name, e["key"])
    assert len(data["sectors"]) == 6
    assert set(keys_of(data["scopes"])) == {"national", "macrozonal", "regional", "local"}
    assert len(data["support_types"]) == 9
    figures = {f["key"]: f["value"] for f in data["seed_figures"]}
    assert figures["registered_organisations"] == 72
    assert figures["private_sector_share"] == 88
    assert figures["centro_sur_share"] == 60
    assert figures["regional_scope_share"] == 47
    assert figures["linkage_activities_share"] == 80
    assert figures["alliances_share"] == 96
    assert all(f["text_es"] and f["text_en"] for f in data["seed_figures"])
