"""Company enrichment facts on one page (head count, industry, location) and the bands they map to."""

# ruff: noqa: E501  (multilingual vocabulary regexes read better unwrapped than split mid-alternation)

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from itertools import pairwise
from typing import Any
from urllib.parse import urlsplit

from crawler.extract.blocks import SNIPPET_CHARS, sentence_around
from crawler.extract.facts import Evidence, FirmographicFact, PersonFact, PhoneFact
from crawler.extract.page import Page
from crawler.extract.prefilter import Prefiltered
from crawler.extract.structured import first_text, is_org_type, schema_types

__all__ = [
    "INDUSTRIES",
    "REVENUE_PER_EMPLOYEE",
    "SIZE_BANDS",
    "extract_firmographics",
    "revenue_band",
    "size_band",
]


def _bands(edges: tuple[float, ...], unit: Callable[[float], str]) -> tuple[tuple[Any, Any, str], ...]:
    """(lo, hi, label) per band between consecutive ``edges``, the last one open-ended ("5000+")."""
    bounds = [*pairwise(edges), (edges[-1], None)]
    return tuple(
        (lo, hi, f"{unit(lo)}-{unit(hi)}" if hi is not None else f"{unit(lo)}+") for lo, hi in bounds
    )


def _dollars(amount: float) -> str:
    for size, suffix in ((1e9, "B"), (1e6, "M")):
        if amount >= size:
            return f"${amount / size:g}{suffix}"
    return f"${amount:g}"


# Head-count bands, as the API writes them ("50-100", README.md "Enrichment"): a count n is in the
# band lo <= n < hi.
SIZE_BANDS: tuple[tuple[int, int | None, str], ...] = _bands((1, 10, 50, 100, 250, 500, 1000, 5000), str)
REVENUE_BANDS: tuple[tuple[float, float | None, str], ...] = _bands(
    (0, 1e6, 5e6, 10e6, 50e6, 100e6, 500e6, 1e9), _dollars
)

# The industry taxonomy: label -> words that show it (English, German, French). Documented in
# README.md; a page votes for the label with the most distinct words, a company for the label
# with the most votes over its pages.
INDUSTRIES: dict[str, re.Pattern[str]] = {
    label: re.compile(pattern, re.I)
    for label, pattern in {
        "SaaS": r"\bsaas\b|software[- ]as[- ]a[- ]service|\banalytics platform\b|\bcloud platform\b|"
        r"\bsubscription\b|\bdashboards?\b|\bfree trial\b|\bper (?:user|seat)\b",
        "Software & IT Services": r"\bsoftware development\b|\bIT services\b|\bIT-dienstleist\w*|\bmanaged services\b|"
        r"\bcybersecurity\b|\bweb development\b|\bapp development\b|\bdéveloppement logiciel\b|\bhosting\b",
        "Manufacturing & Industrial": r"\bmanufactur\w*|\bmachine tending\b|\bmaschinenbau\b|\bsondermaschinen\w*|"
        r"\bindustri(?:al|e|elle)\b|\bfactory\b|\bfertigung\w*|\brobot(?:s|ic|ics)?\b|\bcobots?\b|\bproduction line\b|"
        r"\bassembly\b|\bcnc\b|\bshop floor\b|\busine\b|\bwerkzeugmaschinen\b|\banlagenbau\b",
        "E-commerce & Retail": r"\bonline[- ]?shop\b|\badd to cart\b|\bfree shipping\b|\bretail\b|\bwarenkorb\b|"
        r"\bversandkostenfrei\b|\bboutique en ligne\b|\blivraison gratuite\b",
        "Marketing & Advertising": r"\bmarketing agency\b|\bdigital agency\b|\bseo\b|\badvertising\b|\bwerbeagentur\b|"
        r"\bagence (?:de communication|digitale|marketing)\b|\bbranding\b",
        "Financial Services": r"\bbanking\b|\binsurance\b|\bfintech\b|\bpayments?\b|\bwealth management\b|"
        r"\bversicherung\w*|\bassurance\b|\bbanque\b",
        "Healthcare": r"\bclinic\b|\bpatients?\b|\bhealthcare\b|\bmedical\b|\bklinik\b|\barztpraxis\b|\bsanté\b",
        "Education": r"\be-learning\b|\bonline courses\b|\buniversity\b|\bschool\b|\bweiterbildung\b|\bécole\b",
        "Real Estate & Construction": r"\breal estate\b|\bconstruction\b|\bimmobilien\b|\bbauunternehmen\b|"
        r"\bimmobilier\b|\bbâtiment\b",
        "Professional Services": r"\bconsulting\b|\blaw firm\b|\baccounting\b|\bberatung\b|\bsteuerberat\w*|"
        r"\bcabinet (?:d['’]avocats|comptable)\b|\bconseil\b",
        "Design & Architecture": r"\binterior design\w*|\barchitect\w*|\binnenarchitekt\w*|\barchitecte\b|"
        r"\bd(?:é|e)coration\b|\bagencement\b|\bdesign studio\b|\bmobilier\b|\bsur[- ]mesure\b",
        "Hospitality & Food": r"\brestaurant\b|\bhotel\b|\bcatering\b|\bcafé\b|\bgastronomie\b",
        "Logistics & Transportation": r"\blogistics\b|\bfreight\b|\bspedition\b|\bfulfilment\b|\btransport\w*",
        "Media & Entertainment": r"\bpublishing\b|\bmedia company\b|\bverlag\b|\bfilm production\b",
    }.items()
}


# a label whose words' literal starts are all absent from a page is not scanned for (see prefilter)
_INDUSTRY_FILTERS = {label: Prefiltered(pattern) for label, pattern in INDUSTRIES.items()}
# schema.org types that name an industry outright.
_TYPE_INDUSTRY = {
    "SoftwareApplication": "SaaS",
    "WebApplication": "SaaS",
    "OnlineStore": "E-commerce & Retail",
    "Store": "E-commerce & Retail",
    "FoodEstablishment": "Hospitality & Food",
    "Restaurant": "Hospitality & Food",
    "Hotel": "Hospitality & Food",
    "MedicalBusiness": "Healthcare",
    "MedicalClinic": "Healthcare",
    "Dentist": "Healthcare",
    "RealEstateAgent": "Real Estate & Construction",
    "HomeAndConstructionBusiness": "Real Estate & Construction",
    "GeneralContractor": "Real Estate & Construction",
    "LegalService": "Professional Services",
    "AccountingService": "Professional Services",
    "FinancialService": "Financial Services",
    "BankOrCreditUnion": "Financial Services",
    "InsuranceAgency": "Financial Services",
    "EducationalOrganization": "Education",
}
# Revenue per employee (USD) by industry, rough public averages for small and mid-size firms;
# revenue_estimate = band midpoint x this, always marked as an estimate.
REVENUE_PER_EMPLOYEE = {
    "SaaS": 180_000,
    "Software & IT Services": 150_000,
    "Manufacturing & Industrial": 220_000,
    "E-commerce & Retail": 250_000,
    "Marketing & Advertising": 120_000,
    "Financial Services": 250_000,
    "Healthcare": 120_000,
    "Education": 90_000,
    "Real Estate & Construction": 200_000,
    "Professional Services": 130_000,
    "Design & Architecture": 110_000,
    "Hospitality & Food": 70_000,
    "Logistics & Transportation": 180_000,
    "Media & Entertainment": 150_000,
}
DEFAULT_REVENUE_PER_EMPLOYEE = 150_000

_TEAM_SIZE = re.compile(
    r"\bteam of (?:about |around |over |more than )?(\d[\d,.]*)\b|"
    r"\b(\d[\d,.]*)\+?\s+(?:employees|staff|team members|people on (?:our|the) team)\b|"
    r"\b(\d[\d,.]*)\+?\s+(?:mitarbeiter(?:innen|:innen|\*innen)?|beschäftigte)\b|"
    r"\b(\d[\d,.]*)\s+(?:collaborateurs|collaboratrices|salariés|employés)\b|\béquipe de (\d[\d,.]*)\b",
    re.I,
)
_TEAM_PATH = re.compile(r"team|people|staff|leadership|equipe|équipe|ueber-uns|about", re.I)
_ADDRESS_PATH = re.compile(r"impressum|imprint|legal|mentions|contact|kontakt|about", re.I)
_US_ADDRESS = re.compile(r"\b([A-Z][A-Za-z.' -]{1,40}),\s*([A-Z]{2})\s+\d{5}(?:-\d{4})?\b")
_EU_ADDRESS = re.compile(r"\b(?:[A-Z]{1,2}-)?(\d{5})\s+([A-ZÀ-Þ][\wÀ-ÿ.'-]+(?:[ -][A-ZÀ-Þ][\wÀ-ÿ.'-]+)?)")
_TLD_COUNTRY = {
    "de": "DE",
    "fr": "FR",
    "at": "AT",
    "ch": "CH",
    "uk": "GB",
    "es": "ES",
    "it": "IT",
    "nl": "NL",
}


def size_band(count: int) -> str:
    """The head-count band of ``count`` people (``45`` -> ``"10-50"``)."""
    return _band_of(count, SIZE_BANDS) or SIZE_BANDS[0][2]


def revenue_band(size: str, industry: str | None) -> str:
    """A revenue band estimated from a size band and an industry (band midpoint x revenue/employee)."""
    lo, hi = next((lo, hi) for lo, hi, label in SIZE_BANDS if label == size)
    mid = (lo + (hi if hi is not None else lo * 2)) / 2
    revenue = mid * REVENUE_PER_EMPLOYEE.get(industry or "", DEFAULT_REVENUE_PER_EMPLOYEE)
    return _band_of(revenue, REVENUE_BANDS) or REVENUE_BANDS[-1][2]


def _band_of(value: float, bands: tuple[tuple[Any, Any, str], ...]) -> str | None:
    for lo, hi, label in bands:
        if value >= lo and (hi is None or value < hi):
            return label
    return None


def _int(value: Any) -> int | None:
    text = first_text(value)
    if text is None:
        return None
    digits = re.sub(r"[,.\s](?=\d{3}\b)", "", text)
    m = re.search(r"\d+", digits)
    return int(m.group(0)) if m else None


def _employees(node: dict[str, Any]) -> int | None:
    value = node.get("numberOfEmployees")
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        if value.get("value") is not None:
            return _int(value.get("value"))
        lo, hi = _int(value.get("minValue")), _int(value.get("maxValue"))
        if lo is not None and hi is not None:
            return (lo + hi) // 2
        return lo or hi
    return _int(value)


def _postal(node: dict[str, Any]) -> tuple[str | None, str | None]:
    address = node.get("address")
    if isinstance(address, list):
        address = address[0] if address else None
    if isinstance(address, str):
        return address.strip()[:100] or None, None
    if not isinstance(address, dict):
        return None, None
    city = first_text(address.get("addressLocality"))
    region = first_text(address.get("addressRegion"))
    country = first_text(address.get("addressCountry"))
    if country and len(country) > 2:
        country = {
            "united states": "US",
            "usa": "US",
            "germany": "DE",
            "deutschland": "DE",
            "france": "FR",
        }.get(country.lower(), country)
    place = ", ".join(p for p in (city, region if country == "US" else None) if p)
    if place and country and country != "US":
        place = f"{place}, {country}"
    return place or None, country


def extract_firmographics(
    page: Page, people: Sequence[PersonFact] = (), phones: Sequence[PhoneFact] = ()
) -> list[FirmographicFact]:
    """Enrichment facts of one page: ``employees`` (count), ``location`` (place), ``country``
    (ISO alpha-2) and ``industry`` (a taxonomy label; ``value`` is ``[label, distinct words]``).

    Confidence follows how direct the evidence is: schema.org ``numberOfEmployees``/``address``
    0.95, "team of 45" 0.8, an imprint or footer address 0.75, the people on a team page (a
    lower bound) 0.4, the country of the phone numbers 0.4.
    """
    url, out = page.url, []
    path = urlsplit(url).path.lower()
    for node in page.schema_nodes:
        types = schema_types(node)
        if not any(is_org_type(t) for t in types):
            continue
        count = _employees(node)
        if count:
            out.append(
                FirmographicFact(
                    "employees", count, url, Evidence("jsonld", f"numberOfEmployees: {count}"), 0.95
                )
            )
        place, country = _postal(node)
        if place:
            out.append(
                FirmographicFact("location", place, url, Evidence("jsonld", f"address: {place}"), 0.95)
            )
        if country:
            out.append(
                FirmographicFact(
                    "country", country, url, Evidence("jsonld", f"addressCountry: {country}"), 0.95
                )
            )
        for t in types:
            if t in _TYPE_INDUSTRY:
                label = _TYPE_INDUSTRY[t]
                out.append(
                    FirmographicFact("industry", [label, 5], url, Evidence("jsonld", f"@type {t}"), 0.9)
                )
    for _, text in page.blocks:
        m = _TEAM_SIZE.search(text)
        if m:
            count = _int(next(g for g in m.groups() if g))
            if count and 2 <= count <= 500_000:
                out.append(
                    FirmographicFact(
                        "employees",
                        count,
                        url,
                        Evidence("text", sentence_around(text, m.start(), m.end())),
                        0.8,
                    )
                )
                break
    if people and _TEAM_PATH.search(path):
        out.append(
            FirmographicFact(
                "team_headcount",
                len(people),
                url,
                Evidence("card", f"{len(people)} people on {path or '/'}"),
                0.4,
            )
        )
    out.extend(_text_address(page, path))
    if phones:
        regions = sorted({p.region for p in phones if p.region})
        if len(regions) == 1:
            out.append(
                FirmographicFact(
                    "country", regions[0], url, Evidence("tel", f"phone numbers from {regions[0]}"), 0.4
                )
            )
    industry = _industry(page)
    if industry:
        out.append(industry)
    return out


def _text_address(page: Page, path: str) -> list[FirmographicFact]:
    """A postal address in an <address> element, the footer or an imprint/contact page."""
    candidates = [page.element_text(el) for el in page.tree.iter("address")]
    if _ADDRESS_PATH.search(path):
        candidates.append(page.text)
    tld = page.host.rsplit(".", 1)[-1]
    for text in candidates:
        m = _US_ADDRESS.search(text)
        if m:
            return _address_facts(page, text, m, f"{m.group(1).strip()}, {m.group(2)}", "US")
        m = _EU_ADDRESS.search(text)
        country = _TLD_COUNTRY.get(tld) or {"de": "DE", "fr": "FR"}.get((page.lang or "")[:2].lower())
        if m and country:
            return _address_facts(page, text, m, f"{m.group(2).strip()}, {country}", country)
    return []


def _address_facts(
    page: Page, text: str, m: re.Match[str], place: str, country: str
) -> list[FirmographicFact]:
    snippet = sentence_around(text, m.start(), m.end())
    return [
        FirmographicFact("location", place, page.url, Evidence("address", snippet), 0.75),
        FirmographicFact("country", country, page.url, Evidence("address", m.group(0)), 0.6),
    ]


def _industry(page: Page) -> FirmographicFact | None:
    head = " ".join(
        filter(
            None,
            [page.tree.findtext(".//title") or "", *(m.get("content") or "" for m in page.tree.iter("meta"))],
        )
    )
    text = f"{head}\n{page.text}"
    folded = f"{head.casefold()}\n{page.folded_text}"
    best: tuple[int, str, str] | None = None
    for label, pattern in INDUSTRIES.items():
        if not _INDUSTRY_FILTERS[label].possible(folded):
            continue
        words = {m.group(0).lower() for m in pattern.finditer(text)}
        if len(words) >= 2 and (best is None or len(words) > best[0]):
            best = (len(words), label, ", ".join(sorted(words))[:SNIPPET_CHARS])
    if best is None:
        return None
    hits, label, matched = best
    return FirmographicFact(
        "industry",
        [label, hits],
        page.url,
        Evidence("keywords", matched),
        round(min(0.8, 0.4 + 0.1 * hits), 2),
    )
