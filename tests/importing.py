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
