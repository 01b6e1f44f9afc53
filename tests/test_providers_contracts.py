"""Provider and contract extraction, LexNLP style: paper text → expected providers and contracts.

The papers are written for the test; they go through the text loader, structure
and the arrangement extractors as `minutes extract` runs them.
"""
from __future__ import annotations

import re

import pytest

from extractor.dates import end_from_term, financial_years, parse_cell_date, parse_date
from extractor.extract.contracts import money, term_years
from tests.test_services import run


def providers_of(records) -> dict[str, tuple[str | None, set[str]]]:
    return {r.name: (r.kind, set(r.aliases)) for r in records if r.TYPE == "provider"}


def contracts_of(records) -> dict[str, dict]:
    out = {}
    for r in records:
        if r.TYPE == "contract":
            d = r.to_dict()
            out[r.provider] = {k: d[k] for k in ("start_date", "term_years", "end_date", "annual_value_gbp",
                                                 "savings_gbp", "savings_period")}
    return out


NONE = {"start_date": None, "term_years": None, "end_date": None, "annual_value_gbp": None, "savings_gbp": None,
        "savings_period": None}

PROVIDER_CASES = [
    # fullest form names the provider; the short form is an alias; a plain contract is a company
    ("fullest form",
     "Library Services were commissioned to Acme Prime on 1 October 2015 on a 5 year contract. "
     "Since Acme were appointed, visits have risen.\n",
     {"Acme Prime": ("company", {"Acme"})}),
    # a strategic partnership, with its bracketed abbreviation
    ("partnership and abbreviation",
     "In April 2016, Westshire entered into a new seven year strategic partnership with Learning Trust Partners (LTP) "
     "to provide the council's education services. LTP reviewed every service.\n",
     {"Learning Trust Partners": ("partnership", {"LTP"})}),
    # a joint venture company, and its partner that delivers nothing is not a provider
    ("joint venture",
     "Services were transferred to the new joint venture company Schoolco. Schoolco was established on "
     "1st April 2013 as a joint venture between the County Council and Bigcorp Plc.\n",
     {"Schoolco": ("joint_venture", set())}),
    # a sub-contractor after the comma; the council's own unit is a council body with its initials
    ("subcontractor and council body",
     "Staff moved from its catering service to Learnwell's catering sub-contractor, Platefull, on 1st April. "
     "Savings were made under the service level agreement for the provision of SEN Transport by the council's "
     "Passenger Transport Service (PTS).\n",
     {"Platefull": ("subcontractor", set()), "Passenger Transport Service": ("council_body", {"PTS"})}),
    # an acronym provider's spelt-out form is an alias
    ("acronym expansion",
     "Support comes from NSG (who continue to provide the IT service to schools through their contract with the "
     "council). Network Support Group also hosts the website.\n",
     {"NSG": ("company", {"Network Support Group"})}),
    # coordinated names after one lead-in
    ("coordinated names",
     "The Board authorised the Manager to execute contracts with Lyft, Metro Transportation and Uber Transit for the "
     "provision of on-demand services.\n",
     {"Lyft": ("company", set()), "Metro Transportation": ("company", set()), "Uber Transit": ("company", set())}),
    # "commissions two providers to deliver X: A and B"
    ("provider list after a colon",
     "1.1 The council commissions two providers to deliver Youth Hub services: Northgate Youth Hub in Eastby and "
     "Riverside Youth Hub on the Isle of Wye.\n",
     # a facility's name says nothing of what body runs it: kind null, not a default company
     {"Northgate Youth Hub": (None, set()), "Riverside Youth Hub": (None, set())}),
    # camel-case brands and ", Inc." names in a coordinated list; a few words between the contract noun and "with"
    ("contract extension with a list",
     "The board approved a six-month contract extension with Redline Transit, Valley Mobility Services, "
     "qRide and Harbour Coaches, Inc. for paratransit services.\n",
     {"Redline Transit": ("company", set()), "Valley Mobility Services": ("company", set()),
      "qRide": ("company", set()), "Harbour Coaches, Inc": ("company", set())}),
    # "on" inside a name, not before a day; a name and its longer namesake side by side in a list are two bodies
    ("lower-case 'on' in a list of names",
     "The board approved contracts with Eastway Buses, Riverline and Riverline on Demand for paratransit "
     "services. A contract with Harbour Coaches on Monday was noted.\n",
     {"Eastway Buses": ("company", set()), "Riverline": ("company", set()), "Riverline on Demand": ("company", set()),
      "Harbour Coaches": ("company", set())}),
    # a contract reference (with its "No." full stop) between "award contract" and "to"
    ("award contract number to",
     "Members agreed to award contract No. 51AB0093 to Northfield Paving, LLC (NPL), for an amount of "
     "$1,250,000 for Mill Lane Resurfacing.\n",
     {"Northfield Paving, LLC": ("company", {"NPL"})}),
    # names with a digit-led word and a lower-case legal form
    ("name forms",
     "Learning services were commissioned to Babcock 4S Limited on 1 April 2016. The contract with Capita plc "
     "started in May 2014.\n",
     {"Babcock 4S Limited": ("company", set()), "Capita plc": ("company", set())}),
    # what the paper calls a provider in apposition sets its kind ("a registered charity": none of the kinds)
    ("appositive kinds",
     "The befriending service is delivered by Fairshare, a registered charity, under a grant agreement. "
     "The council has a recycling contract with Sortit Recycling, a company based in Kent.\n",
     {"Fairshare": (None, set()), "Sortit Recycling": ("company", set())}),
    # an award "of the contract to" a provider; a trading company set up by a council is a company
    ("award and trading company",
     "Cabinet approved the award of the contract to Amey. Day services will be provided by Northshire Cares Ltd (NCL), "
     "a Local Authority Trading Company. Two schools transferred to Academy status.\n",
     {"Amey": ("company", set()), "Northshire Cares Ltd": ("company", {"NCL"})}),
    # "X, the council's … contractor" names a provider; "a partner at" a firm does not
    ("appositive contractor",
     "Jane Doe, a partner at KPMG, presented the audit. Repairs are done by Mears Group, the council's repairs "
     "contractor, since 2017.\n",
     {"Mears Group": ("company", set())}),
    # a provider noun names its list: "the two providers: A and B" (as many names as the count)
    ("provider noun before a list",
     "1.2 The two commissioned Youth Clubs/Play Hubs were reviewed in May. Officers then wrote to the two "
     "providers: Eastgate and Brookside, in June to say the contracts would end.\n",
     {"Eastgate": ("company", set()), "Brookside": ("company", set())}),
    ("provider noun with a comma and a descriptor",
     "The three incumbent contractors, Kestrel Ltd, Ashford Care and Moorland Trust, were told in writing.\n",
     {"Kestrel Ltd": ("company", set()), "Ashford Care": ("company", set()), "Moorland Trust": (None, set())}),
    # a count naming another number of things, and a capitalised noun in a body's name, name no provider
    ("provider noun negatives",
     "The three providers: Eastgate and Brookside, were thanked. Officers met the Provider Forum (last met in "
     "May) and the Supplier Panel.\n",
     {}),
    # "Name, a (leading) non-profit organisation / charity / company, …" beside an arrangement names a provider
    ("appositive description",
     "The furniture reuse contract runs to 2027. Reusit, a well-known non-profit organisation, supports the council "
     "with repair workshops. Kiln Homes, a company based in Eastby, "
     "delivers the handyperson service under contract.\n",
     {"Reusit": (None, set()), "Kiln Homes": ("company", set())}),
    # … but a charity or company merely mentioned, or a description going on ("a company director"), does not
    ("appositive negatives",
     "Greenleaf, a local charity, held a fun day in the park. Jo Bloggs, a company director, asked a question about "
     "the contract.\n\nAge Concern Eastby, a charity, provides advice to older people.\n",
     {}),
    # "A and B" after a lead-in is two bodies when the paper names each alone, or after a plural "contracts with"
    ("coordinated names split",
     "The council has an agreement with Brightway and Northfield Care. Brightway runs the day centres and "
     "Northfield Care runs respite. It also holds contracts with Sparkle Ltd and Shine Group.\n",
     {"Brightway": ("company", set()), "Northfield Care": ("company", set()), "Sparkle Ltd": ("company", set()),
      "Shine Group": ("company", set())}),
    ("a name holding 'and' stays whole",
     "The council has a catering contract with Fenwick and Lowe.\n",
     {"Fenwick and Lowe": ("company", set())}),
    # hard negatives: collaboration, budgets, the council itself, a department running a process
    ("negatives",
     "Kent County Council (KCC) runs many services. Studies were conducted in partnership with Districts and "
     "Boroughs. The school budget was transferred to The High Needs Budget. Digital services are provided by KCC. "
     "The framework includes providers that passed a procurement process run by the Department of Health. "
     "The centres have moved from Children Centre contracts to Family Hub contracts.\n",
     {}),
]


@pytest.mark.parametrize("label,text,expected", PROVIDER_CASES, ids=[c[0] for c in PROVIDER_CASES])
def test_provider_table(tmp_path, label, text, expected):
    assert providers_of(run(tmp_path, text)) == expected


CONTRACT_CASES = [
    # a value stated pages on, of a lease no provider is named with, is not the provider's contract value
    ("a far lease is no provider's contract",
     "1.1 The council commissions two providers to deliver Youth Hub services: Northgate Youth Hub and "
     "Riverside Youth Hub.\n\n2.1 Usage has risen. Staff numbers are stable. Demand is high in the east. "
     "Outreach is growing.\n\n5.2 The building is held under the lease that costs circa £54,000 annually.\n",
     {"Northgate Youth Hub": NONE, "Riverside Youth Hub": NONE}),
    # one term and one period for every party of a coordinated contract; "These contracts" picks the list up
    ("coordinated contracts share terms",
     "The board agreed to execute contracts with Redline Transit, Eastway Buses and Harbour Coaches for the "
     "provision of dial-a-ride services. These contracts are for a duration of four years.\n\n"
     "The board also agreed a six-month contract extension with Valley Mobility and qRide from January 1 "
     "through June 30, 2024, for the provision of paratransit services.\n",
     {"Redline Transit": NONE | {"term_years": 4}, "Eastway Buses": NONE | {"term_years": 4},
      "Harbour Coaches": NONE | {"term_years": 4},
      "Valley Mobility": NONE | {"start_date": "2024-01-01", "term_years": 0.5, "end_date": "2024-06-30"},
      "qRide": NONE | {"start_date": "2024-01-01", "term_years": 0.5, "end_date": "2024-06-30"}}),
    ("start and term give the end",
     "Library Services were commissioned to Acme Prime on 1 October 2015 on a 5 year contract.\n",
     {"Acme Prime": NONE | {"start_date": "2015-10-01", "term_years": 5, "end_date": "2020-09-30"}}),
    ("fee per annum and savings with their period",
     "In April 2016, Westshire entered into a new seven year strategic partnership with Learning Trust Partners.\n\n"
     "5.2.1 The management fee for the current contract with Learning Trust Partners is £10.8m per annum. The contract "
     "is expected to deliver savings of £850k between 2016/17 and 2019/20.\n",
     {"Learning Trust Partners": {"start_date": "2016-04-01", "term_years": 7, "end_date": "2023-03-31",
                                  "annual_value_gbp": 10800000, "savings_gbp": 850000,
                                  "savings_period": "2016/17 to 2019/20"}}),
    ("a day and month take the year of the month's last mention",
     "In April 2016 the partnership with Learnwell began. Staff transferred to Learnwell's catering sub-contractor, "
     "Platefull, on 1st April.\n",
     {"Learnwell": NONE | {"start_date": "2016-04-01"}, "Platefull": NONE | {"start_date": "2016-04-01"}}),
    ("stated end date, and an end of a school year is not one",
     "The contract with Roadworks Group Ltd commenced on 1 June 2019 and expires on 31 May 2024. By the end of the "
     "school year in July 2020 the council will review Roadworks Group Ltd.\n",
     {"Roadworks Group Ltd": NONE | {"start_date": "2019-06-01", "end_date": "2024-05-31"}}),
    ("from a date, and a start after the end",
     "The contract with Binco Ltd runs for five years from 1 April 2018.\n\n"
     "The partnership with Acme Ltd will end on 31 March 2022, having started on 1 April 2017.\n",
     {"Binco Ltd": NONE | {"start_date": "2018-04-01", "term_years": 5, "end_date": "2023-03-31"},
      "Acme Ltd": NONE | {"start_date": "2017-04-01", "end_date": "2022-03-31"}}),
    # "£150k (Eastgate, …)" after a contract-value cue, in a paragraph speaking of a year: that provider's annual value;
    # "two … contracts" after two providers named together are theirs, however far back
    ("values in brackets and counted contracts",
     "1.1 The council wrote to the two providers: Eastgate and Brookside, about their contracts.\n\n"
     "1.2 Usage has risen. Staff numbers are stable. Demand is high in the east. Outreach is growing.\n\n"
     "2.1 Two Youth Club contracts were awarded for 12 months from 1 April 2021 to 31 March 2022.\n\n"
     "3.1 In contract value terms the clubs cost £150k (Eastgate, Northby) and £120k (Brookside, Southby), "
     "paid annually. The building costs £40k (Eastgate) to run.\n",
     {"Eastgate": NONE | {"start_date": "2021-04-01", "annual_value_gbp": 150000},
      "Brookside": NONE | {"start_date": "2021-04-01", "annual_value_gbp": 120000}}),
    ("a value in brackets without a contract or a year is none",
     "1.1 The council wrote to the two providers: Eastgate and Brookside, about their contracts.\n\n"
     "3.1 The contract value was £150k (Eastgate) and £120k (Brookside) in total.\n\n"
     "3.2 The annual contract value is set. Rent is £9k (Eastgate).\n",
     {"Eastgate": NONE, "Brookside": NONE}),
    # "The X contract is to be extended for 12 months from June 26. Reusit, a …": the paragraph's provider, first
    # named after it, holds it (not the provider of the paragraph before); "June 26" in a day-first paper is June 2026
    ("extended contract of a provider named next",
     "(a) The council signed a contract with Acme Ltd on 1 June 2024.\n\n"
     "(b) The bulky waste (BW) fixed-price contract is to be extended for 12 months from June 26 across the "
     "county. Reusit, a non-profit organisation, works for the council on it.\n",
     {"Acme Ltd": NONE | {"start_date": "2024-06-01"},
      "Reusit": NONE | {"start_date": "2026-06-01", "term_years": 1, "end_date": "2027-05-31"}}),
    ("a table keyed by provider fills end date and value",
     "The council commissions two providers to deliver Youth Hub services: Northgate Youth Hub and Riverside Youth Hub.\n\n"
     "Centre\tArea\tContract End Date\tContract value per Annum\n"
     "Northgate\tEastby\t31/03/2025\t£222,127.44\n"
     "Riverside\tWye\t31/03/2025\t£204,302.16\n",
     {"Northgate Youth Hub": NONE | {"end_date": "2025-03-31", "annual_value_gbp": 222127.44},
      "Riverside Youth Hub": NONE | {"end_date": "2025-03-31", "annual_value_gbp": 204302.16}}),
]


GENERAL_PAPER = (
    "2.1 The contract for the provision of waste collection services was awarded to Veolia ES (UK) Ltd in 2012 for a "
    "period of 8 years, with an option to extend for a further 8 years.\n\n"
    "2.2 Kier were appointed as the council's highways contractor from 1 April 2014.\n\n"
    "2.3 The Council has a contract with Serco Ltd to deliver the leisure management service until March 2026. "
    "The contract is worth £4.2m per year.\n\n"
    "2.4 Leisure centres are operated by Freedom Leisure under a 10-year contract which commenced in July 2019.\n\n"
    "2.5 The street cleansing contract with Biffa Municipal Ltd is expected to deliver savings of £1.2m a year.\n\n"
    "2.6 Members noted that Age UK provides advice to older people.\n")


def test_common_contract_sentences(tmp_path):
    records = run(tmp_path, GENERAL_PAPER)
    assert set(providers_of(records)) == {"Veolia ES (UK) Ltd", "Kier", "Serco Ltd", "Freedom Leisure", "Biffa Municipal Ltd"}
    got = contracts_of(records)
    assert got["Veolia ES (UK) Ltd"]["term_years"] == 8
    assert got["Kier"]["start_date"] == "2014-04-01"
    assert (got["Serco Ltd"]["end_date"], got["Serco Ltd"]["annual_value_gbp"]) == ("2026-03-31", 4200000)
    assert (got["Freedom Leisure"]["start_date"], got["Freedom Leisure"]["end_date"]) == ("2019-07-01", "2029-06-30")
    # savings "a year" are savings, not the contract's annual value, and not a service
    assert (got["Biffa Municipal Ltd"]["savings_gbp"], got["Biffa Municipal Ltd"]["annual_value_gbp"]) == (1200000, None)
    services = {(r.name, r.provider) for r in records if r.TYPE == "service"}
    assert services == {("waste collection services", "Veolia ES (UK) Ltd"), ("leisure management service", "Serco Ltd"),
                        ("Leisure centres", "Freedom Leisure")}


@pytest.mark.parametrize("label,text,expected", CONTRACT_CASES, ids=[c[0] for c in CONTRACT_CASES])
def test_contract_table(tmp_path, label, text, expected):
    assert contracts_of(run(tmp_path, text)) == expected


REGISTER = ("Procurement Information\n\n"
            "Title/Description\tSupplier\tSupplier Information\tRef Number\tStart Date\tEnd Date\tEstimated Annual Value\n"
            "Grass Cutting\tGreen Blades Ltd\tPLC - 01234567\tGB001\tMar-16\tMar-18\t£12,000\n"
            "Defibrillators\tHeartsafe Trust\tCharity - 1132824\tHS001\tAug-17\tOngoing\t£10,930\n"
            "Play Area Repairs\tNorthshire County Council\tLocal Authority\tNCC01\tMay-17\tSep 17\t£-\n"
            "Website\tJo Bloggs\tSmall Enterprise\tJB001\tJun-17\tongoing\t£5,078\n")


def test_register_rows_give_contracts_and_providers(tmp_path):
    records = run(tmp_path, REGISTER)
    assert providers_of(records) == {"Green Blades Ltd": ("company", set()), "Heartsafe Trust": (None, set()),
                                     "Northshire County Council": ("council_body", set()),
                                     "Jo Bloggs": ("company", set())}
    contracts = {r.provider: r for r in records if r.TYPE == "contract"}
    assert (contracts["Green Blades Ltd"].start_date, contracts["Green Blades Ltd"].end_date,
            contracts["Green Blades Ltd"].annual_value_gbp) == ("2016-03-01", "2018-03-31", 12000)
    # "Ongoing" is no end date; the fact goes to the notes
    assert contracts["Heartsafe Trust"].end_date is None and "Ongoing" in contracts["Heartsafe Trust"].notes
    # "£-" is an unknown value, not zero
    assert contracts["Northshire County Council"].annual_value_gbp is None
    assert contracts["Northshire County Council"].end_date == "2017-09-30"
    assert "ref GB001" in contracts["Green Blades Ltd"].notes
    # each record cites its table row
    assert contracts["Jo Bloggs"].source.quote.startswith("Website\tJo Bloggs")


def test_annual_contract_value_and_repeated_register_rows(tmp_path):
    got = contracts_of(run(tmp_path, "The annual contract value is £2.3m for the contract with Binco Ltd.\n"))
    assert got["Binco Ltd"]["annual_value_gbp"] == 2300000
    kpi_rows = ("Service\tProvider\tKPI\tTarget\n"
                "Home Care\tCarewell Ltd\tVisits on time\t95%\n"
                "Home Care\tCarewell Ltd\tComplaints answered\t90%\n")
    records = run(tmp_path, kpi_rows, name="kpis.txt")
    assert [r.name for r in records if r.TYPE == "service"] == ["Home Care"]
    assert [r.provider for r in records if r.TYPE == "contract"] == ["Carewell Ltd"]


def test_register_headers_vary_and_amounts_may_lack_a_pound_sign(tmp_path):
    text = ("Contract Title\tSupplier Name\tContract Start Date\tContract End Date\tAnnual Value (£)\n"
            "Cleaning of council offices\tBrightclean Ltd\t01/04/2021\t31/03/2024\t45,000\n"
            "Grounds maintenance\tIdverde Limited\t1-Apr-22\t31-Mar-27\tn/a\n")
    got = contracts_of(run(tmp_path, text))
    assert got["Brightclean Ltd"] == NONE | {"start_date": "2021-04-01", "end_date": "2024-03-31", "annual_value_gbp": 45000}
    assert got["Idverde Limited"] == NONE | {"start_date": "2022-04-01", "end_date": "2027-03-31"}


@pytest.mark.parametrize("text,end,expected", [
    ("1 October 2015", False, "2015-10-01"), ("on the 1st April 2016", False, "2016-04-01"),
    ("April 2013", False, "2013-04-01"), ("April 2013", True, "2013-04-30"), ("01/04/2016", False, "2016-04-01"),
    ("March 10th, 2021", False, "2021-03-10"), ("July 32%", False, None), ("in 2016/17", False, None),
    # a range's first date takes the year written once at its end (US month-first and UK day-first)
    ("from January 1 through June 30, 2024", False, "2024-01-01"), ("1 January to 30 June 2024", False, "2024-01-01"),
    ("from November 1 to March 31, 2024", False, "2023-11-01"), ("March 10 and 45 people", False, None),
])
def test_parse_date(text, end, expected):
    assert parse_date(text, end=end) == expected


@pytest.mark.parametrize("cell,end,expected", [
    ("Mar-16", False, "2016-03-01"), ("Mar-16", True, "2016-03-31"), ("Aug 17", True, "2017-08-31"),
    ("Feb-16", True, "2016-02-29"), ("Ongoing", True, None), ("31/03/2025", True, "2025-03-31"),
    ("1-Apr-16", False, "2016-04-01"),
])
def test_parse_cell_date(cell, end, expected):
    assert parse_cell_date(cell, end=end) == expected


@pytest.mark.parametrize("start,years,expected", [
    ("2015-10-01", 5, "2020-09-30"), ("2016-04-01", 7, "2023-03-31"), ("2020-01-15", 1.5, "2021-07-14"),
])
def test_end_from_term(start, years, expected):
    assert end_from_term(start, years) == expected


def test_financial_years_and_money_and_terms():
    assert financial_years("between 2016/17 and 2019/20, or 2021-22; not 2025-29") == ["2016/17", "2019/20", "2021/22"]
    assert (money("£10.8m per annum"), money("£850k"), money("£32,400"), money("£-")) == (10800000, 850000, 32400, None)
    assert term_years("a new seven year strategic partnership") == 7
    assert term_years("a new two-year garden waste and compost contract") == 2
    assert term_years("for a term of five years") == 5
    assert term_years("These contracts are for a duration of four years") == 4
    assert term_years("a six-month contract extension") == 0.5
    assert term_years("for a period of 18 months") == 1.5
    assert term_years("in the first year of the contract") is None


class _ContextWithoutSharedParse:
    """A context as the extractors first knew it: no shared spaCy parse, so the analysis parses per unit."""

    def __init__(self, document, blocks):
        self.document, self.blocks, self.records, self.council = document, blocks, [], None

    def of_type(self, type_name):
        return [r for r in self.records if r.TYPE == type_name]


def test_analysis_without_a_shared_parse_finds_the_same(tmp_path):
    from extractor.extract import ExtractionContext, providers
    from extractor.loaders import load
    from extractor.structure import structure

    path = tmp_path / "paper.txt"
    path.write_text(GENERAL_PAPER, encoding="utf-8")
    document = load(path)
    blocks = structure(document)
    shared = providers.analyse(ExtractionContext(document, blocks))
    own = providers.analyse(_ContextWithoutSharedParse(document, blocks))
    assert {k: v.kind for k, v in own.providers.items()} == {k: v.kind for k, v in shared.providers.items()}
    assert len(own.sentences) == len(shared.sentences)


HOUSING_REPORT = """Housing and Growth Committee
14 March 2019

Housing Repairs Contract Update

Summary
This report updates the Committee on the performance of Mears Group, the council's responsive repairs and voids contractor, since the contract began on 1 October 2017. The ten year contract has an annual value of approximately £12m.

1. BACKGROUND
1.1 In 2017 the council's housing management service transferred to Homes for Northtown (HfN), the council's wholly owned arm's length management organisation (ALMO). The following services are delivered by HfN on behalf of the council:
- Tenancy management
- Rent collection
- Estate services
1.2 The council retained responsibility for strategic housing, homelessness and the housing register.
1.3 Gas servicing is sub-contracted to PH Jones, which carries out around 12,000 annual safety checks.
1.4 Members asked whether the council's Building Control service could also be outsourced. Officers said that no decision had been made.
1.5 The contract is expected to deliver savings of £3.5m over the ten years.
2. RECOMMENDATIONS
2.1 That the Committee note the performance of Mears Group.
"""


def test_a_contract_report_with_an_almo_and_a_subcontractor(tmp_path):
    records = run(tmp_path, HOUSING_REPORT)
    assert providers_of(records) == {"Homes for Northtown": ("company", {"HfN"}), "Mears Group": ("company", set()),
                                     "PH Jones": ("subcontractor", set())}
    # "The ten year contract …" and "The contract is expected to deliver savings …" are the contract last
    # named with its provider (Mears), not the sub-contract mentioned in between
    assert contracts_of(records)["Mears Group"] == {"start_date": "2017-10-01", "term_years": 10, "end_date": "2027-09-30",
                                                    "annual_value_gbp": 12000000, "savings_gbp": 3500000,
                                                    "savings_period": None}
    services = {(r.name, r.status, r.provider) for r in records if r.TYPE == "service"}
    assert services == {("housing management service", "transferred", "Homes for Northtown"),
                        ("Tenancy management", "commissioned", "Homes for Northtown"),
                        ("Rent collection", "commissioned", "Homes for Northtown"),
                        ("Estate services", "commissioned", "Homes for Northtown"),
                        ("strategic housing", "retained", None), ("homelessness", "retained", None),
                        ("housing register", "retained", None), ("Gas servicing", "commissioned", "PH Jones")}


def test_holds_bounded_is_the_bounded_search():
    """regex_screen.holds_bounded (kind and header phrases) finds a phrase with no word character or hyphen either side, as the pattern
    ``(?<![\\w-])phrase(?![\\w-])`` does."""
    from extractor.regex_screen import holds_bounded
    texts = ["trust", "the trust", "trusts", "a trust-fund", "trust_x", "entrust trust", "trust.", "(trust)", "trusté",
             "é trust", "trust2", "a-trust", "in trust and trust-like", "", "care trust", "care  trust"]
    for phrase in ["trust", "care trust", "t"]:
        rx = re.compile(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])")
        for text in texts:
            assert holds_bounded(text, phrase) == bool(rx.search(text)), (phrase, text)
