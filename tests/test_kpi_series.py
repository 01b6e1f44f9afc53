"""``minutes kpis``: KPI observations as time series — periods normalised to sortable keys, a table and an SVG chart."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import date

import pytest
from click.testing import CliRunner

from extractor import ingest as ing
from extractor.analyses.kpi_series import observations, period_key, series
from extractor.cli import main
from extractor.outputs.svg import Point, Series, line_chart


SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize("written, key, start", [
    ("2016-07", "2016-07", "2016-07-01"),
    ("July 2014", "2014-07", "2014-07-01"),
    ("Jul-16", "2016-07", "2016-07-01"),
    ("Q1 2016/17", "2016-04/2016-06", "2016-04-01"),       # a financial year's first quarter is April to June
    ("Quarter 3, 2024/25", "2024-10/2024-12", "2024-10-01"),
    ("Q4 2016/17", "2017-01/2017-03", "2017-01-01"),
    ("2016/17 Q2", "2016-07/2016-09", "2016-07-01"),
    ("2024/25", "2024-04/2025-03", "2024-04-01"),
    ("Q2 2019", "2019-04/2019-06", "2019-04-01"),           # a calendar quarter
    ("2016", "2016", "2016-01-01"),
    ("May 2015 to March 2016", "2015-05/2016-03", "2015-05-01"),
    ("as at 30 November 2024", "2024-11-30", "2024-11-30"),
])
def test_periods_as_written_become_sortable_keys(written, key, start):
    period = period_key(written)
    assert period is not None and period.key == key and period.start == date.fromisoformat(start)
    assert period.start <= period.end


@pytest.mark.parametrize("written", [None, "", "year to date", "2016/19"])
def test_no_period(written):
    assert period_key(written) is None


def test_keys_sort_in_time():
    written = ["Q3 2016/17", "2016-07", "Q1 2016/17", "2015/16", "March 2017"]
    ordered = sorted(written, key=lambda w: period_key(w).start)
    assert ordered == ["2015/16", "Q1 2016/17", "2016-07", "Q3 2016/17", "March 2017"]


def test_barnets_monthly_series_in_time_order(db):
    rows = observations(db, council="Barnet", measure="completions of new assessments")
    assert [r["period_key"] for r in rows] == ["2016-07", "2016-08", "2016-09", "2016-10", "2016-11"]
    assert [r["value"] for r in rows] == [32, 63, 78, 88, 94]
    assert all(r["unit"] == "percent" and r["paper"] == "002_16938f72451128da.txt" and r["quote"] for r in rows)
    groups = series(rows)
    assert len(groups) == 1 and len(groups[0]["points"]) == 5


def test_an_observation_repeated_in_a_later_paper_is_counted_once(tmp_path):
    report = ("London Borough of Barnet\nCabinet\nDate of meeting: {date}\n\n1. Performance\n\n"
              "1.1 The percentage of missed bin collections was 4% in July 2016.\n")
    folder = tmp_path / "barnet"
    folder.mkdir()
    (folder / "a.txt").write_text(report.format(date="1 September 2016"), encoding="utf-8")
    # the later paper repeats July's figure in other words (a verbatim copy is linked by the store already)
    later = report.format(date="1 October 2016").replace("1.1 The", "1.1 As reported last month, the")
    (folder / "b.txt").write_text(later + "\n1.2 The percentage of missed bin collections was 3% in August 2016.\n",
                                  encoding="utf-8")
    assert not ing.ingest([folder], tmp_path / "k.db", jobs=1).failures
    rows = observations(tmp_path / "k.db", measure="missed bin")
    assert [(r["period_key"], r["value"]) for r in rows] == [("2016-07", 4), ("2016-08", 3)]
    assert rows[0]["paper"] == "a.txt" and rows[0]["also_in"] == ["b.txt"]


def test_chart_is_valid_svg_with_a_point_per_observation_and_escaped_text():
    points = [Point(date(2016, m, 1).toordinal(), v, f"2016-{m:02d}") for m, v in [(7, 32), (8, 63), (9, 78)]]
    svg = line_chart([Series("Barnet <script>", points)], "A & B <b>", unit="percent")
    root = ET.fromstring(svg)  # well-formed XML: paper text cannot break out
    assert len(root.findall(f".//{SVG}circle")) == 3 and root.findall(f".//{SVG}polyline")
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "A &amp; B &lt;b&gt;" in svg
    assert "no observations" in line_chart([], "empty")


def test_cli_table_formats_and_chart(db, tmp_path):
    chart = tmp_path / "k.svg"
    result = CliRunner().invoke(main, ["kpis", "--db", str(db), "--council", "Barnet", "--format", "jsonl",
                                       "--chart", str(chart)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    assert rows and all(r["council"] == "Barnet" for r in rows)
    root = ET.fromstring(chart.read_text(encoding="utf-8"))
    assert len(root.findall(f".//{SVG}circle")) == sum(1 for r in rows if r["period_key"])
    result = CliRunner().invoke(main, ["kpis", "--db", str(tmp_path / "missing.db")])
    assert result.exit_code == 1 and "no corpus database" in result.output
