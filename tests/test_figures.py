"""Figures: quantities as written, one table of hard cases (LexNLP style), and hard negatives."""
from __future__ import annotations

import pytest

from extractor.document import Document, TableRow
from extractor.extract import ExtractionContext
from extractor.extract import figures
from extractor.quantities import coined_units_in, find_quantities, parse_number, periods_in
from extractor.structure import structure

# sentence → [(value, unit, text, qualifier), ...]
QUANTITY_CASES = [
    ("The management fee is £10.8m per annum.", [(10_800_000, "GBP", "£10.8m", None)]),
    ("savings of £850k between 2016/17 and 2019/20", [(850_000, "GBP", "£850k", None)]),
    ("a budget of £59m for the year", [(59_000_000, "GBP", "£59m", None)]),
    ("the contract is worth £1,234,567 in total", [(1_234_567, "GBP", "£1,234,567", None)]),
    ("an additional fee of £6000 was required", [(6000, "GBP", "£6000", None)]),
    ("a grant of £2.5 million was awarded", [(2_500_000, "GBP", "£2.5 million", None)]),
    ("For maintained schools 87% have been visited", [(87, "percent", "87%", None)]),
    # a minus that opens the number is its sign (an underspend, a fall); one between numbers is a range
    ("a rephasing variance of -£124.5m on the capital programme", [(-124_500_000, "GBP", "-£124.5m", None)]),
    ("Children's Services (-£9.9m) and a variance of –2.3% and −7 days", [(-9_900_000, "GBP", "-£9.9m", None),
                                                                       (-2.3, "percent", "–2.3%", None),
                                                                       (-7, "days", "−7 days", None)]),
    ("the 2015-16 budget rose 5-10%", [(5, "percent", "5-10%", None), (10, "percent", "5-10%", None)]),
    ("fluctuated between c. 40% and 50%", [(40, "percent", "c. 40%", "about"), (50, "percent", "50%", None)]),
    ("the percentage completed was below 25%.", [(25, "percent", "below 25%", "below")]),
    ("provided support to over 900 families", [(900, "count", "over 900", "above")]),
    ("a potential for up to £69m was identified", [(69_000_000, "GBP", "up to £69m", "at most")]),
    ("at least 12 schools took part", [(12, "count", "at least 12", "at least")]),
    ("with 1524 days of support commissioned", [(1524, "count", "1524", None)]),
    ("a new seven year strategic partnership", [(7, "years", "seven year", None)]),
    ("during the first six months of the arrangement", [(6, "months", "six months", None)]),
    ("an update in six months' time", [(6, "months", "six months'", None)]),
    ("Twenty years of international evidence", [(20, "years", "Twenty years", None)]),
    ("Over the last 12-18 months of operation", [(12, "months", "12-18 months", None),
                                                 (18, "months", "12-18 months", None)]),
    ("on 1 October 2015 on a 5 year contract", [(5, "years", "5 year", None)]),
    ("within 20 weeks (previously 26 weeks)", [(20, "weeks", "20 weeks", None), (26, "weeks", "26 weeks", None)]),
    ("all existing statements (approximately 2000)", [(2000, "count", "approximately 2000", "about")]),
    ("in the first 100 working days of the contract", [(100, "days", "100 working days", None)]),
    ("uplifted to provide a 2 per cent operating margin", [(2, "percent", "2 per cent", None)]),
    ("17 are rated Green (one more than the previous Quarter)", [(17, "count", "17", None),
                                                                (1, "count", "one more", None)]),
    ("12 are rated Amber (three fewer than the previous Quarter)", [(12, "count", "12", None),
                                                                   (3, "count", "three fewer", None)]),
    ("In 2005 there were 15,613 live births", [(15_613, "count", "15,613", None)]),
    ("owns a 49% stake and has two directors on the board", [(49, "percent", "49%", None), (2, "count", "two", None)]),
    ("- July 32%", [(32, "percent", "32%", None)]),
    ("Latest:0.04%", [(0.04, "percent", "0.04%", None)]),
    ("85 Year R temp places", [(85, "count", "85", None)]),
    ("the proportion rose 1 percentage point to 84%", [(1, "percent", "1 percentage point", None),
                                                      (84, "percent", "84%", None)]),
    ("whether the 10 working day response target was met", [(10, "days", "10 working day", None)]),
    ("extend by 2 x 12 months", [(12, "months", "12 months", None)]),
    ("The service has 3.5 FTE vacancies", [(3.5, "count", "3.5 FTE", None)]),
    ("3.5 million people live there and it is worth 10 million pounds",
     [(3_500_000, "count", "3.5 million", None), (10_000_000, "GBP", "10 million pounds", None)]),
    ("a 10-15% reduction", [(10, "percent", "10-15%", None), (15, "percent", "10-15%", None)]),
    ("All figures in £m; variance of -£0.250m", [(-250_000, "GBP", "-£0.250m", None)]),
    # Rate and rounding bases are not amounts; the rate itself is.
    ("a ratio of 2.1 libraries per 50,000 residents", [(2.1, "count", "2.1", None)]),
    ("a population of 180,000 (rounded to the nearest 5,000)", [(180_000, "count", "180,000", None)]),
    # Fractions in words are shares, not counts of "quarters".
    ("roughly two thirds of the budget goes on care", [(66.67, "percent", "roughly two thirds", "about")]),
    ("half of all referrals were repeat referrals", [(50, "percent", "half", None)]),
    ("over the first three quarters of the year", [(3, None, "three quarters", None)]),
    # Quantities in units the contract does not list keep their value, with unit null.
    ("a route of 2.5 miles and 6 hours of outreach each week", [(2.5, None, "2.5 miles", None),
                                                                (6, None, "6 hours", None)]),
    ("a bid of $1.2m and a grant of €250,000", [(1_200_000, None, "$1.2m", None), (250_000, None, "€250,000", None)]),
    ("Cranford Library,0.8 miles away", [(0.8, None, "0.8 miles", None)]),
    ("within the previous six \nmonths and the next  two  weeks", [(6, "months", "six \nmonths", None),
                                                                   (2, "weeks", "two  weeks", None)]),
    ("removed over two million miles and carried 18 million passengers",
     [(2_000_000, None, "over two million miles", "above"), (18_000_000, "count", "18 million", None)]),
    ("Ashford 12, Dover 9 and Thanet 4 schools", [(12, "count", "12", None), (9, "count", "9", None),
                                                  (4, "count", "4", None)]),
]

# Hard negatives: nothing here is a quantity.
NOT_QUANTITIES = [
    "Contact: Alyson Grice (01905 844962)/Samantha Morris (01905 844963)",
    "no later than 9.00am on the working day before the meeting (in this case 10 May 2016)",
    "the poor performance of KPI 3 in relation to KS2",
    "Timeliness of Section 47 Enquiries",
    "in Part 15 Annex A of the Constitution",
    "Monitoring the Effectiveness pdf icon PDF 107 KB",
    "CE to conduct '100 day' reviews of services",
    "all of these '100-day' reviews were completed",
    "as set out in paragraphs 1.30 to 1.32 above",
    "submit bids to Waves 13 and 14, with some success",
    "a bulge year (a one-off situation) and one team",
    "some 1:1 contact and engagement",
    "set out in its Corporate Plan 2015-20 for",
    "London Road, Morden SM4 5DX",
    "Post-16",
    "notes the ISA 260 report and recommendations R3, R4 and R5",
    "Venue: Cabinet Meeting Room, 1st Floor",
    "The meeting reconvened at 20:27.",
    "Appendix 1 and Year 7 places in year one",
    "the savings target for the service up to 2020.",
    "from 2027 onwards",
    "the 2024-25 financial year",
    "More detailed reports would 2 follow on risk management",
    "Priority 1: Levelling up Kent and Objective 3",
    "call handling time at 6 minutes 26 seconds",
    "Call +44 (0)20 8545 3181 or (312) 651-1319; Meeting ID is 917 7276 7587",
    # A number after a capitalised name or reference word, with nothing counted after it.
    "their head office is in Cork 4, near the station",
    "as required by International Standard on Auditing 315, the auditor",
    "evidence to the committee (QQ 212–4, 390)",
    # A 24-hour clock time and a rate base.
    "the depot opens at 0730 hours",
    "admissions measured per 100,000 population",
    # Footnote markers flattened against the text, and citation references.
    "HC Deb 4 May 2012 col 312; op. cit. p. 12",
    "rates of type 2 diabetes",
    "Case study 2: cycling to school (see box 4 and chapters 3 and 5)",
    "the survey published in 2019 shows a rise",
    "the lease of 14, Harbour Way, and the World 7's",
    "offices at 20 Main Street, Springfield, Ohio 45501 on Monday",
    "Question 3 in Class 2 of the scheme, 160 North LaSalle Street",
    "for 0-19 year olds",
    "6.1Option 6: Do not renew the contracts",
    "performance to the end of December 2024 (Quarter 3, 2024/25).",
]


@pytest.mark.parametrize("sentence, expected", QUANTITY_CASES)
def test_quantities_as_written(sentence, expected):
    got = [(q.value, q.unit, q.text, q.qualifier) for q in find_quantities(sentence)]
    assert got == [(pytest.approx(v), u, t, ql) for v, u, t, ql in expected]


@pytest.mark.parametrize("sentence", NOT_QUANTITIES)
def test_not_quantities(sentence):
    assert [q.text for q in find_quantities(sentence)] == []


def test_offsets_quote_the_text():
    sentence = "It was over 900 families and £10.8m per annum."
    for q in find_quantities(sentence):
        assert sentence[q.start:q.end] == q.text


@pytest.mark.parametrize("written, value", [("1,234", 1234), ("10.8", 10.8), ("Twenty", 20), ("twenty-one", 21),
                                            ("seven", 7), ("ninety", 90), ("banana", None)])
def test_parse_number(written, value):
    assert parse_number(written) == value


@pytest.mark.parametrize("text, period", [
    ("In the first quarter of 2016/17 the percentage", "Q1 2016/17"),
    ("performance to the end of December 2024 (Quarter 3, 2024/25)", "December 2024"),
    ("fluctuated between May 2015 and March 2016 between c. 40%", "May 2015 to March 2016"),
    ("savings of £850k between 2016/17 and 2019/20", "2016/17 to 2019/20"),
    ("£10.8m per annum", "per annum"),
])
def test_periods(text, period):
    assert periods_in(text)[0] == period


def _figures_of(text: str, table_rows=None):
    doc = Document(path="t.txt", format="txt", text=text, doc_id="0" * 16, table_rows=table_rows or [])
    ctx = ExtractionContext(doc, structure(doc))
    return list(figures.extract(ctx))


def test_figure_records_quote_their_sentence():
    text = "Summary\n\nThe County Council owns a 49% stake in Entrust. It has two directors on the board.\n"
    records = _figures_of(text)
    assert [(r.value, r.unit) for r in records] == [(49, "percent"), (2, "count")]
    for r in records:
        assert text[r.source.start:r.source.end] == r.source.quote
        assert r.text in r.source.quote
    assert records[1].subject == "directors"


def test_near_identical_sentences_count_once_distinct_ones_twice():
    text = ("In April 2016, Barnet entered into a new seven year strategic partnership with CE.\n\n"
            "1.1 In April 2016, Barnet entered into a new seven year strategic partnership with CE (CE).\n\n"
            "1.3 This report covers the first six months.\n\n"
            "2.1 Members review the partnership in its first six months of operation.\n")
    records = _figures_of(text)
    assert [(r.value, r.unit) for r in records] == [(7, "years"), (6, "months"), (6, "months")]


def test_a_short_line_repeated_states_a_new_figure_each_time():
    """Each vote's tally ("Abstain (0)") is its own statement, however alike the lines."""
    text = ("The voting was as follows:\n\nFor (39)\n\nAgainst (3)\n\nAbstain (0)\n\nMotion carried.\n\n"
            "The voting on the amendment was as follows:\n\nFor (32)\n\nAgainst (11)\n\nAbstain (0)\n\nAmendment carried.\n")
    assert [(r.value, r.unit) for r in _figures_of(text)] == [(39, "count"), (3, "count"), (0, "count"), (32, "count"),
                                                              (11, "count"), (0, "count")]


def test_numbered_lines_and_page_references_are_not_figures():
    text = ("1. Declarations of interest 1\n\n4. Annual complaints report 9\n\n"
            "9 Recommendation(s):\n\n5 ANNUAL GOVERNANCE REPORT 2008/09\n\n7\n")
    assert _figures_of(text) == []


def test_table_cells_give_figures_with_row_subjects():
    rows = ["Title\tSupplier\tRef Number\tEstimated Annual Value 2017/18",
            "Library Provision\tBirmingham City Council\t113517/8\t£230,000",
            "Summer Florals 2018\tBirmingham City Council\tBCC001\t£-",
            "Event Management - Concerts 17\tJA Productions\tJAP001\t£110,363"]
    text = "\n".join(rows) + "\n"
    table_rows, pos = [], 0
    for i, line in enumerate(rows):
        cells, cpos = [], pos
        for cell in line.split("\t"):
            cells.append((cpos, cpos + len(cell)))
            cpos += len(cell) + 1
        table_rows.append(TableRow(pos, pos + len(line), cells, table=0, header=(i == 0)))
        pos += len(line) + 1
    records = _figures_of(text, table_rows)
    assert [(r.value, r.unit, r.text) for r in records] == [(230000, "GBP", "£230,000"), (110363, "GBP", "£110,363")]
    assert records[0].period == "2017/18"
    assert "Library Provision" in records[0].subject


def _table(rows):
    text = "\n".join(rows) + "\n"
    table_rows, pos = [], 0
    for line in rows:
        cells, cpos = [], pos
        for cell in line.split("\t"):
            cells.append((cpos, cpos + len(cell)))
            cpos += len(cell) + 1
        table_rows.append(TableRow(pos, pos + len(line), cells, table=0))
        pos += len(line) + 1
    return text, table_rows


def test_contents_page_numbers_are_not_figures_but_value_columns_are():
    contents = _table(["4. Annual complaints report\t9", "5. Internal audit progress report\t23",
                       "6. Managing the risk of fraud\t53", "8. Work programme\t169"])
    assert _figures_of(*contents) == []
    priorities = _table(["1 - Excellent Education\t1064", "2 - Good/Outstanding\t160", "3 - Monitor challenge\t76.5",
                         "Grand Total\t1524"])
    assert [r.value for r in _figures_of(*priorities)] == [1064, 160, 76.5, 1524]


def test_money_tables_scale_bare_numbers_and_keep_signs():
    text, rows = _table(["Directorate\tBudget\tForecast\tVariance", "Adult Social Care\t524.7\t588.4\t+63.7",
                         "Education\t125.6\t120.6\t-5.0", "Reserves\t(66.9)\t0.0\t(40.7)"])
    caption = "All figures in £m\n\n"
    shifted = [TableRow(r.start + len(caption), r.end + len(caption),
                        [(a + len(caption), b + len(caption)) for a, b in r.cells], table=0) for r in rows]
    records = _figures_of(caption + text, shifted)
    assert [(r.value, r.unit, r.text) for r in records][:3] == [(524_700_000, "GBP", "524.7"),
                                                               (588_400_000, "GBP", "588.4"),
                                                               (63_700_000, "GBP", "+63.7")]
    assert (-5_000_000, "GBP") in [(round(r.value), r.unit) for r in records]
    assert (-66_900_000, "GBP") in [(round(r.value), r.unit) for r in records]


def test_a_duration_the_paper_quotes_as_a_name_is_not_a_figure():
    text = ("Summary\n\nCE reviewed services within the first 100 days of the contract.\n\n"
            "1.3 CE conducted '100 day' reviews of services.\n\n"
            "1.16 The main developments proposed as a result of the 100 day reviews are listed.\n\n"
            "1.29 The 100-day review for the SEND service found weaknesses.\n")
    assert [(r.value, r.unit, r.text) for r in _figures_of(text)] == [(100, "days", "100 days")]


def test_rank_columns_are_skipped_and_score_columns_have_no_unit():
    text, rows = _table(["Ward\tDeprivation Score\tRank (of 120 wards)", "Northgate\t61.20\t1", "Eastfield\t55.35\t2"])
    rows = [TableRow(r.start, r.end, r.cells, table=0, header=(i == 0)) for i, r in enumerate(rows)]
    records = _figures_of(text, rows)
    assert [(r.value, r.unit) for r in records] == [(61.2, None), (55.35, None)]


def test_a_rate_in_prose_is_a_figure_and_its_base_and_paragraph_references_are_not():
    text = ("Summary\n\nThe borough has 2.4 libraries per 50,000 residents, as shown in 3.2 above. "
            "Section 5.1 of the Plan sets the target.\n")
    assert [(r.value, r.unit, r.text) for r in _figures_of(text)] == [(2.4, "count", "2.4")]


def test_a_count_stated_again_with_the_is_a_statement_of_its_own_but_these_two_points_back():
    # ANNOTATION.md: each distinct statement is one record ("the 38 KPIs", "The nine indicators" after "38"/"Nine").
    text = ("Summary\n\nThe council funds two depots in the north.\n\n"
            "2.1 Staff at the two depots were consulted and raised concerns about those two issues.\n\n"
            "2.2 The two successful depots were thanked. The council also runs two libraries.\n")
    assert [(r.value, r.subject) for r in _figures_of(text)] == [
        (2, "depots"), (2, "depots"), (2, "successful depots"), (2, "libraries")]


def test_contents_split_by_headings_with_paragraph_numbers_are_not_figures():
    first = ["Summary\t3", "Chapter 1: Background\t5", "Purpose of the review\t1.2\t5", "Method\t1.7\t6"]
    second = ["wider context\t8", "Housing need\t2.1 8", "Conclusion\t2.9\t11"]
    text, rows = _table(first)
    heading = "Chapter 2: Housing and the\n\n"
    more_text, more_rows = _table(second)
    offset = len(text) + len(heading)
    rows += [TableRow(r.start + offset, r.end + offset, [(a + offset, b + offset) for a, b in r.cells], table=1)
             for r in more_rows]
    assert _figures_of(text + heading + more_text, rows) == []


def test_in_a_footnoted_paper_a_marker_after_a_full_stop_is_not_a_count():
    markers = " ".join(f"as noted,{i} it was agreed." for i in range(1, 7))
    text = (f"Summary\n\n{markers} The trust funds research councils. 68 We set out two of them. "
            "The approach (see the Housing Strategy)7 sets out the tiers. 40 KPIs were reported.\n")
    values = [(r.value, r.unit) for r in _figures_of(text)]
    assert (68, "count") not in values and (7, "count") not in values and (2, "count") in values
    # Without footnotes the same shapes are a count after a full stop and a count after a lost space.
    plain = "Summary\n\nThe panel met. 40 KPIs were reported under the Constitution,12 questions were asked.\n"
    assert [(r.value, r.unit) for r in _figures_of(plain)] == [(40, "count"), (12, "count")]


def _rows_at(lines, offset, table):
    text, rows = _table(lines)
    return text, [TableRow(r.start + offset, r.end + offset, [(a + offset, b + offset) for a, b in r.cells],
                           table=table) for r in rows]


def test_money_scale_carries_over_a_wrapped_label_and_to_later_tables_of_the_same_shape():
    caption = "All figures in £m\n\n"
    first, rows = _rows_at(["Service\tBudget\tForecast", "Libraries\t12.5\t13.0"], len(caption), 0)
    wrapped = "\nCommunity Safety (Wardens &\n\n"
    offset = len(caption) + len(first) + len(wrapped)
    second, more = _rows_at(["Patrols)\t4.2\t4.0"], offset, 1)
    later_caption = "\n2b | Place services\n\nBudget Forecast\n\n"
    offset += len(second) + len(later_caption)
    third, last = _rows_at(["Parks\t7.5\t7.1"], offset, 2)
    text = caption + first + wrapped + second + later_caption + third
    records = _figures_of(text, rows + more + last)
    assert [(r.value, r.unit) for r in records] == [(12_500_000, "GBP"), (13_000_000, "GBP"), (4_200_000, "GBP"),
                                                    (4_000_000, "GBP"), (7_500_000, "GBP"), (7_100_000, "GBP")]


def test_section_numbers_before_a_bar_are_not_figures():
    assert _figures_of("1 | Introduction and Headlines\n\n3b | Place services\n") == []


def test_a_capital_suffix_the_paper_repeats_is_a_unit_and_a_one_off_code_is_not():
    text = "Expand by 2WE in 2026, 3WE in 2027 and 1.5WE later (44.9WE in all); the depot at Morden SM4 5DX."
    coined = coined_units_in(text)
    assert coined == frozenset({"WE"})
    got = [(q.value, q.unit, q.text) for q in find_quantities(text, coined_units=coined)]
    assert got == [(2, "count", "2WE"), (3, "count", "3WE"), (1.5, "count", "1.5WE"), (44.9, "count", "44.9WE")]
    assert find_quantities("A total of 44.9WE across the Plan period") == []


def test_a_figure_takes_the_nearest_period_and_not_a_deadline():
    text = ("Summary\n\nThe plan agreed in March 2023 set out that across the 25/26 and 26/27 financial years "
            "savings of £1.5m will be made.\n\n"
            "2.1 The three leases end on 30 June 2026.\n")
    records = _figures_of(text)
    assert [(r.value, r.period) for r in records] == [(1_500_000, "25/26 and 26/27"), (3, None)]


def test_a_measurement_without_a_contract_unit_is_named_by_its_unit_and_what_follows():
    text = ("Summary\n\nThe new depot is 2.5 miles from the town centre. Crews work 12 hours of overtime per week "
            "at the depot and 3 hours at the yard.\n")
    got = [(r.value, r.unit, r.subject) for r in _figures_of(text)]
    assert got == [(2.5, None, "miles from the town centre"),
                   (12, None, "hours of overtime per week at the depot"), (3, None, "hours at the yard")]


def test_a_running_text_cell_gives_the_counts_inside_it():
    text, rows = _table(["Overall library budget across all 14 branch libraries\t£2.1m",
                         "Ward\t£1.1m"])
    got = [(r.value, r.unit) for r in _figures_of(text, rows)]
    assert got == [(14, "count"), (2_100_000, "GBP"), (1_100_000, "GBP")]


# Subjects (heldout-2 F3): the noun phrase next to the number in its own clause, never across a clause break,
# never a participle, an "until" date or an adverb alone. Invented sentences, each with (text, subject) expected.
SUBJECT_CASES = [
    # a verb group between the subject and the figure: the noun phrase before it
    ("The recycling contract was due to be extended for 18 months from May 26.",
     [("18 months", "recycling contract")]),
    ("Therefore, in this plan the total for each area is £732k for Northfield annually and £693k for Eastwood.",
     [("£732k", "total"), ("£693k", "total")]),
    # a relative clause: the noun it is about
    ("The depot is rented under a lease that costs circa £40k per year.", [("circa £40k", "lease")]),
    ("The Department wrote to confirm the allocation of Year 2 grant money for libraries which totals £1,234,500.",
     [("£1,234,500", "allocation of Year grant money for libraries")]),
    # a bracket or a colon: the noun phrase it follows; joined figures share it
    ("Both towns receive the largest share of the Library budget (£612k and £598k respectively).",
     [("£612k", "Library budget"), ("£598k", "Library budget")]),
    ("The lease value for the branches represents another £120k (Oakley, Northfield) and £95k (Marsh, Eastwood).",
     [("£120k", "lease value"), ("£95k", "lease value")]),
    ("Riverside Depot: £150k - £300k (depending on use)", [("£150k", "Riverside Depot"), ("£300k", "Riverside Depot")]),
    # a participle after a comma: the noun phrase of the clause before it
    ("Since June, the Board had approved over £3 million in grants, averaging £500,000 per month.",
     [("£500,000", "grants")]),
    # "until <date>" is not a subject; a verb coordinated after a date takes the sentence's subject
    ('(g) The public survey on the draft park plan, "Room to Grow," opened on 3rd May and was due to run for six '
     "weeks until 14th June.", [("six weeks", "public survey on the draft park plan")]),
    # a time frame before a duration: the noun it qualifies
    ("The praise reflected the value of their work over the past four years.", [("four years", "work")]),
    # a difference: what it is taken from
    ("That is more than £200k higher than the area with the third largest share.",
     [("more than £200k", "higher than the area with the third largest")]),
]


@pytest.mark.parametrize("sentence, expected", SUBJECT_CASES)
def test_subject_is_the_noun_phrase_next_to_the_number_in_its_own_clause(sentence, expected):
    found = [(r.text, r.subject) for r in _figures_of(f"Summary\n\n{sentence}\n")]
    assert [pair for pair in found if pair[0] in dict(expected)] == expected


def test_a_prose_cell_takes_its_subject_from_its_own_sentence_not_from_the_question_beside_it():
    text, rows = _table([
        "Question asked\tResponse",
        "Can the spare £2.5m be spent on the two libraries?\tThe grant for the year totals £2,512,300. "
        "The two libraries receive a share of the Library budget (£61k and £58k respectively).",
    ])
    rows = [TableRow(r.start, r.end, r.cells, table=0, header=(i == 0)) for i, r in enumerate(rows)]
    found = [(r.text, r.subject) for r in _figures_of(text, rows)]
    assert ("£2,512,300", "grant") in found and ("£61k", "Library budget") in found and \
        ("£58k", "Library budget") in found and ("two", "libraries") in found
    assert not any(subject and "?" in subject for _, subject in found)
