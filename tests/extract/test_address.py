"""The company's postal address: schema.org PostalAddress, <address> blocks and footers, imprint text."""

from __future__ import annotations

import json

import pytest

from crawler.extract import extract_page


def _addresses(html: str, url: str) -> list[tuple[str | None, str | None, str | None, str | None, str]]:
    return [
        (a.street, a.postal_code, a.city, a.country, a.evidence.method)
        for a in extract_page(html, url).addresses
    ]


def test_structured_data_address_comes_first_with_every_part() -> None:
    org = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": "Acme Robotics",
        "address": {
            "@type": "PostalAddress",
            "streetAddress": "2100 East Cesar Chavez Street, Suite 300",
            "addressLocality": "Austin",
            "addressRegion": "TX",
            "postalCode": "78702",
            "addressCountry": {"@type": "Country", "name": "US"},
        },
    }
    html = f"""<html><head><script type="application/ld+json">{json.dumps(org)}</script></head>
    <body><footer><p>Acme Robotics · Austin, Texas</p></footer></body></html>"""
    facts = extract_page(html, "https://acme-robotics.com/about")
    first = facts.addresses[0]
    assert (first.street, first.postal_code, first.city, first.region, first.country) == (
        "2100 East Cesar Chavez Street, Suite 300",
        "78702",
        "Austin",
        "TX",
        "US",
    )
    assert (first.evidence.method, first.confidence, first.url) == (
        "jsonld",
        0.95,
        "https://acme-robotics.com/about",
    )


def test_a_persons_or_events_address_is_not_the_companys() -> None:
    event = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": "Robotics Summit",
        "location": {
            "@type": "Place",
            "address": {"@type": "PostalAddress", "postalCode": "02110", "addressLocality": "Boston"},
        },
    }
    script = f'<script type="application/ld+json">{json.dumps(event)}</script>'
    html = f"<html><head>{script}</head><body></body></html>"
    assert _addresses(html, "https://acme-robotics.com/events") == []


@pytest.mark.parametrize(
    ("html", "url", "expected"),
    [
        (
            "<footer><address>Müller Maschinenbau GmbH<br>Sendlinger Straße 42<br>80331 München</address>"
            "</footer>",
            "https://mueller-maschinenbau.de/",
            ("Sendlinger Straße 42", "80331", "München", "DE"),
        ),
        (
            "<footer><p>Atelier Dupont · 12 rue de Miromesnil, 75008 Paris</p></footer>",
            "https://atelier-dupont.fr/",
            ("12 rue de Miromesnil", "75008", "Paris", "FR"),
        ),
        (
            "<footer><p>915 R St, Sacramento, CA 95811</p></footer>",
            "https://riverside-print.com/",
            ("915 R St", "95811", "Sacramento", "US"),
        ),
        (
            "<footer><p>14 Wharf Road<br>London N1 7GR<br>United Kingdom</p></footer>",
            "https://kestrel-finch.co.uk/",
            ("14 Wharf Road", "N1 7GR", "London", "GB"),
        ),
        (
            "<footer><p>Keizersgracht 123<br>1015 CJ Amsterdam</p></footer>",
            "https://grachten-design.nl/",
            ("Keizersgracht 123", "1015 CJ", "Amsterdam", "NL"),
        ),
        (
            "<footer><p>Kärntner Straße 5, 1010 Wien, Österreich</p></footer>",
            "https://wien-studio.at/",
            ("Kärntner Straße 5", "1010", "Wien", "AT"),
        ),
        (
            "<footer><p>Calle de Alcalá 42, 28014 Madrid</p></footer>",
            "https://estudio-alcala.es/",
            ("Calle de Alcalá 42", "28014", "Madrid", "ES"),
        ),
    ],
)
def test_footer_and_address_blocks(html: str, url: str, expected: tuple[str, str, str, str]) -> None:
    assert _addresses(f"<html><body>{html}</body></html>", url) == [(*expected, "address")]


def test_an_imprint_pages_first_address_is_the_companys_not_its_hosts() -> None:
    html = """<html lang="fr"><body><main><h1>Mentions légales</h1>
    <p>Atelier Dupont, SARL au capital de 20 000 €<br>Siège social : 12 rue de Miromesnil, 75008 Paris<br>
    RCS Paris 812 345 678<br>SIRET : 812 345 678 00024</p>
    <h2>Hébergement</h2><p>OVH SAS, 2 rue Kellermann, 59100 Roubaix, France.</p></main></body></html>"""
    assert _addresses(html, "https://atelier-dupont.fr/mentions-legales") == [
        ("12 rue de Miromesnil", "75008", "Paris", "FR", "text")
    ]


def test_numbers_and_words_that_are_no_address() -> None:
    html = """<html lang="en"><body><main><p>Founded 2009 Paris</p><p>Since 1987</p>
    <p>Call 1800 Flowers</p><p>VAT GB 123 4567 89</p></main>
    <footer><p>© 2025 Studio</p></footer></body></html>"""
    assert _addresses(html, "https://studio.example.org/contact") == []
