"""`person` extractor: hard cases as a table of input text → expected people (LexNLP style)."""
from __future__ import annotations

import re

import pytest

from extractor.document import Document, TableRow
from extractor.extract import ExtractionContext
from extractor.extract import people
from extractor.records import DocumentRecord
from extractor.structure import structure


def run(text: str, council: str | None = "Barnet", table_rows: list[TableRow] | None = None):
    doc = Document(path="t.txt", format="txt", text=text, doc_id="0" * 16, table_rows=table_rows or [])
    ctx = ExtractionContext(doc, structure(doc))
    ctx.records.append(DocumentRecord(doc=doc.doc_id, id=doc.doc_id, path="t.txt", format="txt", council=council))
    return list(people.extract(ctx))


CASES = [
    # contact details with e-mail: organisation from the address
    ("Officer Contact Details\tChris Munday, Commissioning Director, Children and Young People "
     "Chris.munday@Barnet.gov.uk 0208 359 2858 Caroline Woolf, Commercial Director Caroline.woolf@barnet.gov.uk\n",
     [("Chris Munday", "Commissioning Director, Children and Young People", "Barnet"),
      ("Caroline Woolf", "Commercial Director", "Barnet")]),
    # a contact-details table, role before name: the role from its cell, the organisation from the address; a
    # surname that is also a job word is a name when it spells the address ("Cath Head", cath.head@)
    ("Contact Details\n\nInterim Corporate Director Finance\tJohn Betts\t03000 410 066\tjohn.betts@kent.gov.uk\n"
     "Head of Finance Operations\tCath Head\t03000 416 934\tcath.head@kent.gov.uk\n\nContents\n",
     [("John Betts", "Interim Corporate Director Finance", "Kent"), ("Cath Head", "Head of Finance Operations", "Kent")]),
    # an attendance list names members by initials; the minutes name one in full where he acts: one person, the fuller name
    ("PRESENT: Mr D Murphy, Mrs A Smith and Mr R J Thomas\n\n1) Mr Derek Murphy proposed, and Mr Rob Thomas seconded, "
     "that the report be noted.\n",
     [("Derek Murphy", None, None), ("A Smith", None, None), ("Rob Thomas", None, None)]),
    # "Ms J Meade" and "Mr J Meade" in one list are two people of one name; "Mr Meade" later is the Mr
    ("PRESENT: Ms J Meade, Mr J Meade and Mrs A Smith\n\nMr Meade, Chairman of the Panel, proposed that the report be noted.\n",
     [("J Meade", None, None), ("J Meade", "Chairman of the Panel", "Barnet"), ("A Smith", None, None)]),
    # a plural title vouches for the lone surnames after it, up to the "and" that closes the group
    ("PRESENT: Councillors Smith (Chair), Jones and Brown, Professor Ann White\n\n1. Apologies\n",
     [("Ann White", None, None), ("Smith", "Councillor; Chair", "Barnet"), ("Jones", "Councillor", "Barnet"),
      ("Brown", "Councillor", "Barnet")]),
    # surnames told apart by a bracketed initial, a list spaced line by line, a role with the titled name in brackets
    ("MEMBERS PRESENT:\n\nCouncillors Adair, Collins (J), Collins (M), Ó Dubhda,\n\nFenton, Garvey.\n\n"
     "OFFICIALS IN ATTENDANCE:\n\nChief Executive (Mr. C. Hart), Meetings Administrator (Ms. P. Lyons).\n",
     [("Collins (J)", "Councillor", "Barnet"), ("Collins (M)", "Councillor", "Barnet"), ("Ó Dubhda", "Councillor", "Barnet"),
      ("C. Hart", "Chief Executive", "Barnet"), ("P. Lyons", "Meetings Administrator", "Barnet"),
      ("Adair", "Councillor", "Barnet"), ("Fenton", "Councillor", "Barnet"), ("Garvey", "Councillor", "Barnet")]),
    # "From:" signatories, a role wrapped onto the next line
    ("From: Rory Love, Cabinet Member for Education and Skills\n\nSarah Hammond, Corporate Director of Children, Young People\n"
     "and Education\n\nTo: Cabinet – 30 January 2025\n",
     [("Rory Love", "Cabinet Member for Education and Skills", "Barnet"),
      ("Sarah Hammond", "Corporate Director of Children, Young People and Education", "Barnet")]),
    ("From: Roger Gough – Leader of the Council\n\nTo: Cabinet\n", [("Roger Gough", "Leader of the Council", "Barnet")]),
    # two signatories on one line where a layout lost the break between them
    ("From:\tSue Chandler, Cabinet Member for Integrated Children’s Services Sarah Hammond, Corporate Director – Children\n"
     "To:\tCounty Council – 13 March 2025\n",
     [("Sue Chandler", "Cabinet Member for Integrated Children’s Services", "Barnet"),
      ("Sarah Hammond", "Corporate Director – Children", "Barnet")]),
    # a wrapped role line, then another label
    ("Report Author:\nIngrid Crisan\nDirector of Integrated Children’s\nOperational Services\nIngrid.crisan@kent.gov.uk\n"
     "Director:\nSarah Hammond\nCorporate Director for Children\n",
     [("Ingrid Crisan", "Director of Integrated Children’s Operational Services; report author", "Kent"),
      ("Sarah Hammond", "Corporate Director for Children", "Barnet")]),
    # report author block: name line, role line, then telephone and e-mail
    ("11. Contact details\n\nReport Author:\nNick Abrahams\nAssistant Director Education – West Kent Telephone number\n"
     "03000 410058\nEmail address nicholas.abrahams@kent.gov.uk\n",
     [("Nick Abrahams", "Assistant Director Education – West Kent; report author", "Kent")]),
    # name and role run together with no separator
    ("Contact Officer\n\nName and Job Title: Anna Halliday Commissioner for Education and Wellbeing\n",
     [("Anna Halliday", "Commissioner for Education and Wellbeing", "Barnet")]),
    # two contacts sharing one plural role
    ("Contact: Alyson Grice (01905 844962)/Samantha Morris (01905 844963)  Overview & Scrutiny Officers\n",
     [("Alyson Grice", "Overview & Scrutiny Officer", "Barnet"), ("Samantha Morris", "Overview & Scrutiny Officer", "Barnet")]),
    # "Report of" with a title dropped
    ("### Report of Cllr Ben Adams – Cabinet Member for Learning and Skills\n",
     [("Ben Adams", "Cabinet Member for Learning and Skills", "Barnet")]),
    # apologies: no role, no organisation
    ("Apologies were received from June Griffiths and John Thomas.\n", [("June Griffiths", None, None), ("John Thomas", None, None)]),
    ("Apologies for absence were received from Councillors Rod Scott and Diane Neil mills\n",
     [("Rod Scott", "Councillor", "Barnet"), ("Diane Neil mills", "Councillor", "Barnet")]),
    # attendance: honorific scope ends after the "and" pair; a bracketed body is an organisation for the whole group
    ("PRESENT: Dave Roberts (Chairman), Councillors Angela Caldara and Corinna Edge, Danny Connellan.\n",
     [("Dave Roberts", "Chairman", "Barnet"), ("Angela Caldara", "Councillor", "Barnet"),
      ("Corinna Edge", "Councillor", "Barnet"), ("Danny Connellan", None, None)]),
    ("ALSO PRESENT: Caroline Holland (Director of Corporate Services), Grant Miles (Head of Finance)\n"
     "Suresh Patel, Kelly Jupp and Sandra Lofthouse (Audit Commission)\n",
     [("Caroline Holland", "Director of Corporate Services", "Barnet"), ("Grant Miles", "Head of Finance", "Barnet"),
      ("Suresh Patel", None, "Audit Commission"), ("Kelly Jupp", None, "Audit Commission"),
      ("Sandra Lofthouse", None, "Audit Commission")]),
    # initials in a list of names
    ("Present: Councillors A Smith (Chair), B Jones and C Brown\n",
     [("A Smith", "Councillor; Chair", "Barnet"), ("B Jones", "Councillor", "Barnet"), ("C Brown", "Councillor", "Barnet")]),
    # a layout that lost the line break after a bracket
    ("ALSO PRESENT:\tColin Millar (Democratic Services) Suresh Patel and Kelly Jupp (Audit Commission)\n",
     [("Colin Millar", "Democratic Services", "Barnet"), ("Suresh Patel", None, "Audit Commission"),
      ("Kelly Jupp", None, "Audit Commission")]),
    # membership list under role headings; the printed role wins over the heading
    ("Membership:\n\nCouncillors:\n\nAngela Caldara\nRod Scott\n\nOther Members:\n\nDave Roberts (Independent Chair)\nDanny Connellan\n",
     [("Angela Caldara", "Councillor", "Barnet"), ("Rod Scott", "Councillor", "Barnet"),
      ("Dave Roberts", "Independent Chair", "Barnet"), ("Danny Connellan", "Other Member", "Barnet")]),
    # running text: appositive roles, "led by", a plural role before names
    ("The Council has two directors on the board (Ian Parry, the Cabinet Member for Finance, Resources and Transformation, "
     "and Darryl Eyers, the Head of Economic Planning and Deputy Director Place).\n",
     [("Ian Parry", "Cabinet Member for Finance, Resources and Transformation", "Barnet"),
      ("Darryl Eyers", "Head of Economic Planning and Deputy Director Place", "Barnet")]),
    ("In order to secure oversight, a review is being led by John Tradewell and Anne-Marie Davidson.\n",
     [("John Tradewell", None, None), ("Anne-Marie Davidson", None, None)]),
    ("This is being undertaken by the DfE advisors Calvin Pyke, Jayne Lowe and Peter Cox.\n",
     [("Calvin Pyke", "DfE advisor", "DfE"), ("Jayne Lowe", "DfE advisor", "DfE"), ("Peter Cox", "DfE advisor", "DfE")]),
    ("John Betts (interim Corporate Director Finance) and Dave Shipton (Head of Finance, Policy, Planning, Strategy) were in attendance\n",
     [("John Betts", "interim Corporate Director Finance", "Barnet"), ("Dave Shipton", "Head of Finance, Policy, Planning, Strategy", "Barnet")]),
    # hard negatives: roles without names, organisations, places, a lone first name, vote tables
    ("The Strategic Commissioner – Education and Skills and the Interim Lead Commissioner attended the meeting.\n", []),
    ("Peter ran a short pilot in April and the work will be led by the Education Commissioner.\n", []),
    ("The contract was delivered by Cambridge Education and Birmingham City Council.\n", []),
    ("Members of the public wishing to take part should notify the Head of Legal and Democratic Services.\n", []),
    ("Mr Fenn Against\nMrs Dunmore Substantive Motion\n", []),
    # a title or role word with a surname alone names the person by the surname; a bracketed group is the organisation
    ("The request was made by Mrs Okafor (Liberal Democrat Group) before the deadline.\n",
     [("Okafor", None, "Liberal Democrat Group")]),
    ("Trustee Varga made the motion.\n\nTrustees Holm, Pike and Varga spoke.\n\nBoard Chair Quist closed the meeting.\n",
     [("Varga", "Trustee", None), ("Holm", "Trustee", None), ("Pike", "Trustee", None), ("Quist", "Chair", None)]),
    # a paper addressed "To:" a named member names that person; "To:" a body names nobody
    ("To:\tJane Doe, Cabinet Member for Parks\n\nSubject: Playgrounds\n", [("Jane Doe", "Cabinet Member for Parks", "Barnet")]),
    ("To:\tCabinet – 30 January 2025\n", []),
    # a membership line may say who was present or absent, behind a bullet
    ("◦ Trustees Present: Helen Quist, Mark Oduya\n◦ Trustees Absent: Peter Lamb\n",
     [("Helen Quist", "Trustee", "Barnet"), ("Mark Oduya", "Trustee", "Barnet"), ("Peter Lamb", "Trustee", "Barnet")]),
    # "Chaired by" names a person; the surname later is the same person
    ("Chaired by Helen Quist\n\nCommittee Chair Quist declared the motion PASSED.\n", [("Helen Quist", "Committee Chair", None)]),
    # a surname printed in lower case elsewhere is a common word, and "Deputy Director Place" is a job title
    ("Director Finance will report on finance in May.\n", []),
    # an organisation is a capitalised phrase with a head noun, never the head noun alone; like roles are one role
    ("Dr Petra Lindqvist, Chief Economist at the Department for Rural Affairs, gave evidence. "
     "Dr Petra Lindqvist, Chief Economist, Department for Rural Affairs, replied.\n",
     [("Petra Lindqvist", "Chief Economist at the Department for Rural Affairs", "Department for Rural Affairs")]),
    # an untitled full name beside a job title: the title before it (with a comma or as a title), or an appositive after
    ("The panel wrote to the Secretary of State for Transport, Helen Marsh, about potholes.\n",
     [("Helen Marsh", "Secretary of State for Transport", None)]),
    ("She met Harbour MP Owen Pryce and Health Secretary Nadia Fenn at the depot.\n",
     [("Owen Pryce", "Harbour MP", None), ("Nadia Fenn", "Health Secretary", None)]),
    ("The board remembered Ruth Ellison, a much-loved former clerk, who retired in May.\n",
     [("Ruth Ellison", "much-loved former clerk", "Barnet")]),
    ("Last week the town welcomed Hugo Lindell, the Trade Representative of Ostland in the UK.\n",
     [("Hugo Lindell", "Trade Representative of Ostland in the UK", "Barnet")]),
    ("The grants were run by Tom Brightwater, who chaired the fund's panel.\n", [("Tom Brightwater", None, None)]),
    # ... and not a body or a common word beside a role, nor a role word that only qualifies ("a senior figure")
    ("The Director of Finance, Grant Funding and the budget were discussed, and the grant funding rose.\n", []),
    ("Minister Grant Funding was agreed; the grant funding was spent.\n", []),
    ("We thanked Ruth Ellison, a senior figure in the sector.\n", []),
    # an attendance heading may say how people attended before its colon
    ("IN ATTENDANCE REMOTELY: Mr T Okoro (Head of Legal)\n\nPresent (virtual): Ms W Lund (Clerk)\n",
     [("T Okoro", "Head of Legal", "Barnet"), ("W Lund", "Clerk", "Barnet")]),
    # titles with a full stop
    ("Mr. Hal Brent opened the fete and Dr. Ivy Cole judged the cakes.\n", [("Hal Brent", None, None), ("Ivy Cole", None, None)]),
    # a list entry whose surname is a job word, or with no title but a bracketed job title
    ("In attendance: Mrs D Chief (Head of Payroll), Mr P Amos (Clerk) and Okonjo (Acting Senior Auditor)\n",
     [("D Chief", "Head of Payroll", "Barnet"), ("P Amos", "Clerk", "Barnet"), ("Okonjo", "Acting Senior Auditor", "Barnet")]),
    # "Mr Surname, <role>," and "Mr I Surname, <role>," join the listed member (initials compatible)
    ("PRESENT: Mr T R Hale (Chairman), Mrs A Quist, Mr B Lorne\n\nMr T Hale, Leader of the Council, opened the item. "
     "Mrs Quist, Cabinet Member for Parks, provided an update.\n",
     [("T R Hale", "Chairman; Leader of the Council", "Barnet"), ("A Quist", "Cabinet Member for Parks", "Barnet"),
      ("B Lorne", None, None)]),
    # two listed people who share a surname stay two; a surname alone with a different gendered title is someone else
    ("PRESENT: Mrs P T Vane, Mr P Vane\n", [("P T Vane", None, None), ("P Vane", None, None)]),
    ("PRESENT: Mrs P T Vane, Mr P Vane\n\nMrs Vane, Leader of the Council, spoke. Mr Vane (Cabinet Member for Parks) "
     "replied.\n", [("P T Vane", "Leader of the Council", "Barnet"), ("P Vane", "Cabinet Member for Parks", "Barnet")]),
    ("PRESENT: Mrs K Moss (Chairman)\n\nMr Moss, Cabinet Member for Roads, spoke.\n",
     [("K Moss", "Chairman", "Barnet"), ("Moss", "Cabinet Member for Roads", "Barnet")]),
    ("The motion was moved by Ms Jane Okafor (Liberal Democrat Group).\n", [("Jane Okafor", None, "Liberal Democrat Group")]),
    ("Also present remotely (via Teams): Ms W Lund (Clerk)\n", [("W Lund", "Clerk", "Barnet")]),
    ("He met Mrs. Okafor, the Executive Head Teacher, and Mr. Okafor, one of the heads of school.\n",
     [("Okafor", "Executive Head Teacher", "Barnet"), ("Okafor", "one of the heads of school", "Barnet")]),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_people_table(text, expected):
    got = [(p.name, p.role, p.organisation) for p in run(text)]
    assert got == expected


def test_table_cell_holding_a_name_alone():
    text = "Professional Consultancy\tAndrew Tucker\tSmall Enterprise\nEnvironmental Audit\tClockwork City\tPLC\n"
    rows = []
    pos = 0
    for line in text.splitlines(keepends=True):
        cells, c = [], pos
        for part in line.rstrip("\n").split("\t"):
            cells.append((c, c + len(part)))
            c += len(part) + 1
        rows.append(TableRow(start=pos, end=pos + len(line.rstrip("\n")), cells=cells, table=0))
        pos += len(line)
    got = [(p.name, p.role, p.organisation) for p in run(text, table_rows=rows)]
    assert got == [("Andrew Tucker", None, None)]


def test_every_person_quotes_its_source_and_a_name_appears_once():
    text = ("PRESENT: Dave Roberts (Chairman), Councillors Chris Edge (Chairman), Mark Betteridge and Russell Makin.\n\n"
            "Membership:\n\nOther Members:\n\nDave Roberts (Independent Chair)\n")
    records = run(text, council="Merton")
    names = [p.name for p in records]
    assert len(names) == len(set(names))
    by_name = {p.name: p for p in records}
    assert by_name["Dave Roberts"].role == "Chairman; Independent Chair"
    assert by_name["Chris Edge"].role == "Councillor; Chairman"
    for p in records:
        assert text[p.source.start:p.source.end] == p.source.quote
        assert p.name in p.source.quote or p.name.split()[0] in p.source.quote


def test_organisation_is_null_when_the_council_is_unknown():
    [p] = run("Report of Cllr Ben Adams – Cabinet Member for Learning and Skills\n", council=None)
    assert (p.name, p.organisation) == ("Ben Adams", None)


@pytest.mark.parametrize("fmt", ["docx", "html", "pdf"])
def test_seed_people_are_the_same_in_every_format(fmt, tmp_path):
    """Each seed rendered as DOCX, HTML and PDF (by the format-invariance test's renderers) names the same people."""
    from extractor.extract import document_meta
    from extractor.loaders import load

    from .conftest import SEED_DOCS
    from .test_format_invariance import RENDER, parts_of

    def found(path):
        doc = load(path)
        ctx = ExtractionContext(doc, structure(doc))
        ctx.records.extend(document_meta.extract(ctx))
        return {(p.name, p.role, p.organisation) for p in people.extract(ctx)}

    for seed in SEED_DOCS:
        text_doc = load(seed)
        rendered = tmp_path / f"{seed.stem}.{fmt}"
        RENDER[fmt](parts_of(text_doc, structure(text_doc)), rendered)
        assert found(rendered) == found(seed), f"{seed.name} as {fmt}"


def test_the_fast_paths_find_what_the_full_patterns_find():
    """The anchored searches in people.py try a pattern only where it can start: the matches are finditer's."""
    text = ("The review was led by Jane Smith and\nChaired\n  by Tom Jones; cancelled by Ann Lee; carried out by Bo Li.\n"
            "The officers Jane Doe and advisers Tom Roe met; members\tBob Ray. Directors Broom, Tisdale and Lewis, "
            "Committee Chair Rosenthal, xDirector Smith, Vice-chair Jones.\nApologies from A. Apologies were received from"
            "\n  June Griffiths. led by")

    def spans(matches):
        return [(m.start(), m.end(), m.groups()) for m in matches]

    assert spans(people._led_by_cues(text)) == spans(people._LED_BY_CUE.finditer(text)) != []
    assert spans(people._plural_role_cues(text)) == spans(people._PLURAL_ROLE_WORD.finditer(text)) != []
    title_starts = (m.start() for m in people._title_first_word().finditer(text))
    assert spans(people._matches_at(people._title_role_re(), text, title_starts)) == \
        spans(people._title_role_re().finditer(text)) != []
    apologies = (m.start() for m in people._APOLOGIES_WORD.finditer(text))
    assert spans(people._matches_at(people._APOLOGIES_FROM, text, apologies)) == \
        spans(people._APOLOGIES_FROM.finditer(text)) != []
    paper = "Director Finance and finance-led work_1 on policy; o'dea"
    printed = people._PrintedWords(paper)
    for word in ("finance", "led", "and", "work", "policy", "o'dea", "dea", "lewis"):
        alone = re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", paper) is not None
        assert printed.printed(word) == alone, word


def test_printed_words_searched_then_collected_agree():
    """_PrintedWords answers alike whether it searches for a word or looks it up in the collected words."""
    from extractor.extract import people
    text = "Ms Ward went forward. Mr O'Neil-Smith, Smith_2 and Smithson met Ward-Jones; café Ward\n"
    words = ["Ward", "Smith", "Smithson", "Jones", "O'Neil-Smith", "Smith_2", "caf", "café", "went", "Neil"]
    words += [f"w{i}" for i in range(people.PRINTED_WORDS_SEARCHED + 5)] + words
    printed = people._PrintedWords(text)
    runs = set(re.findall(r"[\w-]+", text))
    for word in words:
        expected = word in runs if re.fullmatch(r"[\w-]+", word) else \
            re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text) is not None
        assert printed.printed(word) == expected, word
