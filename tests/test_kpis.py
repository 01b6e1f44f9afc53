"""KPIs: tables of input text → expected records (LexNLP style), hard negatives, and the KPI-box tables."""
from __future__ import annotations

import json

import pytest

from extractor.document import Document
from extractor.extract import ExtractionContext, kpis
from extractor.records import DocumentRecord
from extractor.structure import structure

from .conftest import shared_path


def _kpis_of(text: str, meeting_date: str | None = None):
    doc = Document(path="t.txt", format="txt", text=text, doc_id="0" * 16)
    ctx = ExtractionContext(doc, structure(doc))
    if meeting_date:
        ctx.records.append(DocumentRecord(doc=doc.doc_id, id=doc.doc_id, path="t.txt", format="txt",
                                          meeting_date=meeting_date))
    records = list(kpis.extract(ctx))
    for r in records:
        assert text[r.source.start:r.source.end] == r.source.quote
    return records


def _obs(records):
    return [(r.value, r.unit, r.period, r.qualifier) for r in records]


# text → [(value, unit, period, qualifier, a word the name must hold)]
KPI_CASES = [
    ("1.28 A major priority identified was the improvement in performance of statutory processes.\n\n"
     "1.29 In the first quarter of 2016/17 the percentage of new assessments completed within 20 weeks "
     "was below 25%.\n",
     [(25, "percent", "Q1 2016/17", "below", "assessments")]),
    ("Performance had improved except for the percentage of Initial Child Protection Conferences completed in "
     "timescale. Performance for this indicator fluctuated between May 2015 and March 2016 between c. 40% and more.\n",
     [(40, "percent", "May 2015 to March 2016", "about", "Conferences")]),
    ("Notably, the increase in schools graded good or outstanding – having reached 78% in July 2014 from a "
     "baseline of 65% in August 2012 – is a key measure of progress.\n",
     [(78, "percent", "July 2014", None, "outstanding"), (65, "percent", "August 2012", None, "outstanding")]),
    ("It is significant to note that as an impartial measure, Ofsted comments on the support provided by the "
     "Local Authority to schools reveals 95% positive comment.\n",
     [(95, "percent", None, None, "Ofsted")]),
    ("Data is as follows for the proportion of first-time patients accepting a full screen: Quarter 1, 65.0%; "
     "Quarter 2, 65.2%.\n",
     [(65.0, "percent", "Quarter 1", None, "screen"), (65.2, "percent", "Quarter 2", None, "screen")]),
]


def test_duration_measure_with_its_target():
    [record] = _kpis_of("5.4 Performance against the KPI for average re-let time was 28 days against a target "
                        "of 21 days.\n")
    assert (record.name, record.value, record.unit, record.target) == ("average re-let time", 28, "days", 21)


@pytest.mark.parametrize("text, expected", KPI_CASES)
def test_kpi_observations(text, expected):
    records = _kpis_of(text)
    assert _obs(records) == [(v, u, p, q) for v, u, p, q, _ in expected]
    for record, (*_, word) in zip(records, expected):
        assert word.lower() in record.name.lower()


def test_monthly_series_takes_its_year_from_the_report_date():
    text = ("1.31 The rate of completions of new assessments within 20 weeks has risen each month since June:\n\n"
            "- July 32%\n- August 63%\n- September 78%\n- October 88%\n- November 94%\n")
    records = _kpis_of(text, meeting_date="2017-01-05")
    assert [(r.value, r.period) for r in records] == [(32, "2016-07"), (63, "2016-08"), (78, "2016-09"),
                                                      (88, "2016-10"), (94, "2016-11")]
    assert {r.name for r in records} == {"rate of completions of new assessments within 20 weeks"}


def test_named_indicator_with_its_ref():
    text = ("- In response to the concern about the poor performance of KPI 3 in relation to KS2 (The proportion of "
            "schools below the floor standards is below national performance) it was felt that the gap was narrowing.\n")
    [record] = _kpis_of(text)
    assert record.ref == "KPI 3" and record.value is None and record.period is None
    assert record.name.startswith("KS2: The proportion of schools below the floor standards")


def test_indicator_list_items_are_named_kpis():
    text = ("There had therefore been a focus on the compliance-based practice standards:\n\n"
            "- Assessments in timescale\n- Timeliness of visits\n- Timeliness of Section 47 Enquiries\n")
    records = _kpis_of(text)
    assert [r.name for r in records] == ["Assessments in timescale", "Timeliness of visits",
                                         "Timeliness of Section 47 Enquiries"]
    assert all(r.value is None and r.unit is None and r.period is None for r in records)


def test_nested_indicator_list_keeps_the_indicators_not_their_groups():
    text = ("2.3. The nine indicators where the RAG rating is Red, are in:\n\n"
            "• Customer Services\no Percentage of complaints responded to within timescale\n"
            "• Adult Social Care\no Proportion of new Care Needs Assessments delivered within 28 days\n")
    assert [r.name for r in _kpis_of(text)] == ["Percentage of complaints responded to within timescale",
                                                "Proportion of new Care Needs Assessments delivered within 28 days"]


# Hard negatives: quantities that are figures only.
NOT_KPIS = [
    # Counts of indicators by RAG status are not a measure.
    "Of the 38 Key Performance Indicators (KPIs) contained within the QPR, 17 achieved target (Green).\n",
    "2.2. Of the 38 KPIs included in the report, the latest RAG status are as follows:\n\n"
    "• 17 are rated Green (one more than the previous Quarter)\n• 12 are rated Amber\n",
    # Stocktake highlights, and counts set beside the KPIs without a measure cue of their own.
    "The highlights of these reports are:\n\n- For maintained schools 87% have been visited by BEP and 66% academies.\n",
    "Alongside the contract's performance indicators, activity volumes give commissioners context.\n"
    "For example, 40 branch libraries have hosted 300 sessions of rhyme time.\n",
    # A list under a lead-in without indicator cues.
    "The LGA team had identified the following four priorities:\n\n- A back to basics plan\n- Resolving the front door\n",
    # A statistic in a paper that says nothing about performance.
    "Between 1996 and 2007 the percentage of fridges purchased by consumers which were A-rated rose to 70%.\n",
    # "measures" in the policy sense: interventions, not indicators.
    "The towns used a range of non-regulatory and non-fiscal measures, such as:\n\n- The provision of cycling "
    "infrastructure\n- Car clubs\n\nThis package of measures achieved a reduction in car trips by 9%.\n",
    # Activity indicators are context, not KPIs.
    "The activity indicators are:\n\n- Number of calls answered\n- Number of visits\n",
]


@pytest.mark.parametrize("text", NOT_KPIS)
def test_not_kpis(text):
    assert _kpis_of(text) == []


BOXES = """Quarterly Performance Report, Quarter 3, 2024/25

Key Performance Indicators

Percentage of phone calls to Contact Point which were answered\t\t\tGREEN
Latest: 94%\tTarget: 90%, Floor: 85%\tPrevious: 89% (Amber)

Long Term support needs met by admission to care homes, per 100,000\t\t\tGREEN
Latest: 553\tTarget: 588, Floor: 617\tPrevious: 562 (Green)

This KPI is reported on a 12-month rolling basis and one Quarter in arrears

Number of foster households\t\t\tRED
Latest: 613\tTarget: 700 Floor: 650\tPrevious: 612 (Red)

The percentage of calls answered was 94%, against a target of 90%.
"""


def test_kpi_boxes_give_latest_and_previous_with_periods_and_target():
    records = _kpis_of(BOXES)
    got = [(r.name, r.value, r.unit, r.period, r.target) for r in records]
    assert got == [
        ("Percentage of phone calls to Contact Point which were answered", 94, "percent", "Quarter 3, 2024/25", 90),
        ("Percentage of phone calls to Contact Point which were answered", 89, "percent", "Quarter 2, 2024/25", None),
        ("Long Term support needs met by admission to care homes, per 100,000", 553, None, "Quarter 2, 2024/25", 588),
        ("Long Term support needs met by admission to care homes, per 100,000", 562, None, "Quarter 1, 2024/25", None),
        ("Number of foster households", 613, "count", "Quarter 3, 2024/25", 700),
        ("Number of foster households", 612, "count", "Quarter 2, 2024/25", None),
    ]


QPR = "corpus/extra/kent_cc_cabinet_2025-03-04_quarterly_performance_report_Q3_2024-25_appendix.pdf"


def test_quarterly_report_boxes_against_gold():
    """The Kent QPR (read from ../shared, never committed): most gold observations are found."""
    pdf = shared_path(QPR)
    gold_file = shared_path("corpus/gold-kpi/kent_cc_cabinet_2025-03-04_quarterly_performance_report_Q3_2024-25"
                            "_appendix.jsonl")
    from extractor.pipeline import extract

    records = [r for r in extract(pdf).records if r.TYPE == "kpi"]
    gold = [json.loads(line) for line in gold_file.read_text().splitlines() if '"kpi"' in line]
    found = {(round(r.value, 1), r.period) for r in records if r.value is not None}
    hits = sum((round(g["value"], 1), g["period"]) in found for g in gold)
    assert hits >= 0.9 * len(gold)
    assert len(records) <= 1.1 * len(gold)


def _with_table(lines: list[str], before: str = "") -> tuple[str, list]:
    from extractor.document import TableRow

    text = before
    rows = []
    for i, line in enumerate(lines):
        start = len(text)
        cells, pos = [], start
        for cell in line.split("\t"):
            cells.append((pos, pos + len(cell)))
            pos += len(cell) + 1
        rows.append(TableRow(start, start + len(line), cells, table=0, header=(i == 0)))
        text += line + "\n"
    return text, rows


def _kpis_of_table(text, rows):
    doc = Document(path="t.txt", format="txt", text=text, doc_id="0" * 16, table_rows=rows)
    return list(kpis.extract(ExtractionContext(doc, structure(doc))))


def test_performance_table_rows_give_observations_per_period_column():
    text, rows = _with_table(["Indicator\tQ1 2024/25\tQ2 2024/25\tTarget\tRAG",
                              "Percentage of calls answered\t89%\t94%\t90%\tGREEN",
                              "Number of foster households\t612\t613\t700\tRED"])
    got = [(r.name, r.value, r.period, r.target) for r in _kpis_of_table(text, rows)]
    assert got == [("Percentage of calls answered", 89, "Q1 2024/25", None),
                   ("Percentage of calls answered", 94, "Q2 2024/25", None),
                   ("Number of foster households", 612, "Q1 2024/25", None),
                   ("Number of foster households", 613, "Q2 2024/25", None)]


def test_actual_column_takes_the_report_quarter_and_the_target():
    text, rows = _with_table(["Measure\tActual\tTarget", "Percentage of calls answered\t94%\t90%"],
                             before="Performance Report, Quarter 3, 2024/25\n\n")
    [record] = _kpis_of_table(text, rows)
    assert (record.value, record.period, record.target, record.unit) == (94, "Quarter 3, 2024/25", 90, "percent")


def test_registers_and_plans_are_not_kpi_tables():
    text, rows = _with_table(["Title/Description\tSupplier\tEstimated Annual Value 2017/18",
                              "Library Provision\tBirmingham City Council\t£230,000"])
    assert _kpis_of_table(text, rows) == []
    text, rows = _with_table(["By 2025-26\tBy 2026-27", "0.3FE\t5FE"])
    assert _kpis_of_table(text, rows) == []


def test_kpi_code_column_gives_the_ref_and_description_the_name():
    text, rows = _with_table(["KPI\tDescription\tTarget\tQ3 2024/25\tRAG",
                              "CS01\tPercentage of calls answered within 20 seconds\t90%\t94%\tGREEN"])
    [record] = _kpis_of_table(text, rows)
    assert (record.ref, record.name, record.value, record.period) == (
        "CS01", "Percentage of calls answered within 20 seconds", 94, "Q3 2024/25")


def test_indicator_list_items_with_values_are_observations():
    text = ("5.5 Performance against the key indicators in Q4 2023/24:\n\n"
            "- Rent collected: 97.5% (target 98%)\n- Average re-let time – 28 days\n"
            "- Households in bed and breakfast\n")
    got = [(r.name, r.value, r.unit, r.period, r.target) for r in _kpis_of(text)]
    assert got == [("Rent collected", 97.5, "percent", "Q4 2023/24", 98),
                   ("Average re-let time", 28, "days", "Q4 2023/24", None),
                   ("Households in bed and breakfast", None, None, None, None)]


def test_kpi_box_with_labels_on_separate_lines_and_no_previous():
    text = ("Performance Report, Quarter 2, 2023/24\n\nPercentage of calls answered\nLatest: 94%\nTarget: 90%\n"
            "Previous: 89%\n\nNumber of homes brought back into use\nActual: 422\tTarget: 400\n")
    got = [(r.name, r.value, r.period, r.target) for r in _kpis_of(text)]
    assert got == [("Percentage of calls answered", 94, "Quarter 2, 2023/24", 90),
                   ("Percentage of calls answered", 89, "Quarter 1, 2023/24", None),
                   ("Number of homes brought back into use", 422, "Quarter 2, 2023/24", 400)]


def test_kpi_box_heading_wrapped_over_two_lines():
    text = ("Quarterly Performance Report, Quarter 3, 2024/25\n\nPercentage of callers to Contact Point who rated\n"
            "the advisor as good                GREEN\nLatest: 97%   Target: 97%, Floor: 90%   Previous: 97% (Green)\n")
    records = _kpis_of(text)
    assert records[0].name == "Percentage of callers to Contact Point who rated the advisor as good"
    assert [(r.value, r.period) for r in records] == [(97, "Quarter 3, 2024/25"), (97, "Quarter 2, 2024/25")]


def test_opening_matches_as_the_lookbehind_before_the_alternation():
    """kpis._opening puts the lookbehind after each word's first character (so re can skip to the words): the
    same matches as the lookbehind before the whole alternation."""
    import random
    import re

    from extractor.extract.kpis import _alternation, _opening
    words = ["KPI no.", "BVPI", "KPI", "PI", "Current quarter", "Current", "(target)"]
    rng = random.Random(5)
    pieces = words + [" ", "-", "x", "5", "12", ": ", "\n", "_", "é", "/", "7a"]
    for not_after in (r"\w", r"[\w-]"):
        old = re.compile(r"(?<!" + not_after + r")(?:" + _alternation(words) + r")\s?\d*")
        new = re.compile(_opening(words, not_after) + r"\s?\d*")
        for _ in range(3000):
            text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 8)))
            assert [m.span() for m in old.finditer(text)] == [m.span() for m in new.finditer(text)], text


def test_series_label_held_and_lag_notes_agree_with_their_patterns():
    """_SERIES_LABEL_HELD finds a series label where _SERIES_LABEL does, and _notes_lag a lag note where the "lag"
    pattern does (case, the letters re.IGNORECASE folds unlike str.lower, a word run into a label)."""
    import random

    from extractor.extract.kpis import _SERIES_LABEL, _SERIES_LABEL_HELD, _notes_lag, _patterns, kpi_lexicon
    pieces = ["Quarter 1", "Quarter  3", "Q2", "xQ2", "Q5", "January", "xMarch", "May 2024", "June  1999", " ", ", ",
              ": ", "-", "–", "45", "3.5", "%", " %", "12,000", "\n", "_", "é", "Quarter", "march", "\u017f", "\u212a"]
    pieces += list(kpi_lexicon().lag_notes) + [p.upper() for p in kpi_lexicon().lag_notes]
    rng = random.Random(11)
    for _ in range(5000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 7)))
        assert (_SERIES_LABEL.search(text) is None) == (_SERIES_LABEL_HELD.search(text) is None), text
        assert _notes_lag(text) == (_patterns()["lag"].search(text) is not None), text
