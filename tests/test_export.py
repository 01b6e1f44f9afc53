"""``minutes export``: one table per record type, joined with its paper's metadata, in CSV, JSONL, Parquet and XLSX."""
from __future__ import annotations

import json

import pandas as pd
import pytest
from click.testing import CliRunner

from extractor.cli import main
from extractor.outputs.export import ExportError, export, record_tables, write_frame
from extractor.store import Store


READERS = {"csv": pd.read_csv, "parquet": pd.read_parquet, "xlsx": pd.read_excel,
           "jsonl": lambda p: pd.read_json(p, lines=True)}


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet", "xlsx"])
def test_one_file_per_record_type_with_the_papers_metadata(db, tmp_path, fmt):
    written = export(db, tmp_path / "out", fmt)
    with Store(db, create=False, readonly=True) as store:
        counts = dict(store.conn.execute("SELECT type, count(*) FROM records GROUP BY type").fetchall())
    assert set(written) == set(counts)
    services = READERS[fmt](written["service"])
    assert len(services) == counts["service"]
    for column in ("council", "committee", "meeting_date", "title", "paper", "name", "status", "provider", "quote",
                   "page", "section", "duplicate_of"):
        assert column in services.columns
    worcs = services[services["council"] == "Worcestershire"]
    assert "Babcock Prime" in set(worcs["provider"]) and worcs["paper"].str.startswith("00").all()


def test_rows_carry_the_record_and_its_source(db):
    tables = record_tables(db)
    kpi = next(r for r in tables["kpi"] if r["period"] == "2016-07")
    assert kpi["value"] == 32 and kpi["council"] == "Barnet" and kpi["quote"] and kpi["start"] < kpi["end"]
    provider = next(r for r in tables["provider"] if r["name"] == "Cambridge Education")
    assert provider["aliases"] == ["CE"]
    unique = record_tables(db, include_duplicates=False)
    assert sum(map(len, unique.values())) < sum(map(len, tables.values()))  # the Worcestershire copy is left out
    assert all(r["duplicate_of"] is None for rows in unique.values() for r in rows)


def test_xlsx_cells_never_become_formulas(tmp_path):
    out = tmp_path / "x.xlsx"
    write_frame([{"quote": "=HYPERLINK(\"http://x\")", "n": 1, "list": ["a"]}], "xlsx", out)
    frame = pd.read_excel(out)
    assert frame["quote"][0].startswith("'=") and frame["list"][0] == json.dumps(["a"])


def test_bad_format_and_cli(db, tmp_path):
    with pytest.raises(ExportError):
        export(db, tmp_path / "x", "pdf")
    result = CliRunner().invoke(main, ["export", "--db", str(db), "--format", "parquet", "--unique", str(tmp_path / "p")])
    assert result.exit_code == 0, result.output
    assert "service\t" in result.output and (tmp_path / "p" / "service.parquet").exists()
    result = CliRunner().invoke(main, ["export", "--db", str(tmp_path / "none.db"), str(tmp_path / "q")])
    assert result.exit_code == 1 and "no corpus database" in result.output
