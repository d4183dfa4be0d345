"""What the benchmarks share: their sections of docs/benchmarks.md and throwaway databases.

docs/benchmarks.md holds one section per benchmark between HTML comment markers, so that
each `make bench-*` rewrites its own figures and leaves the others' alone. Nothing here
imports Django: the benchmarks' parent processes configure their children by environment.
"""

from pathlib import Path


def markers(name):
    return f"<!-- {name}:begin -->", f"<!-- {name}:end -->"


def read_section(path, name):
    """The text between `name`'s markers, or None when the file or the section is missing."""
    path = Path(path)
    begin, end = markers(name)
    if not path.exists():
        return None
    text = path.read_text(encoding="utf-8")
    if begin not in text or end not in text:
        return None
    return text.split(begin, 1)[1].split(end, 1)[0].lstrip("\n")


def write_section(path, name, section):
    """Replace only what lies between `name`'s markers (appending the section when absent)."""
    path = Path(path)
    begin, end = markers(name)
    block = f"{begin}\n{section.rstrip(chr(10))}\n{end}"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    if begin in text and end in text:
        before, rest = text.split(begin, 1)
        _old, after = rest.split(end, 1)
        text = before + block + after
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _admin_url(base_url):
    return base_url.replace("postgres://", "postgresql://", 1)


def fresh_postgres_database(base_url, name):
    """Drop and create database `name` on `base_url`'s server; its URL, or None (with the
    reason on stderr) when the server does not answer."""
    import sys

    import psycopg

    try:
        with psycopg.connect(_admin_url(base_url), autocommit=True,
                             connect_timeout=3) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as error:
        print(f"PostgreSQL skipped: {error}", file=sys.stderr)  # noqa: T201
        return None
    return base_url.rsplit("/", 1)[0] + f"/{name}"


def drop_postgres_database(base_url, name):
    import psycopg

    with psycopg.connect(_admin_url(base_url), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
