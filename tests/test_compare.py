"""``minutes compare``: services, providers and contracts across councils, with register ids and the paper that says so."""
from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest
from click.testing import CliRunner

from extractor.analyses.compare import CompareError, compare, pivot
from extractor.cli import main
from extractor.store import Store

from .conftest import SEED_DOCS


@pytest.fixture(scope="module")
def rows(db) -> list[dict]:
    return compare(db)


def test_each_council_names_its_provider_with_register_ids(rows):
    by_council = {}
    for r in rows:
        by_council.setdefault(r["council"], set()).add((r["provider"], r["provider_id"]))
    assert ("Babcock Prime", "babcock-prime") in by_council["Worcestershire"]
    assert ("Cambridge Education", "cambridge-education") in by_council["Barnet"]
    # services get their register ids too, so "Governor Services" and "Governors" meet
    governors = {r["council"] for r in rows if r["service_id"] == "governor-services"}
    assert {"Worcestershire", "Staffordshire"} <= governors


def test_a_service_carries_its_providers_contract_from_the_same_paper(rows):
    barnet = [r for r in rows if r["council"] == "Barnet" and r["provider"] == "Cambridge Education" and r["service"]]
    assert barnet
    terms = [r for r in barnet if r["annual_value_gbp"]]
    assert terms and all(r["annual_value_gbp"] == 10_800_000 and r["start_date"] == "2016-04-01" for r in terms)
    assert all(r["contract_quote"] and "Cambridge Education" in r["contract_quote"] for r in terms)


def test_every_row_cites_its_paper_with_an_exact_quote(rows):
    from extractor import load

    texts = {p.name: load(p).text for p in SEED_DOCS}
    for r in rows:
        assert r["paper"] in texts and len(r["doc"]) == 16
        assert r["quote"] and r["quote"] in texts[r["paper"]]


def test_the_same_service_published_twice_is_one_row(rows):
    keys = [(r["council"], (r["service"] or "").lower(), r["provider"], r["status"]) for r in rows if r["service"]]
    assert len(keys) == len(set(keys))


def test_reconciled_on_the_fly_without_writing_back(db, rows):
    assert any(r["service_id"] for r in rows)
    with Store(db, create=False, readonly=True) as store:
        stored = [json.loads(r[0]) for r in store.conn.execute("SELECT data FROM records WHERE type = 'service'")]
    assert stored and all(s.get("register_id") is None for s in stored)
    assert all(r["service_id"] is None for r in compare(db, reconcile=False))


def test_pivots(rows):
    services = pivot(rows, "service")
    improvement = next(r for r in services if r["service_id"] == "school-improvement")
    assert improvement["councils"] >= 3 and "Babcock Prime" in (improvement["Worcestershire"] or "")
    providers = {r["provider"]: r for r in pivot(rows, "provider")}
    assert providers["Babcock Prime"]["Worcestershire"] and providers["Babcock Prime"]["Barnet"] is None
    councils = {r["council"]: r for r in pivot(rows, "council")}
    assert councils["Barnet"]["annual_value_gbp"] == 10_800_000 and councils["Worcestershire"]["services"] >= 10
    with pytest.raises(CompareError):
        pivot(rows, "colour")


def test_council_filter(db):
    assert {r["council"] for r in compare(db, council="barnet")} == {"Barnet"}


def test_cli_exports_csv_xlsx_parquet(db, tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["compare", "--db", str(db), "--format", "csv"])
    assert result.exit_code == 0 and "Babcock Prime" in result.output and "Cambridge Education" in result.output
    for name in ("c.csv", "c.xlsx", "c.parquet"):
        out = tmp_path / name
        result = runner.invoke(main, ["compare", "--db", str(db), "--by", "provider", "-o", str(out)])
        assert result.exit_code == 0, result.output
        frame = {"csv": pd.read_csv, "xlsx": pd.read_excel, "parquet": pd.read_parquet}[name.split(".")[1]](out)
        assert "Babcock Prime" in set(frame["provider"]) and "Worcestershire" in frame.columns
    result = runner.invoke(main, ["compare", "--db", str(db), "--format", "parquet"])
    assert result.exit_code == 1 and "-o" in result.output


def test_save_ids_writes_register_ids_back_only_when_asked(db, tmp_path):
    copy = tmp_path / "copy.db"
    shutil.copy(db, copy)
    result = CliRunner().invoke(main, ["compare", "--db", str(copy), "--save-ids", "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    with Store(copy, create=False, readonly=True) as store:
        ids = {json.loads(r[0]).get("register_id") for r in store.conn.execute(
            "SELECT data FROM records WHERE type = 'provider'")}
    assert "babcock-prime" in ids and "cambridge-education" in ids
    assert {r["provider_id"] for r in compare(copy, reconcile=False)} >= {"babcock-prime", "cambridge-education"}
