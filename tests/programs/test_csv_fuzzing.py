"""Property-based fuzzing of the CSV reader: whatever the bytes, it returns rows or refuses
the file with ImportFileError, never another exception."""

import contextlib
import csv
import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from programs.services.imports import ImportFileError, map_headers, parse_csv

cell_text = st.text(alphabet=st.characters(blacklist_categories=["Cs"],
                                          blacklist_characters="\x00"), max_size=30)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_crash_the_reader(content):
    try:
        rows = parse_csv(content)
    except ImportFileError as error:
        assert str(error)
    else:
        assert all(isinstance(row, list) for row in rows)
        try:
            if rows:
                map_headers(rows[0])
        except ImportFileError as error:
            assert str(error)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(cell_text, min_size=3, max_size=3), min_size=1, max_size=8),
       st.sampled_from([",", ";", "\t"]))
def test_well_formed_csv_reads_back_the_same_cells(rows, delimiter):
    header = ["external_id", "country", "title_en"]
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows([header, *rows])
    assert parse_csv(buffer.getvalue().encode("utf-8")) == [header, *rows]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_any_text_decodes_or_is_refused(text):
    for encoding in ("utf-8", "utf-8-sig", "utf-16"):
        with contextlib.suppress(ImportFileError):
            rows = parse_csv(text.encode(encoding, errors="ignore"))
            assert isinstance(rows, list)
