"""People in the layouts a team grid is not: role headings over names, title labels, staff sentences,
look-alike grid cells; and the headings, branches and credits beside them that are nobody."""

from __future__ import annotations

import pytest

from crawler.extract.page import Page
from crawler.extract.people import extract_people
from crawler.extract.people.names import has_given_name, shown_title, singular_title


def _found(
    body: str, url: str = "https://www.example-studio.com/about", region: str = "US", lang: str = "en"
) -> list[tuple]:
    page = Page(f'<html lang="{lang}"><body>{body}</body></html>', url, default_region=region)
    return [(p.name, p.job_title, p.email, p.phone, p.evidence.method) for p in extract_people(page)]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (  # a committee: the heading's role, affiliations dropped
            "<h2>General Chairs</h2><ul><li>Anna Kowalczyk (University of Warsaw)</li>"
            "<li>Rafael Ortega, Universidad de Granada</li></ul><h2>Important Dates</h2>"
            "<ul><li>Submission: 14 March 2025</li></ul>",
            [
                ("Anna Kowalczyk", "General Chair", None, None, "card"),
                ("Rafael Ortega", "General Chair", None, None, "card"),
            ],
        ),
        (  # names in headings of a lower rank, each with a contact line
            "<h2>Geschäftsführung</h2><h3>Max Müller</h3><p>Tel. +49 89 1234567</p>"
            "<h3>Anna Schmidt</h3><p>anna.schmidt@example-studio.com</p><h2>Kontakt</h2>",
            [
                ("Max Müller", "Geschäftsführung", None, "+49891234567", "card"),
                ("Anna Schmidt", "Geschäftsführung", "anna.schmidt@example-studio.com", None, "card"),
            ],
        ),
        (  # an academic committee run together in one paragraph; affiliations are no names
            "<h2>Program Committee</h2><p>Maria Rossi (Politecnico di Milano), Mei Tanaka (University of "
            "Tokyo)</p><h3>Steering Committee</h3><p>Anna Berg, KTH; Louis Martin, Sorbonne</p>"
            "<h3>Advisors</h3><p>Olivia Bennett, Thomas Reid and Jan de Graaf</p>",
            [
                ("Maria Rossi", "Program Committee", None, None, "card"),
                ("Mei Tanaka", "Program Committee", None, None, "card"),
                ("Anna Berg", "Steering Committee", None, None, "card"),
                ("Louis Martin", "Steering Committee", None, None, "card"),
                ("Olivia Bennett", "Advisor", None, None, "card"),
                ("Thomas Reid", "Advisor", None, None, "card"),
                ("Jan de Graaf", "Advisor", None, None, "card"),
            ],
        ),
        (  # an item's own title beats the heading's, a label joins it
            "<h3>Vorstand</h3><p>Kassenwart: Peter Lang<br><strong>Jugend:</strong> Eva Roth</p>",
            [
                ("Peter Lang", "Kassenwart", None, None, "card"),
                ("Eva Roth", "Vorstand Jugend", None, None, "card"),
            ],
        ),
    ],
)
def test_role_heading_over_names(body: str, expected: list[tuple]) -> None:
    assert _found(body, region="DE") == expected


@pytest.mark.parametrize(
    "body",
    [
        # product names, news items, services and dates under a heading that sounds like a role
        "<h2>Sales</h2><ul><li>Stock Pilot</li><li>Promo Planner</li><li>Shelf Scout</li></ul>",
        "<h2>Marketing</h2><ul><li>Brand Refresh (2024)</li><li>Spring Campaign, Berlin</li></ul>",
        "<h2>Partners</h2><ul><li>Northwind Logistics</li><li>Globex Retail</li></ul>",
        "<h2>Program Committee</h2><p>Politecnico di Milano, Inria Lyon, Trinity College Dublin</p>",
        "<h2>Upcoming Events</h2><ul><li>Summer Gala, 12 June</li><li>Charity Run, Hyde Park</li></ul>",
        # a role heading over prose is no list
        "<h2>Directors</h2><p>Our directors meet four times a year to review the accounts.</p>",
        # a heading of the next section is not the title of the name above it
        "<table><tr><td>Tobias Klein</td></tr></table><h3>Abteilungsleiter</h3><p>Wird gewählt.</p>",
    ],
)
def test_role_heading_traps(body: str) -> None:
    assert _found(body) == []


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Company Secretary: Martin Blake", [("Martin Blake", "Company Secretary", None, None, "imprint")]),
        ("1. Vorsitzende: Maria Huber", [("Maria Huber", "1. Vorsitzende", None, None, "imprint")]),
        (
            "Managing Partners: Jane Doe, John Roe",
            [
                ("Jane Doe", "Managing Partner", None, None, "imprint"),
                ("John Roe", "Managing Partner", None, None, "imprint"),
            ],
        ),
        ("Fotos: Anna Berger", []),  # a credit names a supplier
        ("Webdesign: Max Weber", []),
        ("Auditors: Grant Thornton UK LLP", []),
        ("Registergericht: Amtsgericht Stuttgart", []),
        ("Sales: Monday to Friday, 9am to 5pm", []),
    ],
)
def test_title_labels(line: str, expected: list[tuple]) -> None:
    assert _found(f"<p>{line}</p>") == expected


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("en", "Meet Jane Doe, our worship director.", [("Jane Doe", "Worship Director")]),
        ("en", "Rachel Kim is our Youth Pastor. She moved here in 2019.", [("Rachel Kim", "Youth Pastor")]),
        (
            "en",
            "Pastor David Mitchell has served as our Senior Pastor since 2009.",
            [("David Mitchell", "Senior Pastor")],
        ),
        (
            "en",
            "Our Executive Director, Emily Carter, oversees the programme.",
            [("Emily Carter", "Executive Director")],
        ),
        (
            "de",
            "Unsere Geschäftsführerin Anna Roth gründete die Firma 2004.",
            [("Anna Roth", "Geschäftsführerin")],
        ),
        (
            "fr",
            "Claire Martin, notre directrice commerciale, vous répond.",
            [("Claire Martin", "Directrice commerciale")],
        ),
        ("es", "Lucía Gómez es nuestra directora de marketing.", [("Lucía Gómez", "Directora de marketing")]),
        ("nl", "Sanne de Boer is onze eigenaar en oprichter.", [("Sanne de Boer", "Eigenaar")]),
        # German nouns are capitalised: the name ends before the article ("den Betrieb")
        ("de", "Seit 2010 leitet unser Inhaber Markus Huber den Betrieb.", [("Markus Huber", "Inhaber")]),
        # mentions that introduce nobody of the company
        ("en", "“Best decision we made,” says Mark Evans, our client since 2019.", []),
        ("en", "Jane Doe, our customer in Leeds, sent us this photo.", []),
        ("en", "Our directors thank Grant Thornton for the audit.", []),
        ("en", "Our team of engineers builds robots for Acme Logistics.", []),
        ("en", "Stock Pilot is our best-selling product.", []),
    ],
)
def test_staff_sentences(lang: str, text: str, expected: list[tuple[str, str]]) -> None:
    assert [(name, title) for name, title, *_ in _found(f"<p>{text}</p>", lang=lang)] == expected


def test_a_sentence_keeps_its_paragraphs_contacts_only_when_it_introduces_one_person() -> None:
    one = (
        '<p>Contact our office manager, Linda Parker, at <a href="tel:+14175550142">(417) 555-0142</a> or '
        '<a href="mailto:linda@example-studio.com">linda@example-studio.com</a>.</p>'
    )
    assert _found(one) == [
        ("Linda Parker", "Office Manager", "linda@example-studio.com", "+14175550142", "text")
    ]
    two = (
        "<p>Meet Jane Doe, our designer, and John Roe, our developer: write to "
        '<a href="mailto:studio@example-studio.com">studio@example-studio.com</a> or '
        '<a href="mailto:john.roe@example-studio.com">john.roe@example-studio.com</a>.</p>'
    )
    assert _found(two) == [
        ("Jane Doe", "Designer", None, None, "text"),
        ("John Roe", "Developer", "john.roe@example-studio.com", None, "text"),
    ]


def test_look_alike_cells_vouch_for_an_unknown_given_name() -> None:
    cell = '<div class="col"><div class="block"><h4>{}</h4><p>{}</p></div></div>'
    grid = "".join(
        cell.format(n, t)
        for n, t in [("Aroha Walker", "Principal"), ("Mere Tipene", "Operations"), ("Liam Fraser", "Planner")]
    )
    assert [p[:2] for p in _found(f'<section class="row">{grid}</section>')] == [
        ("Aroha Walker", "Principal"),
        ("Mere Tipene", "Operations"),
        ("Liam Fraser", "Planner"),
    ]
    # alone, the unknown given name with a department label is not enough
    assert _found(cell.format("Mere Tipene", "Operations")) == []


@pytest.mark.parametrize(
    "body",
    [
        # branches, studios and offices with their own address and number: places, not people
        "<div><h3>Büro München</h3><p>Tel. 089 2154 330</p><p>muenchen@example-studio.com</p></div>",
        '<div><h3>Studio Berlin</h3><p>Kreation &amp; Design</p><a href="tel:+493024087710">030</a></div>',
        '<div><h5>Oficina Madrid</h5><p>Tel. <a href="tel:+34915770122">915 77 01 22</a></p></div>',
        "<div><span>Vestiging Utrecht</span><p>030 234 5600</p></div>",
        # section headings with a role address under them
        '<div><h2>Press Releases</h2><p><a href="mailto:press@example-studio.com">Press office</a></p></div>',
        "<div><h2>Current Openings</h2><h4>Senior Frontend Developer</h4>"
        '<p><a href="mailto:jobs@example-studio.com">Apply</a></p></div>',
        "<div><h2>Our Services</h2><h3>Brand Strategy</h3><p>Head of Strategy workshops</p></div>",
    ],
)
def test_headings_and_places_are_nobody(body: str) -> None:
    assert _found(body, region="DE") == []


def test_name_helpers() -> None:
    assert has_given_name("Aroha Walker") and has_given_name("J. Priya Raman")
    assert not has_given_name("Current Openings") and not has_given_name("Paris Office")
    assert singular_title("General Chairs") == "General Chair"
    assert singular_title("Rechtsanwälte") == "Rechtsanwalt"
    assert singular_title("Geschäftsführerinnen") == "Geschäftsführerin"
    assert (
        shown_title("office manager") == "Office Manager"
        and shown_title("Head of People") == "Head of People"
    )
