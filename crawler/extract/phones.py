"""Phone extraction: tel: links, numbers a human reads in the text, and schema.org telephone values.

Rules (the fixtures in ``tests/fixtures/extract/phone_*`` pin them down):

* Order: document order of first sighting in the visible page (a ``tel:`` link counts from where
  its element starts and beats the text it wraps); numbers seen only in JSON-LD, microdata or RDFa
  ``telephone`` values follow. Deduplicated by E.164, keeping the first sighting's evidence.
* National numbers are parsed for ``page_region(page)``; ``+``/``00`` numbers for their own country.
* Text matches need ``phonenumbers`` VALID leniency and must stand alone: no letter or digit glued
  to either side, not part of a date, year range, price, postcode, written URL or email, and not
  directly after an identifier label (VAT, HRB, Reg. No., order, ISBN, IBAN ...). A bare run of
  digits with no separators and no ``+`` counts only after a phone label ("Tel", "Call" ...).
* Fax numbers are skipped: a number whose nearest phone/fax label is ``Fax``/``Telefax``/``F:``
  (on its line, or a label-only line just above it, or the link's class/title), or that is followed
  by "(Fax)". "Tel./Fax" numbers are kept: they are phones too.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from functools import lru_cache
from typing import Any
from urllib.parse import unquote

import phonenumbers
from phonenumbers import Leniency, NumberParseException, PhoneNumberFormat, PhoneNumberMatcher

from crawler.extract.deobfuscate import (
    FAX_ATTRIBUTE_RE,
    FAX_LABEL_ONLY_RE,
    TRAILING_FAX_RE,
    NumberLabel,
    label_kind,
)
from crawler.extract.facts import Evidence, PhoneFact
from crawler.extract.page import Page
from crawler.extract.region import TEL_PREFIX_RE, supported_region, tel_number
from crawler.extract.structured import property_strings
from crawler.extract.text import VisibleText

__all__ = ["extract_phones", "normalize_phone"]

# --------------------------------------------------------------------------------------------
# Normalization


def normalize_phone(raw: str, region: str) -> tuple[str, str, str] | None:
    """(E.164, national format, region) for a valid number written for ``region``, else None."""
    if not raw:
        return None
    value = tel_number(raw) if TEL_PREFIX_RE.match(raw) else unquote(raw).strip()
    return _normalize_value(value, region)


# Memoized on the number as written: the phone and the people extractor both normalize a page's
# tel: hrefs, and the same number in its text and structured data ("tel:+4989...", "+4989...").
@lru_cache(maxsize=4096)
def _normalize_value(value: str, region: str) -> tuple[str, str, str] | None:
    digits = sum(c.isdigit() for c in value)
    if digits < 5 or digits > 20 or _DATE_RE.fullmatch(value) or _YEAR_RANGE_RE.fullmatch(value):
        return None
    region = supported_region(region) or "ZZ"
    attempts = [value]
    if value.startswith("00"):
        attempts.append("+" + value[2:])
    for attempt in attempts:
        try:
            number = phonenumbers.parse(attempt, region)
        except NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return _formatted(number)
    return None


# Formatting costs tens of microseconds a number, and a site's numbers come back on each of its
# pages. PhoneNumber is mutable (unhashable), so results are keyed by its complete state.
_FORMATTED: dict[tuple[Any, ...], tuple[str, str, str]] = {}
_FORMATTED_MAX = 8192


def _formatted(number: phonenumbers.PhoneNumber) -> tuple[str, str, str]:
    key = (
        number.country_code,
        number.national_number,
        number.extension,
        number.italian_leading_zero,
        number.number_of_leading_zeros,
        number.raw_input,
        number.country_code_source,
        number.preferred_domestic_carrier_code,
    )
    result = _FORMATTED.get(key)
    if result is None:
        if len(_FORMATTED) >= _FORMATTED_MAX:
            _FORMATTED.clear()
        result = _FORMATTED[key] = (
            phonenumbers.format_number(number, PhoneNumberFormat.E164),
            phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL),
            phonenumbers.region_code_for_number(number) or "ZZ",
        )
    return result


# --------------------------------------------------------------------------------------------
# Text matching

# Identifier labels: they disqualify a number only when nothing but "No."-like filler separates them.
_ID_LABEL_RE = re.compile(
    r"""(?ix)
    (?:\b(?:vat|ust|uid|hrb|hra|reg|regist\w*|order\w*|bestell\w*|auftrag\w*|invoice\w*|rechnung\w*
        |kunden\w*|customer|client|isbn|issn|ean|gtin|sku|art(?:ikel)?|item|ref|reference|siret|siren
        |rcs|kvk|btw|iban|bic|swift|account|konto\w*|blz|company|firmenbuch\w*|handelsregister\w*
        |amtsgericht|registergericht|cvr|nif|cif|iva|tax|steuer\w*|umsatzsteuer\w*|ein|license|lizenz
        |tracking|ticket|case|serial|model|version|zip|plz|postcode|postal|id|abn|acn|gst|crn|nipc
        |utr|duns|sort\s+code|routing|policy|contract|vertrag\w*|patent|lot|batch|charge)
    )[\s.:#№°\-–/]*(?:(?:no|nr|num|number|nummer|n°|\#)[\s.:#\-]*)?(?:[A-Z]{2}\s?)?$
    """
)
_DATE_RE = re.compile(r"\d{1,4}([./\-])\d{1,2}\1\d{1,4}")
_YEAR_RANGE_RE = re.compile(r"(?:19|20)\d\d\s*[\-–—/]\s*(?:19|20)?\d\d")
_CURRENCY_RE = re.compile(r"(?i)[€$£¥₹]|\b(?:eur|usd|gbp|chf|sek|nok|dkk|pln|aud|cad)\b")
_URLISH_RE = re.compile(
    r"(?i)(?:https?://|ftp://|www\.)\S+|[\w.+\-]+@[\w\-.]+|\b[\w\-]+(?:\.[\w\-]+)*\.[a-z]{2,}/\S*"
)
_BEFORE_DIGITS_RE = re.compile(r"[^\d+(]*")
# Tokens that are certainly not phone numbers, blanked (offsets kept) before the matcher runs:
# phonenumbers spends ~0.3 ms on every candidate, and shop pages are full of prices and dates.
_NOT_PHONE_RE = re.compile(
    r"(?<![\d./\-])(?<!\d )(?:"
    r"\d{4}([./\-])\d{1,2}\1\d{1,2}|\d{1,2}([./\-])\d{1,2}\2(?:\d{4}|\d{2})"  # dates
    r"|(?:19|20)\d\d\s?[\-–—/]\s?(?:19|20)\d\d"  # year ranges
    r")(?![\d]|[./\-]\d)"
    # prices. Spaces group thousands only after the euro and the franc ("€ 1 250"), and only where
    # no phone separator follows the group: "$20 415-666-7777" is a price, then a number.
    r"|(?:[$£¥]|\b(?:USD|GBP)\b)\s?\d{1,3}(?:[.,']\d{3})*(?:[.,]\d{1,2})?(?!\d)"
    r"|(?:€|\b(?:EUR|CHF)\b)\s?\d{1,3}(?:[.,']\d{3}|\ \d{3}(?![\d\-./()–]))*(?:[.,]\d{1,2})?(?!\d)"
    r"|(?<![\d.,])\d{1,3}(?:[.,' ]\d{3})*(?:[.,]\d{1,2})?\s?(?:€|\bEUR\b|\bUSD\b|£|\bGBP\b|\bCHF\b)"
    r"|[#№]\s?\d[\d\-]*"  # order numbers, "#1047823"
    # two or more decimals in a row: figures in a table cell ("12.1 - 23.71 - 23.45"); a dotted
    # phone number has more than one dot in a group, or groups without one
    r"|(?<![\d.])\d{1,6}\.\d{1,6}(?!\.?\d)(?:(?:\s*[\-–—/|;]\s*|\s+)\d{1,6}\.\d{1,6}(?!\.?\d))+"
)
# Candidates the matcher may try per line: plenty for a line of real numbers, and a cap on the
# time one pathological line (a table of digits flattened into text) can take.
_MAX_TRIES = 256
# Six digits with short separators between them: a line without this holds no phone number.
_DIGIT_RUN_RE = re.compile(r"\d(?:[\s().\-/–]{0,3}\d){5}")
# A full stop between digit groups ends a sentence ("Tel. 089 1234567. 80331 München"): no number
# runs across it. Written as ";", which the matcher never takes into a number (the same length).
_SENTENCE_STOP_RE = re.compile(r"(?<=\d)\.(?=[ \t]+\d)")
# "00" opening a number: the international prefix of most of the world, which names the country
# ("0044 20 7946 0958") whatever the page's region.
_NEXT_DIGIT_RE = re.compile(r"[ \t]?\d")
_DOUBLE_ZERO_RE = re.compile(r"(?<![\d+])00(?=[1-9])")
# Scripts written without spaces between words: a label or a word in one is not glued to the
# number it runs into ("联系电话010-12345678", "電話03-1234-5678").
_UNSPACED_SCRIPT_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


@lru_cache(maxsize=512)
def _double_zero_is_local(region: str) -> bool:
    """True if the region dials abroad with "00" (DE, GB, CN, ...) or with a prefix that "00" opens
    (AU's "0011", SG's "008"): the matcher reads such numbers as they are written there."""
    meta = phonenumbers.PhoneMetadata.metadata_for_region(region, None)
    prefix = meta.international_prefix if meta is not None else None
    if not prefix:
        return False
    pattern = re.compile(f"(?:{prefix})")
    return any(pattern.match(f"00{tail}") for tail in ("", *map(str, range(100))))


def _blank(m: re.Match[str]) -> str:
    return " " * len(m.group())


def _previous_line_label(text: str, line_start: int) -> NumberLabel | None:
    """A label-only line right above (<dt>Fax</dt><dd>number</dd>, table cells)."""
    end = line_start - 1
    prev = ""
    for _ in range(4):  # blank lines between block elements do not count
        if end <= 0:
            return None
        start = text.rfind("\n", 0, end) + 1
        prev = text[start:end].strip()
        if prev:
            break
        end = start - 1
    if not prev or len(prev) > 30:
        return None
    if FAX_LABEL_ONLY_RE.fullmatch(prev):
        return NumberLabel.FAX
    return label_kind(prev) if prev else None


def _glued(line: str, start: int, end: int) -> bool:
    """True if the match is part of a bigger token (letters/digits attached, 12.34.5678-90)."""
    before = line[start - 1] if start > 0 else ""
    before2 = line[start - 2] if start > 1 else ""
    after = line[end] if end < len(line) else ""
    after2 = line[end + 1] if end + 1 < len(line) else ""
    if (
        before
        and (before.isalnum() or before in "#№_@")
        and not _UNSPACED_SCRIPT_RE.match(before)
        and not (before.isalpha() and line[start] in "+(")  # "call me at+1 650 ...", "Tel(089) ..."
    ):
        return True
    if before and before in "-/.,:" and (before2.isdigit() or (before in "-/" and before2.isalpha())):
        return True
    if after and (after.isalnum() or after in "%°_@") and not _UNSPACED_SCRIPT_RE.match(after):
        return True
    if after == "/" and after2 in "xX" and line[end + 2 : end + 3].isdigit():
        return False  # an extension: "650-333-6000/x12"
    return bool(after and after in "-/.,:" and (after2.isdigit() or (after in "-/" and after2.isalpha())))


def _split_at_markup(vt: VisibleText, line: str, line_start: int) -> str:
    """``line`` with a letter blanked wherever it meets a digit across markup: another element's
    text written flush against a number ("<span>+1 415 555 0100</span><span>eva@...</span>",
    "<b>Tel</b>415-555-0100") is not glued to it. Digits meeting digits stay joined: an
    obfuscated number is split by markup on purpose."""
    chunks = vt.chunk_starts
    i = bisect_right(chunks, line_start)
    n = len(line)
    chars: list[str] | None = None
    while i < len(chunks) and chunks[i] < line_start + n:
        pos = chunks[i] - line_start
        i += 1
        left, right = line[pos - 1], line[pos]
        if left.isdigit() and right.isalpha():
            chars = chars or list(line)
            chars[pos] = " "
        elif left.isalpha() and right.isdigit():
            chars = chars or list(line)
            chars[pos - 1] = " "
    return "".join(chars) if chars else line


@lru_cache(maxsize=4096)
def _line_matches(line: str, region: str) -> tuple[tuple[int, int, str, phonenumbers.PhoneNumber], ...]:
    """(start, end, raw string, number) of PhoneNumberMatcher's finds in a masked line.

    Memoized: the matcher costs ~0.3 ms a candidate, and a site's footer line ("Tel. +49 ...")
    comes back on each of its pages. The numbers are shared between callers: read them only.
    """
    return tuple(
        (m.start, m.end, m.raw_string, m.number)
        for m in PhoneNumberMatcher(line, region, leniency=Leniency.VALID, max_tries=_MAX_TRIES)
    )


def _text_numbers(vt: VisibleText, region: str) -> Iterator[tuple[int, int, phonenumbers.PhoneNumber]]:
    """(start, end, number) for each phone number a human would read in the visible text."""
    text = vt.text
    pos = 0
    for line in text.split("\n"):
        line_start = pos
        pos += len(line) + 1
        if not _DIGIT_RUN_RE.search(line):
            continue
        masked = labels = _NOT_PHONE_RE.sub(_blank, line)
        if len(vt.chunk_starts) > 1:
            masked = _split_at_markup(vt, masked, line_start)  # labels keep their last letter
        if "/" in line or "@" in line or "www." in line:
            masked = _URLISH_RE.sub(_blank, masked)
        if not _DIGIT_RUN_RE.search(masked):
            continue
        if "00" in masked and not _double_zero_is_local(region):
            masked = _DOUBLE_ZERO_RE.sub(" +", masked)  # the same length: offsets hold
        if ". " in masked or ".\t" in masked:
            masked = _SENTENCE_STOP_RE.sub(";", masked)
        written, line = line, masked  # checks below see blanks where junk was: nothing glues to a blank
        matches = _line_matches(line, region)
        starts = {m[0] for m in matches}
        prev_end = 0
        for start, end, raw, number in matches:
            context = labels[prev_end:start]
            prev_end = end
            if _glued(line, start, end):
                continue
            follow = _NEXT_DIGIT_RE.match(written, end)
            if follow and follow.end() - 1 not in starts:
                continue  # the head of a longer run of digits the matcher refused ("02-36618 300%")
            if _DATE_RE.fullmatch(raw) or _YEAR_RANGE_RE.fullmatch(raw):
                continue
            if _CURRENCY_RE.search(line[max(0, start - 5) : start]) or _CURRENCY_RE.search(
                line[end : end + 5]
            ):
                continue
            if _ID_LABEL_RE.search(context[-40:]):
                continue
            kind = label_kind(context[-60:])
            if kind is None and not context.strip(" :|·•-–,;()"):
                kind = _previous_line_label(text, line_start)
            if kind is NumberLabel.FAX or TRAILING_FAX_RE.match(line[end : end + 12]):
                continue
            if kind is None and raw.isdigit():
                continue  # an unformatted digit run with no phone label is more likely an id
            yield line_start + start, line_start + end, number


def _anchor_is_fax(vt: VisibleText, start: int, end: int, el: Any) -> bool:
    text = vt.text
    line_start, _ = vt.line_bounds(start)
    context = text[max(line_start, start - 60) : start]
    own_label = _BEFORE_DIGITS_RE.match(text, start, end)  # "Fax: " inside the link itself
    kind = label_kind(context + " " + (own_label.group() if own_label else ""))
    if kind is None and not context.strip(" :|·•-–,;()"):
        kind = _previous_line_label(text, line_start)
    if kind is NumberLabel.FAX or TRAILING_FAX_RE.match(text[end : end + 12]):
        return True
    parent = el.getparent()
    for node in (el, parent):
        if node is None:
            continue
        attrs = " ".join(
            filter(None, (node.get("class"), node.get("id"), node.get("title"), node.get("aria-label")))
        )
        if attrs and FAX_ATTRIBUTE_RE.search(attrs):
            return True
    return False


# --------------------------------------------------------------------------------------------


def extract_phones(page: Page) -> list[PhoneFact]:
    """Phone numbers on ``page`` (fax numbers skipped), deduplicated by E.164, first sighting first."""
    region = page.region
    vt = page.visible

    # (offset, priority, (e164, national, region), method, snippet)
    found: list[tuple[int, int, tuple[str, str, str], str, str]] = []
    fax_spans: list[tuple[int, int]] = []  # the text of a fax link is a fax number too
    for anchor in vt.anchors:
        href = anchor.el.get("href") or ""
        if not TEL_PREFIX_RE.match(href):
            continue
        if _anchor_is_fax(vt, anchor.start, anchor.end, anchor.el):
            fax_spans.append((anchor.start, anchor.end))
            continue
        parsed = normalize_phone(href, region)
        if parsed:
            found.append((anchor.start, 0, parsed, "tel", href.strip()[:200]))
    for start, end, number in _text_numbers(vt, region):
        if any(s <= start < e for s, e in fax_spans):
            continue
        found.append((start, 1, _formatted(number), "text", vt.snippet(start, end)))
    found.sort(key=lambda f: (f[0], f[1]))

    facts: list[PhoneFact] = []
    seen: set[str] = set()

    def keep(parsed: tuple[str, str, str], method: str, snippet: str) -> None:
        e164, national, number_region = parsed
        if e164 not in seen:
            seen.add(e164)
            facts.append(PhoneFact(e164, national, number_region, Evidence(method, snippet[:200] or e164)))

    for _, _, parsed, method, snippet in found:
        keep(parsed, method, snippet)

    if "telephone" in page.html:  # structured data is costly to build; skip it when it cannot help
        structured = page.structured
        for syntax, method in (("json-ld", "jsonld"), ("microdata", "microdata")):
            for value in property_strings(structured.get(syntax) or [], "telephone"):
                parsed = normalize_phone(value, region)
                if parsed:
                    keep(parsed, method, f'"telephone": "{value}"')
    return facts
