"""Listing output shared by the corpus commands: a rich table, CSV, JSONL or XLSX, to stdout or ``-o FILE``.

Every listing command (search, followup, compare, kpis, …) builds a list of
flat dict rows and hands them to ``write_rows``; the format and file handling
live here once.
"""
from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Any, Iterable, Sequence

from ..errors import MinutesError

LISTING_FORMATS = ["table", "csv", "jsonl", "xlsx"]
_SUFFIX_FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".json": "jsonl", ".ndjson": "jsonl", ".xlsx": "xlsx",
                   ".txt": "table"}
# ``**word**`` in a cell marks a search hit; the table draws it bold, other formats keep the stars.
EMPHASIS = "**"


class OutputError(MinutesError):
    """The rows cannot be written as asked (say, XLSX to a terminal)."""


def choose_format(fmt: str | None, output: Path | None) -> str:
    """The user's format; else from ``-o``'s suffix; else a table on a terminal and JSONL in a pipe."""
    if fmt:
        return fmt
    if output is not None:
        return _SUFFIX_FORMATS.get(output.suffix.lower(), "jsonl")
    return "table" if sys.stdout.isatty() else "jsonl"


def _flat(value: Any) -> Any:
    """Lists and dicts as JSON text for CSV and XLSX cells."""
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return value


def write_rows(rows: Sequence[dict], fmt: str, output: Path | None = None, *, columns: Sequence[str] | None = None,
               table_columns: Sequence[str] | None = None, title: str | None = None) -> None:
    """Write ``rows`` in ``fmt`` to ``output`` (stdout when None).

    ``columns`` orders the fields (default: the first row's keys, then any
    others in order of appearance); ``table_columns`` picks the ones a
    terminal table shows (all of them by default).
    """
    columns = list(columns) if columns else _columns(rows)
    if fmt == "jsonl":
        with _open_text(output) as fh:
            for row in rows:
                fh.write(json.dumps({c: row.get(c) for c in columns}, ensure_ascii=False, default=str) + "\n")
    elif fmt == "csv":
        with _open_text(output, newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(columns)
            for row in rows:
                writer.writerow(["" if row.get(c) is None else _flat(row.get(c)) for c in columns])
    elif fmt == "xlsx":
        _write_xlsx(rows, columns, output, title)
    elif fmt == "table":
        _write_table(rows, list(table_columns or columns), output, title)
    else:
        raise OutputError(f"unknown output format {fmt!r} (choose from {', '.join(LISTING_FORMATS)})")


def _columns(rows: Iterable[dict]) -> list[str]:
    seen: dict[str, None] = {}
    for row in rows:
        for key in row:
            seen.setdefault(key, None)
    return list(seen)


class _open_text:
    """stdout, or a file opened for writing (closed afterwards; stdout is left open)."""

    def __init__(self, output: Path | None, newline: str | None = None):
        self.output = output
        self.newline = newline
        self.fh = None

    def __enter__(self):
        if self.output is None:
            return sys.stdout
        try:
            self.fh = open(self.output, "w", encoding="utf-8", newline=self.newline)
        except OSError as exc:
            raise OutputError(f"{self.output}: cannot write ({exc.strerror or exc})") from None
        return self.fh

    def __exit__(self, *exc) -> None:
        if self.fh is not None:
            self.fh.close()


def _write_xlsx(rows: Sequence[dict], columns: list[str], output: Path | None, title: str | None) -> None:
    if output is None:
        raise OutputError("xlsx is a file format: give -o FILE.xlsx")
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet((title or "rows")[:31].translate({ord(c): " " for c in "[]:*?/\\"}))
    sheet.append(columns)
    for row in rows:
        sheet.append([_xlsx_cell(row.get(c)) for c in columns])
    try:
        book.save(output)
    except OSError as exc:
        raise OutputError(f"{output}: cannot write ({exc.strerror or exc})") from None


def _xlsx_cell(value: Any) -> Any:
    value = _flat(value)
    if isinstance(value, str):
        # a paper's text is untrusted: never let a cell become a formula, and strip characters XLSX refuses
        value = "".join(ch for ch in value if ch in "\t\n\r" or ord(ch) >= 32)
        if value[:1] in ("=", "+", "-", "@"):
            value = "'" + value
    return value


def _write_table(rows: Sequence[dict], columns: list[str], output: Path | None, title: str | None) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, show_lines=False)
    for col in columns:
        table.add_column(col, overflow="fold")
    for row in rows:
        table.add_row(*[_table_cell(row.get(c)) for c in columns])
    if output is None:
        Console().print(table)
    else:
        with _open_text(output) as fh:
            Console(file=fh, width=160).print(table)


def _table_cell(value: Any):
    from rich.text import Text

    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    text = str(_flat(value))
    if EMPHASIS not in text:
        return Text(text)
    out = Text()
    for i, part in enumerate(text.split(EMPHASIS)):
        out.append(part, style="bold yellow" if i % 2 else None)
    return out
