"""SQL helpers: identifiers are always quoted through ``ident``, values always bound."""

from __future__ import annotations


def ident(name: str) -> str:
    """Quote an SQL identifier (table or column name) for DuckDB."""
    return '"' + str(name).replace('"', '""') + '"'


def literal(value: str) -> str:
    """Quote a string literal where DuckDB takes no parameter (e.g. table-function options)."""
    return "'" + str(value).replace("'", "''") + "'"
