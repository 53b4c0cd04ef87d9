"""The region a page's national phone numbers are written for, and the parts of a ``tel:`` href."""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

import phonenumbers
from phonenumbers import NumberParseException

from crawler.extract.structured import STRUCTURED_SYNTAXES, property_values

if TYPE_CHECKING:
    from crawler.extract.page import Page

__all__ = ["TEL_PREFIX_RE", "page_region", "supported_region", "tel_number"]

_SUPPORTED = frozenset(phonenumbers.SUPPORTED_REGIONS)

# Languages spoken mainly in one country. Plain "en" (and "ar") decides nothing; "es" and "pt" default
# to Spain and Portugal, and a region subtag (es-MX, pt-BR) overrides the language.
_LANG_REGION = {
    "de": "DE", "fr": "FR", "nl": "NL", "es": "ES", "it": "IT", "pt": "PT", "pl": "PL", "cs": "CZ",
    "sk": "SK", "da": "DK", "sv": "SE", "nb": "NO", "nn": "NO", "no": "NO", "fi": "FI", "el": "GR",
    "hu": "HU", "ro": "RO", "bg": "BG", "hr": "HR", "sl": "SI", "et": "EE", "lv": "LV", "lt": "LT",
    "ja": "JP", "ko": "KR", "zh": "CN", "tr": "TR", "ru": "RU", "uk": "UA", "he": "IL", "iw": "IL",
    "is": "IS", "ga": "IE", "ca": "ES", "eu": "ES", "gl": "ES", "lb": "LU", "mt": "MT", "th": "TH",
    "vi": "VN", "id": "ID", "ms": "MY", "ka": "GE", "hy": "AM", "sr": "RS", "mk": "MK", "sq": "AL",
    "be": "BY", "kk": "KZ", "fa": "IR",
}  # fmt: skip
# Country-code TLDs sold as generic names: they say nothing about where the company is.
_GENERIC_CCTLDS = frozenset(
    {
        "io", "co", "me", "tv", "ai", "cc", "ws", "fm", "am", "gg", "ly", "to", "sh", "so", "la", "nu",
        "tk", "ml", "ga", "cf", "gq", "ac", "vc", "bz", "gs", "ms", "mu", "re", "st", "tc", "vg", "im",
        "xyz",
    }
)  # fmt: skip
_TLD_REGION = {"uk": "GB", "gb": "GB", "su": "RU"}
_COUNTRY_NAMES = {
    "germany": "DE", "deutschland": "DE", "austria": "AT", "österreich": "AT", "oesterreich": "AT",
    "switzerland": "CH", "schweiz": "CH", "suisse": "CH", "svizzera": "CH", "france": "FR",
    "united kingdom": "GB", "uk": "GB", "great britain": "GB", "england": "GB", "scotland": "GB",
    "wales": "GB", "northern ireland": "GB", "united states": "US", "united states of america": "US",
    "usa": "US", "u.s.a.": "US", "u.s.": "US", "america": "US", "canada": "CA", "australia": "AU",
    "new zealand": "NZ", "ireland": "IE", "netherlands": "NL", "the netherlands": "NL", "nederland": "NL",
    "holland": "NL", "belgium": "BE", "belgië": "BE", "belgique": "BE", "luxembourg": "LU", "spain": "ES",
    "españa": "ES", "espana": "ES", "italy": "IT", "italia": "IT", "portugal": "PT", "poland": "PL",
    "polska": "PL", "czech republic": "CZ", "czechia": "CZ", "denmark": "DK", "danmark": "DK",
    "sweden": "SE", "sverige": "SE", "norway": "NO", "norge": "NO", "finland": "FI", "suomi": "FI",
    "greece": "GR", "hungary": "HU", "romania": "RO", "india": "IN", "japan": "JP", "china": "CN",
    "singapore": "SG", "south africa": "ZA", "brazil": "BR", "brasil": "BR", "mexico": "MX",
    "méxico": "MX", "israel": "IL", "turkey": "TR", "türkiye": "TR", "united arab emirates": "AE",
    "uae": "AE", "south korea": "KR", "korea": "KR", "russia": "RU", "ukraine": "UA", "argentina": "AR",
    "chile": "CL", "colombia": "CO",
}  # fmt: skip
_ALPHA3 = {
    "DEU": "DE", "AUT": "AT", "CHE": "CH", "FRA": "FR", "GBR": "GB", "USA": "US", "CAN": "CA",
    "AUS": "AU", "NZL": "NZ", "IRL": "IE", "NLD": "NL", "BEL": "BE", "LUX": "LU", "ESP": "ES",
    "ITA": "IT", "PRT": "PT", "POL": "PL", "CZE": "CZ", "DNK": "DK", "SWE": "SE", "NOR": "NO",
    "FIN": "FI", "IND": "IN", "JPN": "JP", "CHN": "CN", "SGP": "SG", "ZAF": "ZA", "BRA": "BR",
    "MEX": "MX", "ISR": "IL",
}  # fmt: skip
TEL_PREFIX_RE = re.compile(r"^\s*(?:tel|callto|phone|sip)\s*:\s*(?://)?", re.I)


def supported_region(region: str | None) -> str | None:
    """``region`` upper-cased (UK -> GB) if phonenumbers knows it, else None."""
    if not region:
        return None
    region = region.upper()
    region = "GB" if region == "UK" else region
    return region if region in _SUPPORTED else None


# A letter O standing among digits ("tel:+1-415-555-O1OO") is a typo for a zero; in a word of
# letters ("tel:1-800-FLOWERS") it is a vanity letter, which phonenumbers maps to its key.
_LETTER_O_RE = re.compile(r"(?<![A-Za-z])[Oo]+(?![A-Za-z])")


def tel_number(href: str) -> str:
    """The number part of a tel:/callto: href, percent-decoded and without URI parameters."""
    value = TEL_PREFIX_RE.sub("", unquote(href), count=1)
    value = re.split(r"[;?]", value, maxsplit=1)[0].strip()
    if "o" in value or "O" in value:
        value = _LETTER_O_RE.sub(lambda m: "0" * len(m.group()), value)
    return value


def _region_from_tel_links(page: Page) -> str | None:
    counts: Counter[str] = Counter()
    for a in page.tree.iter("a"):
        href = a.get("href")
        if not href or not TEL_PREFIX_RE.match(href):
            continue
        value = tel_number(href)
        if value.startswith("00"):
            value = "+" + value[2:]
        if not value.startswith("+"):
            continue
        try:
            number = phonenumbers.parse(value, None)
        except NumberParseException:
            continue
        region = supported_region(phonenumbers.region_code_for_number(number))
        if region and phonenumbers.is_valid_number(number):
            counts[region] += 1
    # most_common keeps first-seen order among equal counts
    return counts.most_common(1)[0][0] if counts else None


def _region_from_lang(lang: str | None) -> str | None:
    if not lang:
        return None
    tags = lang.replace("_", "-").split("-")
    primary = tags[0].lower()
    for sub in tags[1:]:
        if len(sub) == 2 and sub.isalpha():
            return supported_region(sub)
        if len(sub) == 3 and sub.isdigit():
            return None  # es-419 and friends: a multi-country area decides nothing
    return _LANG_REGION.get(primary)


def _region_from_host(host: str) -> str | None:
    tld = host.rstrip(".").rsplit(".", 1)[-1].lower()
    if tld in _TLD_REGION:
        return _TLD_REGION[tld]
    if len(tld) != 2 or not tld.isalpha() or tld in _GENERIC_CCTLDS:
        return None
    return supported_region(tld)


def _country_code(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("name") or value.get("@id") or value.get("identifier")
    if isinstance(value, list):
        value = value[0] if value else None
    if not isinstance(value, str):
        return None
    value = value.strip()
    if len(value) == 2 and value.isalpha():
        return supported_region(value)
    if len(value) == 3 and value.isalpha() and value.upper() in _ALPHA3:
        return _ALPHA3[value.upper()]
    return supported_region(_COUNTRY_NAMES.get(value.lower().rstrip(".")))


def _region_from_structured(page: Page) -> str | None:
    if "addressCountry" not in page.html:  # skip building structured data when it cannot help
        return None
    structured = page.structured
    for syntax in STRUCTURED_SYNTAXES:
        for value in property_values(structured.get(syntax) or [], "addressCountry"):
            region = _country_code(value)
            if region:
                return region
    return None


def page_region(page: Page) -> str:
    """The region national numbers on ``page`` are written for (ISO 3166 alpha-2).

    Precedence: the country of ``tel:`` links written in international form, the ``<html lang>``
    region (or a language spoken in one country), the host's country-code TLD, a schema.org
    ``addressCountry``, and finally ``page.default_region``. ``Page.region`` holds it per page.
    """
    return (
        _region_from_tel_links(page)
        or _region_from_lang(page.lang)
        or _region_from_host(page.host)
        or _region_from_structured(page)
        or supported_region(page.default_region)
        or "US"
    )
