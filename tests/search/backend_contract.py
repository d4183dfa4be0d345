"""The behaviour every search backend must show, run against each one (as django-modelsearch
does): subclasses provide a `backend` fixture holding an empty index."""

import pytest

from tests.search.corpus import corpus, expected_counts, matches

ALL_FACETS = ["content_type", "country", "topic", "target_population", "status", "sector",
              "macrozone", "support_type", "language", "year"]

# Inputs that break naive query building (FTS syntax, quotes, operators, control characters).
NASTY_INPUTS = [
    '"', '"pension', "pension\"", "'", "''", "(", ")", "((pension", "pension*", "*", "-",
    "-pension", "NOT", "AND OR NOT", "pension AND", "NEAR(a b)", "title:pension",
    "{title body}:x", "^pension", "pension:*", "a & b | !c", "\\", "%", "%%s", "_", "\x00",
    "\x1b[31m", "\u200b", "   ", "\t\n", "🙂", "👩🏽‍🌾 pensión", "ǅ", "ß", "İ", "ﬁ", "日本語",
    "a" * 10_000, "pension " * 2000, "<script>alert(1)</script>", "SELECT * FROM x; --",
    "'; DROP TABLE search_searchentry; --", "1e5", "2012-2015", "+++", "~pension", "pen?ion",
]


class BackendContract:
    @pytest.fixture
    def indexed(self, backend):
        backend.index(corpus())
        return backend

    @staticmethod
    def keys(results):
        return [hit.key for hit in results.hits]

    def all_keys(self, backend, text="", filters=None):
        results = backend.query(text, filters=filters, per_page=100)
        return set(self.keys(results))

    def test_empty_query_lists_everything_newest_first(self, indexed):
        results = indexed.query("", per_page=100)
        assert results.total == len(corpus())
        dates = [hit.date for hit in results.hits if hit.date]
        assert dates == sorted(dates, reverse=True)

    def test_spanish_plural_finds_singular_and_english(self, indexed):
        assert {"program:2:es", "program:2:en"} <= self.all_keys(indexed, "pensiones")
        assert {"program:2:es", "program:2:en"} <= self.all_keys(indexed, "pensión")

    def test_accents_do_not_matter_either_way(self, indexed):
        with_tilde = self.all_keys(indexed, "niñez")
        without = self.all_keys(indexed, "ninez")
        assert {"program:3:es", "program:4:es"} <= with_tilde
        assert with_tilde == without
        assert "program:4:es" in self.all_keys(indexed, "educación")

    def test_exact_title_ranks_first(self, indexed):
        results = indexed.query("School meals")
        assert results.total >= 2
        assert results.hits[0].key == "library_document:21:en"
        assert "library_document:20:en" in self.keys(results)

    def test_spanish_query_finds_the_spanish_translation(self, indexed):
        keys = self.all_keys(indexed, "transferencias para personas mayores")
        assert "program:1:es" in keys

    def test_english_stemming(self, indexed):
        assert "program:1:en" in self.all_keys(indexed, "transfer")
        assert "library_document:20:en" in self.all_keys(indexed, "evaluations")

    def test_every_word_is_required(self, indexed):
        assert self.all_keys(indexed, "pobreza multidimensional") == {"articulator:11:es"}

    @pytest.mark.parametrize("filters", [
        {"country": ["COL"]},
        {"country": ["COL", "BOL"]},
        {"country": ["COL", "BOL"], "topic": ["pensions"]},
        {"content_type": ["articulator"], "support_type": ["training", "financing"]},
        {"language": ["en"], "year": ["2008", "2016", "2024"]},
    ])
    def test_filters_or_within_a_facet_and_across_facets(self, indexed, filters):
        expected = {doc.key for doc in corpus() if matches(doc, filters)}
        assert self.all_keys(indexed, "", filters) == expected

    @pytest.mark.parametrize(("text", "text_matches"), [
        ("", None),
        ("pobreza", {"articulator:10:es", "articulator:11:es"}),
        ("older", {"program:1:en", "program:2:en"}),
    ])
    @pytest.mark.parametrize("filters", [
        {},
        {"country": ["CHL"]},
        {"country": ["CHL", "PER"], "language": ["es"]},
        {"topic": ["nutrition"], "year": ["2016", "2019"]},
    ])
    def test_facet_counts_equal_independent_counts(self, indexed, text, text_matches, filters):
        documents = [doc for doc in corpus() if text_matches is None or doc.key in text_matches]
        results = indexed.query(text, filters=filters, facets=ALL_FACETS, per_page=100)
        assert results.total == sum(1 for doc in documents if matches(doc, filters))
        for facet in ALL_FACETS:
            counted = {item.value: item.count for item in results.facets[facet]}
            assert counted == expected_counts(documents, filters, facet), facet

    def test_sort_by_date_and_by_relevance(self, indexed):
        by_date = indexed.query("nutrition school meals rural", sort="date", per_page=100)
        relevant = indexed.query("school meals", sort="relevance", per_page=100)
        dates = [hit.date for hit in by_date.hits]
        assert dates == sorted(dates, reverse=True)
        assert relevant.hits[0].key == "library_document:21:en"
        by_date = indexed.query("school meals", sort="date")
        assert [hit.date for hit in by_date.hits] == sorted(
            [hit.date for hit in by_date.hits], reverse=True)

    def test_pages_do_not_overlap_and_cover_everything(self, indexed):
        first = indexed.query("", per_page=4, page=1)
        second = indexed.query("", per_page=4, page=2)
        third = indexed.query("", per_page=4, page=3)
        keys = self.keys(first) + self.keys(second) + self.keys(third)
        assert first.pages == 3
        assert len(keys) == len(set(keys)) == len(corpus())
        assert indexed.query("", per_page=4, page=99).hits == []

    def test_highlights_mark_matches_and_escape_everything_else(self, indexed):
        results = indexed.query("feeding")
        hit = next(hit for hit in results.hits if hit.key == "library_document:21:en")
        assert "<mark>feeding</mark>" in hit.snippet_html
        assert "<script>" not in hit.snippet_html
        assert "&lt;script&gt;" in hit.snippet_html
        titled = indexed.query("dignidad").hits[0]
        assert "<mark>Dignidad</mark>" in titled.title_html

    def test_suggest_completes_prefixes_accent_insensitively(self, indexed):
        titles = [item.title for item in indexed.suggest("renta dig")]
        assert titles and all(title.startswith("Renta Dignidad") for title in titles)
        assert "Atencion a la ninez rural" in [item.title for item in indexed.suggest("niñ")]
        assert indexed.suggest("zzzzqx") == []

    def test_spelling_suggestion_when_nothing_matches(self, indexed):
        results = indexed.query("pensoines")
        assert results.total == 0
        assert results.suggestion
        assert indexed.query(results.suggestion).total > 0
        assert indexed.query("pension").suggestion is None

    def test_remove_takes_every_language_of_an_object(self, indexed):
        indexed.remove("program", ["1"])
        keys = self.all_keys(indexed)
        assert "program:1:en" not in keys and "program:1:es" not in keys
        assert "program:2:en" in keys

    def test_replace_writes_exactly_the_new_documents(self, indexed):
        [new] = [doc for doc in corpus() if doc.key == "program:1:en"]
        new.title = "Cash transfers renamed"
        indexed.replace("program", "1", [new])
        assert self.all_keys(indexed, "renamed") == {"program:1:en"}
        assert "program:1:es" not in self.all_keys(indexed)
        indexed.replace("program", "1", [])
        assert "program:1:en" not in self.all_keys(indexed)

    def test_rebuild_replaces_the_whole_index(self, indexed):
        kept = [doc for doc in corpus() if doc.content_type == "articulator"]
        progress = []
        assert indexed.rebuild(iter(kept), progress=progress.append) == len(kept)
        assert sum(progress) == len(kept)
        assert self.all_keys(indexed) == {doc.key for doc in kept}
        assert indexed.count() == len(kept)

    @pytest.mark.parametrize("text", NASTY_INPUTS, ids=range(len(NASTY_INPUTS)))
    def test_any_input_gives_results_or_nothing(self, indexed, text):
        results = indexed.query(text, filters={"country": [text]}, facets=ALL_FACETS,
                                sort=text, page=text)
        assert results.total >= 0
        unfiltered = indexed.query(text)
        assert unfiltered.total >= 0
        assert isinstance(indexed.suggest(text), list)
