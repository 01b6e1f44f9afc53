"""Matching names to register ids: normalisation, decisions, quality on the corpus gold, the CLI."""
from __future__ import annotations

import csv
import hashlib
import json
from collections import defaultdict
from pathlib import Path

import pytest
from click.testing import CliRunner

from extractor.cli import main
from extractor.reconcile import (Decisions, Reconciler, Thresholds, normaliser_for, reconcile_records, read_names,
                                 apply_review, export_review)
from extractor.registers import load_registers, shipped_register
from extractor.errors import MinutesError
from tests.conftest import ROOT, shared_path

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def services() -> Reconciler:
    return Reconciler(shipped_register("services"))


@pytest.fixture(scope="module")
def providers() -> Reconciler:
    return Reconciler(shipped_register("providers"))


@pytest.mark.parametrize("raw, folded", [
    ("Early Years & Childcare", "early year childcare"),
    ("The Virtual School (not the Headteacher role)", "virtual school"),
    ("Governor Services", "governor"),
    ("Education Welfare Service", "education welfare"),
    ("Improvements to Princess Alice Park", "princess alice park"),
    ("Summer Florals 2018", "summer floral"),
    ("For the Provision of Bulky Waste Collection Services", "bulky waste collection"),
    ("Children&#039;s centres", "children centre"),
])
def test_normalisation(raw, folded):
    assert normaliser_for("services").fold(raw) == folded


def test_forms_keep_informative_asides_and_drop_negated_ones():
    forms = normaliser_for("services").forms
    assert "school improvement" in forms("School Support and Intervention (School Improvement)")
    assert forms("The Virtual School (not the Headteacher role)") == ["virtual school"]
    assert "education investigation" in forms("Education Investigation Service/Children in Entertainment & Employment")


def test_council_variants_land_on_one_entry(services):
    ids = {services.match(n).register_id for n in ("Governor Services", "Governors", "governor support services",
                                                    "Governor support service", "governor services team")}
    assert ids == {"governor-services"}


def test_babcock_names_are_one_group(providers):
    groups = set()
    for name in ("Babcock Prime", "Babcock 4S", "Babcock", "Babcock 4S Limited", "Babcock Prime Ltd"):
        m = providers.match(name)
        assert m.decision == "matched", (name, m)
        groups.add(providers.register.group_of(m.register_id))
    assert groups == {"babcock-international"}


@pytest.mark.parametrize("name, expected", [
    ("Cambridge Education (CE)", "cambridge-education"), ("CSG", "csg"), ("Customer Support Group", "csg"),
    ("BEP", "bep"), ("Entrust", "entrust"), ("Veolia Environmental Services", "veolia"), ("Serco", "serco"),
    ("Kier Highways", "kier"), ("SUEZ", "suez"), ("Compass Support", "compass-support"),
    ("Compass Group UK", "compass-group"), ("WM Fire Service", "west-midlands-fire-service"),
    ("Kier Construction", "kier"), ("Sodexo Education", "sodexo"), ("Capita Re", "re-regional-enterprise"),
])
def test_providers(providers, name, expected):
    m = providers.match(name)
    assert (m.register_id, m.decision) == (expected, "matched"), m.row()


def test_unknown_providers_are_not_forced_onto_a_known_one(providers):
    for name in ("Acme Waste Ltd", "Glendale", "Tivoli Group", "Compass"):
        m = providers.match(name)
        assert m.register_id is None, m.row()


def _check_quality(services: Reconciler, expected: dict[str, str]) -> None:
    matches = services.match_many(list(expected))
    correct = [m.name for m in matches if m.register_id == expected[m.name]]
    wrong = [(m.name, m.register_id, m.decision, expected[m.name]) for m in matches if m.register_id != expected[m.name]]
    assert len(correct) / len(expected) >= 0.95, wrong
    # a wrong answer is never a silent acceptance: it must be a close call or unmatched
    assert all(decision != "matched" for _, _, decision, _ in wrong), wrong
    # no two names meaning different services share an id
    meaning: dict[str, set[str]] = defaultdict(set)
    for m in matches:
        if m.register_id:
            meaning[m.register_id].add(expected[m.name])
    assert {k: v for k, v in meaning.items() if len(v) > 1} == {}


def test_quality_on_seed_gold_services(services):
    rows = list(csv.DictReader(open(DATA / "service_mapping.csv", encoding="utf-8")))
    assert len(rows) >= 40
    _check_quality(services, {r["name"]: r["register_id"] for r in rows})


def test_quality_on_every_gold_service(services):
    """Every service name in the corpus gold (shared papers' names are kept as hashes in tests/data)."""
    gold = shared_path("corpus", "gold")
    by_hash = {r["name_sha256"]: r["register_id"]
               for r in csv.DictReader(open(DATA / "service_mapping_shared.csv", encoding="utf-8"))}
    by_name = {r["name"]: r["register_id"] for r in csv.DictReader(open(DATA / "service_mapping.csv", encoding="utf-8"))}
    expected = {}
    for f in sorted(gold.glob("*.jsonl")):
        for line in f.read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            if rec.get("type") == "service":
                key = hashlib.sha256(rec["name"].encode()).hexdigest()[:16]
                expected[rec["name"]] = by_name.get(rec["name"]) or by_hash.get(key)
    missing = [n for n, v in expected.items() if v is None]
    assert missing == [], "gold service names without an expected id in tests/data"
    _check_quality(services, expected)


def test_agenda_boilerplate_is_never_matched(services):
    for name in ("Minutes of the previous meeting", "Apologies for absence", "Declarations of interest",
                 "Any other business", "Date of next meeting", "Capital programme", "Treasury", "Green"):
        m = services.match(name)
        assert m.decision != "matched" and m.register_id is None, m.row()


def test_nothing_below_the_bar_is_accepted(services):
    names = [line for line in (DATA / "service_mapping.csv").read_text().splitlines()[1:]] + [
        "Sona Arch", "Highways", "Waste", "Commercial Waste Collection", "Member development"]
    t = services.thresholds
    for m in services.match_many(names):
        if m.decision == "matched":
            assert m.score >= t.match and m.margin >= t.margin and m.register_id == m.best.id
        else:
            assert m.register_id is None


def test_candidates_explain_their_scores(services):
    m = services.match("School Support and Intervention (School Improvement)")
    top = m.best
    assert top.id == "school-improvement" and m.runner_up and m.margin == round(m.score - m.runner_up_score, 1)
    assert {"token_set", "token_sort", "alias_hit", "category", "coverage"} <= set(top.features)
    assert len(m.candidates) == services.limit


def test_category_penalises_other_categories(services):
    plain = services.match("catering")
    asked = services.match("catering", category="education")
    assert plain.register_id == "catering"
    assert asked.best.id == "school-meals" or asked.best.score < plain.best.score


def test_batch_equals_extract_one_reference(services):
    rows = list(csv.DictReader(open(DATA / "service_mapping.csv", encoding="utf-8")))
    names = [r["name"] for r in rows] + ["recyling centres", "Lollipop patrols", "Press office", "Trim Trail"]
    fresh = Reconciler(shipped_register("services"))
    for m in fresh.match_many(names):
        ref_id, ref_score = fresh.reference_best(m.name)
        assert (m.best.id, m.best.score) == (ref_id, ref_score), m.name


def test_thresholds_are_validated():
    with pytest.raises(MinutesError):
        Thresholds(match=50, review=70)


def test_decisions_win_and_are_remembered(tmp_path):
    path = tmp_path / "decisions.csv"
    decisions = Decisions(path)
    r = Reconciler(shipped_register("services"), decisions=decisions)
    assert r.match("Press and PR - Concerts 18").decision == "review"
    decisions.record("services", "Press and PR - Concerts 18", "communications", "accept")
    decisions.record("services", "Sona Arch - Mere Green", "public-art", "alias")
    decisions.record("services", "Financial Statements", None, "reject")
    decisions.save()
    again = Reconciler(shipped_register("services"), decisions=Decisions(path))
    m = again.match("Press and PR - Concerts 18")
    assert (m.register_id, m.decision, m.score) == ("communications", "confirmed", 100.0)
    assert again.match("sona arch - mere green").register_id == "public-art"   # same name, other case
    rejected = again.match("Financial Statements")
    assert (rejected.register_id, rejected.decision) == (None, "rejected")


def test_reconcile_records_fills_services_and_providers(services, providers):
    records = [
        {"type": "document", "doc": "0" * 16, "id": "0" * 16},
        {"type": "service", "doc": "0" * 16, "name": "Governors", "status": "commissioned", "provider": "Entrust",
         "register_id": None, "match_score": None},
        {"type": "service", "doc": "0" * 16, "name": "Sona Arch - Mere Green", "status": "commissioned",
         "provider": None, "register_id": None, "match_score": None},
        {"type": "provider", "doc": "0" * 16, "name": "Babcock Prime", "kind": "company", "aliases": ["Babcock"]},
    ]
    reviews: dict = {}
    out = list(reconcile_records(records, services, providers, reviews=reviews))
    assert out[0] == records[0]
    assert (out[1]["register_id"], out[1]["match_score"]) == ("governor-services", 100.0)
    assert out[2]["register_id"] is None and 0 < out[2]["match_score"] < 88
    assert out[3]["register_id"] == "babcock-prime"
    assert ("services", "Sona Arch - Mere Green") in reviews


def test_read_names_plain_and_csv(tmp_path):
    plain = tmp_path / "names.txt"
    plain.write_text("Governors\n\nSchool Improvement, traded\n", encoding="utf-8")
    assert read_names(plain) == ["Governors", "School Improvement, traded"]
    table = tmp_path / "names.csv"
    table.write_text("council,service\nBarnet,IT service\nKent,\n", encoding="utf-8")
    assert read_names(table, "service") == ["IT service"]
    with pytest.raises(MinutesError, match="no column 'provider'"):
        read_names(table, "provider")


def test_review_csv_round_trip_through_the_cli(tmp_path):
    runner = CliRunner()
    names = tmp_path / "mine.csv"
    names.write_text("council,service\nWorcestershire,Governor Services\nStaffordshire,Governors\n"
                     "Barnet,governor support services\nX,Press and PR - Concerts 18\nY,Sona Arch - Mere Green\n",
                     encoding="utf-8")
    decisions = tmp_path / "decisions.csv"
    review = tmp_path / "review.csv"
    first = runner.invoke(main, ["reconcile", "--names", str(names), "--column", "service", "--format", "csv",
                                 "--decisions", str(decisions), "--export-review", str(review)])
    assert first.exit_code == 0, first.output
    rows = list(csv.DictReader(first.stdout.splitlines()))
    assert [r["register_id"] for r in rows[:3]] == ["governor-services"] * 3
    assert {r["decision"] for r in rows[3:]} == {"review"} and all(not r["register_id"] for r in rows[3:])
    filled = list(csv.DictReader(open(review, encoding="utf-8")))
    assert [r["name"] for r in filled] == ["Press and PR - Concerts 18", "Sona Arch - Mere Green"]
    filled[0]["choice"] = "1"
    filled[1]["choice"], filled[1]["alias"] = "public-art", "yes"
    with open(review, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(filled[0]))
        w.writeheader()
        w.writerows(filled)
    applied = runner.invoke(main, ["reconcile", "--apply", str(review), "--decisions", str(decisions)])
    assert applied.exit_code == 0, applied.output
    second = runner.invoke(main, ["reconcile", "--names", str(names), "--column", "service", "--format", "jsonl",
                                  "--decisions", str(decisions)])
    out = [json.loads(line) for line in second.stdout.splitlines()]
    assert [(o["register_id"], o["decision"]) for o in out[3:]] == [("communications", "confirmed"),
                                                                    ("public-art", "confirmed")]


def test_apply_names_bad_rows(tmp_path):
    review = tmp_path / "review.csv"
    export_review([Reconciler(shipped_register("services")).match("Sona Arch - Mere Green")], "services", review)
    text = review.read_text(encoding="utf-8").replace(",,\n", ",no-such-id,\n", 1)
    review.write_text(text, encoding="utf-8")
    recorded, problems = apply_review(review, load_registers(), Decisions(None))
    assert recorded == 0 and problems and "review.csv:2" in problems[0] and "no-such-id" in problems[0]


def test_interactive_review(tmp_path):
    path = tmp_path / "d.csv"
    answers = iter(["n public-art", "2"])
    names = tmp_path / "n.txt"
    names.write_text("Sona Arch - Mere Green\nPress and PR - Concerts 18\n", encoding="utf-8")
    from extractor.reconcile import run_reconcile
    messages: list[str] = []
    run_reconcile(names_path=names, fmt="csv", output=tmp_path / "out.csv", decisions_path=path, review=True,
                  ask=lambda prompt: next(answers), echo=messages.append)
    kept = {d.name: (d.register_id, d.action) for d in Decisions(path)}
    assert kept["Sona Arch - Mere Green"] == ("public-art", "alias")
    assert kept["Press and PR - Concerts 18"][1] == "accept"
    out = list(csv.DictReader(open(tmp_path / "out.csv", encoding="utf-8")))
    assert all(r["decision"] == "confirmed" for r in out)


def test_reconcile_extraction_file(tmp_path):
    lines = [
        json.dumps({"type": "service", "doc": "a" * 16, "name": "SEN Transport", "status": "commissioned",
                    "provider": "Passenger Transport Service", "register_id": None, "match_score": None,
                    "source": {"page": None, "section": None, "start": 0, "end": 3, "quote": "SEN"}}),
        "{not json",
        json.dumps({"type": "provider", "doc": "a" * 16, "name": "Passenger Transport Service", "kind": "council_body",
                    "aliases": ["PTS"], "source": {"page": None, "section": None, "start": 0, "end": 3, "quote": "PTS"}}),
    ]
    f = tmp_path / "x.jsonl"
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(main, ["reconcile", str(f), "-o", str(out), "--decisions", str(tmp_path / "d.csv")])
    assert result.exit_code == 1
    assert "x.jsonl:2: not a JSON record" in result.output and "Traceback" not in result.output
    recs = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert recs[0]["register_id"] == "sen-transport" and recs[0]["match_score"] == 100.0
    assert recs[1]["register_id"] == "passenger-transport-service-barnet"


def test_user_register_extends_or_replaces(tmp_path):
    mine = tmp_path / "mine.csv"
    mine.write_text("id,name,category,aliases,lgsl\ntown-crier,Town crier,communities-economy,bellman|town cryer,\n",
                    encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(main, ["reconcile", "--names", str(mine), "--column", "name", "--register", str(mine),
                                  "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert list(csv.DictReader(result.stdout.splitlines()))[0]["register_id"] == "town-crier"
    names = tmp_path / "n.txt"
    names.write_text("Governors\nbellman\n", encoding="utf-8")
    replaced = runner.invoke(main, ["reconcile", "--names", str(names), "--register", str(mine), "--replace-register",
                                    "--format", "csv"])
    rows = list(csv.DictReader(replaced.stdout.splitlines()))
    assert [r["register_id"] for r in rows] == ["", "town-crier"]
    assert (tmp_path / "mine.decisions.csv").exists() is False  # nothing decided, nothing written


def test_contracts_finder_providers(providers):
    """Provider names that appear in the Contracts Finder sample reconcile to their entries."""
    text = shared_path("registers", "mysociety_contract-countdown_uk_contracts_finder_council_contracts.csv").read_text(
        encoding="utf-8", errors="replace")
    expected = {"NPS Norwich Ltd": "nps-norwich", "Liverpool Streetscene Services Ltd": "liverpool-streetscene",
                "Canterbury Environment Company Limited": "canterbury-environment-company", "Serco": "serco",
                "Geminor UK Ltd": "geminor", "ENGIE Services Ltd": "engie", "Eastern Procurement Ltd": "eastern-procurement",
                "Berneslai Homes Ltd": "berneslai-homes", "Norwich City Services Limited": "norwich-city-services",
                "United Utilities Plc": "united-utilities"}
    for name, pid in expected.items():
        assert name in text
        m = providers.match(name)
        assert (m.register_id, m.decision) == (pid, "matched"), m.row()


def test_contracts_finder_titles_land_in_the_right_area(services):
    """Real council contract titles: what is matched sits in the service area its CPV code says
    (90: sewage, refuse, cleaning and environment; 09: fuel and energy; 55: catering)."""
    path = shared_path("registers", "mysociety_contract-countdown_uk_contracts_finder_council_contracts.csv")
    with open(path, encoding="utf-8", errors="replace", newline="") as fh:
        cpv = {}
        for row in csv.DictReader(fh):
            cpv.setdefault(row["tender_title"], row["classification_id"][:2])
    areas = {"90": {"waste-environment", "corporate"}, "09": {"waste-environment"},
             "55": {"corporate", "education", "adult-social-care"}}
    titles = [t for t, code in cpv.items() if code in areas]
    matches = [m for m in services.match_many(titles) if m.decision == "matched"]
    assert len(matches) >= 100
    consistent = [m for m in matches if services.register.get(m.register_id).category in areas[cpv[m.name]]]
    assert len(consistent) / len(matches) >= 0.9


def test_reconcile_the_corpus_database_in_place(tmp_path):
    import sqlite3

    db = tmp_path / "corpus.db"
    runner = CliRunner()
    ingested = runner.invoke(main, ["ingest", str(ROOT / "corpus" / "docs" / "002_16938f72451128da.txt"), "--db", str(db)])
    assert ingested.exit_code == 0, ingested.output
    result = runner.invoke(main, ["reconcile", "--db", str(db), "--decisions", str(tmp_path / "d.csv")])
    assert result.exit_code == 0, result.output
    with sqlite3.connect(db) as conn:
        rows = [json.loads(d) for (d,) in conn.execute("SELECT data FROM records WHERE type IN ('service', 'provider')")]
    by_name = {r["name"]: r["register_id"] for r in rows}
    assert by_name.get("governor support services") == "governor-services"
    assert by_name.get("Cambridge Education") == "cambridge-education"
    assert all(r["register_id"] for r in rows if r["type"] == "service")


from hypothesis import given, settings, strategies as st  # noqa: E402


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=60), min_size=1, max_size=5))
def test_any_text_gets_a_consistent_answer(names):
    r = _PROPERTY_RECONCILER
    for m in r.match_many(names):
        assert m.decision in ("matched", "review", "unmatched")
        assert 0 <= m.score <= 100
        assert (m.register_id is not None) == (m.decision == "matched")
        assert [c.score for c in m.candidates] == sorted((c.score for c in m.candidates), reverse=True)


_PROPERTY_RECONCILER = Reconciler(shipped_register("services"))
