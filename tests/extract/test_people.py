"""Unit tests for people extraction: names, titles, imprint lines, cards and structured data."""

from __future__ import annotations

import pytest

from crawler.extract.page import Page
from crawler.extract.people import clean_person_name, extract_people, is_job_title, split_name_title


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Max Müller", "Max Müller"),
        ("Dr. Anna Schmidt", "Anna Schmidt"),
        ("Prof. Dr.-Ing. Hans Weber", "Hans Weber"),
        ("Dipl.-Kfm. Jonas Weber", "Jonas Weber"),
        ("Herr Max Mustermann", "Max Mustermann"),
        ("Eleanor Hale, MBA", "Eleanor Hale"),
        ("Jean-Baptiste Le Gall", "Jean-Baptiste Le Gall"),
        ("Hélène de La Fontaine", "Hélène de La Fontaine"),
        ("Lukas van der Berg", "Lukas van der Berg"),
        ("Ludwig von Mises", "Ludwig von Mises"),
        ("Siobhan O'Reilly", "Siobhan O'Reilly"),
        ("Tom O’Connell", "Tom O’Connell"),
        ("Sophie Lefèvre-Martin", "Sophie Lefèvre-Martin"),
        ("John F. Kennedy", "John F. Kennedy"),
        ("Ayşe Demir", "Ayşe Demir"),
        ("ANNA SCHMIDT", "Anna Schmidt"),
        # not names
        ("Our Team", None),
        ("Contact Us", None),
        ("Get in touch", None),
        ("Meet the Team", None),
        ("Sales Manager", None),
        ("Head of Sales", None),
        ("Acme Robotics GmbH", None),
        ("Main Street", None),
        ("Hauptstraße 5", None),
        ("Privacy Policy", None),
        ("Cookie Settings", None),
        ("Amtsgericht Stuttgart", None),
        ("Senior Tax", None),
        ("max müller", None),
        ("Max", None),
        ("jane@acme.com", None),
        ("von Müller", None),
        ("Max Müller und Anna Schmidt", None),
    ],
)
def test_clean_person_name(text: str, expected: str | None) -> None:
    assert clean_person_name(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("CEO", "CEO"),
        ("Co-Founder & CTO", "Co-Founder & CTO"),
        ("Head of Sales, North America", "Head of Sales, North America"),
        ("Geschäftsführerin", "Geschäftsführerin"),
        ("Vertriebsleiterin Inland", "Vertriebsleiterin Inland"),
        ("Leiter Konstruktion", "Leiter Konstruktion"),
        ("Prokurist", "Prokurist"),
        ("Directrice générale & fondatrice", "Directrice générale & fondatrice"),
        ("Responsable commerciale", "Responsable commerciale"),
        ("Chargé de communication", "Chargé de communication"),
        ("Gérante", "Gérante"),
        ("Sales", "Sales"),
        ("Position: Marketing Manager", "Marketing Manager"),
        (", Head of Sales EMEA", "Head of Sales EMEA"),
        # not titles
        ("Lead time forecasting for retailers", None),
        ("Senior Sales Manager (m/w/d)", None),
        ("Sales price on request", None),
        ("Our sales team will call you back within one working day.", None),
        ("Geschäftsführer: Max Müller", None),
        ("From £450 per month", None),
        ("Welcome to our website", None),
        ("ceo", None),
    ],
)
def test_is_job_title(text: str, expected: str | None) -> None:
    assert is_job_title(text) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Max Müller, Geschäftsführer", ("Max Müller", "Geschäftsführer")),
        ("Pieter de Vries – Managing Director Benelux", ("Pieter de Vries", "Managing Director Benelux")),
        ("Anna Schmidt (Prokuristin)", ("Anna Schmidt", "Prokuristin")),
        ("Jane Doe | VP Engineering", ("Jane Doe", "VP Engineering")),
        ("Luca Bianchi CTO", ("Luca Bianchi", "CTO")),
        ("Senior Tax Manager", None),
        ("Acme Robotics, Boston", None),
        ("Contact us, we are happy to help", None),
    ],
)
def test_split_name_title(line: str, expected: tuple[str, str] | None) -> None:
    assert split_name_title(line) == expected


def _people(
    body: str, url: str = "https://www.acme-robotics.com/team", head: str = "", region: str = "US"
) -> list[dict[str, object]]:
    page = Page(f"<html><head>{head}</head><body>{body}</body></html>", url, default_region=region)
    return [p.to_dict() for p in extract_people(page)]


def _names(body: str, **kw: str) -> list[tuple[str, str | None, str]]:
    return [(p["name"], p["job_title"], p["method"]) for p in _people(body, **kw)]  # type: ignore[misc]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "<p>Geschäftsführer: Max Müller, Anna Schmidt</p>",
            [("Max Müller", "Geschäftsführer", "imprint"), ("Anna Schmidt", "Geschäftsführer", "imprint")],
        ),
        ("<p>Geschäftsführerin: Dr. Katrin Vogel</p>", [("Katrin Vogel", "Geschäftsführerin", "imprint")]),
        (
            "<p>Vertreten durch: Max Müller (Geschäftsführer)</p>",
            [("Max Müller", "Geschäftsführer", "imprint")],
        ),
        (
            "<p>Vertreten durch den Geschäftsführer Max Müller</p>",
            [("Max Müller", "Geschäftsführer", "imprint")],
        ),
        ("<p>Vertreten durch: Max Müller</p>", [("Max Müller", None, "imprint")]),
        (
            "<p>Vertretungsberechtigte Geschäftsführer: Max Müller und Anna Schmidt</p>",
            [("Max Müller", "Geschäftsführer", "imprint"), ("Anna Schmidt", "Geschäftsführer", "imprint")],
        ),
        (
            "<p>Geschäftsführer / Inhaber: Jonas Weber</p>",
            [("Jonas Weber", "Geschäftsführer / Inhaber", "imprint")],
        ),
        ("<p>Inhaberin: Petra Schulz</p>", [("Petra Schulz", "Inhaberin", "imprint")]),
        (
            "<p>Vorstand: Dr. Hans Becker (Vorsitzender), Julia Meyer</p>",
            [("Hans Becker", "Vorsitzender", "imprint"), ("Julia Meyer", "Vorstand", "imprint")],
        ),
        (
            "<p>Die Acme GmbH wird vertreten durch die Acme Verwaltungs GmbH, "
            "diese vertreten durch Max Müller</p>",
            [],
        ),
        (
            "<p>Vertreten durch die Acme Verwaltungs GmbH, diese vertreten durch Max Müller</p>",
            [("Max Müller", None, "imprint")],
        ),
        (
            "<p>Geschäftsführer:<br>Max Müller<br>Anna Schmidt</p>"
            "<p>Registergericht: Amtsgericht Stuttgart</p>",
            [("Max Müller", "Geschäftsführer", "imprint"), ("Anna Schmidt", "Geschäftsführer", "imprint")],
        ),
        (
            "<p>Managing Directors: John Smith, Mary Jones</p>",
            [("John Smith", "Managing Director", "imprint"), ("Mary Jones", "Managing Director", "imprint")],
        ),
        (
            "<p>Directeur de la publication : Jean-Baptiste Le Gall</p>",
            [("Jean-Baptiste Le Gall", None, "imprint")],
        ),
        ("<p>Gérante : Claire Dubois</p>", [("Claire Dubois", "Gérante", "imprint")]),
        ("<p>Registergericht: Amtsgericht München, HRB 123456</p>", []),
        ("<p>Der Geschäftsführer ist für den Inhalt verantwortlich.</p>", []),
    ],
)
def test_imprint_lines(body: str, expected: list[tuple[str, str | None, str]]) -> None:
    assert _names(body, url="https://www.acme.de/impressum") == expected


def test_structured_review_authors_are_not_people() -> None:
    head = """<script type="application/ld+json">{"@context":"https://schema.org","@type":"Product","name":"C5",
      "review":[{"@type":"Review",
                 "author":{"@type":"Person","name":"Robert Miles","jobTitle":"Plant Manager"}}]}</script>"""
    assert _people("", head=head) == []


def test_inferred_founder_title_gives_way_to_the_shown_one() -> None:
    head = """<script type="application/ld+json">{"@context":"https://schema.org","@type":"Organization","name":"Acme",
      "founder":[{"@type":"Person","name":"Tom Baker"},{"@type":"Person","name":"Ann Lee"}]}</script>"""
    body = '<div class="team"><div class="m"><h3>Tom Baker</h3><p>Co-Founder &amp; CTO</p></div></div>'
    assert _names(body, head=head) == [
        ("Tom Baker", "Co-Founder & CTO", "jsonld"),
        ("Ann Lee", "Founder", "jsonld"),
    ]


def test_given_and_family_name() -> None:
    head = """<script type="application/ld+json">{"@context":"https://schema.org","@type":"Person",
      "givenName":"Lukas","familyName":"van der Berg",
      "telephone":"+31 20 794 0123","email":"LUKAS@kestrel-labs.io"}</script>"""
    assert _people("", head=head) == [
        {
            "name": "Lukas van der Berg",
            "job_title": None,
            "email": "lukas@kestrel-labs.io",
            "phone": "+31207940123",
            "profiles": {},
            "method": "jsonld",
        }
    ]


def test_company_email_outside_the_card_is_not_the_persons() -> None:
    body = """<section class="contact"><div class="person"><h3>Laura Bianchi</h3><p>Head of Sales</p></div>
      <div class="company"><p>Acme Robotics Inc.</p>
      <p><a href="mailto:info@acme-robotics.com">info@acme-robotics.com</a></p>
      <p><a href="tel:+16172843100">+1 617 284 3100</a></p></div></section>"""
    people = _people(body)
    assert people[0]["email"] is None and people[0]["phone"] is None


def test_each_card_keeps_its_own_contacts() -> None:
    body = "".join(
        f"""<div class="member"><h3>{name}</h3><p>{title}</p><a href="mailto:{mail}">Mail</a>
        <a href="https://www.linkedin.com/in/{slug}/">in</a></div>"""
        for name, title, mail, slug in [
            ("Jane Doe", "CEO", "jane@acme-robotics.com", "janedoe"),
            ("John Roe", "CTO", "john@acme-robotics.com", "johnroe"),
        ]
    )
    assert [(p["name"], p["email"], p["profiles"]) for p in _people(f'<div class="grid">{body}</div>')] == [
        ("Jane Doe", "jane@acme-robotics.com", {"linkedin": "https://linkedin.com/in/janedoe"}),
        ("John Roe", "john@acme-robotics.com", {"linkedin": "https://linkedin.com/in/johnroe"}),
    ]


def test_cloudflare_protected_email_in_card() -> None:
    # "anna.schmidt@acme.de" XOR-encoded with key 0x42, as Cloudflare's email obfuscation does
    hexstr = "42" + bytes(b ^ 0x42 for b in b"anna.schmidt@acme.de").hex()
    body = f"""<ul class="team"><li><strong>Anna Schmidt</strong><br>Vertriebsleiterin<br>
      <a href="/cdn-cgi/l/email-protection#{hexstr}">
      <span class="__cf_email__" data-cfemail="{hexstr}">[email&#160;protected]</span></a></li>
      <li><strong>Max Weber</strong><br>Einkauf</li></ul>"""
    people = _people(body, url="https://www.acme.de/team", region="DE")
    assert [(p["name"], p["job_title"], p["email"]) for p in people] == [
        ("Anna Schmidt", "Vertriebsleiterin", "anna.schmidt@acme.de"),
        ("Max Weber", "Einkauf", None),
    ]


def test_bare_name_needs_its_own_address() -> None:
    body = """<div class="col"><h4>Markus Lehmann</h4>
      <p><a href="mailto:m.lehmann@acme.de">m.lehmann@acme.de</a></p></div>
      <div class="col"><h4>Smart Factory</h4><p><a href="mailto:info@acme.de">info@acme.de</a></p></div>"""
    assert _names(body, url="https://www.acme.de/") == [("Markus Lehmann", None, "card")]


def test_contact_person_label() -> None:
    body = """<div class="box"><h4>Ihr Ansprechpartner</h4><p>Markus Lehmann</p>
      <p>Tel.: +49 89 1234567</p></div>
      <footer><h4>Kontakt</h4><p>Schreinerei Holzmann</p><p>Dorfstraße 3</p></footer>"""
    people = _people(body, url="https://www.schreinerei-holzmann.de/", region="DE")
    assert [(p["name"], p["phone"]) for p in people] == [("Markus Lehmann", "+49891234567")]


@pytest.mark.parametrize(
    "body",
    [
        '<div class="testimonial"><h4>Marcus Reid</h4><span>Head of Merchandising</span></div>',
        "<blockquote><p>Great!</p><footer>Omar Haddad, CTO</footer></blockquote>",
        '<div class="slide"><p>“They cut our stock-outs by a third within one quarter.”</p>'
        "<p><strong>Helen Carter</strong></p><p>Supply Chain Director</p></div>",
        '<div class="slide"><p><strong>Helen Carter</strong></p>'
        "<p>Supply Chain Director at Northgate Retail</p></div>",
        '<nav><ul><li><a href="/a">Anna Schmidt</a></li><li><a href="/b">Sales Director</a></li></ul></nav>',
        '<div id="cookie-banner"><strong>Marketing Cookies</strong><p>Head of cookies</p></div>',
        '<div class="product-card"><h3>Stock Pilot</h3><p>Sales &amp; Marketing</p></div>',
        '<div class="x"><h3>Promo Planner</h3><p>Marketing Operations</p><a href="/p">Learn more</a></div>',
        '<div class="job"><h3>Sales Manager (m/w/d)</h3><p>Vollzeit, München</p></div>',
        "<h2>Our Team</h2><h3>Management</h3><p>Meet the people behind Acme.</p>",
        '<div class="post-meta"><span class="author">Sarah Connor</span>'
        '<span class="category">Marketing</span></div>',
        "<p>Acme Robotics Inc.</p><p>Sales Office</p><p>200 Innovation Drive</p>",
    ],
)
def test_traps_give_no_people(body: str) -> None:
    assert _people(body) == []


def test_results_are_cached_per_page() -> None:
    page = Page(
        '<html><body><div class="team"><h3>Jane Doe</h3><p>CEO</p></div></body></html>', "https://acme.com/"
    )
    first = extract_people(page)
    assert extract_people(page) == first and first[0].name == "Jane Doe"
