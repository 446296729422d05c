"""The streamed CSV is, chunk for chunk, the file open data built in one piece before."""

from __future__ import annotations

import csv
import io

from hypothesis import given
from hypothesis import strategies as st
from projection.domain.csvline import CSV_COLUMNS, cell
from projection.web.open_data import csv_chunks

values = st.one_of(st.none(), st.integers(-5, 500), st.text(max_size=12),
                   st.sampled_from(["=SUM(A1)", "+1", "-2", "@x", "a,b", 'say "hi"', "换\r\n行"]))
rows = st.lists(st.fixed_dictionaries({k: values for k, _ in CSV_COLUMNS}), max_size=30)


def old_to_csv(rows) -> bytes:
    """open_data.to_csv as it was before the download was streamed."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([title for _, title in CSV_COLUMNS])
    for row in rows:
        writer.writerow([cell(row.get(key)) for key, _ in CSV_COLUMNS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


@given(rows, st.integers(1, 7))
def test_streamed_chunks_join_to_the_old_bytes(table, chunk_rows):
    chunks = list(csv_chunks(iter(table), chunk_rows))
    assert b"".join(chunks) == old_to_csv(table)
    assert len(chunks) == len(table) // chunk_rows + 1  # the file never sits whole in memory
