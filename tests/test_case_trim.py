"""A cancelled import leaves the case file byte for byte as it was.

DuckDB writes the row groups of a large insert into the file as they fill, before the commit; a
rollback frees them, but they stay at the file's end.  ``Case.close`` cuts them when the session
committed nothing (the file's headers as they were when it opened), and only then."""

from __future__ import annotations

import pytest

from workstation import ingest as ingest_mod
from workstation.case import HEADER_BYTES, Case
from workstation.errors import Cancelled
from workstation.progress import Progress

from .importing import cancel_while_streaming, snapshot
from .test_import_rows_and_times import UNSIGNED, _big_csv, _bundle

ROWS = 600_000


@pytest.fixture(scope="module")
def big_bundle(tmp_path_factory):
    return _bundle(tmp_path_factory.mktemp("trim") / "big", _big_csv(ROWS))


def test_a_cancelled_import_leaves_the_file_byte_for_byte(case_path, big_bundle, tmp_path, monkeypatch):
    small = _bundle(tmp_path / "small", _big_csv(50))
    with Case.create(case_path, "trim") as case:
        assert ingest_mod.import_path(case, small, UNSIGNED).imported
    before = case_path.read_bytes()
    rows_before = snapshot(case_path)

    progress = Progress(min_interval=0)
    cancel_while_streaming(monkeypatch, progress, 3)    # row groups are in the file by then
    case = Case.open(case_path)
    with pytest.raises(Cancelled):
        ingest_mod.import_path(case, big_bundle, UNSIGNED, progress)
    # The rolled-back row groups are in the file while the case is open: without the cut at close
    # the file would stay this long.
    assert case_path.stat().st_size > len(before)
    case.close()
    assert case_path.read_bytes() == before
    assert snapshot(case_path) == rows_before

    # The file works on: the same bundle imported whole, then read back.
    monkeypatch.undo()
    with Case.open(case_path) as case:
        res = ingest_mod.import_path(case, big_bundle, UNSIGNED)
        assert res.imported and res.rows["calls"] == ROWS
    with Case.open(case_path, read_only=True) as case:
        assert case.con.execute("SELECT count(*), count(DISTINCT source_row) FROM calls").fetchall()[0] == (
            ROWS + 50, ROWS)


def test_a_session_that_committed_keeps_every_byte_it_wrote(case_path, tmp_path):
    """The cut is only for a session that committed nothing: one that imported keeps its file."""
    with Case.create(case_path, "trim"):
        pass
    before = case_path.read_bytes()
    with Case.open(case_path) as case:
        assert ingest_mod.import_path(case, _bundle(tmp_path / "b", _big_csv(200_000)), UNSIGNED).imported
    after = case_path.read_bytes()
    assert after[:HEADER_BYTES] != before[:HEADER_BYTES] and len(after) > len(before)
    with Case.open(case_path, read_only=True) as case:
        assert case.con.execute("SELECT count(*) FROM calls").fetchall()[0][0] == 200_000
