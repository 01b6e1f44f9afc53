"""``minutes evaluate``: the RECORDS.md matching rules, and agreement with ../shared/eval/score.py."""
from __future__ import annotations

import copy
import json
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from extractor import evaluate as ev
from extractor.cli import main

from .conftest import CORPUS, SEED_DOCS, shared_path

SEED_GOLD = CORPUS / "gold"

# (type, gold, prediction, matches?) — one row per rule of the RECORDS.md table
MATCH_CASES = [
    ("item", {"number": "242", "title": "Monitoring the Services Commissioned to Babcock Prime"},
     {"number": "242", "title": "Monitoring the services commissioned to Babcock Prime."}, True),
    ("item", {"number": "242", "title": "Monitoring the Services"}, {"number": "243", "title": "Monitoring the Services"}, False),
    ("service", {"name": "Special Educational Needs & Disabilities"}, {"name": "special educational needs and disabilities"}, True),
    ("service", {"name": "School Admissions"}, {"name": "Home to School Transport"}, False),
    ("provider", {"name": "Cambridge Education"}, {"name": "Cambridge Education Ltd", "aliases": []}, True),
    ("provider", {"name": "CE"}, {"name": "Mott MacDonald", "aliases": ["CE"]}, True),
    ("provider", {"name": "Babcock Prime"}, {"name": "Capita", "aliases": ["CSG"]}, False),
    ("contract", {"provider": "Babcock Prime"}, {"provider": "Babcock Prime", "start_date": "2015-10-01"}, True),
    ("kpi", {"name": "children seen within 20 days", "value": 87, "period": "2016-07"},
     {"name": "percentage of children seen within 20 days", "value": 87.4, "period": "2016-07"}, True),
    ("kpi", {"name": "children seen", "value": 87, "period": "2016-07"},
     {"name": "children seen", "value": 87, "period": "2016-08"}, False),
    ("kpi", {"name": "children seen", "value": None, "period": None}, {"name": "children seen", "value": None, "period": None}, True),
    ("kpi", {"name": "children seen", "value": 87, "period": None}, {"name": "children seen", "value": 88, "period": None}, False),
    ("figure", {"value": 10800000, "unit": "GBP", "subject": "fee"}, {"value": 10.8e6 * 1.004, "unit": "GBP"}, True),
    ("figure", {"value": 10800000, "unit": "GBP"}, {"value": 10800000, "unit": "count"}, False),
    ("figure", {"value": 100, "unit": "count"}, {"value": 101, "unit": "count"}, False),
    ("recommendation", {"text": "That the Committee note the progress of the partnership"},
     {"text": "the Committee note the progress of the partnership."}, True),
    ("recommendation", {"text": "That the Committee note the report"}, {"text": "The Panel asked for a briefing on admissions"}, False),
    ("person", {"name": "Chris Munday"}, {"name": "chris  munday"}, True),
    ("person", {"name": "Chris Munday"}, {"name": "Chris Mundy"}, False),
]


@pytest.mark.parametrize("type_name,gold,pred,expected", MATCH_CASES)
def test_matching_rules(type_name, gold, pred, expected):
    assert bool(ev.MATCHERS[type_name](gold, pred)) is expected


def test_fold_drops_punctuation_and_ampersands_but_keeps_percent():
    assert ev.fold("  Learning & Achievement, (Services)  87% ") == "learning and achievement services 87%"
    assert ev.fold(None) == ""


def test_matching_is_one_to_one_best_first():
    golds = [{"name": "School Admissions"}, {"name": "School Admissions Appeals"}]
    preds = [{"name": "School Admissions Appeals"}]
    # the prediction is similar enough to both; it goes to the gold it matches best, once
    assert ev.match_records("service", golds, preds) == [(1, 0)]


def _paper(records: list[dict], key: str = "a" * 16) -> ev.GoldPaper:
    by_type: dict[str, list[dict]] = {}
    for r in records:
        by_type.setdefault(r["type"], []).append(r)
    return ev.GoldPaper(key=key, stem="p", path=Path("p.jsonl"), records=by_type)


def test_scores_and_attributes_on_a_small_case():
    doc = {"type": "document", "id": "a" * 16, "council": "Barnet", "committee": None, "doc_type": "report",
           "meeting_date": "2017-01-05", "title": "Progress report"}
    gold = _paper([doc,
                   {"type": "service", "name": "School Improvement", "status": "transferred", "provider": "Cambridge Education"},
                   {"type": "service", "name": "Admissions", "status": "retained", "provider": None},
                   {"type": "person", "name": "Chris Munday", "role": "Commissioning Director"}])
    preds = {"a" * 16: [
        dict(doc, doc="a" * 16, meeting_date=None),
        {"type": "service", "doc": "a" * 16, "name": "School improvement", "status": "commissioned", "provider": "Cambridge Education"},
        {"type": "service", "doc": "a" * 16, "name": "Catering", "status": "mentioned", "provider": None,
         "source": {"page": 2, "section": "1.3", "start": 0, "end": 8, "quote": "Catering"}},
    ]}
    result = ev.evaluate([gold], preds)
    service = result.types["service"]
    assert (service.tp, service.pred, service.gold) == (1, 2, 2)
    assert service.precision == service.recall == 0.5
    assert result.attributes["service.status"] == [0, 1]
    assert result.attributes["service.provider"] == [1, 1]
    assert result.types["person"].recall == 0.0
    assert result.document_fields["meeting_date"] == [0, 1]
    assert result.document_fields["committee"] == [1, 1]
    kinds = {(e.kind, e.type) for e in result.errors}
    assert {("miss", "service"), ("false_positive", "service"), ("miss", "person"),
            ("attribute", "service"), ("attribute", "document")} <= kinds
    # macro: service F1 0.5, person 0, document fields 4/5
    assert result.macro_f1 == pytest.approx((0.5 + 0.0 + 0.8) / 3)


def test_gold_scores_perfectly_against_itself():
    gold = ev.load_gold(SEED_GOLD)
    preds = ev.group_predictions(_as_predictions(gold))
    result = ev.evaluate(gold, preds)
    assert result.types and all(s.f1 == 1.0 for s in result.types.values() if s.gold)
    assert all(r == n for r, n in result.attributes.values())
    assert result.macro_f1 == 1.0


def _as_predictions(gold: list[ev.GoldPaper]) -> list[dict]:
    out = []
    for paper in gold:
        for records in paper.records.values():
            for r in records:
                out.append(dict(r, doc=paper.key))
    return out


def _perturb(records: list[dict], rng: random.Random) -> list[dict]:
    """Predictions a weak extractor might make: drops, paraphrases, wrong attributes, noise."""
    out = []
    for r in records:
        r = copy.deepcopy(r)
        roll = rng.random()
        if r["type"] == "document":
            for name in ("council", "committee", "meeting_date", "title", "doc_type"):
                if rng.random() < 0.3:
                    r[name] = rng.choice([None, "Somewhere", (r.get(name) or "x") + " extra words here"])
            out.append(r)
            continue
        if roll < 0.15:
            continue  # missed
        if roll < 0.35:
            for name in ("name", "title", "text", "provider", "subject", "role"):
                if isinstance(r.get(name), str):
                    words = r[name].split()
                    r[name] = " ".join(words[: max(1, len(words) - rng.randint(0, 3))])
        if roll > 0.8:
            for name, value in (("status", "mentioned"), ("kind", "decision"), ("period", "2099-01"),
                                ("value", (r.get("value") or 0) * 1.003 + rng.choice([0, 0.4, 7])),
                                ("start_date", "2001-01-01"), ("annual_value_gbp", 1.0)):
                if name in r and rng.random() < 0.5:
                    r[name] = value
        out.append(r)
        if rng.random() < 0.2:  # a duplicate, or a near-copy competing for the same gold
            out.append(copy.deepcopy(r))
    out.append({"type": "figure", "doc": records[0]["doc"], "value": 12.0, "unit": "count", "subject": "noise",
                "text": "12", "source": {"page": None, "section": None, "start": 0, "end": 2, "quote": "12"}})
    return out


def _reference_scores(gold_dir: Path, preds_path: Path, *extra: str) -> dict:
    scorer = shared_path("eval", "score.py")
    out = subprocess.run([sys.executable, str(scorer), str(gold_dir), str(preds_path), "--json", *extra],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("which", ["seeds", "shared"])
def test_agrees_with_the_reference_scorer_on_perturbed_predictions(tmp_path, seed, which):
    gold_dir = SEED_GOLD if which == "seeds" else shared_path("corpus", "gold")
    gold = ev.load_gold(gold_dir)
    rng = random.Random(seed)
    preds = []
    for paper in gold:
        preds.extend(_perturb([dict(r, doc=paper.key) for rs in paper.records.values() for r in rs], rng))
    preds_path = tmp_path / "preds.jsonl"
    preds_path.write_text("".join(json.dumps(p) + "\n" for p in preds), encoding="utf-8")
    ours = ev.evaluate(gold, ev.load_predictions(preds_path)).to_dict()
    assert ours == _reference_scores(gold_dir, preds_path)
    assert 0 < ours["macro_f1"] < 1  # the perturbation did cost something
    only = ev.evaluate(gold, ev.load_predictions(preds_path), ["service", "kpi"]).to_dict()
    assert only == _reference_scores(gold_dir, preds_path, "--types", "service,kpi")


def test_agrees_with_the_reference_scorer_on_the_extractor_output(tmp_path):
    preds_path = tmp_path / "preds.jsonl"
    result = CliRunner().invoke(main, ["extract", *map(str, SEED_DOCS), "--format", "jsonl", "-o", str(preds_path)])
    assert result.exit_code == 0, result.output
    ours = CliRunner().invoke(main, ["evaluate", str(SEED_GOLD), "--docs", str(CORPUS / "docs"), "--json"])
    assert ours.exit_code == 0, ours.output
    assert json.loads(ours.output) == _reference_scores(SEED_GOLD, preds_path)


def test_cli_scores_a_predictions_file_and_shows_errors_with_quotes(tmp_path):
    gold = ev.load_gold(SEED_GOLD)
    preds = [dict(r, doc=p.key) for p in gold for rs in p.records.values() for r in rs if r["type"] != "person"]
    preds.append({"type": "person", "doc": gold[0].key, "name": "Nobody Atall", "role": None, "organisation": None,
                  "source": {"page": 3, "section": "4.2", "start": 10, "end": 30, "quote": "Nobody Atall, clerk"}})
    path = tmp_path / "p.jsonl"
    path.write_text("".join(json.dumps(p) + "\n" for p in preds), encoding="utf-8")
    result = CliRunner().invoke(main, ["evaluate", str(SEED_GOLD), "--predictions", str(path), "--show-errors"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "false positives" in out and "Nobody Atall, clerk" in out and "p.3" in out
    assert "missed" in out and "Chris Munday" in out
    data = json.loads(CliRunner().invoke(main, ["evaluate", str(SEED_GOLD), "--predictions", str(path),
                                                "--json", "--show-errors"]).output)
    assert data["types"]["service"]["f1"] == 1.0 and data["types"]["person"]["tp"] == 0
    assert any(e["kind"] == "false_positive" and e["record"]["name"] == "Nobody Atall" for e in data["errors"])


def test_docs_join_gold_by_file_stem_when_the_bytes_changed(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    for seed in SEED_DOCS[:2]:
        shutil.copy(seed, docs / seed.name)
    (docs / SEED_DOCS[0].name).write_text(SEED_DOCS[0].read_text(encoding="utf-8") + "\n\nAn added line.\n",
                                          encoding="utf-8")
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    for seed in SEED_DOCS[:2]:
        shutil.copy(SEED_GOLD / f"{seed.stem}.jsonl", gold_dir)
    gold = ev.load_gold(gold_dir)
    preds = ev.extract_predictions(gold, docs)
    assert set(preds) == {g.key for g in gold}


def test_unreadable_gold_is_one_clear_line(tmp_path):
    (tmp_path / "bad.jsonl").write_text('{"type": "document"}\nnot json\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["evaluate", str(tmp_path), "--predictions", str(tmp_path / "bad.jsonl")])
    assert result.exit_code == 1
    assert "bad.jsonl:2: not JSON" in result.output
    assert "Traceback" not in result.output


def test_unknown_type_is_refused():
    result = CliRunner().invoke(main, ["evaluate", str(SEED_GOLD), "--types", "servce"])
    assert result.exit_code == 1 and "unknown record type" in result.output
