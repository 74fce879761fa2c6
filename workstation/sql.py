"""SQL helpers: identifiers are always quoted through ``ident``, values always bound."""

from __future__ import annotations


def ident(name: str) -> str:
    """Quote an SQL identifier (table or column name) for DuckDB."""
    return '"' + str(name).replace('"', '""') + '"'


def literal(value: str) -> str:
    """Quote a string literal where DuckDB takes no parameter (e.g. table-function options)."""
    return "'" + str(value).replace("'", "''") + "'"


def first(con, sql: str, params: list | None = None):
    """The first row of a query, or None.

    DuckDB 2.x leaves a result open after ``fetchone()`` until it is fetched to the
    end, which blocks the next statement on that connection; fetch it all instead.
    """
    rows = con.execute(sql, params or []).fetchall()
    return rows[0] if rows else None
