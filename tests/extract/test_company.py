"""Unit tests for registered domains, title splitting and the company-name fallbacks."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
import tldextract

from crawler.extract.company import (
    _LOGO_IMGS,
    _logo_imgs,
    extract_company,
    is_org_type,
    matches_domain,
    registered_domain,
    split_title,
    title_company_name,
)
from crawler.extract.page import Page


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://www.acme-robotics.com/team", "acme-robotics.com"),
        ("https://shop.mueller-maschinenbau.de:8443/kontakt?x=1", "mueller-maschinenbau.de"),
        ("http://news.bbc.co.uk/", "bbc.co.uk"),
        ("www.fenwickhale.co.uk", "fenwickhale.co.uk"),
        ("WWW.ACME.COM.", "acme.com"),
        ("acme.com.au", "acme.com.au"),
        ("blog.kestrel-labs.io", "kestrel-labs.io"),
        ("//cdn.greenleaf-coffee.com/x.png", "greenleaf-coffee.com"),
        # private suffixes keep tenants apart
        ("https://acme.github.io/docs", "acme.github.io"),
        ("https://acme-store.myshopify.com/", "acme-store.myshopify.com"),
        # no registrable domain: the host itself
        ("http://192.168.0.10:8080/admin", "192.168.0.10"),
        ("http://[2001:db8::1]/", "2001:db8::1"),
        ("http://localhost:6800/jobs", "localhost"),
        ("intranet", "intranet"),
        ("co.uk", "co.uk"),
        ("", ""),
    ],
)
def test_registered_domain(value: str, expected: str) -> None:
    assert registered_domain(value) == expected


def test_registered_domain_needs_no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """The bundled public suffix list is used as-is: a fresh extractor must not open a socket."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    fresh = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True)
    assert fresh("https://www.example.co.uk").suffix == "co.uk"
    assert registered_domain("https://foo.bar.example.com.br/") == "example.com.br"


@pytest.mark.parametrize(
    ("title", "parts"),
    [
        ("Contact us | Acme Robotics", ["Contact us", "Acme Robotics"]),
        ("Acme Robotics – Industrial automation", ["Acme Robotics", "Industrial automation"]),
        ("Acme Robotics — Cobots · Vision :: Service", ["Acme Robotics", "Cobots", "Vision", "Service"]),
        ("Jean-Luc's Bistro - Menu", ["Jean-Luc's Bistro", "Menu"]),  # no split inside a word
        ("  Home  ", ["Home"]),
    ],
)
def test_split_title(title: str, parts: list[str]) -> None:
    assert split_title(title) == parts


@pytest.mark.parametrize(
    ("title", "domain", "expected"),
    [
        ("Contact us | Acme Robotics", "acme-robotics.com", "Acme Robotics"),
        ("Acme Robotics – Industrial automation", "acme-robotics.com", "Acme Robotics"),
        ("Industrial automation | Acme Robotics Inc.", "acme-robotics.com", "Acme Robotics Inc."),
        ("Kontakt - Müller Maschinenbau GmbH", "mueller-maschinenbau.de", "Müller Maschinenbau GmbH"),
        ("Fenwick & Hale – Chartered Accountants in Leeds", "fenwickhale.co.uk", "Fenwick & Hale"),
        ("IBM - United States", "ibm.com", "IBM"),
        ("Welcome to Harbor Dental Care", "harbordentalcare.com", "Harbor Dental Care"),
        ("Blue Harbor Consulting | Strategy for SMEs", "bhc-partners.com", "Blue Harbor Consulting"),
        # no domain match: a legal form, or the one part left beside a generic page name
        ("Lasertechnik für die Industrie – Schmidt Laser GmbH", "laser-profis.de", "Schmidt Laser GmbH"),
        ("Impressum | Holzwerk Sauer", "tischlerei-online.de", "Holzwerk Sauer"),
        # nothing that names a company
        ("Home", "acme-robotics.com", None),
        ("Contact us", "acme-robotics.com", None),
        ("Cobots for small factories – Industrial automation made simple", "acme-robotics.com", None),
    ],
)
def test_title_company_name(title: str, domain: str, expected: str | None) -> None:
    assert title_company_name(title, domain) == expected


@pytest.mark.parametrize(
    ("name", "domain", "expected"),
    [
        ("Acme Robotics", "acme-robotics.com", True),
        ("Müller Maschinenbau GmbH", "mueller-maschinenbau.de", True),
        ("Atelier Lumière", "atelier-lumiere.fr", True),
        ("Globex Corporation", "acme-robotics.com", False),
        ("Home", "homedepot.com", False),
    ],
)
def test_matches_domain(name: str, domain: str, expected: bool) -> None:
    assert matches_domain(name, domain) is expected


@pytest.mark.parametrize(
    ("schema_type", "expected"),
    [
        ("Organization", True),
        ("Corporation", True),
        ("LocalBusiness", True),
        ("Plumber", True),
        ("ElectronicsStore", True),
        ("AutoRepair", True),
        ("Person", False),
        ("WebSite", False),
        ("Product", False),
    ],
)
def test_is_org_type(schema_type: str, expected: bool) -> None:
    assert is_org_type(schema_type) is expected


def _company(
    head: str, body: str = "", url: str = "https://www.acme-robotics.com/contact"
) -> dict[str, object]:
    return extract_company(Page(f"<html><head>{head}</head><body>{body}</body></html>", url)).to_dict()


def test_organization_type_list_and_subtype() -> None:
    head = """<script type="application/ld+json">{"@context":"https://schema.org",
      "@type":["LocalBusiness","Plumber"],"name":"Acme Plumbing &amp; Heating","url":"https://www.acme-robotics.com"}</script>
      <meta property="og:site_name" content="Something else">"""
    assert _company(head) == {
        "name": "Acme Plumbing & Heating",
        "domain": "acme-robotics.com",
        "method": "jsonld",
    }


def test_organization_on_the_page_domain_wins_over_a_widget() -> None:
    head = """<script type="application/ld+json">{"@context":"https://schema.org","@type":"Organization","name":"Trustpilot","url":"https://www.trustpilot.com"}</script>
      <script type="application/ld+json">{"@context":"https://schema.org","@type":"Organization","name":"Acme Robotics","url":"https://acme-robotics.com/"}</script>"""
    assert _company(head)["name"] == "Acme Robotics"


def test_website_publisher_counts() -> None:
    head = """<script type="application/ld+json">
      {"@context":"https://schema.org","@type":"WebSite","name":"Acme Blog",
      "publisher":{"@type":"Organization","name":"Acme Robotics Inc."}}</script>"""
    assert _company(head)["name"] == "Acme Robotics Inc."


def test_microdata_organization() -> None:
    body = (
        '<div itemscope itemtype="https://schema.org/Organization">'
        '<span itemprop="name">Acme Robotics</span></div>'
    )
    assert _company("", body)["method"] == "microdata"


def test_generic_site_name_falls_through_to_title() -> None:
    head = '<meta property="og:site_name" content="WordPress"><title>Contact | Acme Robotics</title>'
    assert _company(head) == {"name": "Acme Robotics", "domain": "acme-robotics.com", "method": "title"}


def test_application_name_meta() -> None:
    assert _company('<meta name="application-name" content="Acme Robotics">')["method"] == "meta"


@pytest.mark.parametrize(
    ("img", "expected"),
    [
        ('<header><a href="/"><img src="/logo.png" alt="Acme Robotics Logo"></a></header>', "Acme Robotics"),
        (
            '<div class="site-logo"><img src="/a.png" alt="Logo Schreinerei Holzmann"></div>',
            "Schreinerei Holzmann",
        ),
        ('<header><img class="logo" src="/a.svg" alt="logo"></header>', None),
        ('<main><img src="/team.jpg" alt="Our team at the 2023 fair"></main>', None),
    ],
)
def test_logo_alt(img: str, expected: str | None) -> None:
    got = _company("<title>Home</title>", img)
    assert got["name"] == expected
    assert got["method"] == ("logo" if expected else "none")


def test_logo_images_are_those_of_the_logo_xpath() -> None:
    """_logo_imgs walks the tree once instead of evaluating _LOGO_IMGS; same images, same order."""
    pages = [
        '<html><body><div class="Site-LOGO"><span><img alt="A"></span></div><header><img alt="B">'
        '</header><nav class="navbar"><img alt="" src="x"></nav><img alt="C" src="/img/Logo.png">'
        '<img src="logo.png"><div id="myHeader"><img alt="D"></div><div class="brandbar"><img alt="E">'
        '</div><p><img alt="not a logo" src="/team/anna.jpg"></p></body></html>',
        "<html><body>" + '<header><img alt="x"></header>' * 30 + "</body></html>",  # the first 20 only
    ]
    root = Path(__file__).resolve().parents[1]
    pages += [p.read_text(encoding="utf-8") for p in sorted(root.glob("fixtures/*/*/input.html"))]
    for html in pages:
        tree = Page(html, "https://acme.example/").tree
        assert list(_logo_imgs(tree)) == tree.xpath(_LOGO_IMGS)[:20]
