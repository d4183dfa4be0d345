"""`python -m search.bench --write docs/benchmarks.md`: run search.bench.run on SQLite and on
PostgreSQL (when it answers), each in its own process and database, and write the table
between the <!-- search:begin --> and <!-- search:end --> markers."""

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

from portal.bench_support import drop_postgres_database, fresh_postgres_database, write_section
from search.bench.run import percentile

ROOT = Path(__file__).resolve().parents[2]
P95_TARGET_MS, INDEXING_TARGET = 50, 1000


def _run(database_url, args, work):
    output = work / f"result-{len(list(work.iterdir()))}.json"
    env = {**os.environ, "DATABASE_URL": database_url,
           "DJANGO_SETTINGS_MODULE": "search.bench.settings",
           "PORTAL_VAR_DIR": str(work / "var"), "PYTHONPATH": str(ROOT)}
    env.pop("REDIS_URL", None)
    env.pop("ELASTICSEARCH_URL", None)
    subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "search.bench.run", "--documents", str(args.documents),
         "--queries", str(args.queries), "--stock-queries", str(args.stock_queries),
         "--stock-timeout", str(args.stock_timeout), "--output", str(output)],
        cwd=ROOT, env=env, check=True,
    )
    return json.loads(output.read_text())


def _row(database, engine, result, queries_note=""):
    latencies = result["latencies_ms"]
    p50, p95 = percentile(latencies, 0.5), percentile(latencies, 0.95)
    timed_out = result.get("timed_out", 0)
    rate = result["documents"] / result["indexing_seconds"]

    limit_ms = result.get("timeout_s", 0) * 1000

    def ms(value):
        text = f"{value:,.1f}"
        return f"≥ {text} (time limit)" if timed_out and value >= limit_ms else text

    count = str(len(latencies))
    if timed_out:
        count += f", {timed_out} stopped at {limit_ms / 1000:.0f} s"
    return (f"| {database} | {engine} | {result['documents']:,} | {rate:,.0f} | "
            f"{ms(p50)} | {ms(p95)} | {count}{queries_note} |")


def render(results, args):
    lines = [
        "## Discovery search",
        "",
        f"Command: `make bench-search` (`python -m search.bench --documents {args.documents} "
        f"--queries {args.queries}`), run {args.started:%Y-%m-%d %H:%M} UTC on "
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"load average {args.load_before:.2f} before, {os.getloadavg()[0]:.2f} after (other "
        "work on the machine slows every figure; the stock search rows are the baseline "
        "measured in the same run).",
        "",
        f"{args.documents:,} generated documents (80% program profiles, half English and half "
        "Spanish; 20% articulators, in Spanish), built deterministically from the project's "
        f"vocabularies. Query mix: {args.queries} queries of one to three Spanish or English "
        "words, a third with a country filter, a tenth browsing by filter only; every query asks "
        "for three facets (country, topic, target population) and returns the first page of 20 "
        "hits with highlighted snippets. Latency is measured around the backend's `query()`, "
        "with the backend as deployed (a text already asked since the last write reuses its "
        "matches; the notes below give the figures without that); "
        "indexing is a full `rebuild()`. Wagtail's stock database search (modelsearch, the "
        "backend Wagtail picks for the database) indexes the same documents as model rows and "
        f"runs the first {args.stock_queries} text queries of the same mix with the same three "
        f"facets (`.facet()`), each stopped after {args.stock_timeout:.0f} s.",
        "",
        f"Targets: p95 ≤ {P95_TARGET_MS} ms with facets, indexing ≥ {INDEXING_TARGET:,} "
        "documents/s.",
        "",
        "| database | search | documents | indexing (docs/s) | p50 (ms) | p95 (ms) | queries |",
        "| --- | --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for result in results:
        lines.append(_row(result["database"], "portal database backend", result["portal"]))
        lines.append(_row(result["database"], "Wagtail stock database search", result["stock"]))
    lines.append("")
    for result in results:
        portal = result["portal"]
        lines.append(
            f"- {result['database']}: median matches per query {portal['median_matches']:,.0f}; "
            f"the same mix with the recent-matches cache off (every text read from the "
            f"database): p50 {portal['cold_p50_ms']:.1f} ms, p95 {portal['cold_p95_ms']:.1f} ms; "
            f"re-indexing one object (the after-commit sync) p50 {portal['sync_p50_ms']:.1f} ms; "
            f"first query after another write (facet data caught up from the change log) "
            f"p50 {portal['after_write_p50_ms']:.1f} ms; first query of a new process (all "
            f"facet data loaded) {portal['full_load_ms']:.0f} ms."
        )
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=50_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--stock-queries", type=int, default=10)
    parser.add_argument("--stock-timeout", type=float, default=10.0)
    parser.add_argument("--postgres", default=os.environ.get(
        "BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test"))
    parser.add_argument("--write", help="the Markdown file to update")
    args = parser.parse_args(argv)
    args.started = datetime.datetime.now(datetime.UTC)
    args.load_before = os.getloadavg()[0]
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-search-") as work:
        work = Path(work)
        results.append(_run(f"sqlite:///{work / 'bench.sqlite3'}", args, work))
        name = f"bench_search_{os.environ.get('PORTAL_TEST_SUFFIX', 'portal')}"
        postgres = fresh_postgres_database(args.postgres, name)
        if postgres:
            try:
                results.append(_run(postgres, args, work))
            finally:
                drop_postgres_database(args.postgres, name)
    block = render(results, args)
    print(block)  # noqa: T201
    if args.write:
        write_section(args.write, "search", block)


if __name__ == "__main__":
    main()
