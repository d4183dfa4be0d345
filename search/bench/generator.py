"""A deterministic generator of realistic program profiles and articulators, in Spanish and
English, built from the project's vocabularies (the same seed gives the same documents)."""

import datetime
import json
import random
from pathlib import Path

from search.documents import SearchDocument

ROOT = Path(__file__).resolve().parents[2]


def _load(path):
    return json.loads((ROOT / path).read_text())


VOCABULARIES = _load("programs/data/vocabularies.json")
REGISTRY = _load("programs/data/registry_vocabularies.json")
COUNTRIES = _load("portal/data/countries.json")

PROGRAM_WORDS = {
    "en": {
        "kinds": ["program", "strategy", "initiative", "network", "fund", "pilot", "system"],
        "adjectives": ["National", "Regional", "Municipal", "Comprehensive", "Rural", "Urban",
                       "Community", "Integrated", "Territorial", "Inclusive"],
        "sentences": [
            "The {kind} supports {population} through {topic}.",
            "It was designed by the ministry with local governments and civil society.",
            "Monthly transfers reach {number} households in {place}.",
            "An impact evaluation found better school attendance and health check-ups.",
            "Beneficiaries receive family support visits and job training.",
            "Coordination with health and education services is a core component.",
            "The {kind} uses a single registry of beneficiaries to target the poorest.",
            "Lessons learned include community participation and strong monitoring.",
            "Cooperation with other countries focused on {topic} and evaluation.",
        ],
        "of": "for",
    },
    "es": {
        "kinds": ["programa", "estrategia", "iniciativa", "red", "fondo", "piloto", "sistema"],
        "adjectives": ["Nacional", "Regional", "Municipal", "Integral", "Rural", "Urbano",
                       "Comunitario", "Integrado", "Territorial", "Inclusivo"],
        "sentences": [
            "El {kind} apoya a {population} mediante {topic}.",
            "Fue diseñado por el ministerio con gobiernos locales y la sociedad civil.",
            "Las transferencias mensuales llegan a {number} hogares en {place}.",
            "Una evaluación de impacto encontró mejor asistencia escolar y controles de salud.",
            "Las personas beneficiarias reciben acompañamiento familiar y capacitación laboral.",
            "La coordinación con los servicios de salud y educación es un componente central.",
            "El {kind} usa un registro único de beneficiarios para focalizar a los más pobres.",
            "Las lecciones aprendidas incluyen la participación comunitaria y el monitoreo.",
            "La cooperación con otros países se centró en {topic} y en la evaluación.",
        ],
        "of": "para",
    },
}
ORGANISATION_KINDS = {
    "es": ["Fundación", "Corporación", "Universidad", "Centro", "Asociación", "Cooperativa"],
    "en": ["Foundation", "Corporation", "University", "Centre", "Association", "Cooperative"],
}
ORGANISATION_NAMES = ["del Sur", "Andina", "Horizonte", "Esperanza", "Nuevo Norte", "Raíces",
                      "Puente", "Semilla", "Comunidad Activa", "Innovación Social", "Austral",
                      "Los Lagos", "Araucanía", "Pacífico", "Valle Central"]
MACROZONES = ["north_centre", "centre_south", "south_austral"]


def _program(rng, number, language):
    words = PROGRAM_WORDS[language]
    topic = rng.choice(VOCABULARIES["topics"])
    population = rng.choice(VOCABULARIES["target_populations"])
    country = rng.choice(COUNTRIES)
    topic_name = topic[f"name_{language}"]
    population_name = population[f"name_{language}"]
    place = country[f"name_{language}"]
    kind = rng.choice(words["kinds"])
    title = (f"{rng.choice(words['adjectives'])} {kind} {words['of']} "
             f"{population_name.lower()}: {topic_name.lower()} {number}")
    sentences = [topic[f"description_{language}"]]
    for template in rng.sample(words["sentences"], k=rng.randint(4, 7)):
        sentences.append(template.format(kind=kind, population=population_name.lower(),
                                         topic=topic_name.lower(), place=place,
                                         number=rng.randint(500, 900_000)))
    year = rng.randint(2000, 2025)
    return SearchDocument(
        title=title, url=f"/{language}/programs/{number}/", language=language,
        body=" ".join(sentences), summary=sentences[0], date=datetime.date(year, 1, 1),
        facets={"country": [country["iso3"]], "topic": [topic["key"]],
                "target_population": [population["key"]],
                "status": [rng.choice(VOCABULARIES["statuses"])["key"]],
                "exchange_method": [m["key"] for m in rng.sample(
                    VOCABULARIES["exchange_methods"], k=2)],
                "year": [str(year)]},
        content_type="program", object_id=str(number),
    )


def _articulator(rng, number):
    language = "es"
    sector = rng.choice(REGISTRY["sectors"])
    supports = rng.sample(REGISTRY["support_types"], k=2)
    poverty = rng.choice(REGISTRY["poverty_topics"])
    name = (f"{rng.choice(ORGANISATION_KINDS[language])} {rng.choice(ORGANISATION_NAMES)} "
            f"{number}")
    body = (f"Organización del {sector['name_es'].lower()} que trabaja en "
            f"{poverty['name_es'].lower()}. Ofrece {supports[0]['name_es'].lower()} y "
            f"{supports[1]['name_es'].lower()} a emprendimientos sociales de la zona, "
            "financia pilotos de innovación social y articula alianzas con municipios.")
    return SearchDocument(
        title=name, url=f"/es/registry/{number}/", language=language, body=body,
        facets={"country": ["CHL"], "sector": [sector["key"]],
                "support_type": [support["key"] for support in supports],
                "macrozone": [rng.choice(MACROZONES)]},
        content_type="articulator", object_id=str(number),
    )


def generate(count, seed=2026):
    """`count` documents: 80% program profiles (half English, half Spanish), 20% articulators."""
    rng = random.Random(seed)
    documents = []
    for number in range(1, count + 1):
        if number % 5 == 0:
            documents.append(_articulator(rng, number))
        else:
            documents.append(_program(rng, number, "en" if number % 2 else "es"))
    return documents


def query_mix(count, seed=7):
    """Queries people type: one to three topic or population words, in either language, a
    third of them with a country filter and a tenth browsing by filters only."""
    rng = random.Random(seed)
    vocabulary = []
    for topic in VOCABULARIES["topics"]:
        for language in ("en", "es"):
            vocabulary.extend(word for word in topic[f"name_{language}"].lower().split()
                              if len(word) > 3)
    for population in VOCABULARIES["target_populations"]:
        vocabulary.extend(word for word in population["name_es"].lower().split() if len(word) > 3)
    vocabulary += ["evaluación", "evaluation", "rural", "pensiones", "pension", "niñez",
                   "transferencias", "transfers", "school", "escolar", "salud", "health"]
    queries = []
    for _ in range(count):
        roll = rng.random()
        filters = {}
        if roll < 0.1:
            text = ""
            filters = {"country": [rng.choice(COUNTRIES)["iso3"]]}
        else:
            text = " ".join(rng.sample(vocabulary, k=rng.choice([1, 1, 2, 2, 3])))
            if roll < 0.4:
                filters = {"country": [rng.choice(COUNTRIES)["iso3"]]}
        queries.append((text, filters))
    return queries
