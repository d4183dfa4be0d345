"""Build the Santa Marta 2012 negotiation-rounds instance and cooperation intentions.

Writes matchmaking/data/santa_marta_2012.json (format negotiation-rounds/1, see the
optimiser's FORMAT.md) and matchmaking/data/santa_marta_2012_intentions.json. Inputs are project files only: programs/data/annex_profiles.json
(the offers) and portal/data/institutions.json (delegation names). Table 1 of seed 003
(46 preliminary cooperation agreements) and every judgement call are written out below,
so the output is deterministic and reviewable.

Usage: .venv/bin/python scripts/build_santa_marta.py
"""

# ruff: noqa: E501

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = ROOT / "matchmaking/data/santa_marta_2012.json"
INTENTIONS = ROOT / "matchmaking/data/santa_marta_2012_intentions.json"

# Table 1 of seed 003, in the seed's order: (demanding, supplying as printed, topic as printed,
# offer chosen for the row). Demanding parties are delegation ids: ISO 3166 alpha-3 for
# countries, institution keys for the subregional mechanisms.
TABLE_1 = [
    ("BOL", "Brazil", "Differential Approach", "BRA-social-development-policy"),
    ("BOL", "Brazil", "Food Security", "BRA-paa"),
    ("BRA", "Colombia", "Red Unidos", "COL-red-unidos"),
    ("CHL", "Brazil", "International Seminar", "BRA-social-development-policy"),
    ("COL", "Brazil", "International Seminar", "BRA-social-development-policy"),
    ("COL", "Bolivia", "Working Boys, Girls and Teenagers", "BOL-pennat"),
    ("COL", "Peru", "Rights-based Approach", "PER-ombudsman-children"),
    ("COL", "Uruguay", "Multidimensional Poverty Indexes", "URY-mpi-rights"),
    ("COL", "Chile", "Income Generation", "CHL-yo-emprendo-semilla"),
    ("COL", "Brazil", "Food Security", "BRA-paa"),
    ("COL", "Peru", "Household Focalization System", "PER-ruben"),
    ("COL", "Bolivia", "Childhood, Adolescence and Elderly", "BOL-renta-dignidad"),
    ("CRI", "Brazil", "Food Security", "BRA-paa"),
    ("CRI", "Colombia", "Differential Approach", "COL-ethnic-families"),
    ("CRI", "Colombia", "Multidimensional Poverty Indexes", "COL-mpi"),
    ("CRI", "Panama", "Differential Approach", "PAN-opportunity-network"),
    ("ECU", "Colombia", "Red Unidos", "COL-red-unidos"),
    ("ECU", "Colombia", "Food Security", "COL-resa"),
    ("ECU", "More than 1", "Multidimensional Poverty Indexes", "COL-mpi"),
    ("ECU", "Colombia", "More than 1 option", "COL-sisben"),
    ("ECU", "Brazil", "Food Security", "BRA-paa"),
    ("SLV", "Colombia", "Family Support", "COL-red-unidos"),
    ("SLV", "Chile", "Habitability", "CHL-habitability"),
    ("SLV", "Uruguay", "Multidimensional Poverty Indexes", "URY-mpi-rights"),
    ("GTM", "Brazil", "More than 1 option", "BRA-social-development-policy"),
    ("GTM", "Colombia", "More than 1 option", "COL-red-unidos"),
    ("HND", "Brazil", "Early Childhood Development", "BRA-social-development-policy"),
    ("HND", "Bolivia", "Differential Approach", "BOL-pennat"),
    ("PAN", "Brazil", "International Seminar", "BRA-social-development-policy"),
    ("PAN", "Colombia", "Red Unidos", "COL-red-unidos"),
    ("PAN", "Colombia", "More than 1 option", "COL-sisben"),
    ("PRY", "Colombia", "Red Unidos", "COL-red-unidos"),
    ("PRY", "Panama", "Differential Approach", "PAN-opportunity-network"),
    ("PRY", "El Salvador", "Social Inclusion", "SLV-urban-solidarity-communities"),
    ("PRY", "Colombia", "Interinstitutional Coordination", "COL-ice"),
    ("PRY", "Panama - Ecuador", "Social Inclusion", "ECU-cnf"),
    ("PER", "Colombia", "Food Security", "COL-resa"),
    ("PER", "Brazil", "International Seminar", "BRA-social-development-policy"),
    ("PER", "Brazil", "Food Security", "BRA-paa"),
    ("PER", "Bolivia", "Early Childhood Development", "BOL-pennat"),
    ("PER", "Colombia", "Recruitment Prevention", "COL-recruitment-prevention"),
    ("URY", "various", "Multidimensional Poverty Indexes", "COL-mpi"),
    ("URY", "Brazil", "Food Security", "BRA-paa"),
    ("mercosur-ism", "Not Defined", "Multidimensional Poverty Indexes", "URY-mpi-rights"),
    ("mercosur-ism", "Not Defined", "Food Security", "BRA-paa"),
    ("mesoamerica-project", "Brazil", "More than one option", "BRA-social-development-policy"),
]

# Delegates per delegation (synthetic: the seed gives only the total of 54 delegates from
# 13 countries, 20 institutions and 5 subregional mechanisms, and says the organisers
# invited both cooperation managers and the technical coordinators of presented programs).
# These 15 delegations hold 51; the remaining 3 are CAN, SISCA and EUROsociAL II, which
# took part but appear in no Table 1 row and so are not delegations of this instance.
DELEGATES = {
    "BOL": 2,
    "BRA": 3,
    "CHL": 4,
    "COL": 14,
    "CRI": 2,
    "ECU": 3,
    "SLV": 3,
    "GTM": 2,
    "HND": 3,
    "PAN": 2,
    "PRY": 3,
    "PER": 4,
    "URY": 3,
    "mercosur-ism": 2,
    "mesoamerica-project": 1,
}

SESSIONS = [
    {"id": "s1", "label": "Thursday 1 November 2012 09:00"},
    {"id": "s2", "label": "Thursday 1 November 2012 11:00"},
    {"id": "s3", "label": "Thursday 1 November 2012 14:00"},
    {"id": "s4", "label": "Thursday 1 November 2012 16:00"},
]
ROOM_CAPACITY = 8  # the largest demand for one offer in Table 1 is 8 delegations
MIN_ATTENDEES = 1

MAPPING_NOTES = [
    "Source: seed 003 (OAS/IASPN report on the Third Workshop on Social Policy and International Cooperation, Santa Marta, Colombia, 31 October - 2 November 2012), Table 1 (46 preliminary cooperation agreements), the annex of 34 program profiles and Section II (negotiation rounds).",
    "Sessions: the seed says the negotiation rounds took place on the second of the three days (31 October - 2 November 2012), i.e. Thursday 1 November 2012, in four sessions with four groups meeting simultaneously (sixteen rounds). The clock times in the session labels are synthetic; the seed gives none. The per-session working-group lists of the seed are images and did not survive in the text, so no round is pinned.",
    "Rooms: four rooms (one per simultaneous group). Capacity 8 attending delegations in each is not documented; it is chosen so that room size never limits a round (the most-requested offer, BRA-social-development-policy, has 8 requesters).",
    "Delegations: the 13 countries and 2 subregional mechanisms (MERCOSUR Social Institute, Mesoamerican Integration and Development Project) that appear as demanding or supplying parties in Table 1. Country ids are ISO 3166 alpha-3, mechanism ids are institution keys from portal/data/institutions.json.",
    "Delegates: synthetic. The seed gives only the total (54 delegates from 13 countries, 20 institutions and 5 subregional mechanisms) and says the host had more; the split (Colombia 14, Chile and Peru 4, most others 2-3, MERCOSUR Social Institute 2, Mesoamerican Project 1) sums to 51, leaving 3 for CAN, SISCA and EUROsociAL II, which attended but appear in no Table 1 row.",
    "Offers: all 34 annex programs, offer id = profile external_id, owner = the program's country. Programs nobody requested in Table 1 are kept as offers without requests.",
    "Requests: one per Table 1 row (46), rank = the row's order among the rows of the same demanding party (Table 1 order; the seed does not give the delegations' preference order, which was collected on the IASPN portal). Weights are left to the format's rank rule. Each request carries its Table 1 row number in 'row'.",
    "Table 1 records agreements reached at the end of the workshop; using it as the demand of the rounds is an approximation (the seed says the rounds were built from interests expressed beforehand on the portal, which are not published).",
    "min_attendees = 1: with 2, only the 9 offers requested by at least two delegations could ever run, so the seed's sixteen rounds would need repeated rounds the seed does not describe, and the 10 Table 1 agreements on offers requested by a single delegation (e.g. Colombia-Peru on RUBEN, Paraguay-Ecuador on social inclusion) could never have been discussed in a round; with 1, 19 requested offers compete for the 16 session-room slots, which is what makes sixteen rounds the binding figure.",
    "Row 1 (Bolivia <- Brazil, Differential Approach) -> BRA-social-development-policy: Brazil offered two programs; the food-security one (PAA) goes to row 2 (Food Security), so the differential-approach row takes Brazil's broad social-development policy experience (distinct pairs required).",
    "Rows 4, 5, 29, 38 ('International Seminar', supplier Brazil) -> BRA-social-development-policy: the seed does not describe the seminar; Brazil's policy-experience presentation is its only cross-cutting offer.",
    "Row 9 (Colombia <- Chile, Income Generation) -> CHL-yo-emprendo-semilla: three of Chile's four programs list income generation; Yo Emprendo Semilla is the permanent national self-employment program (the youth-employability project runs in the Dominican Republic, the livability program is about housing).",
    "Row 11 (Colombia <- Peru, Household Focalization System) -> PER-ruben: the single registry of beneficiaries, whose profile names the Household Targeting System (SISFOH) as an ally.",
    "Row 7 (Colombia <- Peru, Rights-based Approach) -> PER-ombudsman-children: the Peruvian offer whose objective is the exercise of children's rights.",
    "Row 12 (Colombia <- Bolivia, Childhood, Adolescence and Elderly) -> BOL-renta-dignidad: the row spans both Bolivian programs; PENNAT (children and youth) is already Colombia's row 6, so this row takes the old-age pension (distinct pairs required).",
    "Rows 16 and 33 (Differential Approach, supplier Panama) -> PAN-opportunity-network: Panama's only annex program (its target groups include ethnic groups).",
    "Row 18 (Ecuador <- Colombia, Food Security) and row 37 (Peru <- Colombia, Food Security) -> COL-resa, Colombia's food-security network (ReSA); the nutritional-recovery centres are the alternative.",
    "Row 19 (Ecuador <- 'More than 1', Multidimensional Poverty Indexes) -> COL-mpi; URY-mpi-rights is the other MPI offer. The seed says two of the sixteen rounds were on the MPI, which fits one round each for COL-mpi and URY-mpi-rights.",
    "Row 20 (Ecuador <- Colombia, 'More than 1 option') -> COL-sisben: Ecuador already requests three other Colombian offers; the RUBEN profile says Ecuador was developing a beneficiary registry, which makes Colombia's targeting system (SISBEN) the likeliest further interest.",
    "Row 22 (El Salvador <- Colombia, Family Support) -> COL-red-unidos: UNIDOS accompanies families in extreme poverty through 10,500 co-managers; COL-ethnic-families is the alternative.",
    "Row 25 (Guatemala <- Brazil, 'More than 1 option') and row 46 (Mesoamerican Project <- Brazil, 'More than one option') -> BRA-social-development-policy, Brazil's offer that spans several options (CCTs, social assistance, food security, productive inclusion).",
    "Row 26 (Guatemala <- Colombia, 'More than 1 option') -> COL-red-unidos, Colombia's multi-topic flagship and its most requested offer in Table 1.",
    "Row 27 (Honduras <- Brazil, Early Childhood Development) -> BRA-social-development-policy: Brazil's annex has no early-childhood program; the policy experience reports child-nutrition results (Bolsa Familia) and is the closest match.",
    "Row 28 (Honduras <- Bolivia, Differential Approach) and row 40 (Peru <- Bolivia, Early Childhood Development) -> BOL-pennat: Bolivia's annex has neither a differential-approach nor an early-childhood program; PENNAT (children and youth who work) is the closest match. Weak mappings.",
    "Row 31 (Panama <- Colombia, 'More than 1 option') -> COL-sisben: Panama already requests UNIDOS (row 30); its own program reports effective targeting as its first achievement, so Colombia's targeting system is the likeliest further interest.",
    "Row 34 (Paraguay <- El Salvador, Social Inclusion) -> SLV-urban-solidarity-communities (inclusion of marginalised urban families); SLV-our-elders-rights is the alternative.",
    "Row 35 (Paraguay <- Colombia, Interinstitutional Coordination) -> COL-ice: UNIDOS is already Paraguay's row 32; the ICE profile lists national-local and public-private institutional coordination among its achievements.",
    "Row 36 (Paraguay <- 'Panama - Ecuador', Social Inclusion) -> ECU-cnf: Paraguay already requests Panama's only offer (row 33); 'Growing with Our Family' has family and community social inclusion as its objective.",
    "Row 42 (Uruguay <- 'various', Multidimensional Poverty Indexes) -> COL-mpi, the only MPI offer not Uruguay's own.",
    "Rows 44-45 (MERCOSUR Social Institute <- 'Not Defined') -> URY-mpi-rights and BRA-paa: offers of MERCOSUR member states on the two topics; food security is one of the Institute's ongoing projects (Table 2).",
    "No Table 1 row was left unmapped: every supplying country named in Table 1 has at least one annex program (Guatemala, the only participant without an annex program, appears only as a demanding party).",
]


def build() -> dict:
    profiles = json.loads((ROOT / "programs/data/annex_profiles.json").read_text("utf-8"))
    profiles = profiles["profiles"]
    institutions = json.loads((ROOT / "portal/data/institutions.json").read_text("utf-8"))
    countries = json.loads((ROOT / "portal/data/countries.json").read_text("utf-8"))
    country_name = {c["iso3"]: c["name_en"] for c in countries}
    inst_by_key = {i["key"]: i for i in institutions}

    delegations = []
    for did, n in DELEGATES.items():
        if did in inst_by_key:
            name = inst_by_key[did]["name_en"]
            members = [did]
        else:
            name = country_name[did]
            members = [
                i["key"]
                for i in institutions
                if i["country"] == did and "participant" in i["roles"]
            ]
        delegations.append({"id": did, "name": name, "delegates": n, "institutions": members})

    offers = [
        {
            "id": p["external_id"],
            "owner": p["country"],
            "title": p["title_en"],
            "topics": p["topics"],
        }
        for p in profiles
    ]

    requests = []
    rank: dict[str, int] = {}
    for row, (demanding, _supplying, _topic, offer) in enumerate(TABLE_1, start=1):
        rank[demanding] = rank.get(demanding, 0) + 1
        requests.append(
            {"delegation": demanding, "offer": offer, "rank": rank[demanding], "row": row}
        )

    return {
        "format": "negotiation-rounds/1",
        "name": "Third Workshop on Social Policy and International Cooperation, Santa Marta, "
        "Colombia, 2012: negotiation rounds",
        "min_attendees": MIN_ATTENDEES,
        "sessions": SESSIONS,
        "rooms": [{"id": f"r{i}", "capacity": ROOM_CAPACITY} for i in range(1, 5)],
        "delegations": delegations,
        "offers": offers,
        "requests": requests,
        "pinned": [],
        "mapping_notes": MAPPING_NOTES,
    }


# ---------------------------------------------------------------------------
# Cooperation intentions (matchmaking/data/santa_marta_2012_intentions.json)
# ---------------------------------------------------------------------------

# Normalised topic key for each Table 1 topic wording (programs/data/vocabularies.json).
TOPIC_KEYS = {
    "Differential Approach": "differential_ethnic_approach",
    "Food Security": "food_security",
    "Red Unidos": "extreme_poverty_strategies",
    "International Seminar": "social_protection_systems",
    "Working Boys, Girls and Teenagers": "working_children",
    "Rights-based Approach": "rights_based_approach",
    "Multidimensional Poverty Indexes": "multidimensional_poverty_measurement",
    "Income Generation": "income_generation",
    "Household Focalization System": "household_targeting",
    "Childhood, Adolescence and Elderly": "life_cycle_approach",
    "Family Support": "family_support",
    "Habitability": "housing_and_habitability",
    "Early Childhood Development": "early_childhood_development",
    "Social Inclusion": "social_inclusion",
    "Interinstitutional Coordination": "interinstitutional_coordination",
    "Recruitment Prevention": "recruitment_prevention",
}
# Rows whose topic is "More than 1 option": the topic is inferred from the chosen offer.
INFERRED_TOPICS = {
    20: "household_targeting",
    25: "social_protection_systems",
    26: "extreme_poverty_strategies",
    31: "household_targeting",
    46: "social_protection_systems",
}
# Supplying party as a delegation id, a list of ids, or None when the seed names none.
SUPPLIER_IDS = {
    "Brazil": "BRA",
    "Colombia": "COL",
    "Bolivia": "BOL",
    "Peru": "PER",
    "Uruguay": "URY",
    "Chile": "CHL",
    "Panama": "PAN",
    "El Salvador": "SLV",
    "Panama - Ecuador": ["PAN", "ECU"],
    "More than 1": None,
    "various": None,
    "Not Defined": None,
}

# Table 3 of seed 003 (multi-select activity types; one mechanism and one focus per row,
# some rows unanswered). The per-row assignment below is SYNTHETIC: the seed publishes only
# the totals. It was made by hand so that every row's activity types are among those the
# supplying program lists as preferred exchange methods in the annex (workshops or the
# 'International Seminar' rows -> academic; expert visits or study tours -> expert_visits;
# videoconferences or information sharing -> virtual; internships -> internships), and so
# that the totals equal Table 3 exactly.
TABLE_3 = {
    "activity_types": {
        "academic": 29,
        "expert_visits": 18,
        "virtual": 15,
        "internships": 11,
        "study_tours": 0,
        "information_sharing": 0,
    },
    "mechanisms": {"inter_institutional": 30, "regional_program": 9, "other": 4},
    "focus": {"general": 29, "specific_component": 9},
}
TABLE_3_LABELS = {
    "academic": "Academic activities",
    "expert_visits": "Expert visits",
    "virtual": "Virtual activities",
    "internships": "Internships",
    "study_tours": "Study tours (not a Table 3 category)",
    "information_sharing": "Information sharing (not a Table 3 category)",
    "inter_institutional": "Inter-institutional and bilateral agreements",
    "regional_program": "Regional programs",
    "other": "Other",
    "general": "General aspects of the program",
    "specific_component": "Specific components of the program",
}
AC, EV, VI, IN = "academic", "expert_visits", "virtual", "internships"
ACTIVITIES = {
    1: [AC, VI],
    2: [EV],
    3: [AC, IN],
    4: [AC],
    5: [AC],
    6: [EV],
    7: [EV, IN],
    8: [AC, VI],
    9: [EV, VI, IN],
    10: [EV],
    11: [AC, EV, VI],
    12: [AC],
    13: [IN],
    14: [AC, EV],
    15: [AC, EV],
    16: [AC, VI],
    17: [AC, IN],
    18: [EV],
    19: [AC, VI],
    20: [AC],
    21: [IN],
    22: [AC],
    23: [EV, IN],
    24: [AC, VI],
    25: [AC],
    26: [AC],
    27: [AC, VI],
    28: [EV],
    29: [AC],
    30: [AC, IN],
    31: [AC, EV],
    32: [AC, IN],
    33: [EV, VI],
    34: [AC, EV, VI],
    35: [EV, VI],
    36: [IN],
    37: [AC],
    38: [AC],
    39: [IN],
    40: [EV],
    41: [AC, EV],
    42: [AC, VI],
    43: [EV],
    44: [AC, VI],
    45: [VI],
    46: [AC, VI],
}
# Mechanism: regional programs for the subregional mechanisms' own rows (44-46), for the
# rows with several or unnamed suppliers (19, 36, 42) and for three Central American rows
# supplied by Colombia, whose Regional Cooperation Program with Mesoamerica (Table 2) works
# on targeting (31), local program management (22) and several areas at once (26);
# 'other' for the four 'International Seminar' rows (an event, not an agreement); three
# rows unanswered; every other row inter-institutional/bilateral.
REGIONAL_ROWS = {19, 22, 26, 31, 36, 42, 44, 45, 46}
OTHER_MECHANISM_ROWS = {4, 5, 29, 38}
NO_MECHANISM_ROWS = {20, 25, 28}
# Focus: unanswered where the program itself is open ('More than 1 option', 'various',
# 'Not Defined'); a specific component where the row's topic points at one part of the
# chosen program (component named after the program's own achievements in the annex).
NO_FOCUS_ROWS = {20, 25, 26, 31, 42, 44, 45, 46}
SPECIFIC_COMPONENTS = {
    6: "Psycho-pedagogical and psychological support for working children (PENNAT)",
    9: "Application, diagnostic and selection process for participants (Yo Emprendo Semilla)",
    11: "Single registry of beneficiaries to reduce leakage and undercoverage (RUBEN)",
    14: "Intercultural awareness for public servants on the differentiated ethnic approach",
    18: "Small-scale food production for home consumption (ReSA plots)",
    22: "Family accompaniment by UNIDOS co-managers",
    23: "Technical assistance model for housing improvements (Livability program)",
    35: "National-local and public-private institutional coordination (ICE)",
    41: "Identification of risk factors and risk-based assistance routes",
}
# SYNTHETIC: the seed says the IASPN technical secretariat chose two of the activities for
# IASPN funding but does not say which.
SELECTED_FOR_FUNDING = [23, 41]

INTENTION_NOTES = [
    "Source: seed 003, Table 1 (46 preliminary cooperation agreements: demanding party, supplying party, topic, in the seed's order) and Table 3 (types of cooperation activities: totals only).",
    "row, demanding, supplying_text and topic_text reproduce Table 1; supplying is the delegation id (ISO alpha-3 or institution key), a list for 'Panama - Ecuador', and null where the seed names no supplier ('More than 1', 'various', 'Not Defined').",
    "topic is the normalised key of the Table 1 topic; for the five 'More than 1 option' rows (20, 25, 26, 31, 46) it is inferred from the chosen offer.",
    "offer is the annex program chosen for the row; it equals the request of the same row in santa_marta_2012.json, whose mapping_notes explain every choice.",
    "activity_types, mechanism, focus and focus_component are SYNTHETIC: the seed gives only Table 3's totals. The per-row assignment reproduces them exactly (academic 29, expert visits 18, virtual 15, internships 11, study tours and information sharing 0; inter-institutional/bilateral 30, regional programs 9, other 4, unanswered 3; general 29, specific components 9, unanswered 8). Rules: activity types are drawn from the supplying program's preferred exchange methods; regional programs for the subregional mechanisms' rows, the multi-supplier rows and three Central American rows supplied by Colombia (its Regional Cooperation Program with Mesoamerica, Table 2); 'other' for the International Seminar rows; focus unanswered where the program is left open; components named after the program's own annex achievements.",
    "selected_for_funding is SYNTHETIC: the seed says two activities were chosen for IASPN funding (funded through an IASPN project supported by the U.S. Department of State) without naming them; rows 23 (El Salvador <- Chile, Habitability) and 41 (Peru <- Colombia, Recruitment Prevention) are picked as bilateral, component-specific activities with expert visits.",
]


def build_intentions() -> dict:
    intentions = []
    for row, (demanding, supplying, topic, offer) in enumerate(TABLE_1, start=1):
        if row in REGIONAL_ROWS:
            mechanism = "regional_program"
        elif row in OTHER_MECHANISM_ROWS:
            mechanism = "other"
        elif row in NO_MECHANISM_ROWS:
            mechanism = None
        else:
            mechanism = "inter_institutional"
        if row in NO_FOCUS_ROWS:
            focus = None
        elif row in SPECIFIC_COMPONENTS:
            focus = "specific_component"
        else:
            focus = "general"
        intentions.append(
            {
                "row": row,
                "demanding": demanding,
                "supplying": SUPPLIER_IDS[supplying],
                "supplying_text": supplying,
                "topic_text": topic,
                "topic": INFERRED_TOPICS.get(row) or TOPIC_KEYS[topic],
                "offer": offer,
                "activity_types": ACTIVITIES[row],
                "mechanism": mechanism,
                "focus": focus,
                "focus_component": SPECIFIC_COMPONENTS.get(row),
            }
        )
    return {
        "source": "Seed 003: Third Workshop on Social Policy and International Cooperation, Santa Marta, Colombia, 2012 (OAS/IASPN), Tables 1 and 3.",
        "notes": INTENTION_NOTES,
        "table_3": {
            group: [
                {"key": k, "label_en": TABLE_3_LABELS[k], "count": n} for k, n in counts.items()
            ]
            for group, counts in TABLE_3.items()
        },
        "selected_for_funding": SELECTED_FOR_FUNDING,
        "intentions": intentions,
    }


def main() -> None:
    instance = build()
    INSTANCE.write_text(json.dumps(instance, ensure_ascii=False, indent=2) + "\n", "utf-8")
    intentions = build_intentions()
    INTENTIONS.write_text(json.dumps(intentions, ensure_ascii=False, indent=2) + "\n", "utf-8")


if __name__ == "__main__":
    main()
