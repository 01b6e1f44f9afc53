"""The ``document`` and ``item`` records: hard cases as a table, fallbacks, and accuracy on the seed gold."""
from __future__ import annotations

import json
import re

import pytest
from rapidfuzz.fuzz import token_set_ratio

from extractor.extract import ExtractionContext, document_meta, items
from extractor.extract.document_meta import council_from_path, find_dates, next_working_day
from extractor.extract.items import item_title
from extractor.loaders import load
from extractor.structure import structure

from .conftest import CORPUS, SEED_DOCS

FIELDS = ("council", "committee", "doc_type", "meeting_date", "title")


def run(path, council: str | None = None) -> list:
    """load → structure → the document and item extractors (the stages under test, nothing else)."""
    doc = load(path)
    ctx = ExtractionContext(doc, structure(doc), council=council)
    for extractor in (document_meta.extract, items.extract):
        ctx.records.extend(extractor(ctx))
    return ctx.records


def document_of(tmp_path, text: str, name: str = "paper.txt", council: str | None = None) -> dict:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return next(r for r in run(path, council=council) if r.TYPE == "document").to_dict()


def items_of(tmp_path, text: str) -> list[tuple[str, str]]:
    path = tmp_path / "items.txt"
    path.write_text(text, encoding="utf-8")
    return [(r.number, r.title) for r in run(path) if r.TYPE == "item"]


HARD_CASES = [
    pytest.param(
        "Audit Committee 21 June 2016: Birmingham Education Partnership\n\n1. Introduction and Background\n\n"
        "Following the review, the City Council (BCC) commissioned Birmingham Education Partnership.\n",
        {"council": "Birmingham", "committee": "Audit Committee", "meeting_date": "2016-06-21",
         "doc_type": "report", "title": "Birmingham Education Partnership"},
        id="committee-date-colon-title"),
    pytest.param(
        "From: Roger Gough – Leader of the Council\n\nTo: Cabinet – 4 March 2025\n\n"
        "Past Pathway of report: Policy Cabinet Committee – 21 November 2024\n\n"
        "Subject: Quarterly Performance Report\n\nSummary: The report sets out performance.\n\n"
        "Contact: jane.smith@kent.gov.uk\n",
        {"council": "Kent", "committee": "Cabinet", "meeting_date": "2025-03-04", "doc_type": "report",
         "title": "Quarterly Performance Report"},
        id="memo-header-labels"),
    pytest.param(
        "London Borough of Merton\nAudit Committee\nMembership:\nCouncillors:\nJane Smith\n\n"
        "A meeting of the Audit Committee will be held:\nDate: 22 October 2009\nTime: 19:15\n\n"
        "AGENDA\n\n1 Apologies for absence\n\n2 Declarations of interest\n\n3 Internal audit progress report\n",
        {"council": "Merton", "committee": "Audit Committee", "meeting_date": "2009-10-22", "doc_type": "agenda",
         "title": "Audit Committee"},
        id="agenda-front-sheet"),
    pytest.param(
        "KENT COUNTY COUNCIL\n\nCABINET\n\nMINUTES of a meeting of the Cabinet held in the Council Chamber, "
        "Sessions House, County Hall, Maidstone on Thursday, 30 January 2025.\n\nPRESENT: Mr R Gough (Chairman)\n\n"
        "84. Apologies\n\nApologies were received from Mrs C Bell.\n\n85. Budget\n\nRESOLVED that the budget be agreed.\n",
        {"council": "Kent", "committee": "Cabinet", "meeting_date": "2025-01-30", "doc_type": "minutes"},
        id="printed-minutes"),
    pytest.param(
        "Children and Families Overview and Scrutiny Panel\nWednesday, 11 May 2016\n\nMinutes:\n\n"
        "The Panel agreed the minutes. The County Council of Worcestershire was thanked.\n",
        {"committee": "Children and Families Overview and Scrutiny Panel", "meeting_date": "2016-05-11",
         "doc_type": "minutes"},
        id="weekday-date-under-committee"),
    pytest.param(
        "Housing Scrutiny Sub-Committee\n\nMeeting date: 30/01/2025\n\nReport of the Director of Housing\n\n"
        "This report asks the Sub-Committee to note the council's progress.\n",
        {"committee": "Housing Scrutiny Sub-Committee", "meeting_date": "2025-01-30", "doc_type": "report"},
        id="numeric-date-label"),
    pytest.param(
        "Agenda and minutes\n\nMembers of the public should notify us no later than 9.00am on the working day "
        "before the meeting (in this case 13 May 2016).\n\nMinutes:\n\nThe Minutes of the Meeting held on "
        "17 March 2016 were agreed as a correct record.\n",
        {"meeting_date": "2016-05-16", "doc_type": "minutes", "title": "Agenda and minutes"},
        id="working-day-before-a-Monday-meeting"),
    pytest.param(
        "HOUSE OF LORDS\n\nScience and Technology Select Committee\n\nBehaviour Change\n\n"
        "Report with Evidence\n\nOrdered to be printed 12 July 2011\n\nCONTENTS\n\nSummary\n\n"
        "Chapter 1: Introduction\n\nThe Committee took evidence from many bodies.\n\n"
        "Evidence was taken from Jane Smith, Group Managing Director of Kent County Council, and others.\n",
        {"council": None},
        id="national-report-names-a-witness-council"),
    pytest.param(
        "Royal Sutton Coldfield Town Council\nProcurement Information - 2017/18\n\n"
        "The Transparency Code requires local authorities to publish contracts over £5,000.\n\n"
        "Library Provision\tBirmingham City Council\t£230,000\n2017 Florals\tBirmingham City Council\t£25,799\n"
        "Christmas Lights\tBirmingham City Council\t£68,780\n\nAs At 27th March 2018\n",
        {"council": "Royal Sutton Coldfield", "committee": None, "meeting_date": None, "doc_type": "other",
         "title": "Procurement Information - 2017/18"},
        id="register-header-wins-over-suppliers"),
    pytest.param(
        "Performance and Contract Management Committee\n\n5th January 2017\n\n"
        "Title\tProgress report on the partnership\nReport of\tCommercial Director\n\n"
        "Summary\n\nThe council entered into a partnership. Contact: ian.harrison@Barnet.gov.uk\n",
        {"council": "Barnet", "committee": "Performance and Contract Management Committee",
         "meeting_date": "2017-01-05", "doc_type": "report", "title": "Progress report on the partnership"},
        id="title-row-and-email-domain"),
    pytest.param(
        "Decision details\n\nMinutes of Previous Meeting\n\nDecision status: Recommendations Approved\n\n"
        "Is Key decision?: No\n\nDecision:\n\nThe Minutes of the meeting on 23 September 2015 were approved as a "
        "correct record.\n\nDate of decision: 19/10/2015\n\nDecided at meeting: 19/10/2015 - Policy Committee\n",
        {"doc_type": "other", "title": "Minutes of Previous Meeting"},
        id="decision-page-is-no-minutes"),
    pytest.param(
        "Public Document Pack\n\nNotice of Meeting\n\nPLANNING COMMITTEE\n\n"
        "Date: Tuesday, 5th March, 2019 Time: 7.00 pm\n\nContact: democratic.services@haringey.gov.uk\n\n"
        "AGENDA\n\n1. APOLOGIES FOR ABSENCE\n\n2. URGENT BUSINESS\n\n3. MINUTES (PAGES 1 - 10)\n",
        {"council": "Haringey", "committee": "Planning Committee", "meeting_date": "2019-03-05",
         "doc_type": "agenda", "title": "PLANNING COMMITTEE"},
        id="agenda-pack-front-sheet"),
    pytest.param(
        "LEEDS CITY COUNCIL\n\nEXECUTIVE BOARD\n\nWEDNESDAY, 13TH FEBRUARY, 2019\n\n"
        "PRESENT: Councillor J Blake in the Chair\n\n120 Exempt Information - Possible Exclusion of the Press\n\n"
        "RESOLVED - That no items be excluded.\n",
        {"council": "Leeds", "committee": "Executive Board", "meeting_date": "2019-02-13", "doc_type": "minutes",
         "title": "EXECUTIVE BOARD"},
        id="capitals-minutes-header"),
    pytest.param(
        "Minutes of the meeting of the Health and Wellbeing Board held on Thursday, 7 November 2019 at 2.00 pm\n\n"
        "Present: Councillor A Smith (Chair)\n\n23/19 Apologies\n\nApologies were received.\n",
        {"committee": "Health and Wellbeing Board", "meeting_date": "2019-11-07", "doc_type": "minutes",
         "title": "Minutes of the meeting of the Health and Wellbeing Board"},
        id="minutes-opening-sentence"),
    pytest.param(
        "REPORT TO CABINET\n\n12 March 2019\n\nBUDGET MONITORING 2018/19\n\nReport of the Chief Finance Officer\n\n"
        "1. PURPOSE\n\n1.1 This report sets out the council's budget.\n",
        {"committee": "Cabinet", "meeting_date": "2019-03-12", "doc_type": "report", "title": "BUDGET MONITORING 2018/19"},
        id="report-to-line-without-colon"),
    pytest.param(
        "Agenda Item 7\n\nAudit and Governance Committee\n\n25 April 2019\n\nInternal Audit Annual Report 2018/19\n\n"
        "Report of the Head of Internal Audit\n\n1. Summary\n\n1.1 The council's audit plan was delivered.\n",
        {"committee": "Audit and Governance Committee", "meeting_date": "2019-04-25", "doc_type": "report",
         "title": "Internal Audit Annual Report 2018/19"},
        id="report-in-a-pack"),
    pytest.param(
        "To: All Members of the Cabinet\n\nDate: 12 March 2019\n\nSubject: Budget\n\nThe council agreed.\n",
        {"committee": "Cabinet", "title": "Budget"},
        id="to-all-members"),
]


@pytest.mark.parametrize("text, expected", HARD_CASES)
def test_hard_cases(tmp_path, text, expected):
    record = document_of(tmp_path, text)
    assert {k: record[k] for k in expected} == expected


def test_folder_name_names_the_council_when_the_text_does_not(tmp_path):
    record = document_of(tmp_path, "Progress Report\n\nThe service improved this year.\n",
                         name="papers/barnet/2017/x.txt")
    assert record["council"] == "Barnet"
    assert council_from_path("archive/2019/tower_hamlets_cabinet_minutes.pdf") == "Tower Hamlets"
    assert council_from_path("papers/2017/report.pdf") is None
    # One word late in the name is a place, not the authority ("lincoln_square" in a US file name).
    assert council_from_path("US_chicago_ssa21_lincoln_square_minutes.pdf") is None
    assert council_from_path("kent_cc_cabinet_minutes.pdf") == "Kent"


def test_council_option_wins_over_the_text(tmp_path):
    record = document_of(tmp_path, "Kent County Council\n\nCabinet\n\nThe council agreed.\n", council="Medway")
    assert record["council"] == "Medway"


def test_document_record_fields(tmp_path):
    record = document_of(tmp_path, "Cabinet\n\n4 March 2025\n\nThe council agreed the plan.\n", name="dir/a.md")
    assert record["path"] == "a.md" and record["format"] in ("md", "txt")
    assert record["id"] == record["doc"] and re.fullmatch(r"[0-9a-f]{16}", record["id"])
    assert record["pages"] is None


@pytest.mark.parametrize("text, iso", [
    ("5th January 2017", "2017-01-05"), ("21 June 2016", "2016-06-21"), ("Wednesday, 11 May 2016", "2016-05-11"),
    ("30/01/2025", "2025-01-30"), ("December 3, 2020", "2020-12-03"), ("2015-10-01", "2015-10-01"),
    ("1st of April 2013", "2013-04-01"),
])
def test_dates_as_written(text, iso):
    assert [d for _, _, d in find_dates(text)] == [iso]


def test_next_working_day_skips_the_weekend():
    assert next_working_day("2016-05-10") == "2016-05-11"  # Tuesday → Wednesday
    assert next_working_day("2016-05-13") == "2016-05-16"  # Friday → Monday


@pytest.mark.parametrize("raw, title", [
    ("Monitoring the Effectiveness of Services pdf icon PDF 107 KB", "Monitoring the Effectiveness of Services"),
    ("MINUTES OF THE MEETING HELD ON 23 JUNE 2009 (Agenda item 3)", "MINUTES OF THE MEETING HELD ON 23 JUNE 2009"),
    ("ANNUAL GOVERNANCE REPORT 2008/09 (Agenda item 5) RESOLVED: (A) That the report be noted.",
     "ANNUAL GOVERNANCE REPORT 2008/09"),
    ("Minutes of the meeting held on 24 September 2009 and notes of\n3\nthe Joint session",
     "Minutes of the meeting held on 24 September 2009 and notes of the Joint session"),
    ("Final Accounts Memorandum 2008/09", "Final Accounts Memorandum 2008/09"),
])
def test_item_titles_lose_their_furniture(raw, title):
    assert item_title(raw) == title


def test_agenda_page_numbers_are_dropped_from_item_titles(tmp_path):
    text = ("Audit Committee\n22 October 2009\n\nAGENDA\n\n1. Declarations of interest 1\n\n"
            "2. Apologies for absence\n\n3. Annual complaints report 9\n\n4. Internal audit progress report 23\n\n"
            "5. Final Accounts Memorandum 2008/09 155\n")
    assert items_of(tmp_path, text) == [
        ("1", "Declarations of interest"), ("2", "Apologies for absence"), ("3", "Annual complaints report"),
        ("4", "Internal audit progress report"), ("5", "Final Accounts Memorandum 2008/09")]


def test_minutes_numbered_within_the_year(tmp_path):
    text = ("Minutes of the meeting of the Cabinet held on 7 November 2019\n\nPresent: Councillor A Smith\n\n"
            "23/19 Apologies\n\nApologies were received.\n\n24/19 Minutes of the Previous Meeting\n\n"
            "RESOLVED that the minutes be agreed.\n")
    assert items_of(tmp_path, text) == [("23/19", "Apologies"), ("24/19", "Minutes of the Previous Meeting")]


def test_reports_have_no_items_and_numbers_are_never_guessed(tmp_path):
    report = ("Audit Committee 21 June 2016: Partnership\n\n1. Introduction\n\nThe report sets out progress.\n\n"
              "2. Next steps\n\nThis report asks the committee to note it.\n")
    assert items_of(tmp_path, report) == []
    unnumbered = "Agendas, Meetings and Minutes - Agenda item\n\nAgenda item\n\nMonitoring of Services\n\nMinutes:\n\nNone.\n"
    assert items_of(tmp_path, unnumbered) == []


# ---------------------------------------------------------------- accuracy on the seed gold

def _fold(value) -> str:
    if value is None:
        return ""
    s = str(value).lower().replace("&", " and ")
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s%]", " ", s)).strip()


def _similar(a, b) -> float:
    return token_set_ratio(_fold(a), _fold(b))


def _field_ok(field: str, gold, predicted) -> bool:
    """RECORDS.md: exact after folding; committee and title by token-set similarity ≥ 90."""
    if field in ("committee", "title"):
        if gold is None or predicted is None:
            return gold is None and predicted is None
        return _similar(gold, predicted) >= 90
    return _fold(gold) == _fold(predicted)


def _item_matches(gold: list[dict], predicted: list[dict]) -> int:
    """One-to-one, best first: number equal and title similarity ≥ 90."""
    pairs = sorted(((_similar(g["title"], p["title"]), gi, pi) for gi, g in enumerate(gold)
                    for pi, p in enumerate(predicted) if _fold(g["number"]) == _fold(p["number"])), reverse=True)
    used_g, used_p, hits = set(), set(), 0
    for score, gi, pi in pairs:
        if score >= 90 and gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            hits += 1
    return hits


def test_document_and_item_accuracy_on_the_seed_gold():
    field_hits, field_total = 0, 0
    tp = n_gold = n_pred = 0
    for path in SEED_DOCS:
        gold = [json.loads(line) for line in (CORPUS / "gold" / (path.stem + ".jsonl")).read_text().splitlines()
                if line.strip()]
        records = [r.to_dict() for r in run(path)]
        gold_doc = next(g for g in gold if g["type"] == "document")
        doc = next(r for r in records if r["type"] == "document")
        assert doc["id"] == gold_doc["id"] and doc["path"] == gold_doc["path"]
        for field in FIELDS:
            field_total += 1
            field_hits += _field_ok(field, gold_doc[field], doc[field])
        gold_items = [g for g in gold if g["type"] == "item"]
        predicted_items = [r for r in records if r["type"] == "item"]
        tp += _item_matches(gold_items, predicted_items)
        n_gold += len(gold_items)
        n_pred += len(predicted_items)
    accuracy = field_hits / field_total
    precision = tp / n_pred if n_pred else 0.0
    recall = tp / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    assert accuracy >= 0.9, f"document field accuracy {accuracy:.3f}"
    assert f1 >= 0.9, f"item F1 {f1:.3f} (P {precision:.2f}, R {recall:.2f})"


def test_folder_hint_is_used_only_when_the_paper_names_no_council(tmp_path):
    silent = tmp_path / "silent.txt"
    silent.write_text("Progress Report\n\nThe service improved this year.\n", encoding="utf-8")
    named = tmp_path / "named.txt"
    named.write_text("Kent County Council\n\nCabinet\n\nThe council agreed the plan.\n", encoding="utf-8")
    for path, expected in ((silent, "Barnet"), (named, "Kent")):
        doc = load(path)
        ctx = ExtractionContext(doc, structure(doc), folder_council="Barnet")
        assert next(iter(document_meta.extract(ctx))).council == expected


# ---------------------------------------------------------------- papers not written the UK way

US_MINUTES = ("## I. Parks and Recreation Committee\n\nChaired by Jo Bloggs\n\n### B. Public Comment\n\nNone.\n\n"
              "#### 1. Tree Planting Contract\n\nFor the Board to authorize the Manager to sign the contract.\n\n"
              "Member Smith made the motion to move this item to the full Board. Member Jones seconded the motion.\n\n"
              "The Chair declared the motion PASSED unanimously.\n\n#### 2. Playground Repairs\n\n"
              "Member Jones made the motion. Member Smith seconded the motion.\n\n### E. Other Matters\n\n"
              "Member Smith spoke.\n\n### G. Adjourn\n\nThe Chair adjourned the meeting at 7:10 p.m.\n")


def test_us_style_minutes_are_minutes_with_their_items(tmp_path):
    record = document_of(tmp_path, US_MINUTES, name="minutes.md")
    assert record["doc_type"] == "minutes"
    path = tmp_path / "items.md"
    path.write_text(US_MINUTES, encoding="utf-8")
    assert [(r.number, r.title) for r in run(path) if r.TYPE == "item"] == [
        ("B", "Public Comment"), ("1", "Tree Planting Contract"), ("2", "Playground Repairs"),
        ("E", "Other Matters"), ("G", "Adjourn")]


def test_irish_style_proposed_and_seconded_minutes(tmp_path):
    text = ("Adoption of Minutes\n\nCirculated, copies of the draft Minutes of the Ordinary Meeting.\n\n"
            "Proposed by Councillor Ryan;\n\nSeconded by Councillor Walsh;\n\nAnd Resolved:\n\n"
            "The motion was carried.\n")
    assert document_of(tmp_path, text)["doc_type"] == "minutes"


def test_a_report_quoting_evidence_is_not_minutes(tmp_path):
    """"It was suggested" repeated through an evidence report counts only a few times, and weakly."""
    evidence = "".join(f"It was suggested by witness {n} that labelling would help.\n\n" for n in range(12))
    text = ("Science Select Committee\n\nFood Labelling\n\nReport\n\nChapter 1: Introduction\n\n"
            "This report sets out the evidence we took.\n\n" + evidence)
    assert document_of(tmp_path, text)["doc_type"] == "report"


def test_items_stand_on_their_own_when_the_cues_say_report(tmp_path):
    """A run of agenda items is evidence of a meeting paper whatever the document-type cues say."""
    text = ("Licensing Committee\n\nThis report lists the business.\n\n1. Apologies for absence\n\n"
            "2. Declarations of interest\n\n3. Premises licence review\n\n4. Any other business\n")
    assert [n for n, _ in items_of(tmp_path, text)] == ["1", "2", "3", "4"]


def test_byline_under_the_body_name_is_not_the_title(tmp_path):
    record = document_of(tmp_path, US_MINUTES, name="minutes.md")
    assert record["title"] == "Parks and Recreation Committee"
    assert record["committee"] == "Parks and Recreation Committee"


@pytest.mark.parametrize("text, expected", [
    pytest.param(
        "Download original file\n\n---\nMINUTES OF PROCEEDINGS AT MEETING OF WESTSHIRE\n\nCOUNTY COUNCIL HELD IN THE "
        "COUNCIL\n\nCHAMBER, ON TUESDAY, 21ST JULY, 2015, AT 3.00 P.M.\n\nPRESENT IN THE CHAIR:\n\nCouncillor A. Ryan.\n\n"
        "Proposed by Councillor Ryan;\n\nSeconded by Councillor Walsh;\n\nThe Highways Strategic Policy Committee "
        "met twice. The Highways Strategic Policy Committee reported.\n",
        {"doc_type": "minutes", "committee": "County Council",
         "title": "MINUTES OF PROCEEDINGS AT MEETING OF WESTSHIRE COUNTY COUNCIL"},
        id="full-council-minutes-under-a-source-link"),
    pytest.param(
        "HOUSE OF COMMONS\n\nTransport Select Committee\n\n3rd Report of Session 2012–13\n\nRoad Safety\n\n"
        "Report\n\nOrdered to be printed 1 May 2013\n\nThis report sets out what we heard. It was suggested "
        "that speed limits be lowered. It was noted that cameras help.\n",
        {"doc_type": "report", "committee": "Transport Select Committee", "title": "Road Safety"},
        id="parliamentary-report-cover"),
])
def test_cover_pages_not_written_the_uk_council_way(tmp_path, text, expected):
    record = document_of(tmp_path, text)
    assert {k: record[k] for k in expected} == expected


def test_a_body_first_named_deep_in_a_long_paper_is_not_its_committee(tmp_path):
    filler = "The council reviewed how its services performed over the year and what they cost. " * 120
    text = ("Commissioned Services Review\n\nSummary: the services were reviewed.\n\n" + filler +
            "\n\nThe Growth Scrutiny Committee discussed it. The Growth Scrutiny Committee agreed.\n")
    assert document_of(tmp_path, text)["committee"] is None


def test_the_fast_paths_read_what_the_full_patterns_read():
    """The speed-ups in document_meta skip work only where the full pattern could not have matched."""
    try:
        from re import _parser as sre_parse
    except ImportError:  # Python < 3.11
        import sre_parse
    from extractor.structure import MARKUP, plain

    # every kind of markup `plain` removes starts with one of MARKUP_STARTS
    parsed = list(sre_parse.parse(MARKUP.pattern))
    branches = parsed[0][1][1] if len(parsed) == 1 and parsed[0][0] is sre_parse.BRANCH else [parsed]
    for branch in branches:
        kind, arg = next(item for item in branch if item[0] is not sre_parse.AT)  # "^#+": after the anchor
        if kind is sre_parse.MAX_REPEAT:
            kind, arg = arg[2][0]
        assert kind is sre_parse.LITERAL and chr(arg) in document_meta.MARKUP_STARTS, branch
    for line in ("**Minutes**", "  # Agenda ", "<b>Report</b> to", "a\\b", "plain line  ", "__x__"):
        assert document_meta._plain_line(line) == plain(line).strip()

    # committee mentions, read stretch by stretch, are the full scan's
    nouns = document_meta.rules().strong_nouns
    text = ("The Audit Committee met. Members of the Scrutiny Panel (Health) agreed: Cabinet Member reports; "
            "Children and Families Overview and Scrutiny Sub-Committee, the Committee Members and “Cabinet”.\n"
            "Pension Fund\nCommittee / Planning Committee")
    full = [m.span() for m in document_meta._committee_pattern(nouns).finditer(text)]
    assert full and [m.span() for m in document_meta._committee_mentions(text, nouns)] == full

    # bare council mentions from the councils whose first word the paper prints
    text = "Kent and Tower Hamlets; Kentish Town; Barnet Road; King's Lynn and West Norfolk said"
    assert document_meta._bare_mentions(text) == [m.group(1) for m in document_meta.rules().bare_pattern.finditer(text)]
