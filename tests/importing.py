"""Helpers for tests that import: snapshot a case's contents, write small inputs."""

from __future__ import annotations

import duckdb


def snapshot(path) -> dict:
    """Every table's rows (sorted), read with a fresh read-only connection."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = [r[0] for r in con.execute(
            "SELECT table_name FROM duckdb_tables() ORDER BY 1").fetchall()]
        return {t: con.execute(f'SELECT * FROM "{t}" ORDER BY ALL').fetchall() for t in tables}
    finally:
        con.close()


def cancel_while_streaming(monkeypatch, progress, batches: int, table: str = "calls") -> None:
    """Cancel ``progress`` once ``batches`` batches of ``table``'s rows have gone into the case,
    while the insert runs (the import's watcher then interrupts it)."""
    import time

    import pyarrow as pa

    from workstation import ingest as ingest_mod

    real = ingest_mod._stream_into

    def slow(cur, name, reader):
        if name != table:
            return real(cur, name, reader)

        def gen():
            for i, b in enumerate(reader):
                if i == batches:
                    progress.cancel()
                    time.sleep(0.5)          # the watcher interrupts the running insert meanwhile
                yield b
        return real(cur, name, pa.RecordBatchReader.from_batches(reader.schema, gen()))

    monkeypatch.setattr(ingest_mod, "_stream_into", slow)
