"""Email extraction: mailto links, visible text, de-obfuscation, Cloudflare cfemail and structured data.

Rules (the fixtures in ``tests/fixtures/extract/email_*`` pin them down):

* Order: addresses come in document order of their first sighting in the visible page (a link
  counts from where its element starts; at the same spot a link beats the text it wraps). Addresses
  seen only in non-visible sources (``<meta content>``, JSON-LD, microdata, RDFa) follow, in that
  order. Each address is kept once, with the evidence of its first sighting.
* ``method``: ``mailto`` for ``<a href="mailto:...">``; ``text`` for an address written plainly in
  the visible text or in a ``data-*mail*`` attribute or ``<meta content>``; ``obfuscated`` for
  anything a human or the browser has to undo: ``[at]``/``(at)``/``{at}``/`` at ``/``(ät)``/
  ``[dot]`` spellings, an address interrupted by markup (``john<span>@</span>acme.com``,
  ``john<!-- x -->@acme.com``, hidden decoy spans), text reversed with CSS
  ``unicode-bidi: bidi-override; direction: rtl``, ``data-user``/``data-domain`` pairs, and mailto
  hrefs whose address part is percent-encoded (``mailto:%20john%40acme.com``; percent-escapes only
  in ``?subject=`` keep ``mailto``); ``cfemail`` for Cloudflare ``data-cfemail`` and
  ``/cdn-cgi/l/email-protection#HEX``; ``jsonld``/``microdata`` for structured data.
* HTML entities (``&#64;``, ``&#x40;``, ``&commat;``) are decoded by the HTML parser before any
  extractor sees the page, so an entity-encoded address counts as what it decodes to: ``text`` in
  the text, ``mailto`` in an href. We do not re-read the raw markup to tell them apart.
* Scripts, styles, ``<head>``, elements with the ``hidden`` attribute and inline elements styled
  ``display:none``/``visibility:hidden`` (decoy spans, honeypot links) are not read.
* ``normalize_email`` is the single gate: it rejects what email-validator rejects, asset names
  (``logo@2x.png``), package versions (``lodash@4.17.21``), unknown top-level domains, placeholder
  domains and mailboxes (``example.com``, ``yourname@``), tracking ids (Sentry DSNs, long hex
  locals) and non-contact mailboxes (``noreply``, ``no-reply``, ``donotreply``, ``mailer-daemon``,
  ``postmaster``), so those never appear in extraction results either.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from functools import lru_cache
from urllib.parse import parse_qsl, unquote

from email_validator import EmailNotValidError, validate_email

from crawler.extract.deobfuscate import (
    AT_BRACKET,
    AT_HINT_RE,
    AT_WORD,
    DOT_BRACKET,
    DOT_SPELLING_RE,
    DOT_WORD,
    cf_decode,
    cf_href_decode,
)
from crawler.extract.facts import EmailFact, Evidence
from crawler.extract.mailboxes import is_tld, junk_reason
from crawler.extract.page import Page
from crawler.extract.structured import property_strings
from crawler.extract.text import VisibleText

__all__ = ["extract_emails", "normalize_email"]

# --------------------------------------------------------------------------------------------
# Normalization: the one gate every extracted address passes.

_STRIP_CHARS = " \t\r\n\u00a0<>()[]{}\"'`,;:*|"
_TRAIL_PUNCT = ".!?…"


@lru_cache(maxsize=16384)
def _normalize_cached(raw: str) -> str | None:
    return _normalize(raw, False)


def _normalize(raw: str, check_deliverability: bool) -> str | None:
    s = raw.strip()
    if s[:7].lower() == "mailto:":
        s = s[7:].split("?", 1)[0]
    if "%" in s:
        s = unquote(s)
    if "<" in s and ">" in s:  # "John Doe <john@acme.com>"
        s = s[s.rfind("<") + 1 : s.rfind(">")] if s.rfind("<") < s.rfind(">") else s
    s = s.strip(_STRIP_CHARS).rstrip(_TRAIL_PUNCT).strip(_STRIP_CHARS)
    if s.count("@") != 1 or len(s) > 254:
        return None
    local, domain = s.split("@")
    domain = domain.rstrip(".-")
    if not local or "." not in domain:
        return None
    if junk_reason(local.lower(), domain.lower()):
        return None
    try:
        result = validate_email(f"{local}@{domain}", check_deliverability=check_deliverability)
    except (EmailNotValidError, UnicodeError, ValueError):
        return None
    email = result.normalized.lower()
    n_local, _, n_domain = email.rpartition("@")
    if junk_reason(n_local, n_domain):  # the validator may have rewritten the domain (IDNA)
        return None
    return email


def normalize_email(raw: str, *, check_deliverability: bool = False) -> str | None:
    """Validate and normalize one address (lower-cased); None when it is invalid or not a contact.

    Accepts ``mailto:`` prefixes, ``Name <addr>`` forms, percent-encoding and surrounding
    punctuation. With ``check_deliverability`` the domain's DNS is consulted (network!).
    """
    if not raw or ("@" not in raw and "%40" not in raw.lower()):
        return None
    if check_deliverability:
        return _normalize(raw, True)
    return _normalize_cached(raw)


# --------------------------------------------------------------------------------------------
# Patterns

# A plain address. The local part is possessive (no backtracking); the domain's last label is
# checked against the real TLD list afterwards, so "acme.com.Next" can be trimmed.
# An apostrophe counts inside a local part only between word characters (O'Brien@, d'Arcy@): a
# quote mark around an address, or "l'" in prose before one, is not part of it.
_EMAIL_RE = re.compile(
    r"(?<![\w.+\-])(?<!\w')[\w.+\-]++(?:'[\w.+\-]++)*+@(?:[^\W_](?:[\w\-]*[^\W_])?\.)+[^\W_][\w\-]*"
)
_HAS_LETTER_RE = re.compile(r"[^\W\d_]")
# A bracketed dot right after a plain match ("john@my.site(dot)eu"): the match is the head of an
# obfuscated address, which the obfuscation scan reports whole.
_DOT_BRACKET_RE = re.compile(DOT_BRACKET)

_DOT_ANY = rf"(?:{DOT_BRACKET}|{DOT_WORD}|\s\.\s|\.)"
_ATOM = r"[\w+\-]++(?:'[\w+\-]++)*+"
_LABEL = r"[^\W_](?:[\w\-]*[^\W_])?"
# Local part and domain are atomic groups and the "at" tail is optional, so every chain of words
# is consumed once: a failed chain ("a dot b dot c ..." with no "at") costs linear time instead of
# being retried from each of its words.
_OBF_RE = re.compile(
    rf"(?<![\w.+\-@])(?<!\w')(?P<local>(?>{_ATOM}(?:{_DOT_ANY}{_ATOM})*))"
    rf"(?:(?P<at>{AT_BRACKET}|{AT_WORD}|\s+@\s+|@)"
    rf"(?P<domain>(?>{_LABEL}(?:{_DOT_ANY}{_LABEL})+)))?"
)
# A character no match of _OBF_RE holds: the scan after one is a fresh scan started behind it.
_OBF_BREAK_RE = re.compile(r"[^\w\s+\-.@'\[\](){}<>]")
_MAIL_LABEL_RE = re.compile(r"(?i)\b(?:e-?mail|mail|courriel|correo|kontakt|contact)\b")
# Words that stand before a spelled-out " at " in prose ("find us at acme.com").
_PROSE_WORDS = frozenset(
    {
        "us", "me", "him", "her", "them", "it", "you", "we", "i", "they", "one", "available", "located",
        "based", "find", "visit", "online", "here", "there", "now", "out", "look", "looking", "arrive",
        "arrived", "shop", "buy", "order", "stay", "live", "work", "works", "working", "meet", "see",
        "join", "call", "reach", "be", "is", "are", "was", "were", "am", "and", "or", "but", "the", "a",
        "an", "at", "of", "in", "on", "to", "from", "by", "with", "for", "open", "opened", "sold", "held",
        "start", "starts", "starting", "price", "priced", "rate", "rated", "end", "ends", "site", "store",
        "stores", "office", "offices", "team", "home", "up", "down", "off", "back", "all", "both", "each",
        "everyone", "people", "staff", "students", "only", "also", "just", "events", "event", "website",
        "web", "directly", "today", "purchase", "download", "read", "more", "details", "book", "booking",
        "apply", "register",
    }
)  # fmt: skip


# --------------------------------------------------------------------------------------------
# Sources


def _trim_domain(domain: str) -> str | None:
    """Drop trailing labels that are not a real TLD ("acme.com.Next", "acme.de.Tel")."""
    labels = domain.rstrip("-").split(".")
    # A Capitalised last label after lower-case ones is the next sentence, not a TLD.
    if (
        len(labels) > 2
        and labels[-1][:1].isupper()
        and labels[-1][1:].islower()
        and labels[-2].islower()
        and is_tld(labels[-2])
    ):
        labels.pop()
    while len(labels) > 2 and not is_tld(labels[-1]):
        labels.pop()
    if len(labels) < 2:
        return None
    return ".".join(labels)


def _in_url(text: str, start: int, end: int) -> bool:
    """True if the address at text[start:end] is part of a written URL (cdn.com/lib@1.2.3/x.js)."""
    token_start = max(text.rfind(" ", 0, start), text.rfind("\n", 0, start)) + 1
    prefix = text[token_start:start]
    if "/" in prefix or "?" in prefix or "=" in prefix or "&" in prefix:
        return True
    return end < len(text) - 1 and text[end] in "/:" and text[end + 1].isalnum()


# What stands flush before an address in a text node of its own ("<b>Contact</b><span>eva@...",
# "+1 415 555 0100<span>eva@..."): a label or the tail of a number, not part of the local part. A
# label is capitalised, as labels are; a lower-case fragment is an address split up on purpose.
_GLUED_LABEL_RE = re.compile(
    r"(?:E-?[Mm]ail|EMAIL|E-MAIL|[CK]onta[ck]t[oa]?|CONTACT|KONTAKT|Mail|MAIL|Courriel|Correo|Contatto"
    r"|Write|Tel|TEL|Phone|PHONE|Fax|FAX)|\d+"
)


def _glued_label_end(vt: VisibleText, start: int, at: int) -> int | None:
    """Where the address really starts if a label in another text node runs into its local part."""
    chunks = vt.chunk_starts
    i = bisect_right(chunks, start)
    while i < len(chunks) and chunks[i] < at:
        cut = chunks[i]
        if vt.text[cut].isalpha() and _GLUED_LABEL_RE.fullmatch(vt.text, start, cut):
            return cut
        i += 1
    return None


def _plain_addresses(s: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, candidate) for each plain address in s, its domain trimmed to a real TLD."""
    for m in _EMAIL_RE.finditer(s):
        raw_local, _, raw_domain = m.group().partition("@")
        local = raw_local.lstrip(".-+")
        domain = _trim_domain(raw_domain)
        if local and domain:
            yield m.start() + len(raw_local) - len(local), m.end(), f"{local}@{domain}"


def _mailto_addresses(href: str) -> Iterator[tuple[str, bool]]:
    """(candidate, obfuscated) for each address in a mailto href: path list plus to/cc/bcc params."""
    body = href.strip()[7:]
    path, _, query = body.partition("?")
    encoded = "%" in path
    chunks = [unquote(path)]
    if query:
        chunks.extend(v for k, v in parse_qsl(query) if k.lower() in ("to", "cc", "bcc"))
    for i, chunk in enumerate(chunks):
        for _, _, cand in _plain_addresses(chunk):
            yield cand, encoded and i == 0


def _at_matches(text: str) -> Iterator[re.Match[str]]:
    """The matches of ``_OBF_RE.finditer(text)`` that have an "at", without scanning all the text.

    Most of a page is words without an "at" anywhere near: the scan starts only near a hint
    (AT_HINT_RE), from a point where a scan of the whole text would be in the same state: the
    end of a match, or the position after a character no match holds (_OBF_BREAK_RE). The regex
    sees the text before ``pos`` (its look-behind too), and every character is scanned at most
    twice: backwards for a break between ``pos`` and the hint, forwards from there.
    """
    n = len(text)
    pos = 0  # a scan of the whole text would search on from here
    reversed_text = ""
    for hint in AT_HINT_RE.finditer(text):
        q = hint.start()
        if q < pos:
            continue  # inside a match already seen
        if not reversed_text:
            reversed_text = text[::-1]
        brk = _OBF_BREAK_RE.search(reversed_text, n - q, n - pos)  # the last break in text[pos:q]
        if brk:
            pos = n - brk.start()
        for m in _OBF_RE.finditer(text, pos):
            pos = m.end()
            if m.group("at") is not None:
                yield m
            if pos > q:  # the match holding the hint, if any, has been seen
                break
        else:
            return  # no match after pos at all


def _obfuscated_addresses(vt: VisibleText) -> Iterator[tuple[int, int, str]]:
    """(start, end, candidate) for [at]/(at)/ at / [dot] spellings in the visible text."""
    text = vt.text
    for m in _at_matches(text):
        at = m.group("at").strip()
        raw_local, raw_domain = m.group("local"), m.group("domain")
        dotted = bool(DOT_SPELLING_RE.search(raw_local) or DOT_SPELLING_RE.search(raw_domain))
        if m.group("at") == "@" and not dotted:
            continue  # a plain address: _plain_addresses reports it
        local = DOT_SPELLING_RE.sub(".", raw_local)
        domain = _trim_domain(DOT_SPELLING_RE.sub(".", raw_domain))
        if not domain or not _HAS_LETTER_RE.search(local):
            continue
        if _in_url(text, m.start(), m.end()):
            continue  # "follow us @ twitter.com/acme"
        bracketed = at[:1] in "[({<"
        strong = bracketed or at == "@" or at.lower() in ("arroba", "arobase", "ät")
        if not strong and at == "AT" and not local.isupper():
            strong = True  # "john AT acme DOT com": capitals mark the word as a stand-in for @
        if not bracketed and local.lower() in _PROSE_WORDS:
            continue  # "find us at acme dot com", "follow us @ acme.com"
        if at != "@" and domain.split(".", 1)[0].lower() in _PROSE_WORDS:
            continue  # "replace [at] and [dot] in the addresses": instructions, not an address
        if not strong and not dotted:
            # "john at acme.com" is an address only if the local part looks like a mailbox
            # or the line labels it as email; "available at amazon.com" is prose.
            labelled = _MAIL_LABEL_RE.search(text, max(0, m.start() - 30), m.start()) is not None
            if not (labelled or re.search(r"[._+\-\d]", local)):
                continue
            if domain.lower().startswith("www."):
                continue
        yield m.start(), m.end(), f"{local}@{domain}"


def _attr_snippet(name: str, value: str) -> str:
    return f'{name}="{value}"'[:200]


def _anchor_candidates(vt: VisibleText) -> Iterator[tuple[int, str, str, str]]:
    """(offset, candidate, method, snippet) for contact attributes of visible elements."""
    for anchor in vt.anchors:
        attrib = anchor.el.attrib
        href = (attrib.get("href") or "").strip()
        if href[:7].lower() == "mailto:":
            for cand, obfuscated in _mailto_addresses(href):
                yield anchor.start, cand, "obfuscated" if obfuscated else "mailto", href[:200]
        elif "email-protection" in href:
            decoded = cf_href_decode(href)
            if decoded:
                for _, _, cand in _plain_addresses(decoded):
                    yield anchor.start, cand, "cfemail", href[:200]
        cf = attrib.get("data-cfemail")
        if cf:
            decoded = cf_decode(cf)
            if decoded:
                for _, _, cand in _plain_addresses(decoded):
                    yield anchor.start, cand, "cfemail", _attr_snippet("data-cfemail", cf)
        user, domain = attrib.get("data-user") or attrib.get("data-name"), attrib.get("data-domain")
        if user and domain:
            tld = attrib.get("data-tld")
            cand = f"{user}@{domain}.{tld.lstrip('.')}" if tld else f"{user}@{domain}"
            yield (
                anchor.start,
                cand,
                "obfuscated",
                _attr_snippet("data-user", user) + " " + _attr_snippet("data-domain", domain),
            )
        for key, value in attrib.items():
            if key.startswith("data-") and "mail" in key and key != "data-cfemail" and "@" in value:
                for _, _, cand in _plain_addresses(value):
                    yield anchor.start, cand, "text", _attr_snippet(key, value)


# --------------------------------------------------------------------------------------------


def extract_emails(page: Page, *, check_deliverability: bool = False) -> list[EmailFact]:
    """Contact email addresses on ``page``, deduplicated, in order of first appearance."""
    vt = page.visible
    text = vt.text

    def norm(cand: str) -> str | None:
        return normalize_email(cand, check_deliverability=check_deliverability)

    # (offset, priority, email, method, snippet); elements win ties with the text they wrap.
    found: list[tuple[int, int, str, str, str]] = []
    for offset, cand, method, snippet in _anchor_candidates(vt):
        email = norm(cand)
        if email:
            found.append((offset, 0, email, method, snippet))
    if "@" in text:
        for start, end, cand in _plain_addresses(text):
            if _in_url(text, start, end) or _DOT_BRACKET_RE.match(text, end):
                continue
            crosses = vt.crosses_markup(start, end)
            if crosses:
                cut = _glued_label_end(vt, start, start + cand.index("@"))
                if cut:
                    cand, start = cand[cut - start :], cut
                    crosses = vt.crosses_markup(start, end)
            email = norm(cand)
            if email:
                method = "obfuscated" if crosses else "text"
                found.append((start, 1, email, method, vt.snippet(start, end)))
    for start, end, cand in _obfuscated_addresses(vt):
        email = norm(cand)
        if email:
            found.append((start, 1, email, "obfuscated", vt.snippet(start, end)))
    found.sort(key=lambda f: (f[0], f[1]))

    facts: list[EmailFact] = []
    seen: set[str] = set()

    def keep(email: str, method: str, snippet: str) -> None:
        if email not in seen:
            seen.add(email)
            facts.append(
                EmailFact(email=email, evidence=Evidence(method=method, snippet=snippet[:200] or email))
            )

    for _, _, email, method, snippet in found:
        keep(email, method, snippet)

    # Sources a visitor does not see come after everything visible.
    for meta in page.tree.iter("meta"):
        content = meta.get("content")
        # <meta itemprop=...> is microdata: it is reported with the structured data below
        if content and "@" in content and meta.get("itemprop") is None:
            for _, _, cand in _plain_addresses(content):
                email = norm(cand)
                if email:
                    keep(email, "text", _attr_snippet("content", content))
    if "@" in page.html:  # structured data is costly to build; an address needs an @ in the markup
        structured = page.structured
        for syntax, method in (("json-ld", "jsonld"), ("microdata", "microdata")):
            for value in property_strings(structured.get(syntax) or [], "email"):
                for _, _, cand in _plain_addresses(unquote(value.strip())):
                    email = norm(cand)
                    if email:
                        keep(email, method, f'"email": "{value}"')
    return facts
