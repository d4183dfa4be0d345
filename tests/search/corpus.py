"""A small bilingual corpus every backend is tested on, and independent reference answers."""

import datetime

from search.documents import SearchDocument


def document(content_type, object_id, language, title, body="", *, summary="", date=None,
             **facets):
    doc = SearchDocument(
        title=title, url=f"/{language}/{content_type}/{object_id}/", language=language,
        body=body, summary=summary, date=date,
        facets={name: values if isinstance(values, list) else [values]
                for name, values in facets.items()},
    )
    doc.content_type = content_type
    doc.object_id = str(object_id)
    return doc


def corpus():
    d = datetime.date
    return [
        document("program", 1, "en", "Conditional cash transfers for rural elderly people",
                 "Monthly cash transfers to older persons living in rural areas, tied to "
                 "health check-ups.", date=d(2012, 3, 1), country="COL",
                 topic="conditional_cash_transfers", target_population="older_persons",
                 status="implementation", year="2012"),
        document("program", 1, "es", "Transferencias condicionadas para personas mayores rurales",
                 "Transferencias monetarias mensuales a personas mayores que viven en zonas "
                 "rurales, sujetas a controles de salud.", date=d(2012, 3, 1), country="COL",
                 topic="conditional_cash_transfers", target_population="older_persons",
                 status="implementation", year="2012"),
        document("program", 2, "es", "Renta Dignidad: pensión no contributiva",
                 "Pensión universal no contributiva para las personas adultas mayores de "
                 "Bolivia.", date=d(2008, 1, 1), country="BOL", topic="pensions",
                 target_population="older_persons", status="implementation", year="2008"),
        document("program", 2, "en", "Renta Dignidad: non-contributory pension",
                 "Universal non-contributory pensions for older adults in Bolivia.",
                 date=d(2008, 1, 1), country="BOL", topic="pensions",
                 target_population="older_persons", status="implementation", year="2008"),
        document("program", 3, "es", "Chile Crece Contigo",
                 "Sistema de protección integral a la niñez temprana.", date=d(2007, 6, 1),
                 country="CHL", topic="early_childhood_development",
                 target_population="children", status="closed", year="2007"),
        document("program", 4, "es", "Atencion a la ninez rural",
                 "Programa escrito sin tildes: ninez, educacion y nutricion.",
                 date=d(2015, 2, 1), country="PER", topic="nutrition",
                 target_population="children", status="design", year="2015"),
        document("articulator", 10, "es", "Fundación del Sur",
                 "Financia pilotos de innovación social en pobreza en la zona sur.",
                 country="CHL", sector="private", macrozone="south", support_type="financing"),
        document("articulator", 11, "es", "Universidad del Norte",
                 "Investigación aplicada sobre pobreza multidimensional.", country="CHL",
                 sector="academia", macrozone="north", support_type=["research", "training"]),
        document("library_document", 20, "en", "Evaluation report of the school meals program",
                 "An impact evaluation of school feeding in Peru. Meals improved attendance.",
                 date=d(2016, 5, 1), country="PER", topic="nutrition", year="2016"),
        document("library_document", 21, "en", "School meals",
                 "A short note about <script>alert('x')</script> feeding children at school.",
                 date=d(2019, 9, 1), country="PER", topic="nutrition", year="2019"),
        document("page", 30, "en", "About the network",
                 "The network connects ministries of social development.", date=d(2024, 1, 1),
                 year="2024"),
    ]


def matches(doc, filters):
    """Independent reading of the facet semantics: OR within a facet, AND across facets."""
    pairs = set(doc.facet_values())
    return all(any((facet, value) in pairs for value in values)
               for facet, values in filters.items())


def expected_counts(documents, filters, facet):
    """Counts of `facet` over `documents` matching every filter except the facet's own."""
    others = {name: values for name, values in filters.items() if name != facet}
    counts = {}
    for doc in documents:
        if matches(doc, others):
            for name, value in doc.facet_values():
                if name == facet:
                    counts[value] = counts.get(value, 0) + 1
    return counts
