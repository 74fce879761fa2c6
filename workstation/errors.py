"""Exceptions the core raises.  Each carries a message fit to show an analyst."""

from __future__ import annotations


class LintasError(Exception):
    """Base of every error the core reports to the analyst (never a traceback)."""

    exit_code = 1


class Cancelled(LintasError):
    """Long work stopped because the analyst asked; nothing was changed."""

    def __init__(self, message: str = "cancelled by the analyst; nothing was changed") -> None:
        super().__init__(message)


class CaseError(LintasError):
    """The case file cannot be created or opened."""


class NotACaseError(CaseError):
    pass


class NewerSchemaError(CaseError):
    pass


class CaseLockedError(CaseError):
    pass


class QueryRefused(LintasError):
    """Analyst SQL that would change the case or touch files outside it, or that DuckDB cannot run
    (a column or table that does not exist, a syntax error): "the query failed: …"."""

    exit_code = 2


class Problem(dict):
    """One problem in an input: file, row, column, reason (any may be None)."""

    def __init__(self, reason: str, file: str | None = None, row: int | None = None,
                 column: str | None = None) -> None:
        super().__init__(file=file, row=row, column=column, reason=reason)

    def __str__(self) -> str:
        where = []
        if self["file"]:
            where.append(str(self["file"]))
        if self["row"] is not None:
            where.append(f"row {self['row']}")
        if self["column"]:
            where.append(f"column {self['column']!r}")
        return (", ".join(where) + ": " if where else "") + self["reason"]


class InputRefused(LintasError):
    """An input (bundle, file, package) was refused whole, with its problems listed."""

    def __init__(self, summary: str, problems: list[Problem]) -> None:
        self.problems = problems
        lines = [summary] + [f"  - {p}" for p in problems[:100]]
        if len(problems) > 100:
            lines.append(f"  … and {len(problems) - 100} more")
        super().__init__("\n".join(lines))
        self.summary = summary
