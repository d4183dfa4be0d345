"""The database backend: no server beyond the portal's own database.

Both databases receive the same analysed text (`search.text`: Snowball stems in the
document's language, accents folded), so they behave alike:

- **SQLite**: an FTS5 table `search_fts` (rowid = `SearchEntry.id`) with four columns: title
  and body terms (ranked by bm25, title weighted 10:1), the title's plain words (prefix
  completion) and opaque facet tokens (filters). The `ascii` tokenizer splits on spaces
  only, so FTS5 sees exactly the words this module produced.
- **PostgreSQL**: a table `search_pgvector` with a GIN-indexed, weighted tsvector (title A,
  body B) and the title's terms alone (to tell the relevance tiers apart), kept narrow since
  a common word reads most of its rows; the title's plain words (prefix completion) in
  `search_pgtitle`, GIN-indexed. Facets are filtered and counted in memory on both.
  Vectors and queries are written as tsvector/tsquery *literals* built from analysed words,
  so PostgreSQL's own parser never sees user input.

A user's words only ever reach SQL as quoted terms built from `[^\\W_]+` runs (see
`search.text.parse_query`): no operator, quote or column name typed by a user survives.
"""

import datetime
import hashlib
import json
import uuid
from collections import Counter
from itertools import islice

import numpy as np
from django.core.exceptions import ImproperlyConfigured
from django.db import connections, transaction

from search.backends.base import FacetCount, Hit, SearchBackend, SearchResults, Suggestion
from search.backends.facet_cache import NO_VERSION, FacetCache, IndexVersion, RecentMatches
from search.models import SearchChange, SearchEntry, SearchFacetValue, SearchState
from search.text import (
    STOP_WORDS,
    clean_query_text,
    has_match,
    highlight,
    index_terms,
    parse_query,
    words,
)

UNDATED = datetime.date(1, 1, 1)
TITLE_WEIGHT, BODY_WEIGHT = 10.0, 1.0
MAX_TERMS = 16_000  # PostgreSQL positions stop at 16,383
MAX_STORED_BODY = 200_000
BATCH_SIZE = 500
# Writers keep this many generations of the change log for processes catching up.
CHANGES_KEPT = 1000
MAX_EXACT_TITLES = 1000
ENTRY_COLUMNS = ("id, key, content_type, object_id, language, title, title_key, summary, body,"
                 " url, date, sort_date, facets")
ENTRY_COLUMN_COUNT = len(ENTRY_COLUMNS.split(","))
_facet_cache = FacetCache()
_recent_matches = RecentMatches()


def facet_token(facet, value):
    """An opaque, collision-free, alphanumeric token for one facet value."""
    digest = hashlib.blake2b(f"{facet}\0{value}".encode(), digest_size=10).hexdigest()
    return f"f{digest}"


def title_key(title):
    return " ".join(words(title))[:255]


def chunked(iterable, size):
    iterator = iter(iterable)
    while batch := list(islice(iterator, size)):
        yield batch


class _Prepared:
    """A document analysed once, ready to be written to either database."""

    __slots__ = ("body_terms", "document", "facet_pairs", "plain", "title_terms", "tokens",
                 "vocabulary")

    def __init__(self, document):
        self.document = document
        language = document.language
        self.plain = words(document.title)
        self.title_terms = index_terms("", language, self.plain)
        body = f"{document.summary}\n{document.body}" if document.summary else document.body
        body_words = words(body)
        self.body_terms = index_terms("", language, body_words)[:MAX_TERMS]
        self.facet_pairs = document.facet_values()
        self.tokens = [facet_token(facet, value) for facet, value in self.facet_pairs]
        self.vocabulary = {
            word for word in (*self.plain, *body_words[:3000])
            if len(word) >= 3 and word not in STOP_WORDS and word.isalpha()
        }


def _tsvector_literal(groups):
    """A tsvector literal from (terms, weight) groups: positions in order, weight per group."""
    positions = {}
    position = 0
    for terms, weight in groups:
        for term in terms:
            position = min(position + 1, 16_383)
            entries = positions.setdefault(term, [])
            if len(entries) < 255:
                entries.append(f"{position}{weight}")
    return " ".join(f"'{term}':{','.join(entries)}" for term, entries in positions.items())


class _IndexSource:
    """Rows of one database for `FacetCache`: everything, the change log, some entries."""

    def __init__(self, backend):
        self.backend = backend

    def _sort_key_sql(self):
        if self.backend.vendor == "sqlite":
            return "CAST(replace(sort_date, '-', '') AS INTEGER)"
        return "CAST(to_char(sort_date, 'YYYYMMDD') AS integer)"

    def everything(self):
        execute = self.backend._execute
        entries = execute(f"SELECT id, {self._sort_key_sql()} FROM search_searchentry")  # noqa: S608
        facets = execute("SELECT entry_id, facet, value FROM search_searchfacetvalue")
        return entries, facets

    def changes_since(self, generation):
        return list(
            SearchChange.objects.using(self.backend.alias)
            .filter(generation__gte=generation).order_by("generation")
            .values_list("generation", "token", "entry_ids")
        )

    def rows_of(self, ids):
        execute = self.backend._execute
        entries, facets = [], []
        for batch in chunked(ids, BATCH_SIZE):
            placeholders = ", ".join(["%s"] * len(batch))
            entries += execute(
                f"SELECT id, {self._sort_key_sql()} FROM search_searchentry"  # noqa: S608
                f" WHERE id IN ({placeholders})", batch)
            facets += execute(
                "SELECT entry_id, facet, value FROM search_searchfacetvalue"  # noqa: S608
                f" WHERE entry_id IN ({placeholders})", batch)
        return entries, facets


class _Write:
    """One write transaction's bookkeeping: the new index version and the entries touched."""

    def __init__(self, state, full):
        self.state = state
        self.full = full
        self.changed = set()


class _TextMatches:
    """Entry ids matching a text; on PostgreSQL also their ranks and title flags."""

    __slots__ = ("ids", "in_title", "ranks")

    def __init__(self, ids, ranks=None, in_title=None):
        self.ids, self.ranks, self.in_title = ids, ranks, in_title


def _id_array(joined):
    if not joined:
        return np.zeros(0, dtype=np.int64)
    return np.fromstring(joined, dtype=np.int64, sep=",")


class DatabaseBackend(SearchBackend):
    def __init__(self, **options):
        super().__init__(**options)
        self.alias = options.get("database", "default")

    # -- plumbing ------------------------------------------------------------------------

    @property
    def connection(self):
        return connections[self.alias]

    @property
    def vendor(self):
        vendor = self.connection.vendor
        if vendor not in ("sqlite", "postgresql"):
            raise ImproperlyConfigured(
                f"The database search backend supports SQLite and PostgreSQL, not {vendor}."
            )
        return vendor

    def _execute(self, sql, params=()):
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall() if cursor.description else None

    # -- writing -------------------------------------------------------------------------

    def index(self, documents):
        unique = {document.key: document for document in documents}
        written = 0
        with transaction.atomic(using=self.alias):
            write = self._begin_write()
            for batch in chunked(unique.values(), BATCH_SIZE):
                removed = self._ids_for_keys([document.key for document in batch])
                self._delete_ids(removed)
                added = self._write(batch)
                write.changed.update(removed)
                write.changed.update(added)
                written += len(added)
            self._end_write(write)
        return written

    def remove(self, content_type, object_ids):
        object_ids = [str(object_id) for object_id in object_ids]
        if not object_ids:
            return
        with transaction.atomic(using=self.alias):
            write = self._begin_write()
            ids = list(
                SearchEntry.objects.using(self.alias)
                .filter(content_type=content_type, object_id__in=object_ids)
                .values_list("id", flat=True)
            )
            self._delete_ids(ids)
            write.changed.update(ids)
            self._end_write(write)

    def rebuild(self, documents, progress=None):
        written = 0
        with transaction.atomic(using=self.alias):
            write = self._begin_write(full=True)
            self._clear()
            seen = set()
            for batch in chunked(documents, BATCH_SIZE):
                batch = [doc for doc in batch if doc.key not in seen]
                seen.update(doc.key for doc in batch)
                written += len(self._write(batch))
                if progress:
                    progress(len(batch))
            self._end_write(write)
        if self.vendor == "postgresql" and not self.connection.in_atomic_block:
            # What autovacuum would do a little later: statistics for the planner, and every
            # new row marked visible once rather than by the first queries that read it.
            self._execute("VACUUM (ANALYZE) search_pgvector, search_pgtitle, "
                          "search_searchentry, search_searchfacetvalue")
        return written

    def clear(self):
        with transaction.atomic(using=self.alias):
            write = self._begin_write(full=True)
            self._clear()
            self._end_write(write)

    def _begin_write(self, full=False):
        """Bump the index version. The state row's lock (PostgreSQL) or the write lock
        (SQLite) serialises writers, so generations commit in order."""
        states = SearchState.objects.using(self.alias)
        state, created = states.select_for_update().get_or_create(
            pk=1, defaults={"token": "", "generation": 0, "epoch": ""})
        state.generation += 1
        state.token = uuid.uuid4().hex
        if full or created or not state.epoch:
            state.epoch = uuid.uuid4().hex
            full = True
        state.save(update_fields=["generation", "token", "epoch"])
        return _Write(state, full)

    def _end_write(self, write):
        changes = SearchChange.objects.using(self.alias)
        if write.full:
            changes.all().delete()
        else:
            changes.filter(generation__lte=write.state.generation - CHANGES_KEPT).delete()
        changes.create(generation=write.state.generation, token=write.state.token,
                       entry_ids=[] if write.full else sorted(write.changed))

    def _facet_data(self):
        row = SearchState.objects.using(self.alias).filter(pk=1).values_list(
            "epoch", "generation", "token").first()
        version = IndexVersion(*row) if row else NO_VERSION
        return _facet_cache.get(self.alias, version, _IndexSource(self))

    def count(self):
        return SearchEntry.objects.using(self.alias).count()

    def _clear(self):
        full_text_tables = (
            ("search_fts",) if self.vendor == "sqlite" else ("search_pgvector", "search_pgtitle"))
        for table in (*full_text_tables, "search_searchfacetvalue", "search_searchentry",
                      "search_searchword"):
            self._execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names

    def _ids_for_keys(self, keys):
        return list(
            SearchEntry.objects.using(self.alias).filter(key__in=keys).values_list("id", flat=True)
        )

    def _delete_ids(self, ids):
        if not ids:
            return
        placeholders = ", ".join(["%s"] * len(ids))
        if self.vendor == "sqlite":
            self._execute(f"DELETE FROM search_fts WHERE rowid IN ({placeholders})", ids)  # noqa: S608
        else:
            for table in ("search_pgvector", "search_pgtitle"):
                self._execute(
                    f"DELETE FROM {table} WHERE entry_id IN ({placeholders})", ids  # noqa: S608
                )
        SearchFacetValue.objects.using(self.alias).filter(entry_id__in=ids)._raw_delete(
            self.alias
        )
        SearchEntry.objects.using(self.alias).filter(id__in=ids)._raw_delete(self.alias)

    def _new_entry_ids(self, count):
        if self.vendor == "sqlite":
            # Writers hold SQLite's write lock for the whole transaction, so nobody else can
            # take these ids; AUTOINCREMENT's counter moves past them on insert.
            first = self._execute(
                "SELECT max(coalesce((SELECT seq FROM sqlite_sequence"
                " WHERE name = 'search_searchentry'), 0),"
                " coalesce((SELECT max(id) FROM search_searchentry), 0)) + 1"
            )[0][0]
            return list(range(first, first + count))
        rows = self._execute(
            "SELECT nextval(pg_get_serial_sequence('search_searchentry', 'id'))"
            " FROM generate_series(1, %s)", [count])
        return [row[0] for row in rows]

    def _write(self, documents):
        """Insert analysed documents; returns their new entry ids. Rows are written with
        executemany (SQLite) or COPY (PostgreSQL) rather than the ORM: at 50,000 documents
        building ORM insert statements cost more than analysing the text."""
        if not documents:
            return []
        prepared = [_Prepared(document) for document in documents]
        ids = self._new_entry_ids(len(prepared))
        entry_rows = [
            (entry_id, item.document.key, item.document.content_type,
             str(item.document.object_id), item.document.language, item.document.title,
             title_key(item.document.title), item.document.summary or "",
             item.document.body[:MAX_STORED_BODY], item.document.url,
             item.document.date.isoformat() if item.document.date else None,
             (item.document.date or UNDATED).isoformat(),
             json.dumps(_facet_dict(item.facet_pairs)))
            for entry_id, item in zip(ids, prepared, strict=True)
        ]
        facet_rows = [(entry_id, facet, value[:200])
                      for entry_id, item in zip(ids, prepared, strict=True)
                      for facet, value in item.facet_pairs]
        vocabulary = Counter()
        for item in prepared:
            vocabulary.update(item.vocabulary)
        words_rows = sorted(vocabulary.items())
        if self.vendor == "sqlite":
            self._write_sqlite(ids, prepared, entry_rows, facet_rows, words_rows)
        else:
            self._write_postgresql(ids, prepared, entry_rows, facet_rows, words_rows)
        return ids

    def _write_sqlite(self, ids, prepared, entry_rows, facet_rows, words_rows):
        with self.connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO search_searchentry ({ENTRY_COLUMNS})"  # noqa: S608
                f" VALUES ({', '.join(['%s'] * ENTRY_COLUMN_COUNT)})", entry_rows)
            cursor.executemany(
                "INSERT INTO search_searchfacetvalue (entry_id, facet, value) VALUES (%s, %s, %s)",
                facet_rows)
            cursor.executemany(
                "INSERT INTO search_fts (rowid, title, body, plain, facets) "
                "VALUES (%s, %s, %s, %s, %s)",
                [(entry_id, " ".join(item.title_terms), " ".join(item.body_terms),
                  " ".join(item.plain), " ".join(item.tokens))
                 for entry_id, item in zip(ids, prepared, strict=True)],
            )
            cursor.executemany(
                "INSERT INTO search_searchword (word, frequency) VALUES (%s, %s) "
                "ON CONFLICT (word) DO UPDATE SET "
                "frequency = search_searchword.frequency + excluded.frequency",
                words_rows,
            )

    def _write_postgresql(self, ids, prepared, entry_rows, facet_rows, words_rows):
        with self.connection.cursor() as wrapper:
            cursor = wrapper.cursor  # psycopg's own cursor, for COPY
            with cursor.copy(f"COPY search_searchentry ({ENTRY_COLUMNS}) FROM STDIN") as copy:
                for row in entry_rows:
                    copy.write_row(row)
            with cursor.copy(
                    "COPY search_searchfacetvalue (entry_id, facet, value) FROM STDIN") as copy:
                for row in facet_rows:
                    copy.write_row(row)
            with cursor.copy(
                    "COPY search_pgvector (entry_id, document, title) FROM STDIN") as copy:
                for entry_id, item in zip(ids, prepared, strict=True):
                    copy.write_row((
                        entry_id,
                        _tsvector_literal([(item.title_terms, "A"), (item.body_terms, "B")]),
                        _tsvector_literal([(item.title_terms, "D")]),
                    ))
            with cursor.copy("COPY search_pgtitle (entry_id, plain) FROM STDIN") as copy:
                for entry_id, item in zip(ids, prepared, strict=True):
                    copy.write_row((entry_id, _tsvector_literal([(item.plain, "D")])))
            cursor.execute(
                "INSERT INTO search_searchword (word, frequency)"
                " SELECT * FROM unnest(%s::text[], %s::integer[])"
                " ON CONFLICT (word) DO UPDATE SET"
                " frequency = search_searchword.frequency + excluded.frequency",
                [[word for word, _ in words_rows], [number for _, number in words_rows]],
            )

    # -- reading -------------------------------------------------------------------------

    def _where(self, parsed, filters=(), in_title=None, exclude=()):
        """A WHERE clause on the full-text table (and its params): every query word in the
        title or text; on SQLite also: with `in_title` True every word in the title, False not
        every word in the title; the filters; minus the `exclude`d entry ids."""
        if self.vendor == "sqlite":
            groups = "(" + " AND ".join(
                "(" + " OR ".join(f'"{variant}"' for variant in sorted(variants)) + ")"
                for variants in parsed.variants
            ) + ")"
            positive = []
            if not parsed.is_empty:
                positive.append("{title} : " + groups if in_title else "{title body} : " + groups)
            for facet, values in filters:
                tokens = " OR ".join(f'"{facet_token(facet, value)}"' for value in values)
                positive.append(f"facets : ({tokens})")
            expression = " AND ".join(positive)
            if in_title is False and not parsed.is_empty:
                expression = f"({expression}) NOT ({{title}} : {groups})"
            where, params = "search_fts MATCH %s", [expression]
            if exclude:
                where += f" AND rowid NOT IN ({', '.join(['%s'] * len(exclude))})"
                params += list(exclude)
            return where, params
        if filters or in_title is not None or exclude:
            raise ValueError("PostgreSQL rows carry no facets: filter in memory.")
        if parsed.is_empty:
            return "TRUE", []
        return "document @@ %s::tsquery", [_tsquery(parsed)]

    def _text_matches(self, parsed):
        """The entries matching the text. PostgreSQL answers in one pass over the matching
        rows with each one's rank and whether its title holds every query word, since
        reading the rows is what costs there; SQLite answers with the ids only and ranks
        later, tier by tier (`_page_by_relevance`), since bm25 is what costs there. Lists
        arrive as comma-separated strings: 30,000 ids in milliseconds, not one row each."""
        if self.vendor == "sqlite":
            return _TextMatches(self._sqlite_ids(parsed))
        with transaction.atomic(using=self.alias):
            # For a word in half the rows the planner prefers reading the whole table, not
            # knowing that testing a tsvector costs far more than following the GIN index.
            self._execute("SET LOCAL enable_seqscan = off")
            ids, ranks, in_title = self._execute(
                "SELECT string_agg(entry_id::text, ','),"
                # Ranks as integers: parsing 30,000 of them is three times faster than floats.
                " string_agg(round(ts_rank('{0, 0, 0.1, 1}'::float4[], document, query)"
                " * 1e6)::bigint::text, ','),"
                " string_agg(CASE WHEN title @@ query THEN '1' ELSE '0' END, '')"
                " FROM search_pgvector, CAST(%s AS tsquery) AS query WHERE document @@ query",
                [_tsquery(parsed)],
            )[0]
            self._execute("SET LOCAL enable_seqscan TO DEFAULT")
        if not ids:
            return _TextMatches(_id_array(None), _id_array(None), np.zeros(0, dtype=bool))
        return _TextMatches(_id_array(ids), _id_array(ranks),
                            np.frombuffer(in_title.encode(), dtype=np.uint8) == ord("1"))

    def _sqlite_ids(self, parsed, in_title=None):
        where, params = self._where(parsed, in_title=in_title)
        sql = f"SELECT group_concat(rowid) FROM search_fts WHERE {where}"  # noqa: S608
        return _id_array(self._execute(sql, params)[0][0])

    def _ranked_ids(self, parsed, filters, in_title, exclude, offset, limit):
        """SQLite: one tier's page of entry ids by bm25."""
        where, params = self._where(parsed, filters, in_title, exclude)
        sql = (
            f"SELECT rowid FROM search_fts WHERE {where}"  # noqa: S608
            f" ORDER BY bm25(search_fts, {TITLE_WEIGHT}, {BODY_WEIGHT}, 0, 0), rowid"
            " LIMIT %s OFFSET %s"
        )
        return [row[0] for row in self._execute(sql, [*params, limit, offset])]

    def execute(self, request):
        parsed = parse_query(request.text)
        data = self._facet_data()
        if parsed.is_empty:
            matches, text_mask = None, data.live.copy()
        else:
            matches = _recent_matches.get(self.alias, data.version, parsed.variants,
                                          lambda: self._text_matches(parsed))
            text_mask = data.mask_of_ids(matches.ids)
        filter_masks = {facet: data.mask_of_values(facet, values)
                        for facet, values in request.filters}
        matched_mask = text_mask.copy()
        for mask in filter_masks.values():
            matched_mask &= mask
        total = int(matched_mask.sum())
        if not total or request.offset >= total:
            ids = []
        elif parsed.is_empty or request.sort == "date":
            ids = data.page_by_date(matched_mask, request.offset, request.per_page)
        else:
            ids = self._page_by_relevance(request, parsed, data, matched_mask, matches)
        entries = SearchEntry.objects.using(self.alias).in_bulk(ids)
        hits = [_hit(entries[pk], parsed) for pk in ids if pk in entries]
        facets = {}
        for facet in request.facets:
            base = text_mask.copy()
            for other, mask in filter_masks.items():
                if other != facet:
                    base &= mask
            counted = data.counts(facet, base)
            facets[facet] = sorted(
                (FacetCount(value=value, count=number) for value, number in counted.items()),
                key=lambda item: (-item.count, item.value),
            )
        suggestion = None
        if total == 0 and not parsed.is_empty:
            suggestion = self._spelling_suggestion(request.text)
        return SearchResults(request=request, total=total, hits=hits, facets=facets,
                             suggestion=suggestion)

    def _page_by_relevance(self, request, parsed, data, matched_mask, matches):
        """Three tiers, each ranked by bm25 (SQLite) or ts_rank (PostgreSQL): the entries
        whose title is exactly the query, then those with every query word in the title,
        then the rest. On SQLite only the tiers the page reaches are ranked, so a common
        word that matches half the index ranks a few thousand titles, not every document;
        PostgreSQL ranked every match while reading it (`_text_matches`)."""
        exact = [
            entry_id for entry_id in sorted(
                SearchEntry.objects.using(self.alias)
                .filter(title_key=title_key(clean_query_text(request.text)))
                .values_list("id", flat=True)[:MAX_EXACT_TITLES])
            if entry_id < data.size and matched_mask[entry_id]
        ]
        start, stop = request.offset, request.offset + request.per_page
        if matches.ranks is not None:
            inside = matches.ids < data.size
            ids, ranks = matches.ids[inside], matches.ranks[inside]
            keep = matched_mask[ids]
            ids, ranks, in_title = ids[keep], ranks[keep], matches.in_title[inside][keep]
            tiers = np.where(in_title, 1, 2)
            tiers[np.isin(ids, exact)] = 0
            order = np.lexsort((ids, -ranks, tiers))
            return ids[order[start:stop]].tolist()
        title_mask = data.mask_of_ids(self._sqlite_ids(parsed, in_title=True)) & matched_mask
        title_mask[exact] = False
        in_title = int(title_mask.sum())
        tiers = [(None, len(exact)), (True, in_title),
                 (False, int(matched_mask.sum()) - len(exact) - in_title)]
        ids, tier_start = [], 0
        for tier, size in tiers:
            first, last = max(start - tier_start, 0), min(stop - tier_start, size)
            if last > first:
                if tier is None:
                    ids += exact[first:last]
                else:
                    ids += self._ranked_ids(parsed, request.filters, tier,
                                            exact if tier else (), first, last - first)
            tier_start += size
        return ids

    def _count(self, parsed):
        where, params = self._where(parsed)
        table = "search_fts" if self.vendor == "sqlite" else "search_pgvector"
        return self._execute(f"SELECT count(*) FROM {table} WHERE {where}", params)[0][0]  # noqa: S608

    def _spelling_suggestion(self, text):
        """The query with each unknown word replaced by the closest frequent known word, when
        that corrected query finds something."""
        import difflib

        from search.models import SearchWord

        original = words(clean_query_text(text))[:8]
        corrected, changed = [], False
        for word in original:
            if word in STOP_WORDS or len(word) < 3 or not word.isalpha():
                corrected.append(word)
                continue
            known = SearchWord.objects.using(self.alias)
            if known.filter(word=word).exists():
                corrected.append(word)
                continue
            candidates = dict(
                known.filter(word__startswith=word[0],
                             word__regex=rf"^.{{{max(3, len(word) - 2)},{len(word) + 2}}}$")
                .order_by("-frequency").values_list("word", "frequency")[:5000]
            )
            close = difflib.get_close_matches(word, candidates, n=5, cutoff=0.75)
            if not close:
                corrected.append(word)
                continue
            best = max(close, key=lambda candidate: (
                round(difflib.SequenceMatcher(None, word, candidate).ratio(), 2),
                candidates[candidate]))
            corrected.append(best)
            changed = True
        if not changed:
            return None
        suggestion = " ".join(corrected)
        parsed = parse_query(suggestion)
        return suggestion if not parsed.is_empty and self._count(parsed) else None

    def complete(self, prefix, limit):
        prefix_words = words(prefix)[:8]
        if not prefix_words:
            return []
        if self.vendor == "sqlite":
            expression = "plain : (" + " AND ".join(f'"{word}" *' for word in prefix_words) + ")"
            sql = (
                "SELECT e.title, e.url, e.content_type, e.language FROM search_fts"
                " JOIN search_searchentry e ON e.id = search_fts.rowid"
                " WHERE search_fts MATCH %s ORDER BY bm25(search_fts, 0, 0, 1, 0),"
                " length(e.title), e.id LIMIT %s"
            )
            rows = self._execute(sql, [expression, limit * 3])
        else:
            query = " & ".join(f"'{word}':*" for word in prefix_words)
            sql = (
                "SELECT e.title, e.url, e.content_type, e.language FROM search_pgtitle v"
                " JOIN search_searchentry e ON e.id = v.entry_id"
                " WHERE v.plain @@ %s::tsquery ORDER BY length(e.title), e.id LIMIT %s"
            )
            rows = self._execute(sql, [query, limit * 3])
        suggestions, seen = [], set()
        for title, url, content_type, language in rows:
            if title in seen:
                continue
            seen.add(title)
            suggestions.append(Suggestion(title=title, url=url, content_type=content_type,
                                          language=language))
        return suggestions[:limit]


def _tsquery(parsed):
    return " & ".join(
        "(" + " | ".join(f"'{variant}'" for variant in sorted(variants)) + ")"
        for variants in parsed.variants
    )


def _facet_dict(pairs):
    result = {}
    for facet, value in pairs:
        result.setdefault(facet, []).append(value)
    return result


def _hit(entry, parsed):
    body = entry.body or entry.summary
    if entry.summary and not has_match(entry.body, parsed, entry.language):
        body = entry.summary
    return Hit(
        key=entry.key,
        content_type=entry.content_type,
        object_id=entry.object_id,
        language=entry.language,
        title=entry.title,
        url=entry.url,
        date=entry.date,
        title_html=highlight(entry.title, parsed, entry.language),
        snippet_html=highlight(body, parsed, entry.language, length=240),
        facets=entry.facets,
    )

