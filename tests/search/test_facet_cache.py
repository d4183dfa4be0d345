"""The database backend's in-memory facet data: counts and date order from NumPy snapshots,
kept current by catching up from the change log instead of reloading everything."""

import datetime

import numpy as np
import pytest
from django.db import transaction

from search.backends.database import DatabaseBackend, _facet_cache
from search.backends.facet_cache import FacetData, IndexVersion, RecentMatches
from search.models import SearchChange, SearchEntry
from tests.search.corpus import corpus, document

V1 = IndexVersion("e", 1, "t1")
V2 = IndexVersion("e", 2, "t2")


def snapshot():
    return FacetData.build(
        V1,
        entry_rows=[(1, 20120301), (2, 20080101), (4, 20150201)],
        facet_rows=[(1, "country", "COL"), (2, "country", "BOL"), (4, "country", "COL"),
                    (4, "topic", "nutrition")],
    )


def test_counts_only_live_entries_of_the_mask():
    data = snapshot()
    everything = data.live.copy()
    assert data.counts("country", everything) == {"COL": 2, "BOL": 1}
    assert data.counts("topic", everything) == {"nutrition": 1}
    only_colombia = data.mask_of_values("country", ["COL"]) & everything
    assert np.flatnonzero(only_colombia).tolist() == [1, 4]
    assert data.counts("missing", everything) == {}


def test_an_update_replaces_exactly_the_changed_entries():
    data = snapshot()
    # Entry 2 removed, entry 4 re-tagged, entry 9 added (beyond the old arrays).
    updated = data.updated(V2, {2, 4, 9}, entry_rows=[(4, 20150201), (9, 20200101)],
                           facet_rows=[(4, "country", "PER"), (9, "country", "BOL"),
                                       (9, "year", "2020")])
    everything = updated.live.copy()
    assert np.flatnonzero(everything).tolist() == [1, 4, 9]
    assert updated.counts("country", everything) == {"COL": 1, "PER": 1, "BOL": 1}
    assert updated.counts("topic", everything) == {}
    assert updated.counts("year", everything) == {"2020": 1}
    # The old snapshot, which other threads may still read, is untouched.
    assert data.counts("country", data.live.copy()) == {"COL": 2, "BOL": 1}


def test_page_by_date_is_newest_first_then_highest_id():
    data = FacetData.build(V1, [(1, 20120301), (2, 20150201), (3, 20150201), (5, 10101)], [])
    mask = data.live.copy()
    assert data.page_by_date(mask, 0, 10) == [3, 2, 1, 5]
    assert data.page_by_date(mask, 1, 2) == [2, 1]
    assert data.page_by_date(mask, 4, 2) == []


@pytest.fixture
def backend(db):
    backend = DatabaseBackend()
    backend.rebuild(corpus())
    backend.query("")  # a first query loads everything
    return backend


def loads(action):
    """(full loads, catch-ups) that `action` caused."""
    before = (_facet_cache.full_loads, _facet_cache.catch_ups)
    action()
    return (_facet_cache.full_loads - before[0], _facet_cache.catch_ups - before[1])


def country_counts(backend, text=""):
    results = backend.query(text, facets=["country"], per_page=100)
    return {item.value: item.count for item in results.facets["country"]}


def test_a_write_is_caught_up_from_the_change_log(backend):
    before = country_counts(backend)
    backend.index([document("program", 77, "en", "Youth employment", "Jobs", country="ARG")])
    assert loads(lambda: country_counts(backend)) == (0, 1)
    assert country_counts(backend) == {**before, "ARG": 1}
    backend.remove("program", [77])
    backend.remove("program", [1])
    assert loads(lambda: country_counts(backend)) == (0, 1)
    assert before["COL"] == 2  # program 1 in English and Spanish
    assert country_counts(backend) == {key: value for key, value in before.items()
                                       if key != "COL"}
    assert backend.query("youth").total == 0


def test_a_rolled_back_write_seen_inside_its_transaction_is_forgotten(backend):
    before = country_counts(backend)
    with pytest.raises(RuntimeError), transaction.atomic():
        backend.index([document("program", 78, "en", "Doomed entry", country="URY")])
        assert country_counts(backend)["URY"] == 1
        raise RuntimeError("rolled back")
    # The process holds a version that was never committed: it reloads everything.
    assert loads(lambda: country_counts(backend)) == (1, 0)
    assert country_counts(backend) == before
    # A later write reuses the rolled-back generation with another token: not confused.
    backend.index([document("program", 79, "en", "Kept entry", country="PRY")])
    assert country_counts(backend) == {**before, "PRY": 1}


def test_a_rebuild_or_a_pruned_log_reloads_everything(backend):
    backend.rebuild(corpus())
    assert loads(lambda: country_counts(backend)) == (1, 0)
    backend.index([document("program", 80, "en", "Another entry", country="ECU")])
    SearchChange.objects.all().delete()
    assert loads(lambda: country_counts(backend)) == (1, 0)
    assert country_counts(backend)["ECU"] == 1


def test_each_write_logs_the_entries_it_touched(backend):
    backend.index([document("program", 81, "en", "Logged entry", country="CRI")])
    added = SearchEntry.objects.get(key="program:81:en").pk
    backend.index([document("program", 81, "en", "Logged entry, edited", country="CRI")])
    replaced = SearchEntry.objects.get(key="program:81:en").pk
    last_two = list(SearchChange.objects.order_by("-generation")[:2])
    assert last_two[1].entry_ids == [added]
    assert last_two[0].entry_ids == sorted([added, replaced])
    assert last_two[0].generation == last_two[1].generation + 1


def test_every_query_word_in_the_title_ranks_before_the_body_only(db):
    backend = DatabaseBackend()
    backend.rebuild([
        document("program", 1, "en", "Nutrition survey",
                 "School meals school meals school meals school meals everywhere."),
        document("program", 2, "en", "School meals in the Andes", "A short note."),
        document("program", 3, "en", "School meals", "Exact title."),
        document("program", 4, "en", "Older people", "Meals, not at school."),
    ])
    results = backend.query("school meals")
    assert [hit.object_id for hit in results.hits] == ["3", "2", "1", "4"]
    second_page = backend.query("school meals", per_page=2, page=2)
    assert [hit.object_id for hit in second_page.hits] == ["1", "4"]
    filtered = backend.query("school meals", filters={"content_type": ["program"]}, per_page=3)
    assert [hit.object_id for hit in filtered.hits] == ["3", "2", "1"]


def test_date_order_from_memory_matches_the_stored_dates(backend):
    d = datetime.date
    backend.index([document("program", 90, "en", "Same day one", date=d(2015, 2, 1)),
                   document("program", 91, "en", "Same day two", date=d(2015, 2, 1))])
    results = backend.query("", sort="date", per_page=100)
    expected = list(SearchEntry.objects.order_by("-sort_date", "-id").values_list("key", flat=True))
    assert [hit.key for hit in results.hits] == expected


def test_recent_matches_are_reused_until_the_next_write(backend):
    assert backend.query("youth").total == 0
    backend.index([document("program", 82, "en", "Youth employment", country="ARG")])
    assert backend.query("youth").total == 1
    assert backend.query("youth", filters={"country": ["ARG"]}).total == 1
    backend.remove("program", [82])
    assert backend.query("youth").total == 0


def test_recent_matches_keep_the_most_recently_used():
    cache = RecentMatches(size=2)
    computed = []

    def compute(value):
        def run():
            computed.append(value)
            return value
        return run

    assert cache.get("default", V1, "a", compute("A")) == "A"
    assert cache.get("default", V1, "b", compute("B")) == "B"
    assert cache.get("default", V1, "a", compute("A again")) == "A"
    assert cache.get("default", V1, "c", compute("C")) == "C"  # evicts b, the least recent
    assert cache.get("default", V1, "b", compute("B again")) == "B again"
    assert cache.get("default", V2, "a", compute("A at v2")) == "A at v2"
    assert computed == ["A", "B", "C", "B again", "A at v2"]
