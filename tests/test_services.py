"""Service extraction, LexNLP style: a table of paper text → the services expected, hard negatives included.

Each case is a short paper written for the test (not copied from a corpus paper);
it runs through the text loader, structure and the provider, service and contract
extractors, exactly as `minutes extract` does.
"""
from __future__ import annotations

import pytest

from extractor.extract import ExtractionContext, contracts, providers, services
from extractor.loaders import load
from extractor.structure import structure


def run(tmp_path, text: str, name: str = "paper.txt"):
    """Records of the three arrangement extractors for ``text``, written to a file and loaded."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    document = load(path)
    ctx = ExtractionContext(document, structure(document))
    for extractor in (providers.extract, services.extract, contracts.extract):
        ctx.records.extend(extractor(ctx))
    for record in ctx.records:
        assert document.text[record.source.start:record.source.end] == record.source.quote
    return ctx.records


def service_triples(records) -> set[tuple[str, str, str | None]]:
    return {(r.name, r.status, r.provider) for r in records if r.TYPE == "service"}


CASES = [
    # a transferred list: status and the provider's fullest name from the lead-in
    ("transferred list",
     "Library and Archive Services were commissioned to Acme Prime on 1 May 2019 on a 7 year contract.\n\n"
     "The services transferred to Acme Prime from the Council were:\n\n"
     "·       Mobile Libraries\n\n·       Local Studies & Archives\n\n·       The Reading Service (not the Schools role)\n",
     {("Library and Archive Services", "commissioned", "Acme Prime"),
      ("Mobile Libraries", "transferred", "Acme Prime"),
      ("Local Studies & Archives", "transferred", "Acme Prime"),
      ("The Reading Service (not the Schools role)", "transferred", "Acme Prime")}),
    # a retained list has no provider, and list items keep their words as written
    ("retained list",
     "Highways maintenance was transferred to Roadworks Group Ltd in April 2014.\n\n"
     "The Council retained some services which were previously within the Highways Service:\n\n"
     "- Street lighting policy\n- The role of the Highways Engineer\n",
     {("Highways maintenance", "transferred", "Roadworks Group Ltd"),
      ("Street lighting policy", "retained", None),
      ("The role of the Highways Engineer", "retained", None)}),
    # a cluster lead-in without a provider: the paper's provider
    ("cluster covers list",
     "Leisure services are commissioned from the joint venture company Parkwise.\n\n"
     "This cluster of services (Lot 2 in the Service Agreement) covers:\n\n"
     "- Swimming Pools\n- Sports Development\n",
     {("Leisure services", "commissioned", "Parkwise"),
      ("Swimming Pools", "commissioned", "Parkwise"),
      ("Sports Development", "commissioned", "Parkwise")}),
    # inline lists: semicolons keep "and" inside an item; "that are … provided by" ends the list
    ("inline lists",
     "The waste contract was awarded to Binco Ltd. The Council commissions a suite of services covering "
     "street cleansing services; advice and enforcement services; and fly-tipping removal. There are services "
     "to the Council covering catering, cleaning and grounds that are also commissioned to be provided by Binco Ltd.\n",
     {("street cleansing services", "commissioned", "Binco Ltd"),
      ("advice and enforcement services", "commissioned", "Binco Ltd"),
      ("fly-tipping removal", "commissioned", "Binco Ltd"),
      ("catering", "commissioned", "Binco Ltd"), ("cleaning", "commissioned", "Binco Ltd"),
      ("grounds", "commissioned", "Binco Ltd")}),
    # "provision of X by the council's Y", and "Y (who continue to provide the X service …)"
    ("provision by and who-provides",
     "Savings were made through the service level agreement for the provision of Home to School Transport by the "
     "council's Fleet Management Service (FMS). Systems are supported in liaison with NetCo (who continue to provide "
     "the IT service to the directorate through their contract with the council).\n",
     {("Home to School Transport", "commissioned", "Fleet Management Service"),
      ("IT service", "commissioned", "NetCo")}),
    # the antecedent of "these duties" is read from the sentence before
    ("antecedent",
     "A key aim was to strengthen the council's duties to children missing education as set out in guidance. "
     "The Commissioner supported the proposal that the delivery of these duties be commissioned from the "
     "Northtown Learning Partnership.\n",
     {("duties to children missing education", "commissioned", "Northtown Learning Partnership")}),
    # the council as commissioner of a service it does not name a provider for
    ("commissioner of",
     "The County Council is the Strategic Commissioner of Adult Learning Provision in Westshire. This plan sets "
     "out how we will do so.\n",
     {("Adult Learning Provision", "commissioned", None)}),
    # transfer "from the council's X to P", and to a sub-contractor named after the comma
    ("tupe transfer",
     "In April 2018, the council entered into a ten year partnership with Learnwell. There was a TUPE transfer "
     "of staff from the council's Youth service to Learnwell and from its cleaning service to Learnwell's "
     "cleaning sub-contractor, Sparkle, on 1st April.\n",
     {("Youth service", "transferred", "Learnwell"), ("cleaning service", "transferred", "Sparkle")}),
    # minutes: "which is delivered by P", "the following services are included in the contract:", retained functions,
    # "P is commissioned by the Council to provide X"; a discussion of services names no arrangement
    ("minutes",
     "45. Highways Contract Performance\n\nThe contract with Roadbuild Jacobs commenced on 1 April 2011. Members asked "
     "about the winter gritting service, which is delivered by Roadbuild Jacobs on behalf of the County Council.\n\n"
     "The following services are included in the contract:\n\n• Reactive maintenance\n• Street lighting\n\n"
     "The Council retained the following functions:\n\n• Network management\n\n46. Adult Social Care\n\n"
     "Members discussed Adult Social Care and Early Help. Healthwatch Northshire is commissioned by the Council to "
     "provide independent advice. Ofsted comments on the support provided by the Local Authority to schools.\n",
     {("winter gritting service", "commissioned", "Roadbuild Jacobs"),
      ("Reactive maintenance", "commissioned", "Roadbuild Jacobs"), ("Street lighting", "commissioned", "Roadbuild Jacobs"),
      ("Network management", "retained", None), ("independent advice", "commissioned", "Healthwatch Northshire")}),
    # a scope list belongs to the contract's provider; a list of contract terms is no list of services
    ("scope list",
     "The contract with Binco Ltd started in 2019.\n\nServices in scope of the contract:\n\n- Refuse collection\n"
     "- Recycling\n\nThe contract also includes:\n\n- A break clause after five years\n",
     {("Refuse collection", "commissioned", "Binco Ltd"), ("Recycling", "commissioned", "Binco Ltd")}),
    # a list of staff moving to a provider is no list of services
    ("staff list",
     "The contract with Binco Ltd started in 2019.\n\nThe following staff transferred to Binco Ltd:\n\n- Drivers\n"
     "- Loaders\n\nThe following transferred to Binco Ltd:\n\n- Refuse collection\n",
     {("Refuse collection", "transferred", "Binco Ltd")}),
    # a bare "services" before names nothing to refer back to
    ("no antecedent",
     "The council reviewed its services in 2015. These services were transferred to Binco Ltd in 2016.\n",
     set()),
    # hard negatives: lists whose lead-in states no arrangement, mentioned services, requests
    ("negatives",
     "The reviews involved:\n\n- Scrutiny of documentation\n- Discussions with staff\n\n"
     "The Chairman requested that:\n\n- Reports were sent to the Panel\n\n"
     "Children's Social Care and Early Help were discussed at length. The service was praised.\n",
     set()),
    # hard negative: services the council runs itself are no arrangement
    ("in-house list",
     "Acme Ltd was commissioned to run the car parks.\n\nServices provided directly by the Council include:\n\n"
     "- Registrars\n- Libraries\n",
     {("car parks", "commissioned", "Acme Ltd")}),
    ("council delivers list",
     "Acme Ltd was commissioned to run the car parks.\n\nThe Council delivers the following services:\n\n"
     "- Registrars\n- Libraries\n",
     {("car parks", "commissioned", "Acme Ltd")}),
    # "the X service" belongs to the paper's main provider; a provider named once is no main provider
    ("main provider",
     "In 2019 the council entered into a partnership with Learnwell. Learnwell reviewed all services. Learnwell "
     "reported quarterly. Learnwell met schools. The review of the Inclusion and Access service found weaknesses.\n",
     {("Inclusion and Access service", "commissioned", "Learnwell")}),
    ("no main provider",
     "The council signed a contract with Binco Ltd. The review of the Inclusion and Access service found weaknesses.\n",
     set()),
    # hard negative: a collaboration is not an arrangement, and nor is moving a budget
    ("collaboration and budgets",
     "Studies are being conducted in partnership with Districts and Boroughs to explore future services. "
     "The variance is due to the school budget being transferred to the High Needs Budget.\n",
     set()),
    # every provider of a coordinated list delivers the service, one record each
    ("contracts with a list of providers",
     "The board agreed to execute contracts with Redline Transit, Harbour Coaches and qRide for the provision "
     "of dial-a-ride services.\n",
     {("dial-a-ride services", "commissioned", "Redline Transit"), ("dial-a-ride services", "commissioned", "Harbour Coaches"),
      ("dial-a-ride services", "commissioned", "qRide")}),
    ("provider list after a colon",
     "2.1 The council commissions two providers to deliver Youth Hub services: Northgate Youth Hub and "
     "Riverside Youth Hub.\n",
     {("Youth Hub services", "commissioned", "Northgate Youth Hub"),
      ("Youth Hub services", "commissioned", "Riverside Youth Hub")}),
    # a titled piece of work closing a sentence that awards a contract; a lower-case purpose is no title
    ("award contract for a titled work",
     "Members agreed to award contract No. 51AB0093 to Northfield Paving, LLC (NPL), for an amount of "
     "$1,250,000 for Mill Lane Resurfacing. The council awarded a contract to Binco Ltd for general repairs.\n",
     {("Mill Lane Resurfacing", "commissioned", "Northfield Paving, LLC")}),
    # "delivered by our in-house service" is the council's own work: no service for it, no junk provider
    ("in-house rest of the network",
     "1.1 The council commissions two providers to deliver Youth Hub services: Northgate Youth Hub and "
     "Riverside Youth Hub. The rest of the Youth Hub network is delivered by our in-house service.\n",
     {("Youth Hub services", "commissioned", "Northgate Youth Hub"),
      ("Youth Hub services", "commissioned", "Riverside Youth Hub")}),
    # the council as commissioner of a named provision; another body's title is no service
    ("council is the commissioner of",
     "The County Council is the Strategic Commissioner of Adult Learning Provision in Westshire. "
     "The Police and Crime Commissioner of Westshire is also a member.\n",
     {("Adult Learning Provision", "commissioned", None)}),
    # the lower-case words before "contract with <provider>" name its service, without the contract's own words
    ("service before contract with",
     "The council has let a new three-year garden waste and compost contract with Greenbin Ltd. It also holds "
     "its street cleaning contracts with Sparkle Ltd and Shine Group.\n",
     {("garden waste and compost", "commissioned", "Greenbin Ltd"),
      ("street cleaning", "commissioned", "Sparkle Ltd"), ("street cleaning", "commissioned", "Shine Group")}),
    ("no service before contract with",
     "The council has extended the existing contract with Greenbin Ltd. A new five-year lease agreement with "
     "Greenbin Ltd was signed, and the council signed new contracts with Greenbin Ltd.\n",
     set()),
    # the service a contract is there to secure, its provider introduced by the paragraph's next sentence
    ("service a contract secures",
     "(a) The council signed a contract with Acme Ltd.\n\n(b) The bulky waste contract was extended for 12 months to "
     "ensure the county had a kerbside collection service for residents. Reusit, a non-profit organisation, helps "
     "the council. A new agreement aims to ensure each district has a repair service.\n",
     {("kerbside collection service", "commissioned", "Reusit")}),
    # the providers a provider noun names deliver what the paragraph said was commissioned; a list in brackets
    # ends at the bracket
    ("commissioned service, then the providers",
     "1.2 The two commissioned Youth Clubs/Play Hubs were reviewed in May. Officers then wrote to the two "
     "providers: Eastgate and Brookside, in June.\n\n"
     "1.3 Council staff also run sessions at Eastgate and Brookside (for instance, delivering Storytime), but "
     "the figures credit all of it to Eastgate.\n",
     {("Youth Clubs/Play Hubs", "commissioned", "Eastgate"), ("Youth Clubs/Play Hubs", "commissioned", "Brookside")}),
    # hard negative: the council's own team delivering is in-house, no commissioning and no provider
    ("own council team",
     "Northshire County Council (NCC) reviewed its hubs. The decision now includes delivery of outreach "
     "services by the NCC Youth Hub Team.\n",
     set()),
]


@pytest.mark.parametrize("label,text,expected", CASES, ids=[c[0] for c in CASES])
def test_service_table(tmp_path, label, text, expected):
    assert service_triples(run(tmp_path, text)) == expected


def test_register_rows_are_services_with_the_supplier(tmp_path):
    text = ("Procurement Information\n\n"
            "Title/Description\tSupplier\tSupplier Information\tRef Number\tStart Date\tEnd Date\tEstimated Annual Value\n"
            "Grass Cutting\tGreen Blades Ltd\tPLC - 01234567\tGB001\tApr-17\tMar-18\t£12,000\n"
            "Grass Cutting\tMowers & Co\tSmall Enterprise\tMC001\tApr-17\tOngoing\t£8,500\n"
            "Play Area Repairs\tNorthshire County Council\tLocal Authority\tNCC01\tMay-17\tSep 17\t£-\n")
    got = service_triples(run(tmp_path, text))
    # the same title with two suppliers stays two services
    assert got == {("Grass Cutting", "commissioned", "Green Blades Ltd"), ("Grass Cutting", "commissioned", "Mowers & Co"),
                   ("Play Area Repairs", "commissioned", "Northshire County Council")}


def test_two_column_table_is_a_register_only_with_a_supplier_header(tmp_path):
    registered = run(tmp_path, "Service\tProvider\nHome Care\tCarewell Ltd\nMeals\tFoodco\n")
    assert service_triples(registered) == {("Home Care", "commissioned", "Carewell Ltd"), ("Meals", "commissioned", "Foodco")}
    attendees = run(tmp_path, "Organisation\tTitle\tName\nNHS Kent\tChief Nurse\tJo Smith\nKCC\tDirector\tAl Jones\n",
                    name="attendees.txt")
    assert not [r for r in attendees if r.TYPE in ("service", "provider", "contract")]


def test_repeated_service_is_recorded_once_at_its_first_statement(tmp_path):
    text = ("In April 2013 the new arrangement for School Support Services came into operation. Services that had "
            "previously been provided by the authority were transferred to the new joint venture company Schoolco. "
            "The council commissions services covering school support services; music services.\n")
    assert service_triples(run(tmp_path, text)) == {("School Support Services", "transferred", "Schoolco"),
                                                    ("music services", "commissioned", "Schoolco")}
