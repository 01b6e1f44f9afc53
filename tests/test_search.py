"""``minutes search``: FTS5 over the stored blocks, with citations, filters and every output format."""
from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from extractor.analyses.search import SearchError, SearchQuery, search
from extractor.cli import main

from .conftest import SEED_DOCS


def _cli(*args: str):
    return CliRunner().invoke(main, ["search", *args])


def test_hits_cite_council_paper_doc_and_section(db):
    hits = search(db, SearchQuery("Babcock"))
    assert len(hits) >= 3
    assert all("babcock" in h["text"].lower() and "**" in h["snippet"] for h in hits)
    seed_names = {p.name for p in SEED_DOCS}
    assert {h["paper"] for h in hits} <= seed_names
    assert all(len(h["doc"]) == 16 and h["council"] for h in hits)
    assert any(h["section"] for h in hits)  # minutes items and numbered paragraphs are cited by number


def test_a_passage_published_twice_is_shown_once_and_names_the_copy(db):
    hits = search(db, SearchQuery('"Weekly commissioning meetings"'))
    assert len(hits) == 1 and hits[0]["also_in"]
    both = search(db, SearchQuery('"Weekly commissioning meetings"', include_duplicates=True))
    assert len(both) == 2 and {h["paper"] for h in both} == {SEED_DOCS[0].name, SEED_DOCS[1].name}


def test_filters_by_council_date_and_record_type(db):
    all_hits = search(db, SearchQuery("school"))
    barnet = search(db, SearchQuery("school", council="barnet"))
    assert barnet and all(h["council"] == "Barnet" for h in barnet) and len(barnet) < len(all_hits)
    dated = [h for h in all_hits if h["date"]]
    assert dated, "the seeds have meeting dates"
    year = min(h["date"] for h in dated)[:4]
    since = search(db, SearchQuery("school", since=str(int(year) + 1)))
    until = search(db, SearchQuery("school", until=year))
    assert all(h["date"] and h["date"][:4] > year for h in since)
    assert all(h["date"] and h["date"][:4] <= year for h in until)
    assert len(since) + len(until) == len(dated)
    typed = search(db, SearchQuery("Babcock", record_type="provider"))
    assert typed and all(h["records"] and all(r["type"] == "provider" for r in h["records"]) for h in typed)
    assert len(typed) < len(search(db, SearchQuery("Babcock")))


def test_queries_that_are_not_fts_syntax_still_search(db):
    assert search(db, SearchQuery("Babcock-Prime"))
    assert search(db, SearchQuery("council: Babcock"))
    with pytest.raises(SearchError):
        search(db, SearchQuery("   "))
    with pytest.raises(SearchError, match="not a date"):
        search(db, SearchQuery("Babcock", since="last year"))


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "table"])
def test_cli_formats(db, fmt):
    result = _cli("Babcock", "--db", str(db), "--format", fmt)
    assert result.exit_code == 0, result.output
    if fmt == "jsonl":
        rows = [json.loads(line) for line in result.stdout.splitlines()]
        assert rows and all("babcock" in json.dumps(r).lower() for r in rows)
        assert any(r["paper"] == SEED_DOCS[0].name for r in rows)
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(result.stdout)))
        assert rows and {"council", "date", "paper", "doc", "page", "section", "snippet"} <= set(rows[0])
    else:
        assert "Babcock" in result.stdout and "paper" in result.stdout


def test_cli_writes_xlsx_and_csv_files(db, tmp_path):
    out = tmp_path / "hits.xlsx"
    result = _cli("Babcock", "--db", str(db), "-o", str(out))
    assert result.exit_code == 0, result.output
    from openpyxl import load_workbook

    sheet = load_workbook(out).active
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    assert "snippet" in header and sheet.max_row >= 4
    assert _cli("Babcock", "--db", str(db), "--format", "xlsx").exit_code == 1  # not to a terminal
    out_csv = tmp_path / "hits.csv"
    assert _cli("Babcock", "--db", str(db), "-o", str(out_csv)).exit_code == 0
    assert out_csv.read_text(encoding="utf-8").startswith("council,")


def test_cli_without_a_database_says_so(tmp_path):
    result = _cli("Babcock", "--db", str(tmp_path / "none.db"))
    assert result.exit_code == 1
    assert "run `minutes ingest" in result.stderr and "Traceback" not in result.output


def test_listing_output_guards_spreadsheets_and_picks_formats(tmp_path):
    from openpyxl import load_workbook

    from extractor.outputs.table import choose_format, write_rows

    assert choose_format(None, tmp_path / "x.CSV") == "csv"
    assert choose_format(None, tmp_path / "x.xlsx") == "xlsx"
    assert choose_format("jsonl", tmp_path / "x.xlsx") == "jsonl"
    rows = [{"council": "Kent", "text": "=HYPERLINK(\"http://evil\")", "also_in": ["a.pdf"], "n": 3}]
    out = tmp_path / "x.xlsx"
    write_rows(rows, "xlsx", out, title="hits: [1]")
    sheet = load_workbook(out).active
    values = [c.value for c in list(sheet.iter_rows())[1]]
    # a paper's text never becomes a formula; lists are JSON; numbers stay numbers
    assert values == ["Kent", "'=HYPERLINK(\"http://evil\")", '["a.pdf"]', 3]
