"""``minutes followup``: evidence in later papers, overdue by the due date, and a person's rulings remembered."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from extractor import ingest as ing
from extractor.analyses.followup import (FollowupError, FollowupQuery, apply_review, export_review, followup,
                                         paper_date, review_interactively)
from extractor.cli import main

from .conftest import shared_path

EARLIER = """London Borough of Barnet
Minutes of the Cabinet
Meeting held on 1 June 2019

1. Library services

RESOLVED that the Council review the library contract with Acme Ltd by 1 March 2020.

2. Parks

RESOLVED that the Council publish a new parks strategy by 1 January 2020.
"""
LATER_REPORT = """London Borough of Barnet
Cabinet
Date of meeting: 15 April 2020

Report on the library contract review

1. Summary

1.1 This report sets out the outcome of the review of the library contract with Acme Ltd, which Cabinet asked for in June 2019. The review of the library contract found that Acme Ltd met its targets.
"""
UNRELATED = """London Borough of Barnet
Minutes of the Audit Committee
Meeting held on 20 May 2020

1. Treasury management

The Committee noted the treasury management outturn for the year and thanked the finance team for its work on the investment strategy.
"""


def _ingest(folder: Path, papers: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in papers.items():
        (folder / name).write_text(text, encoding="utf-8")
    db = folder.parent / "m.db"
    summary = ing.ingest([folder], db, jobs=1)
    assert not summary.failures
    return db


@pytest.fixture(scope="module")
def chain(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("chain") / "barnet"
    return _ingest(root, {"2019-06-01_cabinet_minutes.txt": EARLIER, "2020-04-15_cabinet_report.txt": LATER_REPORT,
                          "2020-05-20_audit_minutes.txt": UNRELATED})


def _by_text(rows: list[dict]) -> dict[str, dict]:
    return {r["text"].split(" by ")[0]: r for r in rows}


def test_a_later_report_on_the_recommendation_is_its_evidence(chain):
    rows = _by_text(followup(chain, FollowupQuery(as_of="2021-01-01")))
    library = rows["that the Council review the library contract with Acme Ltd"]
    assert library["status"] == "followed up" and library["review"] == "proposed"
    assert library["evidence_paper"] == "2020-04-15_cabinet_report.txt" and library["evidence_date"] == "2020-04-15"
    assert "review of the library contract with Acme Ltd" in library["evidence_quote"]
    assert library["score"] >= 0.6 and library["evidence_order"] == "later"
    assert library["kind"] == "resolution" and library["date"] == "2019-06-01"


def test_no_evidence_is_overdue_once_the_due_date_has_passed(chain):
    parks = _by_text(followup(chain, FollowupQuery(as_of="2021-01-01")))["that the Council publish a new parks strategy"]
    assert parks["status"] == "overdue" and parks["due"] == "2020-01-01" and parks["evidence_paper"] is None
    before = _by_text(followup(chain, FollowupQuery(as_of="2019-12-01")))["that the Council publish a new parks strategy"]
    assert before["status"] == "no evidence yet"


def test_evidence_must_come_later_and_from_the_same_council(tmp_path):
    # the report predates the resolution: it cannot be its follow-up
    db = _ingest(tmp_path / "barnet", {"2019-06-01_cabinet_minutes.txt": EARLIER,
                                       "2018-04-15_cabinet_report.txt": LATER_REPORT.replace("15 April 2020", "15 April 2018")})
    rows = _by_text(followup(db, FollowupQuery(as_of="2019-07-01")))
    assert rows["that the Council review the library contract with Acme Ltd"]["status"] == "no evidence yet"
    other = _ingest(tmp_path / "other" / "kent", {"2020-04-15_cabinet_report.txt": LATER_REPORT.replace("Barnet", "Kent")})
    assert other  # a second database: the papers of another council never answer Barnet's resolutions
    rows = followup(other, FollowupQuery())
    assert all(r["council"] == "Kent" for r in rows)


def test_filters_and_bad_dates(chain):
    assert followup(chain, FollowupQuery(council="Kent")) == []
    assert len(followup(chain, FollowupQuery(council="barnet", committee="cabinet"))) == 2
    assert followup(chain, FollowupQuery(since="2020")) == []
    assert len(followup(chain, FollowupQuery(until="2019-06"))) == 2
    with pytest.raises(FollowupError):
        followup(chain, FollowupQuery(since="last year"))


def test_rulings_through_a_csv_win_next_time(tmp_path):
    db = _ingest(tmp_path / "barnet", {"2019-06-01_cabinet_minutes.txt": EARLIER,
                                       "2020-04-15_cabinet_report.txt": LATER_REPORT})
    review = tmp_path / "review.csv"
    assert export_review(followup(db, FollowupQuery(as_of="2021-01-01")), review) == 1
    with open(review, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    rows[0]["decision"] = "reject"
    with open(review, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    stored, problems = apply_review(db, review)
    assert stored == 1 and not problems
    library = _by_text(followup(db, FollowupQuery(as_of="2021-01-01")))["that the Council review the library contract with Acme Ltd"]
    assert library["status"] == "overdue" and library["evidence_key"] is None  # rejected evidence is not proposed again
    # a confirmed link wins even over a higher bar than its score
    stored, _ = apply_review(db, _write_review(tmp_path / "confirm.csv", rows[0] | {"decision": "confirm"}))
    library = _by_text(followup(db, FollowupQuery(as_of="2021-01-01", min_score=0.99)))[
        "that the Council review the library contract with Acme Ltd"]
    assert library["status"] == "followed up" and library["review"] == "confirmed"
    assert library["evidence_paper"] == "2020-04-15_cabinet_report.txt"


def _write_review(path: Path, row: dict) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(row))
        writer.writeheader()
        writer.writerow(row)
    return path


def test_a_review_file_with_bad_rows_names_them(tmp_path, chain):
    bad = _write_review(tmp_path / "bad.csv", {"decision": "maybe", "recommendation_key": "a:b", "evidence_key": "c:d"})
    stored, problems = apply_review(chain, bad)
    assert stored == 0 and len(problems) == 1 and "bad.csv:2" in problems[0] and "maybe" in problems[0]
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("name,score\nx,1\n", encoding="utf-8")
    with pytest.raises(FollowupError, match="not a follow-up review file"):
        apply_review(chain, wrong)


def test_interactive_review_stores_each_ruling(tmp_path):
    db = _ingest(tmp_path / "barnet", {"2019-06-01_cabinet_minutes.txt": EARLIER,
                                       "2020-04-15_cabinet_report.txt": LATER_REPORT})
    rows = followup(db, FollowupQuery())
    asked = []
    assert review_interactively(db, rows, lambda row: asked.append(row) or "c") == 1
    assert len(asked) == 1
    again = followup(db, FollowupQuery())
    assert [r["review"] for r in again if r["status"] == "followed up"] == ["confirmed"]
    assert review_interactively(db, again, lambda row: "c") == 0  # nothing left to rule on


def test_cli_csv_jsonl_and_review_round_trip(chain, tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["followup", "--db", str(chain), "--as-of", "2021-01-01", "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    followed = [r for r in rows if r["status"] == "followed up"]
    assert len(rows) == 2 and len(followed) == 1
    for key in ("text", "kind", "paper", "date", "page", "evidence_paper", "evidence_date", "evidence_page",
                "evidence_quote", "score"):
        assert key in followed[0]
    out = tmp_path / "tracker.csv"
    result = runner.invoke(main, ["followup", "--db", str(chain), "-o", str(out)])
    assert result.exit_code == 0 and out.read_text(encoding="utf-8").startswith("status,score")
    result = runner.invoke(main, ["followup", "--db", str(chain), "--export-review", str(tmp_path / "r.csv")])
    assert result.exit_code == 0 and "1 proposal(s)" in result.output
    result = runner.invoke(main, ["followup", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1 and "no corpus database" in result.output
    result = runner.invoke(main, ["followup", "--db", str(chain), "--review"])
    assert result.exit_code == 2 and "terminal" in result.output


def test_paper_date_falls_back_on_the_file_name():
    assert paper_date("2020-01-02", "x_2019-05-06.pdf") == "2020-01-02"
    assert paper_date(None, "kent_cc_council_2025-03-13_report.pdf") == "2025-03-13"
    assert paper_date(None, "decision_24-00093.pdf") is None


def test_the_kent_family_hubs_chain(tmp_path):
    extra = shared_path("corpus", "extra")
    names = ["kent_cc_24-00093_commissioned_family_hub_contracts_decision_report.pdf",
             "kent_cc_council_2025-03-13_scrutiny_call-in_family_hubs_report.pdf",
             "kent_cc_council_2025-03-13_family_hubs_executive_response.pdf",
             "kent_cc_county_council_minutes_2025-03-13.pdf", "kent_cc_cabinet_minutes_2025-01-30.pdf"]
    folder = tmp_path / "kent"
    folder.mkdir()
    for name in names:
        (folder / name).write_bytes((extra / name).read_bytes())
    db = tmp_path / "k.db"
    assert not ing.ingest([folder], db, jobs=2).failures
    rows = followup(db, FollowupQuery(council="Kent"))
    decision = [r for r in rows if r["paper"] == names[0]]
    followed = [r for r in decision if r["status"] == "followed up"]
    assert decision and followed
    # the valuations the cabinet committee asked for are reported in the executive response
    assert any("valuation" in r["text"].lower() and r["evidence_paper"] == names[2]
               and "valuation" in r["evidence_quote"].lower() for r in followed)
    # the decision report has no date, but the papers citing its reference (Decision no: 24/00093) come after it
    assert all(r["evidence_order"] == "later" for r in followed)
    assert not any(r["evidence_paper"] == names[0] for r in rows)  # nothing is followed up by an earlier paper
    assert all(r["evidence_paper"] != r["paper"] for r in followed)


def test_terminal_review_shows_each_proposal_and_stores_the_answer(tmp_path, monkeypatch, capsys):
    from rich.prompt import Prompt

    from extractor.analyses.followup import rich_review

    db = _ingest(tmp_path / "barnet", {"2019-06-01_cabinet_minutes.txt": EARLIER,
                                       "2020-04-15_cabinet_report.txt": LATER_REPORT})
    monkeypatch.setattr(Prompt, "ask", classmethod(lambda cls, *a, **k: "r"))
    assert rich_review(db, followup(db, FollowupQuery())) == 1
    shown = capsys.readouterr().out
    assert "1 proposed follow-up link(s)" in shown and "Acme Ltd" in shown and "2020-04-15_cabinet_report.txt" in shown
    library = _by_text(followup(db, FollowupQuery(as_of="2021-01-01")))[
        "that the Council review the library contract with Acme Ltd"]
    assert library["status"] == "overdue"  # rejected, and past its due date


def test_a_resolution_that_says_little_is_traced_through_its_item(tmp_path):
    noted = ("London Borough of Barnet\nMinutes of the Cabinet\nMeeting held on 1 June 2019\n\n"
             "1. Review of the Acme Ltd library contract\n\nRESOLVED that the report be noted and progress reported back.\n")
    db = _ingest(tmp_path / "barnet", {"2019-06-01_minutes.txt": noted, "2020-04-15_cabinet_report.txt": LATER_REPORT})
    [row] = followup(db, FollowupQuery())
    assert row["status"] == "followed up" and row["evidence_paper"] == "2020-04-15_cabinet_report.txt"
    assert {"library", "contract"} <= set(row["matched_on"])  # words of the item's title, not of the resolution


def test_a_date_before_the_meeting_is_not_a_deadline(tmp_path):
    minutes = ("London Borough of Barnet\nMinutes of the Cabinet\nMeeting held on 1 June 2019\n\n1. Parks\n\n"
               "RESOLVED that the Council publish the parks strategy agreed by 1 January 2019.\n")
    db = _ingest(tmp_path / "barnet", {"2019-06-01_minutes.txt": minutes})
    [row] = followup(db, FollowupQuery(as_of="2021-01-01"))
    assert row["due"] == "2019-01-01" and row["status"] == "no evidence yet"


def test_rulings_survive_a_forced_re_ingest(tmp_path):
    folder = tmp_path / "barnet"
    db = _ingest(folder, {"2019-06-01_cabinet_minutes.txt": EARLIER, "2020-04-15_cabinet_report.txt": LATER_REPORT})
    assert review_interactively(db, followup(db, FollowupQuery()), lambda row: "c") == 1
    assert not ing.ingest([folder], db, jobs=1, force=True).failures  # new row ids for every block and record
    confirmed = [r for r in followup(db, FollowupQuery()) if r["review"] == "confirmed"]
    assert len(confirmed) == 1 and confirmed[0]["evidence_paper"] == "2020-04-15_cabinet_report.txt"


def test_a_paper_citing_an_undated_papers_reference_comes_after_it(tmp_path):
    decision = ("London Borough of Barnet\nDecision no: 19/00012\n\nLibrary contract\n\n"
                "RESOLVED that the Council review the library contract with Acme Ltd.\n")
    citing = ("London Borough of Barnet\nScrutiny report\n\n1. Call-in of Decision 19/00012\n\n"
              "1.1 The Committee considered the review of the library contract with Acme Ltd under Decision 19/00012.\n")
    db = _ingest(tmp_path / "barnet", {"decision.txt": decision, "scrutiny.txt": citing})
    rows = {r["paper"]: r for r in followup(db, FollowupQuery())}
    assert rows["decision.txt"]["status"] == "followed up"
    assert rows["decision.txt"]["evidence_paper"] == "scrutiny.txt"
    assert rows["decision.txt"]["evidence_order"] == "later" and "19/00012" in rows["decision.txt"]["matched_on"]
    # the other way round: the scrutiny report's own words are never answered by the paper it cites
    assert all(r["evidence_paper"] != "decision.txt" for r in rows.values())


def test_a_followup_query_does_not_import_spacy():
    """Follow-up runs at query time: its word lists are data, so it never pays spaCy's import."""
    import subprocess
    import sys

    code = ("import sys; from extractor.analyses import followup as f; words = f._stopwords(); "
            "assert 'the' in words and 'council' not in words; assert 'spacy' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).resolve().parent.parent)
