"""`recommendation` extractor: hard cases as a table of input text → expected records (LexNLP style)."""
from __future__ import annotations

import pytest

from extractor.document import Document, TableRow
from extractor.extract import ExtractionContext, recommendations
from extractor.records import DocumentRecord
from extractor.structure import structure


def run(text: str, committee: str | None = "Audit Committee", table_rows: list[TableRow] | None = None):
    doc = Document(path="t.txt", format="txt", text=text, doc_id="0" * 16, table_rows=table_rows or [])
    ctx = ExtractionContext(doc, structure(doc))
    ctx.records.append(DocumentRecord(doc=doc.doc_id, id=doc.doc_id, path="t.txt", format="txt", committee=committee))
    return list(recommendations.extract(ctx))


def brief(records):
    return [(r.kind, r.text, r.number) for r in records]


CASES = [
    # numbered report recommendations under a heading
    ("Recommendations\n\n- 1. That the Select Committee note the progress made in commissioning\n"
     "- 2. That the Select Committee receives the update on performance.\n\n1. WHY THIS REPORT IS NEEDED\n",
     [("recommendation", "That the Select Committee note the progress made in commissioning", "1"),
      ("recommendation", "That the Select Committee receives the update on performance", "2")]),
    # the same recommendation in the summary and in its section is one record; "8.1" is a paragraph number
    ("Recommendation(s):\n\nCabinet is asked to agree the Commissioning Plan 2025-29.\n\n1. Introduction\n\n"
     "9 Recommendation(s):\n\n8.1 Cabinet is asked to agree the Commissioning Plan 2025-29.\n",
     [("recommendation", "Cabinet is asked to agree the Commissioning Plan 2025-29", None)]),
    # a formal lead-in with one paragraph per recommendation (bullets lost in the layout)
    ("Recommendation(s):\n\nThe Cabinet Member for Integrated Children’s Services is asked to:\n\n"
     "APPROVE the proposal to not re-commission the services.\n\nDELEGATE authority to the Director to explore the option.\n\n"
     "1. INTRODUCTION\n\n1.1 KCC commissions two providers.\n",
     [("recommendation", "APPROVE the proposal to not re-commission the services", None),
      ("recommendation", "DELEGATE authority to the Director to explore the option", None)]),
    # resolutions with lettered parts
    ("5 ANNUAL GOVERNANCE REPORT (Agenda item 5) RESOLVED: (A) That the Audit Committee notes the main accounts report.\n"
     "(B) That the Audit Committee notes the Use of Resources score.\n",
     [("resolution", "That the Audit Committee notes the main accounts report", "A"),
      ("resolution", "That the Audit Committee notes the Use of Resources score", "B")]),
    ("3. RESOLVED that Cabinet agree to:\n\nA) Note the forecast revenue overspend of £23.3m.\nb) Agree the Capital budget changes.\n\n"
     "89. Draft Revenue Budget\n",
     [("resolution", "Note the forecast revenue overspend of £23.3m", "A"), ("resolution", "Agree the Capital budget changes", "b")]),
    ("RESOLVED: That the minutes of the meeting held on 23 June are agreed as a correct record.\n",
     [("resolution", "That the minutes of the meeting held on 23 June are agreed as a correct record", None)]),
    ("AGREED – that the report be noted and officers circulate the revised plan.\n",
     [("decision", "that the report be noted and officers circulate the revised plan", None)]),
    ("RECOMMENDED to Cabinet that the revised fees and charges be approved.\n",
     [("recommendation", "to Cabinet that the revised fees and charges be approved", None)]),
    ("ITEMS AGREED AT THE LAST MEETING\n", []),
    # a lone NOTED under a minute heading keeps the heading
    ("7 WORK PROGRAMME (Agenda item 7)\nNOTED\n", [("decision", "WORK PROGRAMME (Agenda item 7) NOTED", None)]),
    # requests: one record per list element
    ("In conclusion, the Chairman thanked the Officers and requested that:\n\n"
     "·       KPI's were regularly sent out to the Panel; and\n\n·       The Action Plan also be sent to the Panel.\n",
     [("request", "KPI's were regularly sent out to the Panel", None), ("request", "The Action Plan also be sent to the Panel", None)]),
    ("The Chairman thanked the Officers for attending the meeting and asked if members could be advised when roll-out took place.\n",
     [("request", "members could be advised when roll-out took place", None)]),
    ("The Chairman asked officers to circulate the revised risk register to Members.\n",
     [("request", "officers to circulate the revised risk register to Members", None)]),
    # "asked whether" with no modal is a question, not a request
    ("Members asked whether the figures included academies.\n", []),
    ("This report updates Select Committee on the progress made, as requested.\n", []),
    # suggestions, and an explanation that is not one
    ("·       Looking to the future, it was suggested that performance data could be broken down by district level.\n",
     [("suggestion", "performance data could be broken down by district level", None)]),
    ("·       It was suggested that the deficit of school places was due to a bulge year.\n", []),
    ("It was suggested that scrutiny should look at:\n\n·         Attainment by area\n\n·         Vulnerable groups.\n",
     [("suggestion", "scrutiny should look at attainment by area", None), ("suggestion", "scrutiny should look at vulnerable groups", None)]),
    # decisions: verbs, not adjectives
    ("The Minutes of the Meeting held on 17 March 2016 were agreed as a correct record and signed by the Chairman.\n",
     [("decision", "The Minutes of the Meeting held on 17 March 2016 were agreed as a correct record and signed by the Chairman", None)]),
    ("The report was otherwise noted.\n", [("decision", "The report was otherwise noted", None)]),
    ("A separate board monitors the performance of ISS against the agreed KPIs.\n", []),
    ("Members noted these comments.\n", []),
    ("The Advisory Board has had eight companies present to it so far with eight approved to the value of £2.18m.\n", []),
    ("Four more are approved and awaiting final legal completion.\n", []),
    ("All minutes are draft until agreed at the next meeting of the committee.\n", []),
    # two clauses with their own cues become two records
    ("The Panel has agreed the officers’ response and the Panel requests an update of the action plan.\n",
     [("decision", "The Panel has agreed the officers’ response", None),
      ("request", "the Panel requests an update of the action plan", None)]),
    # forward actions with an actor; hedges, conditions, questions and completed work are not actions
    ("KCC will continue to monitor this data and forecast its impact over time.\n",
     [("action", "KCC will continue to monitor this data and forecast its impact over time", None)]),
    ("CE are reviewing the traded offer for schools. Statutory functions will continue to be carried out. "
     "CE also plan to extend the range of traded services.\n",
     [("action", "CE are reviewing the traded offer for schools. Statutory functions will continue to be carried out", None),
      ("action", "CE also plan to extend the range of traded services", None)]),
    ("Over time, staff savings will be possible as a result of the re-organisation.\n", []),
    ("It is anticipated that there will be further reports to be considered at this meeting.\n", []),
    ("This Commissioning Plan sets out how we will carry out our responsibility.\n", []),
    ("What would be the effect on the Accounts of correcting the issue?\n", []),
    ("If Entrust is successful the County Council will benefit financially from dividends.\n", []),
    ("Revised the transfer plan to ensure that resources are matched to the need.\n", []),
    ("A meeting of the Audit Committee will be held:\n", []),
    ("The key objectives in the first year were:\n\n- The seamless transition of services\n- Business as usual\n", []),
    ("It was noted that 92 businesses were eligible for the scheme.\n", []),
    ("The Leader responded to the requests that were made in Scrutiny Committee on 29 January 2025.\n", []),
    ("The minimum price for a unit of beer would be around 21p.\n", []),
    ("The idea of the Government intervening will often be controversial.\n", []),
    ("I will ask at the next meeting for the number of Council houses currently vacant.\n", []),
    ("It was hoped that these measures would address the frustrations of residents.\n", []),
    ("Section 3 sets out the Needs Framework, as proposed in 2023. It assessed need by considering the following data:\n"
     "• Deprivation\n• Population density\n", []),
    # "would" is conditional in a report, a reported intention in minutes
    ("This option would mean the re-procurement of the contracts. The provision would be delivered from other sites.\n", []),
    ("PRESENT: Councillor Jane Smith\n\nThe Council needed to demonstrate outcomes better. More detailed reports would follow on risk.\n",
     [("suggestion", "The Council needed to demonstrate outcomes better", None),
      ("action", "More detailed reports would follow on risk", None)]),
    ("The scope with the transformation partner is being agreed.\n", []),
    ("We anticipate that families will access provision at alternative sites.\n", []),
    # list items under a forward lead-in are actions
    ("1.16 The main priority developments proposed as a result of the reviews are:\n"
     " - Upgrading the existing servers.\n - A review of scanning capability.\n",
     [("action", "Upgrading the existing servers", None), ("action", "A review of scanning capability", None)]),
    # an inline list of review recommendations, one record each
    ("Key recommendations from the service reviews included a review of business processes to remove bottlenecks, "
     "identifying particular caseworkers to focus on different tasks and developing ways to increase participation.\n",
     [("recommendation", "a review of business processes to remove bottlenecks", None),
      ("recommendation", "identifying particular caseworkers to focus on different tasks", None),
      ("recommendation", "developing ways to increase participation", None)]),
    # a body resolving in lower case opens a list of resolutions, numbered by letter; "will" inside one is no action
    ("4.After discussion, the Housing Panel unanimously agreed the following motion:\n\n"
     "a. That the tenancy strategy be referred to the Executive.\n\n"
     "b. CONFIRM the review will be reported to the Executive in June.\n",
     [("resolution", "That the tenancy strategy be referred to the Executive", "a"),
      ("resolution", "CONFIRM the review will be reported to the Executive in June", "b")]),
    ("7.Following the vote, the Committee resolved, with a unanimous vote, to refer the scheme to the Executive.\n",
     [("resolution", "the Committee resolved, with a unanimous vote, to refer the scheme to the Executive", None)]),
    # a "Recommendation:" heading then an options list: the options are recommendations whatever their wording
    ("Recommendation:\n\nThe Council may, having reviewed the decision, resolve one of the following:\n\n"
     "a. Agree that the decision be implemented\n\nb. express comments on the decision\n\n9. Background\n",
     [("recommendation", "Agree that the decision be implemented", "a"),
      ("recommendation", "express comments on the decision", "b")]),
    # US-style recommended action and a motion carried
    ("For the Board of Trustees to authorize the Manager to execute a lease for the depot.\n\n"
     "Motion:   Trustee Parks made the motion to forward this item to the full Board.\n\n"
     "Trustee Allen seconded the motion.\n\nChair Moss declared the motion PASSED.\n",
     [("recommendation", "For the Board of Trustees to authorize the Manager to execute a lease for the depot", None),
      ("decision", "Trustee Parks made the motion to forward this item to the full Board", None)]),
    ("Motion:   Trustee Parks made the motion to sell the depot.\n\nThe motion was defeated.\n", []),
    # requests without "that": "sought", "was requested", "requested" + a bare noun
    ("Clarification was sought over the cost of the library refit.\n",
     [("request", "Clarification was sought over the cost of the library refit", None)]),
    ("Further detail sought about the parking income.\n", [("request", "Further detail sought about the parking income", None)]),
    ("Members requested sight of the signed lease.\n", [("request", "Members requested sight of the signed lease", None)]),
    ("The council sought legal advice on the lease.\n", []),
    # a past decision named as such
    ("A Key Decision (19/00123) was taken on 3 May 2019 to extend the cleaning contract.\n",
     [("decision", "A Key Decision (19/00123) was taken on 3 May 2019 to extend the cleaning contract", None)]),
    ("In March 2022, the Executive took decision 22/00042 to close the depot.\n",
     [("decision", "In March 2022, the Executive took decision 22/00042 to close the depot", None)]),
    # a forward modal is an action with an agent and an action verb, or a passive of an action verb ...
    ("The Council will consult tenants on the new rent policy.\n",
     [("action", "The Council will consult tenants on the new rent policy", None)]),
    ("The depot lease will be renewed for two years.\n", [("action", "The depot lease will be renewed for two years", None)]),
    # ... not a thing having an effect, a state carried on, or what a report or a witness says would happen
    ("The wider debate will shape any later choice of site.\n", []),
    ("Parking will continue to be within easy reach of the library.\n", []),
    ("PRESENT: Councillor Jane Smith\n\nThe survey indicated that 400 new homes would be delivered by 2030.\n", []),
    ("The strategy sets out that the library service will be delivered from two hubs.\n", []),
    ("This paper explained that costs have risen since the Plan was adopted.\n", []),
    ("This option would leave the hub model adopted in 2021 unchanged.\n", []),
    # a sentence without an agent that directly carries on an action of its paragraph is part of that action
    ("The team is currently reviewing the parking charges. A survey of users will inform this.\n",
     [("action", "The team is currently reviewing the parking charges. A survey of users will inform this", None)]),
    ("A survey of users will inform this.\n", []),
    # a list item carries on its lead-in's sentence; a name keeps its capitals
    ("Members requested that officers survey:\n\n- Eastwick Green\n- The town verges\n",
     [("request", "officers survey Eastwick Green", None), ("request", "officers survey the town verges", None)]),
    # a person or witness agreeing states a view; the meeting or a body decides
    ("Professor Lane agreed that taxes on sugar had changed buying habits.\n", []),
    ("He agreed with Mr Ross that the hall needed repair.\n", []),
    ("It was agreed that the hall be let to the youth club.\n", [("decision", "the hall be let to the youth club", None)]),
    # a sentence is not cut at a line break after a small word, nor at an abbreviation
    ("PRESENT: Councillor Jane Smith\n\nThat, the Parks Strategy 2024 for\nNorthfield Town Council be and is hereby adopted.\n",
     [("decision", "That, the Parks Strategy 2024 for Northfield Town Council be and is hereby adopted", None)]),
    ("PRESENT: Councillor Jane Smith\n\nOfficers would deliver approx. 40 new benches by June.\n",
     [("action", "Officers would deliver approx. 40 new benches by June", None)]),
    # a lettered item ending "as follows:" opens a list of its own, whatever its level: its dash items are its children
    ("4. Ms Grey gave an update on the following:\n\n(a) Ms Grey reported on parking.\n\n"
     "(b) On roadworks, the Council had made several recommendations to the inquiry, as follows:\n\n"
     "- Widening the permit scheme to cover more streets.\n- A review of notice periods for planned works.\n\n"
     "(c) Ms Grey thanked the staff.\n",
     [("recommendation", "Widening the permit scheme to cover more streets", None),
      ("recommendation", "A review of notice periods for planned works", None)]),
    # "we must" + an action verb is the writers' next step; a condition that is the decision itself going ahead is a plan
    ("To draw down the grant, we must sign a new funding agreement with the Department.\n",
     [("action", "To draw down the grant, we must sign a new funding agreement with the Department", None)]),
    ("Residents must apply for a permit.\n", []),
    ("If the proposal goes ahead, officers will contact the two schools to arrange visits.\n",
     [("action", "If the proposal goes ahead, officers will contact the two schools to arrange visits", None)]),
    ("If demand rises, officers will contact the two schools to arrange visits.\n", []),
    ("Friends of the Park said we will if you will.\n", []),
    # things "have been suggested": the sentence is the suggestion
    ("Several changes have been suggested, including longer opening hours at the branch library.\n",
     [("suggestion", "Several changes have been suggested, including longer opening hours at the branch library", None)]),
    ("As suggested by Members, the library opened later.\n", []),
    # a decision stated as an event: a contract awarded, a decision taken or made, approval given
    ("The three bidders were awarded a contract by way of a framework call-off to cover 2023 to 2025.\n",
     [("decision", "The three bidders were awarded a contract by way of a framework call-off to cover 2023 to 2025", None)]),
    ("The cleaning was tendered in 2019, with contracts awarded for 24 months from 1 May 2019.\n",
     [("decision", "The cleaning was tendered in 2019, with contracts awarded for 24 months from 1 May 2019", None)]),
    ("The Trust has taken the difficult decision to close the ward at night.\n",
     [("decision", "The Trust has taken the difficult decision to close the ward at night", None)]),
    ("The decision had been made to defer the item to the March meeting.\n",
     [("decision", "The decision had been made to defer the item to the March meeting", None)]),
    ("The Harbour Review, which had been called in, was given approval to proceed.\n",
     [("decision", "The Harbour Review, which had been called in, was given approval to proceed", None)]),
    ("Officers will report when the decision has been made to close the depot.\n",
     [("action", "Officers will report when the decision has been made to close the depot", None)]),
    ("The value of contracts awarded to local firms rose last year.\n", []),
    ("No decision has been made to close the depot.\n", []),
    # minutes put plans in the past tense: "was scheduled to", "was due to be done"; "was due to" a cause is none
    ("(m) In May, Mr Jones was scheduled to meet the harbour board. In June, KCC was also scheduled to host the regional forum.\n",
     [("action", "In May, Mr Jones was scheduled to meet the harbour board", None),
      ("action", "In June, KCC was also scheduled to host the regional forum", None)]),
    ("The depot cleaning contract was due to be extended for six months from April.\n",
     [("action", "The depot cleaning contract was due to be extended for six months from April", None)]),
    ("The overspend was due to a rise in demand for transport.\n", []),
    ("The scheme was popular and it was also due to be rolled out in libraries.\n", []),
    ("The leases were due to expire in March 2025.\n", []),
    # "<BODY> resolved the following:" / "… as follows:" is a lead-in, not a record; the paragraph after it is,
    # split at "; that"; a lead-in "resolved to make a recommendation" makes its parts recommendations
    ("1.3 After a debate, Council resolved the following:\n\nCouncil notes the strength of feeling about the library and "
     "asks the Leader to report back.\n\n1.4 Next item.\n",
     [("resolution", "Council notes the strength of feeling about the library and asks the Leader to report back", None)]),
    ("1.4 The Housing Panel resolved to make a recommendation to the Cabinet Member as follows:\n\n"
     "The Panel recommends that the sale be paused; That a survey of the site be undertaken; and, that a report be brought "
     "to the next meeting.\n\n1.5 Next item.\n",
     [("recommendation", "The Panel recommends that the sale be paused", None),
      ("recommendation", "That a survey of the site be undertaken", None),
      ("recommendation", "that a report be brought to the next meeting", None)]),
    # a quoted clause in upper-case imperative wording after "The decision included …:" is a decision
    ("1.5 The decision was published on 3 May. The decision included an additional clause:\n\n"
     "‘DELEGATE authority to the Director of Housing to agree the lease terms’\n\n1.6 Next item.\n",
     [("decision", "DELEGATE authority to the Director of Housing to agree the lease terms", None)]),
    ("1.5 The decision included the following:\n\nThe library will open on Sundays.\n", []),
    # a request stated as a noun
    ("Whilst the Panel welcomed the grant, the ask of the Department was to extend it to rural bus routes.\n",
     [("request", "the ask of the Department was to extend it to rural bus routes", None)]),
    ("The request for a new crossing was discussed at length.\n", []),
    # a passive whose agent is a body is an action even after "it" or a reported "confirmed that"
    ("PRESENT: Councillor Jane Smith\n\nThe Clerk confirmed that, after a call-in, it would first be reconsidered by the next "
     "meeting of the Cabinet (scheduled to be held on 4 March 2025).\n",
     [("action", "The Clerk confirmed that, after a call-in, it would first be reconsidered by the next meeting of the Cabinet "
                 "(scheduled to be held on 4 March 2025)", None)]),
    # a decision named only to date something else is not one
    ("It was later claimed that the figures were not available when the Decision was taken.\n", []),
    # a request then "This was approved": one decision
    ("A waiver of the tender rules was sought for the bus contract. This was approved and the operator was told in May.\n",
     [("decision", "A waiver of the tender rules was sought for the bus contract. This was approved and the operator was told in May", None)]),
    # a Recommendations section of numbered imperatives with no "asked to:" lead-in ("2 | Recommendations")
    ("2 | Recommendations\n2.1 Note the forecast revenue overspend of £23.3m (excluding Schools) Please refer to Section 3\n\n"
     "2.2 Consider and note the progress on the delivery of savings\n\n2.3 Note that the figures are provisional\n\n"
     "3 | Revenue Budget Forecast\nThe forecast outturn is an overspend.\n",
     [("recommendation", "Note the forecast revenue overspend of £23.3m (excluding Schools)", "2.1"),
      ("recommendation", "Consider and note the progress on the delivery of savings", "2.2")]),
    # a decision page's fields are labels and their values, not decisions; its Decision is one
    ("Decision status: Recommendations Approved\n\nDecision:\n\nThe Minutes of the meeting on 23 September 2015 were "
     "approved as a correct record.\n\nDecided at meeting: 19/10/2015 - Policy Committee\n",
     [("decision", "The Minutes of the meeting on 23 September 2015 were approved as a correct record", None)]),
    # a motion proposed and seconded, then RESOLVED: the resolution is its one record (bulleted parts each one)
    ("301. Terms of Reference\n\n1) Mr Jeffrey proposed, and Mr Bartlett seconded the motion that\n\n“Council is asked to:\n\n"
     "• Agree the revised Terms of Reference as set out in Appendix A; and\n"
     "• Delegate to the Monitoring Officer to make the necessary changes.”\n\n"
     "2) Following the debate, the Chairman put the motion set out in paragraph 1 and it was agreed unanimously.\n\n"
     "3) RESOLVED that Council:\n\n• Agrees the revised Terms of Reference as set out in Appendix A; and\n"
     "• Delegates to the Monitoring Officer to make the necessary changes.\n\n302. Next item\n\n",
     [("resolution", "Agrees the revised Terms of Reference as set out in Appendix A", None),
      ("resolution", "Delegates to the Monitoring Officer to make the necessary changes", None)]),
    # a motion agreed with no RESOLVED after it is the decision; one about the meeting itself is none
    ("10) Mr Sweetland proposed, and Mr Ridgers seconded, that the Council formally record its thanks to the retiring "
     "Clerk for her service.\nAgreed unanimously.\n\n11) Mr Brady proposed and Ms Meade seconded that the motion be put "
     "to the vote.\nAgreed.\n",
     [("decision", "the Council formally record its thanks to the retiring Clerk for her service", None)]),
    # "RESOLVED:" alone, the resolution in the paragraph below; the agenda's next lettered item is no part of it
    ("5. Minutes\n\nRESOLVED:\n\nThat the minutes of the meeting held on 1 May 2024 be approved as a correct record.\n\n"
     "6. Next item\n",
     [("resolution", "That the minutes of the meeting held on 1 May 2024 be approved as a correct record", None)]),
    ("Proposed by Councillor Quinn;\n\nSeconded by Councillor Hayes;\n\nAnd Resolved:\n\n“That, the scheme, as circulated, "
     "be adopted.”\n\n(b)\n\nAnnual Meeting of the Council held on 26th June, 2015.\n",
     [("resolution", "That, the scheme, as circulated, be adopted.", None)]),
    # a reference the layout wrapped onto a new line is no lettered part of the resolution
    ("RESOLVED: That the Tourism Scheme, as circulated, be adopted, in accordance with Section 66\n(2) of the Local "
     "Government Act, 2001.\n",
     [("resolution", "That the Tourism Scheme, as circulated, be adopted, in accordance with Section 66 (2) of the Local "
                     "Government Act, 2001", None)]),
    # a response to a committee: the paragraph under each "… Recommendation" heading is one, the response none
    ("Inquiry Recommendation\n\n8.1. It is important that ministers are always able to explain the evidence-base of any "
     "intervention (paragraph 2.20).\n\nThe Government agrees with the Committee's conclusion.\n\n"
     "Inquiry Recommendation\n\nPromoting choice: the role of regulation\n\nThe Government notes the point.\n",
     [("recommendation", "It is important that ministers are always able to explain the evidence-base of any "
                         "intervention", "8.1")]),
    # a report quoting a committee's motion: "passed a motion proposing that:", its "That …; That …; And, that …" parts
    ("5.20 The Cabinet Committee considered the proposed decision. The committee passed a motion proposing that:\n\n"
     "That the decision be delayed until funding is confirmed; That a valuation of the buildings be undertaken; And, "
     "that an update be brought to the next meeting.\n\n5.21 Officers replied.\n",
     [("resolution", "That the decision be delayed until funding is confirmed", None),
      ("resolution", "That a valuation of the buildings be undertaken", None),
      ("resolution", "that an update be brought to the next meeting", None)]),
    # work under way with a stated object is an action; a programme reported as under way and delivering is progress
    ("Discussions were underway with district colleagues regarding a parallel forecast.\n\n"
     "The council was working on a larger initiative to make transitions more coordinated.\n\n"
     "Delivery of phase 2 of the programme was underway and had so far supported 760 families.\n",
     [("action", "Discussions were underway with district colleagues regarding a parallel forecast", None),
      ("action", "The council was working on a larger initiative to make transitions more coordinated", None)]),
    # a vote's tally then "Agreed": the motion voted on is recorded where it is resolved
    ("For (38)\n\nAgainst (0)\n\nAbstain (0)\n\nAgreed.\n", []),
    # Members asked to consider something in a report's body is a request to them
    ("Members are asked to consider the cost of each option alongside the equality impacts.\n",
     [("request", "Members are asked to consider the cost of each option alongside the equality impacts", None)]),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_recommendation_table(text, expected):
    assert brief(run(text)) == expected


def test_due_date_only_for_a_calendar_date():
    [a] = run("CMG meetings are planned to take place termly, with the next meeting scheduled for 19 July 2016.\n")
    assert (a.kind, a.due) == ("action", "2016-07-19")
    [b] = run("By the end of the school year in July 2016 BCC will have a full picture of year one of operation.\n")
    assert (b.kind, b.due, b.to) == ("action", None, "BCC")
    [c] = run("All existing statements must be converted to EHCPs by 31 March 2018.\n")
    assert (c.kind, c.due) == ("action", "2018-03-31")


def test_by_and_to():
    [r] = run("### Report of Cllr Ben Adams – Cabinet Member for Learning and Skills\n\n#### Recommendations\n\n"
              "- 1. That the Select Committee note the progress made\n")
    assert (r.by, r.to, r.number) == ("Ben Adams, Cabinet Member for Learning and Skills", "the Select Committee", "1")
    [q] = run("RESOLVED: That the report be noted.\n")
    assert q.by == "the Audit Committee"
    [s] = run("In conclusion, the Chairman thanked the Officers and requested that:\n\n·       The plan be sent to the Panel.\n")
    assert (s.by, s.to) == ("the Chairman", "the Panel")


def test_action_table_rows():
    lines = ["Action\tOwner\tDue date", "Publish the revised policy\tHead of Finance\t31 March 2025",
             "Review the risk register\tAudit Manager\tQ3"]
    text = "\n".join(lines) + "\n"
    rows, pos = [], 0
    for k, line in enumerate(lines):
        cells, c = [], pos
        for part in line.split("\t"):
            cells.append((c, c + len(part)))
            c += len(part) + 1
        rows.append(TableRow(start=pos, end=pos + len(line), cells=cells, table=0, header=k == 0))
        pos += len(line) + 1
    got = [(r.kind, r.text, r.to, r.due) for r in run(text, table_rows=rows)]
    assert got == [("action", "Publish the revised policy", "Head of Finance", "2025-03-31"),
                   ("action", "Review the risk register", "Audit Manager", None)]


def _table(lines: list[str], before: str = "", header_rows=(0,), table_of=lambda k: 0):
    """Text and TableRows for tab-separated lines after ``before``; ``table_of(k)`` numbers line k's table."""
    text, rows, pos = before, [], len(before)
    for k, line in enumerate(lines):
        cells, c = [], pos
        for part in line.split("\t"):
            cells.append((c, c + len(part)))
            c += len(part) + 1
        rows.append(TableRow(start=pos, end=pos + len(line), cells=cells, table=table_of(k), header=k in header_rows))
        text += line + "\n"
        pos += len(line) + 1
    return text, rows


def test_question_table_rows_are_requests_and_answers_are_read_as_sentences():
    before = "4.1 These questions were put at the meeting of the Housing Panel on 3 May 2024.\n\n"
    lines = ["Question raised\tResponse",
             "Can the hall be kept open on Sundays? Who pays?\tThe Council will consult users on the opening hours in June.",
             "Why was the hall\tThe lease ended in March and the owner did not renew it.",
             "closed last year?\t"]
    text, rows = _table(lines, before, table_of=lambda k: 0 if k < 3 else 1)  # a page break starts table 1
    got = [(r.kind, r.text, r.by) for r in run(text, table_rows=rows)]
    assert got == [("action", "The Council will consult users on the opening hours in June", None),
                   ("request", "Can the hall be kept open on Sundays? Who pays?", "the Housing Panel"),
                   ("request", "Why was the hall closed last year?", "the Housing Panel")]


def test_questions_go_on_after_an_answers_own_text_breaks_the_table():
    """A table of questions and answers whose answer holds a paragraph of its own: the table after it has no header
    row, but its first column still asks the panel's questions. A table of questions with no such table before it
    (a page of frequently asked questions) asks none."""
    before = "4.1 These questions were put at the meeting of the Housing Panel on 3 May 2024.\n\n"
    text, rows = _table(["Issue raised\tResponse", "Can the hall open on Sundays?\tYes, from June."], before)
    text += "\nThe hall's bookings this year were as follows.\n\n"
    more, more_rows = _table(["How much will the repairs cost?\tAbout a third of the budget."], text,
                             header_rows=(), table_of=lambda k: 1)
    got = [(r.kind, r.text, r.by) for r in run(more, table_rows=rows + more_rows)]
    assert got == [("request", "Can the hall open on Sundays?", "the Housing Panel"),
                   ("request", "How much will the repairs cost?", "the Housing Panel")]
    faq, faq_rows = _table(["What is a family hub?\tA place where families find help, advice and activities."],
                           "Frequently asked questions\n\n", header_rows=())
    assert [r.kind for r in run(faq, table_rows=faq_rows)] == []


def test_prose_cells_of_a_table_without_a_header_are_not_read():
    text, rows = _table(["Depot works\t-0.25 Rephasing as not all works will be completed by year end"], header_rows=())
    assert run(text, table_rows=rows) == []


def test_every_record_quotes_its_source():
    text = ("Recommendations\n\n- 1. That the Committee note the report.\n\nThe Chairman asked that officers report back.\n"
            "RESOLVED: (A) That the report be noted. (B) That officers report back in June.\n")
    records = run(text)
    assert len(records) == 4
    for r in records:
        assert text[r.source.start:r.source.end] == r.source.quote
        assert r.source.quote


@pytest.mark.parametrize("fmt", ["docx", "html", "pdf"])
def test_seed_recommendations_are_the_same_in_every_format(fmt, tmp_path):
    """Each seed rendered as DOCX, HTML and PDF (by the format-invariance test's renderers) gives the same records."""
    import re

    from extractor.extract import document_meta, people
    from extractor.loaders import load

    from .conftest import SEED_DOCS
    from .test_format_invariance import RENDER, parts_of

    def records(path):
        doc = load(path)
        ctx = ExtractionContext(doc, structure(doc))
        for extractor in (document_meta.extract, people.extract):
            ctx.records.extend(extractor(ctx))
        return {(r.kind, re.sub(r"\W+", " ", r.text.lower()).strip()) for r in recommendations.extract(ctx)}

    for seed in SEED_DOCS:
        text_doc = load(seed)
        rendered = tmp_path / f"{seed.stem}.{fmt}"
        RENDER[fmt](parts_of(text_doc, structure(text_doc)), rendered)
        expected = records(seed)
        assert expected, seed.name
        assert records(rendered) == expected, f"{seed.name} as {fmt}"


def test_due_from_a_scheduled_meeting():
    [r] = run("PRESENT: Councillor Jane Smith\n\nIt would be reconsidered by the Cabinet (scheduled to be held on 4 March 2025).\n")
    assert (r.kind, r.due) == ("action", "2025-03-04")


def test_due_needs_a_deadline_cue():
    assert recommendations._due("the service since commencement on the 1st April 2016") is None
    assert recommendations._due("to be completed by 30 June 2026") == "2026-06-30"
    assert recommendations._due("a report no later than 1 March 2027") == "2027-03-01"


def test_minutes_markers_found_as_the_pattern_finds_them():
    """has_minutes_markers (literals first, anchors after) agrees with MINUTES_MARKERS.search on texts built
    from the markers' edges: line breaks and spaces before a label, case, a word run into a marker, the
    characters case-insensitive matching folds to ASCII letters."""
    import random

    from extractor.extract.recommendations import MINUTES_MARKERS, has_minutes_markers
    pieces = ["RESOLVED", "resolved", "xRESOLVED", "RESOLVED_", "PRESENT:", "present :", "Present\n:", "ALSO PRESENT:",
              "also\n present:", "ALSO  \n PRESENT :", "Minutes:", "minutes :", "x Minutes:", "Apologies were received",
              "apologies for absence were received", "xapologies were received", "\n", "\n\n", "  ", "\t", "word", " ",
              "\u017f", "\u0130", "\u212a", "also ", "_", "é", "PRESENTS:", "minutes\t:"]
    rng = random.Random(7)
    for i in range(20000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 6)))
        lowered = text.lower() if i % 2 else None
        assert has_minutes_markers(text, lowered) == (MINUTES_MARKERS.search(text) is not None), repr(text)


def test_numbered_recommendations_in_table_rows_take_the_first_cell():
    """'2.2 Note …<TAB>Please refer to Section 3g': the layout made the list a table; the cross-reference is no part of it."""
    lines = ["2.2 Note the forecast overspend on Schools’ Delegated Budgets of £30.4m\tPlease refer to Section 3g",
             "2.3 Note the forecast capital underspend of £111.6m\tPlease refer to Section 6"]
    text = "Recommendations\n" + "\n".join(lines) + "\n"
    rows, pos = [], len("Recommendations\n")
    for line in lines:
        first = line.index("\t")
        rows.append(TableRow(start=pos, end=pos + len(line), cells=[(pos, pos + first), (pos + first + 1, pos + len(line))],
                             table=0, header=False))
        pos += len(line) + 1
    got = [(r.kind, r.text, r.number) for r in run(text, table_rows=rows)]
    assert got == [("recommendation", "Note the forecast overspend on Schools’ Delegated Budgets of £30.4m", "2.2"),
                   ("recommendation", "Note the forecast capital underspend of £111.6m", "2.3")]
