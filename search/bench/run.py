"""One database's measurements, run in its own process by `python -m search.bench`:
`DATABASE_URL=... python -m search.bench.run --documents 50000 --output result.json`."""

import argparse
import json
import os
import platform
import statistics
import sys
import time
from contextlib import contextmanager

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "search.bench.settings")

FACETS = ["country", "topic", "target_population"]


class TimedOut(Exception):
    pass


def percentile(values, fraction):
    ordered = sorted(values)
    if not ordered:
        return None
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


@contextmanager
def time_limit(connection, seconds):
    """Abort a runaway baseline query: SQLite's progress handler, PostgreSQL's timeout."""
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        deadline = time.monotonic() + seconds
        connection.connection.set_progress_handler(
            lambda: 1 if time.monotonic() > deadline else 0, 10_000)
        try:
            yield
        except Exception as error:
            if "interrupted" in str(error):
                raise TimedOut from error
            raise
        finally:
            connection.connection.set_progress_handler(None, 0)
    else:
        with connection.cursor() as cursor:
            cursor.execute(f"SET statement_timeout = {int(seconds * 1000)}")
        try:
            yield
        except Exception as error:
            if "statement timeout" in str(error):
                raise TimedOut from error
            raise
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SET statement_timeout = 0")


def database_label(connection):
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("select sqlite_version()")
            return f"SQLite {cursor.fetchone()[0]}"
        cursor.execute("show server_version")
        return f"PostgreSQL {cursor.fetchone()[0].split()[0]}"


def measure_portal(documents, queries):
    from search.backends.database import DatabaseBackend, _facet_cache, _recent_matches

    backend = DatabaseBackend()
    started = time.perf_counter()
    written = backend.rebuild(documents)
    indexing_seconds = time.perf_counter() - started
    for text, filters in queries[:20]:  # warm caches
        backend.query(text, filters=filters, facets=FACETS)
    latencies, totals = [], []
    for text, filters in queries:
        started = time.perf_counter()
        results = backend.query(text, filters=filters, facets=FACETS)
        latencies.append((time.perf_counter() - started) * 1000)
        totals.append(results.total)
    # The same mix with nothing remembered between queries: every text goes to the database.
    kept_size, _recent_matches.size = _recent_matches.size, 0
    cold_latencies = []
    for text, filters in queries:
        started = time.perf_counter()
        backend.query(text, filters=filters, facets=FACETS)
        cold_latencies.append((time.perf_counter() - started) * 1000)
    _recent_matches.size = kept_size
    sync_latencies = []
    for document in documents[:200]:
        started = time.perf_counter()
        backend.replace(document.content_type, document.object_id, [document])
        sync_latencies.append((time.perf_counter() - started) * 1000)
    text, filters = queries[0]
    after_write = []
    for document in documents[200:220]:
        backend.replace(document.content_type, document.object_id, [document])
        started = time.perf_counter()
        backend.query(text, filters=filters, facets=FACETS)
        after_write.append((time.perf_counter() - started) * 1000)
    _facet_cache.forget(backend.alias)
    started = time.perf_counter()
    backend.query(text, filters=filters, facets=FACETS)
    full_load_ms = (time.perf_counter() - started) * 1000
    return {
        "after_write_p50_ms": percentile(after_write, 0.5),
        "cold_p50_ms": percentile(cold_latencies, 0.5),
        "cold_p95_ms": percentile(cold_latencies, 0.95),
        "full_load_ms": full_load_ms,
        "documents": written, "indexing_seconds": indexing_seconds,
        "latencies_ms": latencies, "median_matches": statistics.median(totals),
        "sync_p50_ms": percentile(sync_latencies, 0.5),
    }


def measure_stock(documents, queries, timeout):
    from django.db import connection
    from wagtail.search.backends import get_search_backend

    from search.bench.models import BenchRecord

    BenchRecord.objects.all().delete()
    BenchRecord.objects.bulk_create(
        [BenchRecord(title=doc.title, body=doc.body, language=doc.language,
                     country=doc.facets["country"][0],
                     topic=(doc.facets.get("topic") or [""])[0],
                     target_population=(doc.facets.get("target_population") or [""])[0])
         for doc in documents], batch_size=2000)
    backend = get_search_backend("default")
    index = backend.get_index_for_model(BenchRecord)
    index.reset()
    started = time.perf_counter()
    records = list(BenchRecord.objects.order_by("pk"))
    for offset in range(0, len(records), 1000):
        backend.add_bulk(BenchRecord, records[offset:offset + 1000])
    indexing_seconds = time.perf_counter() - started
    latencies, timed_out = [], 0
    for text, filters in [query for query in queries if query[0]]:
        queryset = BenchRecord.objects.all()
        if filters.get("country"):
            queryset = queryset.filter(country__in=filters["country"])
        started = time.perf_counter()
        try:
            with time_limit(connection, timeout):
                results = backend.search(text, queryset)
                list(results[:20])
                results.count()
                for facet in FACETS:
                    results.facet(facet)
        except TimedOut:
            timed_out += 1
            latencies.append(timeout * 1000)
            continue
        latencies.append((time.perf_counter() - started) * 1000)
    return {"documents": len(records), "indexing_seconds": indexing_seconds,
            "latencies_ms": latencies, "timed_out": timed_out, "timeout_s": timeout}


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=50_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--stock-queries", type=int, default=10)
    parser.add_argument("--stock-timeout", type=float, default=10.0)
    parser.add_argument("--output", required=True)
    args = parser.parse_args(argv)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from search.bench.generator import generate, query_mix

    call_command("migrate", run_syncdb=True, verbosity=0)
    documents = generate(args.documents)
    queries = query_mix(args.queries)
    result = {"database": database_label(connection), "python": platform.python_version()}
    print(f"{result['database']}: portal database backend", file=sys.stderr)  # noqa: T201
    result["portal"] = measure_portal(documents, queries)
    print(f"{result['database']}: Wagtail stock database search", file=sys.stderr)  # noqa: T201
    stock_queries = [query for query in queries if query[0]][: args.stock_queries]
    result["stock"] = measure_stock(documents, stock_queries, args.stock_timeout)
    with open(args.output, "w") as output:
        json.dump(result, output)


if __name__ == "__main__":
    main()
