"""A company's postal address on one page: schema.org PostalAddress, <address> blocks, imprint lines."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from crawler.extract.facts import Evidence, PostalAddressFact
from crawler.extract.page import Page
from crawler.extract.structured import STRUCTURED_SYNTAXES, first_text, is_org_type, schema_types

__all__ = ["extract_addresses"]

# Pages whose text states the company's own address (legal notices, contact and about pages).
_ADDRESS_PATH = re.compile(
    r"impressum|imprint|legal|mentions|aviso|contact|kontakt|contacto|contatti|about|ueber-uns|über-uns",
    re.I,
)
_COUNTRIES = {
    "germany": "DE", "deutschland": "DE", "austria": "AT", "österreich": "AT", "switzerland": "CH",
    "schweiz": "CH", "suisse": "CH", "france": "FR", "united kingdom": "GB", "uk": "GB", "england": "GB",
    "scotland": "GB", "united states": "US", "united states of america": "US", "usa": "US", "u.s.a.": "US",
    "netherlands": "NL", "the netherlands": "NL", "nederland": "NL", "belgium": "BE", "belgique": "BE",
    "belgië": "BE", "luxembourg": "LU", "spain": "ES", "españa": "ES", "italy": "IT", "italia": "IT",
    "ireland": "IE", "canada": "CA", "australia": "AU", "new zealand": "NZ", "india": "IN",
    "portugal": "PT", "denmark": "DK", "sweden": "SE", "norway": "NO", "finland": "FI", "poland": "PL",
}  # fmt: skip
_TLD_COUNTRY = {
    "de": "DE", "at": "AT", "ch": "CH", "fr": "FR", "nl": "NL", "be": "BE", "lu": "LU", "es": "ES",
    "it": "IT", "uk": "GB", "ie": "IE", "pt": "PT", "dk": "DK", "se": "SE", "no": "NO", "fi": "FI",
    "pl": "PL", "nz": "NZ", "au": "AU", "in": "IN", "ca": "CA", "us": "US",
}  # fmt: skip
# Countries whose postcodes are five digits, and four: a bare number decides nothing on its own.
_FIVE_DIGITS = {"DE", "FR", "ES", "IT", "FI", "US"}
_FOUR_DIGITS = {"AT", "CH", "BE", "LU", "DK", "NO", "NZ", "AU"}

# Lower-case words that join a town's name to its river or region ("Freiburg im Breisgau", "Halle an
# der Saale", "Châlons-en-Champagne", "Alphen aan den Rijn").
_CITY_JOIN = r"(?:am|an|im|in|ob|bei|der|dem|den|sur|sous|en|de|du|la|le|les|lès|del|aan|op|upon|on)"
_CITY = (
    r"[A-ZÀ-ÞŁŚŻ][\wÀ-ÿ.'’-]*"
    rf"(?:[ -](?:{_CITY_JOIN}[ -]){{1,3}}[A-ZÀ-Þ][\wÀ-ÿ.'’-]*"
    r"|[ -](?:[A-ZÀ-Þa-zà-ÿ][\wÀ-ÿ.'’-]*|\d{1,2}e?))?"
    r"(?:\s\d{1,2})?"
)
# "80331 München", "D-80331 München", "75008 Paris", "1010 Wien", "1012 AB Amsterdam"
_EU_LINE = re.compile(
    rf"^(?:(?P<prefix>D|A|CH|F|B|L|NL|E|I)-)?(?P<postcode>\d{{5}}|\d{{4}}(?:\s?[A-Z]{{2}})?)\s+(?P<city>{_CITY})$"
)
# "San Francisco, CA 94105"
_US_LINE = re.compile(
    r"^(?P<city>[A-Z][A-Za-z.' -]{1,40}),?\s+(?P<region>[A-Z]{2})\s+(?P<postcode>\d{5}(?:-\d{4})?)$"
)
# "London SW1A 2AA", "London, EC1V 9HX"
_UK_LINE = re.compile(
    r"^(?P<city>[A-Z][A-Za-z' -]{1,40}),?\s+(?P<postcode>[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2})$"
)
# A street line: a house number next to words ("Sendlinger Straße 42", "12 rue de Miromesnil",
# "2100 East Cesar Chavez Street, Suite 300", "Keizersgracht 123-125").
_STREET = re.compile(r"^(?=.*\d)(?=(?:.*[^\W\d_]){3})[\w .,'’/&()-]{4,90}$")
_LABEL = re.compile(r"^[^:]{1,40}:\s*")  # "Siège social : 12 rue ...", "Anschrift: ..."
_NOT_STREET = re.compile(
    r"\b(?:tel|tél|fon|phone|fax|mobil|e-?mail|hrb|hra|rcs|siret|siren|ust|vat|tva|iban|bic|"
    r"registergericht|amtsgericht|steuer|capital|kapital)\b|@|\+\d",
    re.I,
)
_SEGMENT = re.compile(r"\s*(?:,|·|\||•|–|—)\s*")

# Confidence by source: structured data states the address outright; an <address> block or the
# footer is the site's own address; an imprint or contact page's first address usually is.
STRUCTURED, BLOCK, PAGE_TEXT = 0.95, 0.8, 0.7


def extract_addresses(page: Page) -> list[PostalAddressFact]:
    """The company's postal addresses stated on the page, best evidence first (at most one per source).

    schema.org ``PostalAddress`` of an Organization (JSON-LD, microdata, RDFa); an ``<address>``
    element or the footer; on imprint, legal, contact and about pages the page's first address.
    Text is read line by line: a postcode-and-city line (``80331 München``, ``San Francisco, CA
    94105``, ``London SW1A 2AA``) with the street on the line (or comma-separated part) before it.
    """
    out: list[PostalAddressFact] = []
    structured = _structured(page)
    if structured is not None:
        out.append(structured)
    tree = page.tree
    blocks = [el for el in tree.iter("address")] + [el for el in tree.iter("footer")]
    for el in blocks:
        found = _from_text(page.element_text(el), page, BLOCK, "address")
        if found is not None:
            out.append(found)
            break
    if _ADDRESS_PATH.search(urlsplit(page.url).path):
        found = _from_text(page.text, page, PAGE_TEXT, "text")
        if found is not None:
            out.append(found)
    return out


def _nodes(value: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    if depth > 10:
        return
    if isinstance(value, list):
        for item in value:
            yield from _nodes(item, depth + 1)
    elif isinstance(value, dict):
        if "@type" in value:
            yield value
        for item in value.values():
            if isinstance(item, (list, dict)):
                yield from _nodes(item, depth + 1)


def _structured(page: Page) -> PostalAddressFact | None:
    if "address" not in page.folded_html:  # skip building structured data when it cannot help
        return None
    for syntax in STRUCTURED_SYNTAXES:
        for node in _nodes(page.structured.get(syntax) or []):
            if not any(is_org_type(t) for t in schema_types(node)):
                continue
            for address in _as_list(node.get("address")) + [
                a for place in _as_list(node.get("location")) if isinstance(place, dict)
                for a in _as_list(place.get("address"))
            ]:  # fmt: skip
                fact = _postal_node(address, page)
                if fact is not None:
                    return fact
    return None


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _postal_node(address: Any, page: Page) -> PostalAddressFact | None:
    if isinstance(address, str):
        return _from_text(address.replace(",", "\n"), page, STRUCTURED, "jsonld", lenient=True)
    if not isinstance(address, dict):
        return None
    street = first_text(address.get("streetAddress"))
    postcode = first_text(address.get("postalCode"))
    city = first_text(address.get("addressLocality"))
    region = first_text(address.get("addressRegion"))
    country = _country(first_text(address.get("addressCountry")))
    if not (city or postcode):
        return None
    snippet = ", ".join(p for p in (street, postcode, city, region, country) if p)
    return PostalAddressFact(
        street=street[:200] if street else None,
        postal_code=postcode[:20] if postcode else None,
        city=city[:100] if city else None,
        region=region[:100] if region else None,
        country=country or _page_country(page, postcode),
        url=page.url,
        evidence=Evidence("jsonld", snippet[:200]),
        confidence=STRUCTURED,
    )


def _country(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip()
    if len(value) == 2 and value.isalpha():
        return "GB" if value.upper() == "UK" else value.upper()
    return _COUNTRIES.get(value.lower().rstrip("."), value[:60])


def _page_country(page: Page, postcode: str | None) -> str | None:
    """The country a postcode of this page belongs to, from the site's TLD or its language region."""
    tld = page.host.rsplit(".", 1)[-1]
    country = _TLD_COUNTRY.get(tld)
    lang = (page.lang or "").replace("_", "-").split("-")
    if country is None and len(lang) == 2 and len(lang[1]) == 2:
        country = lang[1].upper()
    if country is None and postcode and postcode.isdigit() and len(postcode) == 5:
        country = {"de": "DE", "fr": "FR", "es": "ES", "it": "IT", "fi": "FI"}.get(lang[0].lower())
    if country is None or postcode is None:
        return country
    if postcode.isdigit() and (
        (len(postcode) == 5 and country not in _FIVE_DIGITS)
        or (len(postcode) == 4 and country not in _FOUR_DIGITS)
    ):
        return None
    return country


def _segments(text: str) -> list[str]:
    out: list[str] = []
    for line in text.split("\n"):
        out.extend(s for s in _SEGMENT.split(line.strip()) if s)
    return out


def _from_text(
    text: str, page: Page, confidence: float, method: str, *, lenient: bool = False
) -> PostalAddressFact | None:
    """The first address in ``text``: a postcode line and the street part right before it."""
    segments = _segments(text)
    for i, segment in enumerate(segments):
        if len(segment) > 60:
            continue
        street = _street_before(segments, i)
        region = country = None
        m = _US_LINE.match(segment)
        if m:
            country = "US"
            region = m.group("region")
            city, postcode = m.group("city").strip(), m.group("postcode")
            if not street and i >= 2 and segments[i - 1] == city:
                street = _street_before(segments, i - 1)
        else:
            m = _EU_LINE.match(segment) or _UK_LINE.match(segment)
            if not m:
                # "San Francisco" then "CA 94105" as separate comma parts
                us = re.match(r"^(?P<region>[A-Z]{2})\s+(?P<postcode>\d{5}(?:-\d{4})?)$", segment)
                if not (us and i >= 1 and re.match(r"^[A-Z][A-Za-z.' -]{1,40}$", segments[i - 1])):
                    continue
                country, region, postcode = "US", us.group("region"), us.group("postcode")
                city = segments[i - 1]
                street = _street_before(segments, i - 1)
            else:
                city, postcode = m.group("city").strip(), m.group("postcode")
                if m.re is _UK_LINE:
                    country = "GB"
                elif re.fullmatch(r"\d{4}\s?[A-Z]{2}", postcode):
                    country = "NL"
                else:
                    prefix = m.groupdict().get("prefix")
                    country = {"D": "DE", "A": "AT", "CH": "CH", "F": "FR", "B": "BE", "L": "LU", "NL": "NL",
                               "E": "ES", "I": "IT"}.get(prefix or "")  # fmt: skip
        following = segments[i + 1] if i + 1 < len(segments) else ""
        stated = _COUNTRIES.get(following.lower().rstrip("."))
        country = stated or country or _page_country(page, postcode)
        # a four-digit number and a word decide nothing without a street or a known country
        if not street and not lenient and (len(postcode) < 5 or country is None):
            continue
        if country is None and not street:
            continue
        snippet = ", ".join(p for p in (street, f"{postcode} {city}") if p)
        return PostalAddressFact(
            street=street,
            postal_code=postcode,
            city=city,
            region=region,
            country=country,
            url=page.url,
            evidence=Evidence(method, snippet[:200]),
            confidence=confidence,
        )
    return None


_UNIT = re.compile(
    r"^(?:suite|ste\.?|unit|floor|fl\.?|apt\.?|#|bldg\.?|building|stock|etage|og|bâtiment|bat\.?)\b", re.I
)


def _street_before(segments: list[str], i: int) -> str | None:
    """The street part right before segment ``i``, with a unit part ("Suite 300") joined to it."""
    if i < 1:
        return None
    street = _street(segments[i - 1])
    if street and _UNIT.match(street) and i >= 2:
        before = _street(segments[i - 2])
        if before:
            return f"{before}, {street}"
    return street


def _street(segment: str) -> str | None:
    text = _LABEL.sub("", segment.strip()) if ":" in segment else segment.strip()
    if not _STREET.match(text) or _NOT_STREET.search(text):
        return None
    if re.fullmatch(r"[\d\s./-]+", text):
        return None
    return text
