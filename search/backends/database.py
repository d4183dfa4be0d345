"""The database backend: no server beyond the portal's own database.

Both databases receive the same analysed text (`search.text`: Snowball stems in the
document's language, accents folded), so they behave alike:

- **SQLite**: an FTS5 table `search_fts` (rowid = `SearchEntry.id`) with four columns: title
  and body terms (ranked by bm25, title weighted 10:1), the title's plain words (prefix
  completion) and opaque facet tokens (filters). The `ascii` tokenizer splits on spaces
  only, so FTS5 sees exactly the words this module produced.
- **PostgreSQL**: a table `search_pgvector` with a weighted tsvector (title A, body B) and a
  plain-word tsvector, both GIN-indexed, and the facet tokens as a GIN-indexed text array.
  Vectors and queries are written as tsvector/tsquery *literals* built from analysed words,
  so PostgreSQL's own parser never sees user input.

A user's words only ever reach SQL as quoted terms built from `[^\\W_]+` runs (see
`search.text.parse_query`): no operator, quote or column name typed by a user survives.
"""

import datetime
import hashlib
import uuid
from collections import Counter
from itertools import islice

from django.core.exceptions import ImproperlyConfigured
from django.db import connections, transaction

from search.backends.base import FacetCount, Hit, SearchBackend, SearchResults, Suggestion
from search.backends.facet_cache import FacetCache
from search.models import SearchEntry, SearchFacetValue, SearchState
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
_facet_cache = FacetCache()


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
            self._new_state()
            for batch in chunked(unique.values(), BATCH_SIZE):
                self._delete_ids(self._ids_for_keys([document.key for document in batch]))
                written += self._write(batch)
        return written

    def remove(self, content_type, object_ids):
        object_ids = [str(object_id) for object_id in object_ids]
        if not object_ids:
            return
        with transaction.atomic(using=self.alias):
            self._new_state()
            ids = list(
                SearchEntry.objects.using(self.alias)
                .filter(content_type=content_type, object_id__in=object_ids)
                .values_list("id", flat=True)
            )
            self._delete_ids(ids)

    def rebuild(self, documents, progress=None):
        written = 0
        with transaction.atomic(using=self.alias):
            self._clear()
            self._new_state()
            seen = set()
            for batch in chunked(documents, BATCH_SIZE):
                batch = [doc for doc in batch if doc.key not in seen]
                seen.update(doc.key for doc in batch)
                written += self._write(batch)
                if progress:
                    progress(len(batch))
        return written

    def clear(self):
        with transaction.atomic(using=self.alias):
            self._clear()
            self._new_state()

    def _new_state(self):
        token = uuid.uuid4().hex
        if not SearchState.objects.using(self.alias).filter(pk=1).update(token=token):
            SearchState.objects.using(self.alias).create(pk=1, token=token)

    def _facet_data(self):
        token = SearchState.objects.using(self.alias).filter(pk=1).values_list(
            "token", flat=True).first() or ""

        def load():
            entry_ids = [row[0] for row in self._execute("SELECT id FROM search_searchentry")]
            rows = self._execute("SELECT entry_id, facet, value FROM search_searchfacetvalue")
            return entry_ids, rows

        return _facet_cache.get(self.alias, token, load)

    def count(self):
        return SearchEntry.objects.using(self.alias).count()

    def _clear(self):
        full_text_table = "search_fts" if self.vendor == "sqlite" else "search_pgvector"
        for table in (full_text_table, "search_searchfacetvalue", "search_searchentry",
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
            self._execute(
                f"DELETE FROM search_pgvector WHERE entry_id IN ({placeholders})", ids  # noqa: S608
            )
        SearchFacetValue.objects.using(self.alias).filter(entry_id__in=ids)._raw_delete(
            self.alias
        )
        SearchEntry.objects.using(self.alias).filter(id__in=ids)._raw_delete(self.alias)

    def _write(self, documents):
        if not documents:
            return 0
        prepared = [_Prepared(document) for document in documents]
        entries = SearchEntry.objects.using(self.alias).bulk_create(
            [
                SearchEntry(
                    key=item.document.key,
                    content_type=item.document.content_type,
                    object_id=item.document.object_id,
                    language=item.document.language,
                    title=item.document.title,
                    title_key=title_key(item.document.title),
                    summary=item.document.summary,
                    body=item.document.body[:MAX_STORED_BODY],
                    url=item.document.url,
                    date=item.document.date,
                    sort_date=item.document.date or UNDATED,
                    facets=_facet_dict(item.facet_pairs),
                )
                for item in prepared
            ]
        )
        with self.connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO search_searchfacetvalue (entry_id, facet, value) VALUES (%s, %s, %s)",
                [
                    (entry.id, facet, value[:200])
                    for entry, item in zip(entries, prepared, strict=True)
                    for facet, value in item.facet_pairs
                ],
            )
            if self.vendor == "sqlite":
                cursor.executemany(
                    "INSERT INTO search_fts (rowid, title, body, plain, facets) "
                    "VALUES (%s, %s, %s, %s, %s)",
                    [
                        (entry.id, " ".join(item.title_terms), " ".join(item.body_terms),
                         " ".join(item.plain), " ".join(item.tokens))
                        for entry, item in zip(entries, prepared, strict=True)
                    ],
                )
            else:
                cursor.executemany(
                    "INSERT INTO search_pgvector (entry_id, document, plain, facet_tokens) "
                    "VALUES (%s, %s::tsvector, %s::tsvector, %s::text[])",
                    [
                        (entry.id,
                         _tsvector_literal([(item.title_terms, "A"), (item.body_terms, "B")]),
                         _tsvector_literal([(item.plain, "D")]),
                         item.tokens)
                        for entry, item in zip(entries, prepared, strict=True)
                    ],
                )
            vocabulary = Counter()
            for item in prepared:
                vocabulary.update(item.vocabulary)
            cursor.executemany(
                "INSERT INTO search_searchword (word, frequency) VALUES (%s, %s) "
                "ON CONFLICT (word) DO UPDATE SET "
                "frequency = search_searchword.frequency + excluded.frequency",
                sorted(vocabulary.items()),
            )
        return len(entries)

    # -- reading -------------------------------------------------------------------------

    def _match(self, parsed, filters):
        """(subquery of matching entry ids, its params), or (None, []) when all match."""
        if parsed.is_empty and not filters:
            return None, []
        if self.vendor == "sqlite":
            parts = []
            if not parsed.is_empty:
                groups = [
                    "(" + " OR ".join(f'"{variant}"' for variant in sorted(variants)) + ")"
                    for variants in parsed.variants
                ]
                parts.append("{title body} : (" + " AND ".join(groups) + ")")
            for facet, values in filters:
                tokens = " OR ".join(f'"{facet_token(facet, value)}"' for value in values)
                parts.append(f"facets : ({tokens})")
            expression = " AND ".join(parts)
            return "SELECT rowid FROM search_fts WHERE search_fts MATCH %s", [expression]
        conditions, params = [], []
        if not parsed.is_empty:
            conditions.append("document @@ %s::tsquery")
            params.append(_tsquery(parsed))
        for facet, values in filters:
            conditions.append("facet_tokens && %s::text[]")
            params.append([facet_token(facet, value) for value in values])
        # Only fixed condition strings with placeholders are joined here.
        sql = "SELECT entry_id FROM search_pgvector WHERE " + " AND ".join(conditions)  # noqa: S608
        return sql, params

    def execute(self, request):
        parsed = parse_query(request.text)
        data = self._facet_data()
        if parsed.is_empty:
            text_mask = data.live.copy()
        else:
            text_only, text_params = self._match(parsed, ())
            text_mask = data.mask_of_ids([row[0] for row in self._execute(text_only, text_params)])
        filter_masks = {facet: data.mask_of_values(facet, values)
                        for facet, values in request.filters}
        matched_mask = text_mask.copy()
        for mask in filter_masks.values():
            matched_mask &= mask
        total = int(matched_mask.sum())
        matched, params = self._match(parsed, request.filters)
        ids = self._page_ids(request, parsed, matched, params) if total else []
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

    def _count(self, matched, params):
        if matched is None:
            return self._execute("SELECT count(*) FROM search_searchentry")[0][0]
        return self._execute(f"SELECT count(*) FROM ({matched}) AS matched", params)[0][0]  # noqa: S608

    def _page_ids(self, request, parsed, matched, params):
        limit = [request.per_page, request.offset]
        by_date = "e.sort_date DESC, e.id DESC"
        if matched is None:
            sql = f"SELECT e.id FROM search_searchentry e ORDER BY {by_date} LIMIT %s OFFSET %s"  # noqa: S608
            return [row[0] for row in self._execute(sql, limit)]
        relevance = request.sort == "relevance" and not parsed.is_empty
        if self.vendor == "sqlite":
            where = "search_fts MATCH %s"
            order = (
                f"(e.title_key = %s) DESC, bm25(search_fts, {TITLE_WEIGHT}, {BODY_WEIGHT}, 0, 0),"
                " e.id" if relevance else by_date
            )
            sql = (
                "SELECT e.id FROM search_fts JOIN search_searchentry e ON e.id = search_fts.rowid"  # noqa: S608
                f" WHERE {where} ORDER BY {order} LIMIT %s OFFSET %s"
            )
            order_params = [" ".join(parsed_words_for_title(request.text))] if relevance else []
            return [row[0] for row in self._execute(sql, [*params, *order_params, *limit])]
        order = (
            "(e.title_key = %s) DESC,"
            " ts_rank('{0, 0, 0.1, 1}'::float4[], v.document, %s::tsquery) DESC, e.id"
            if relevance else by_date
        )
        sql = (
            "SELECT e.id FROM search_searchentry e JOIN search_pgvector v ON v.entry_id = e.id"  # noqa: S608
            f" WHERE e.id IN ({matched}) ORDER BY {order} LIMIT %s OFFSET %s"
        )
        order_params = (
            [" ".join(parsed_words_for_title(request.text)), _tsquery(parsed)] if relevance else []
        )
        return [row[0] for row in self._execute(sql, [*params, *order_params, *limit])]

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
        matched, params = self._match(parse_query(suggestion), ())
        return suggestion if matched is not None and self._count(matched, params) else None

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
                "SELECT e.title, e.url, e.content_type, e.language FROM search_pgvector v"
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


def parsed_words_for_title(text):
    return words(clean_query_text(text))


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

