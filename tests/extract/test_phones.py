"""Unit tests for crawler.extract.phones: region choice, numbers found, traps rejected, fax skipped."""

from __future__ import annotations

import pytest

from crawler.extract.page import Page
from crawler.extract.phones import extract_phones, normalize_phone
from crawler.extract.region import page_region


def page(body: str, url: str = "https://www.acme-robotics.com/contact", *, lang: str | None = None,
         head: str = "", default_region: str = "US") -> Page:  # fmt: skip
    lang_attr = f' lang="{lang}"' if lang else ""
    html = f"<!DOCTYPE html><html{lang_attr}><head><title>t</title>{head}</head><body>{body}</body></html>"
    return Page(html, url, default_region=default_region)


def found(body: str, **kwargs: object) -> list[tuple[str, str]]:
    return [(f.e164, f.evidence.method) for f in extract_phones(page(body, **kwargs))]  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------
# page_region

DE_URL = "https://www.mueller-maschinenbau.de/kontakt"
COM_URL = "https://www.acme-robotics.com/contact"


def jsonld_country(country: str) -> str:
    return (
        '<script type="application/ld+json">{"@context": "https://schema.org", "@type": "Organization",'
        f' "address": {{"@type": "PostalAddress", "addressCountry": {country}}}}}</script>'
    )


@pytest.mark.parametrize(
    ("body", "url", "lang", "head", "expected"),
    [
        # tel: links in international form beat everything
        ('<a href="tel:+41446681800">x</a>', DE_URL, "de-AT", jsonld_country('"FR"'), "CH"),
        ('<a href="tel:0041446681800">x</a>', COM_URL, None, "", "CH"),
        # the most frequent country wins; national tel: links do not decide
        (
            '<a href="tel:+4930123456">x</a><a href="tel:+41446681800">y</a><a href="tel:+41446681801">z</a>',
            COM_URL,
            None,
            "",
            "CH",
        ),
        ('<a href="tel:089123456">x</a>', COM_URL, "fr", "", "FR"),
        # lang: region subtag, then a language spoken in one country; plain "en" does not decide
        ("", DE_URL, "de-AT", "", "AT"),
        ("", COM_URL, "en-GB", "", "GB"),
        ("", COM_URL, "en_AU", "", "AU"),
        ("", COM_URL, "de", "", "DE"),
        ("", COM_URL, "fr", "", "FR"),
        ("", COM_URL, "nl", "", "NL"),
        ("", COM_URL, "es", "", "ES"),
        ("", COM_URL, "it", "", "IT"),
        ("", COM_URL, "pt-BR", "", "BR"),
        ("", "https://www.mueller-maschinenbau.de/", "en", "", "DE"),
        ("", "https://shop.example-store.fr/", "en-us", "", "US"),
        ("", "https://acme.com/", "es-419", "", "US"),
        # country-code TLD; generic TLDs and generic-use ccTLDs do not decide
        ("", "https://www.tvjoinery.co.uk/", None, "", "GB"),
        ("", "https://www.alpenrose.at/", "en", "", "AT"),
        ("", "https://www.alpstein.ch/", None, "", "CH"),
        ("", "https://pixelforge.io/", None, "", "US"),
        ("", "https://acme.co/", None, "", "US"),
        # schema.org addressCountry: code, name, alpha-3, Country object
        ("", COM_URL, "en", jsonld_country('"AU"'), "AU"),
        ("", COM_URL, None, jsonld_country('"Germany"'), "DE"),
        ("", COM_URL, None, jsonld_country('"Deutschland"'), "DE"),
        ("", COM_URL, None, jsonld_country('"GBR"'), "GB"),
        ("", COM_URL, None, jsonld_country('{"@type": "Country", "name": "NZ"}'), "NZ"),
        ("", "https://pixelforge.io/", None, jsonld_country('"IE"'), "IE"),
    ],
)
def test_page_region_precedence(body: str, url: str, lang: str | None, head: str, expected: str) -> None:
    assert page_region(page(body, url, lang=lang, head=head)) == expected


def test_page_region_falls_back_to_default_region() -> None:
    assert page_region(page("", COM_URL, lang="en", default_region="CA")) == "CA"
    assert page_region(page("", COM_URL, default_region="de")) == "DE"
    assert page_region(page("", COM_URL, default_region="XX")) == "US"


def test_page_region_microdata_address() -> None:
    body = (
        '<div itemscope itemtype="https://schema.org/LocalBusiness"><div itemprop="address" itemscope '
        'itemtype="https://schema.org/PostalAddress">'
        '<span itemprop="addressCountry">Österreich</span></div></div>'
    )
    assert page_region(page(body, COM_URL)) == "AT"


# --------------------------------------------------------------------------------------------
# Found

SHOULD_FIND = [
    # (body, lang, url, e164)
    ("<p>Call (212) 555-0142</p>", None, COM_URL, "+12125550142"),
    ("<p>Phone: 212-555-0142</p>", None, COM_URL, "+12125550142"),
    ("<p>212.555.0142</p>", None, COM_URL, "+12125550142"),
    ("<p>Toll free 1-800-555-0199</p>", None, COM_URL, "+18005550199"),
    ("<p>+1 (415) 555-0132</p>", None, COM_URL, "+14155550132"),
    ("<p>Tel: 2125550142</p>", None, COM_URL, "+12125550142"),
    ("<p>Telefon: 089 2123 4567</p>", "de", DE_URL, "+498921234567"),
    ("<p>Tel.: +49 (0) 89 2123 4567</p>", "de", DE_URL, "+498921234567"),
    ("<p>Fon 0049 89 21234567</p>", "de", DE_URL, "+498921234567"),
    ("<p>Zentrale: 089 2123 456-0</p>", "de", DE_URL, "+498921234560"),
    ("<p>Tel. 0911 / 98 76 54 - 0</p>", "de", DE_URL, "+499119876540"),
    ("<p>Mobil: 0171 2345678</p>", "de", DE_URL, "+491712345678"),
    ("<p>Tel.-Nr.: 089 2123 4567</p>", "de", DE_URL, "+498921234567"),
    ("<p>Tel./Fax: 089 2123 4567</p>", "de", DE_URL, "+498921234567"),
    ("<p>+44 (0)20 7946 0958</p>", "en-GB", COM_URL, "+442079460958"),
    ("<p>T: 020 7946 0958</p>", None, "https://www.hartleyfinch.co.uk/", "+442079460958"),
    ("<p>01 42 68 53 00</p>", "fr", COM_URL, "+33142685300"),
    ("<p>Tél. 01.42.68.53.00</p>", "fr", COM_URL, "+33142685300"),
    ("<p>+41 44 668 18 00</p>", None, COM_URL, "+41446681800"),
    ("<p>Tel <span>+49</span> <span>89 2123 4567</span></p>", None, COM_URL, "+498921234567"),
    ("<p>Hotline:\u00a0089\u00a02123\u00a04567</p>", "de", DE_URL, "+498921234567"),
]


@pytest.mark.parametrize(("body", "lang", "url", "e164"), SHOULD_FIND)
def test_should_find(body: str, lang: str | None, url: str, e164: str) -> None:
    assert found(body, lang=lang, url=url) == [(e164, "text")]


@pytest.mark.parametrize(
    ("href", "e164"),
    [
        ("tel:+14155550132", "+14155550132"),
        ("tel:+1-415-555-0132", "+14155550132"),
        ("tel:(415)%20555-0132", "+14155550132"),
        ("tel:4155550132", "+14155550132"),
        ("TEL: +1 415 555 0132", "+14155550132"),
        ("tel:+1%20415%20555%200132", "+14155550132"),
        ("tel:1-800-555-0199;ext=2", "+18005550199"),
        ("callto:+15105550170", "+15105550170"),
        ("callto://+15105550170", "+15105550170"),
    ],
)
def test_tel_links(href: str, e164: str) -> None:
    assert found(f'<a href="{href}">Call us</a>') == [(e164, "tel")]


def test_tel_link_beats_the_text_it_wraps_and_order_is_document_order() -> None:
    body = (
        "<p>Office: 212-555-0100</p>"
        '<p><a href="tel:+12125550142">(212) 555-0142</a></p>'
        "<p>Again (212) 555-0100 and 212-555-0142</p>"
    )
    assert found(body) == [("+12125550100", "text"), ("+12125550142", "tel")]


def test_structured_telephone_comes_last() -> None:
    head = (
        '<script type="application/ld+json">{"@context": "https://schema.org", "@type": "Organization",'
        ' "telephone": ["+1 212 555 0142", "+1 212 555 0100"], "faxNumber": "+1 212 555 0199"}</script>'
    )
    body = (
        "<p>Call 212-555-0100</p>"
        '<div itemscope itemtype="https://schema.org/Organization">'
        '<meta itemprop="telephone" content="+1 646 555 0188"></div>'
    )
    facts = extract_phones(page(body, head=head))
    assert [(f.e164, f.evidence.method) for f in facts] == [
        ("+12125550100", "text"),
        ("+12125550142", "jsonld"),
        ("+16465550188", "microdata"),
    ]


def test_fact_fields() -> None:
    (fact,) = extract_phones(page("<p>Tel: 020 7946 0958</p>", "https://www.tvjoinery.co.uk/"))
    assert fact.to_dict() == {
        "e164": "+442079460958",
        "national": "020 7946 0958",
        "region": "GB",
        "method": "text",
    }
    assert fact.evidence.snippet == "Tel: 020 7946 0958"


# --------------------------------------------------------------------------------------------
# Rejected

SHOULD_REJECT_US = [
    "<p>Posted 2024-01-15, updated 01/15/2024 and 15.01.2024</p>",
    "<p>&copy; 2019-2024 Acme. Founded 1998 &ndash; 2023.</p>",
    "<p>Now $1,299.00, was $2,125,550.14. Tent 1 299 € or € 1.299,00</p>",
    "<p>Order #2125550142 &middot; Invoice 2125550143 &middot; SKU 212-555-0144</p>",
    "<p>Model 650-253-0000 &middot; Case ID 800-555-0154 &middot; Lot 415-555-0123-A</p>",
    "<p>Account 4155550123 balance &middot; Reference: 415 555 0124 &middot; ID 415.555.0125</p>",
    "<p>Reg. No. 12345678 &middot; Company No. 08123456 &middot; ISBN 978-0-306-40615-7</p>",
    "<p>Suite 1200, New York, NY 10001-2345 &middot; 94103</p>",
    "<p>Version 415.555.0126 &middot; build 4155550127</p>",
    "<p>https://acme.com/p/4155550128 and acme.com/track?id=4155550129 or www.acme.com/4155550130</p>",
    "<p>Reference: case-4155550131@acme.com</p>",
    "<p>Call ABC2125550143 or 2125550144abc or 2125550145_x</p>",
    "<p>Fax: (212) 555-0145</p>",
    "<p>F: 212-555-0146 &middot; Telefax 212-555-0147</p>",
    "<p>212-555-0148 (fax)</p>",
    "<dl><dt>Fax</dt><dd>212-555-0149</dd></dl>",
    "<table><tr><td>Fax:</td><td>212-555-0150</td></tr></table>",
    '<p>Fax: <a href="tel:+12125550151">212-555-0151</a></p>',
    '<p><a href="tel:+12125550152" class="fax">212-555-0152</a></p>',
    '<p class="contact-fax"><a href="tel:+12125550153">212-555-0153</a></p>',
    '<p><a href="tel:+12125550154">Fax 212-555-0154</a></p>',
    '<p><a href="tel:+12125550155" title="Fax">x</a></p>',
    "<p>4155550156</p>",  # a bare digit run with no phone label reads as an id
    '<script>var n = "212-555-0157";</script><style>.x{}</style>',
    '<a href="/search?q=2125550158"><img src="/x.png?v=2125550159" alt=""></a>',
    "<div hidden>Call 212-555-0160</div>",
    '<a href="tel:12345">x</a><a href="tel:+999123">y</a><a href="tel:">z</a>',
]


@pytest.mark.parametrize("body", SHOULD_REJECT_US)
def test_should_reject_us(body: str) -> None:
    assert found(body) == []


SHOULD_REJECT_DE = [
    "<p>Stand: 15.01.2024 &middot; 2024-01-15</p>",
    "<p>Saison 2024/2025: 15.12.2024 – 06.04.2025</p>",
    "<p>Preis € 1.299,00 &middot; 1 299 € &middot; ab 49,90 EUR &middot; € 0891 234567</p>",
    "<p>80331 München &middot; 10115 Berlin &middot; D-80331 München</p>",
    "<p>USt-IdNr.: DE123456789 &middot; USt-IdNr. DE 123 456 789 &middot; Steuernummer 143/456/78901</p>",
    "<p>Amtsgericht München HRB 123456 &middot; HRA 98765</p>",
    "<p>IBAN DE89 3704 0044 0532 0130 00 &middot; BLZ 370 400 44 &middot; Kontonummer 0891234567</p>",
    "<p>Bestellnummer: 4711 0815 2024 &middot; Kundennummer 0891234567 &middot; Rechnungsnr. 089 1234567</p>",
    "<p>Auftragsnummer 0171 2345678 &middot; Ticket 0171-2345678 &middot; Art.-Nr. 0211 123456</p>",
    "<p>Öffnungszeiten: Mo–Fr 08:00 – 17:00 Uhr</p>",
    "<p>Telefax: 089 2123 4568</p>",
    "<p>Tel.: 089 1 | Fax: 089 2123 4568</p>",
]


@pytest.mark.parametrize("body", SHOULD_REJECT_DE)
def test_should_reject_de(body: str) -> None:
    assert found(body, lang="de", url=DE_URL) == []


def test_fax_on_the_same_line_as_the_phone() -> None:
    body = "<p>Tel. 089 2123 4567 · Fax 089 2123 4568 · Mobil 0171 2345678</p>"
    assert found(body, lang="de", url=DE_URL) == [("+498921234567", "text"), ("+491712345678", "text")]


def test_evidence_snippets_are_short_and_non_empty() -> None:
    filler = "lorem ipsum dolor sit amet " * 40
    body = f'<p>{filler} Tel 212-555-0142 {filler}</p><a href="tel:+12125550100;{"x" * 300}">x</a>'
    head = (
        '<script type="application/ld+json">'
        '{"@type": "Organization", "telephone": "+1 646 555 0188"}</script>'
    )
    facts = extract_phones(page(body, head=head))
    assert [f.evidence.method for f in facts] == ["text", "tel", "jsonld"]
    for fact in facts:
        assert 0 < len(fact.evidence.snippet) <= 200, fact
    assert "212-555-0142" in facts[0].evidence.snippet


def test_pathological_text_finds_nothing() -> None:
    # A regex that backtracks catastrophically turns this into a hang (no timing asserted: shared box).
    body = "<p>" + "1 " * 50000 + "</p><p>" + "12-" * 30000 + "</p><p>" + "1." * 50000 + "</p>"
    assert found(body, lang="de", url=DE_URL) == []


# --------------------------------------------------------------------------------------------
# normalize_phone


@pytest.mark.parametrize(
    ("raw", "region", "expected"),
    [
        ("+49 89 2123 4567", "US", ("+498921234567", "089 21234567", "DE")),
        ("089 2123 4567", "DE", ("+498921234567", "089 21234567", "DE")),
        ("0049 89 21234567", "DE", ("+498921234567", "089 21234567", "DE")),
        ("0049 89 21234567", "US", ("+498921234567", "089 21234567", "DE")),
        ("tel:+1-212-555-0142", "DE", ("+12125550142", "(212) 555-0142", "US")),
        ("tel:%2B44%2020%207946%200958", "US", ("+442079460958", "020 7946 0958", "GB")),
        ("(212) 555-0142", "us", ("+12125550142", "(212) 555-0142", "US")),
        ("020 7946 0958", "UK", ("+442079460958", "020 7946 0958", "GB")),
        ("01 42 68 53 00", "FR", ("+33142685300", "01 42 68 53 00", "FR")),
        ("+41 44 668 18 00", "ZZ", ("+41446681800", "044 668 18 00", "CH")),
        ("089 2123 4567", "US", None),
        ("12345", "DE", None),
        ("", "DE", None),
        ("call us", "DE", None),
        ("+1 555 555 5555", "US", None),
        ("2024-01-15", "DE", None),
    ],
)
def test_normalize_phone(raw: str, region: str, expected: tuple[str, str, str] | None) -> None:
    assert normalize_phone(raw, region) == expected
