"""Social profiles on a page: its profile links and structured-data sameAs, each classified as the
company's or a person's."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from crawler.extract.company import registered_domain
from crawler.extract.facts import Evidence, SocialFact
from crawler.extract.page import Page
from crawler.extract.people import extract_people
from crawler.extract.profiles import AMBIGUOUS_PLATFORMS, PLATFORMS, normalize_social_url
from crawler.extract.structured import dict_nodes, is_org_type, schema_types, url_values

__all__ = ["extract_socials"]


# A profile URL written out in the text ("Follow us: instagram.com/acme"), with or without a scheme.
_TEXT_URL_RE = re.compile(
    r"(?i)(?<![\w@.\-/])(?:https?://)?(?:[a-z0-9\-]+\.)*(?:"
    + "|".join(re.escape(d) for d in PLATFORMS)
    + r")/[^\s<>\"'()\[\]{},|]+"
)
# Every such URL holds one of these; most pages' text holds none, and skips the scan above.
_TEXT_URL_HINT_RE = re.compile(r"(?i)\.(?:com|am)/")
_ORG_CONTEXT = re.compile(r"(?:^|[\s_-])(?:footer|header|social|follow|site-?info|copyright)", re.I)
_NON_ALNUM = re.compile(r"[^a-z0-9]")


def _sameas_urls(value: Any, owner: str | None, depth: int = 0) -> Iterator[tuple[str, str | None]]:
    """(url, owner) for every sameAs in a structured-data tree; owner is 'person', 'org' or None."""
    for node, level in dict_nodes(value, depth, 12):
        types = schema_types(node)
        node_owner = owner
        if "Person" in types:
            node_owner = "person"
        elif any(is_org_type(t) for t in types):
            node_owner = "org"
        elif types:
            node_owner = None  # e.g. a Review's author Person inside: decided at that node
        for url in url_values(node.get("sameAs")):
            yield url, node_owner
        for key, v in node.items():
            if key != "sameAs" and isinstance(v, (dict, list)):
                yield from _sameas_urls(v, node_owner, level + 1)


def _in_org_context(el: Any) -> bool:
    """True if the link sits in the page's header/footer or a 'follow us' block (the site's own)."""
    depth = 0
    while el is not None and depth < 12:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in ("footer", "header"):
            return True
        attrs = f"{el.get('class', '')} {el.get('id', '')}"
        if attrs.strip() and _ORG_CONTEXT.search(attrs):
            return True
        el = el.getparent()
        depth += 1
    return False


def _handle_matches_site(nurl: str, page: Page) -> bool:
    label = _NON_ALNUM.sub("", registered_domain(page.url).split(".")[0])
    handle = _NON_ALNUM.sub("", nurl.rstrip("/").rsplit("/", 1)[-1].lower())
    return bool(label) and len(handle) >= 3 and (handle in label or label in handle)


def extract_socials(page: Page) -> list[SocialFact]:
    """Social profiles on the page, deduplicated by normalized URL, in first-seen order.

    Order: json-ld ``sameAs`` first, then microdata ``sameAs`` (the site's declared profiles, so a
    profile that also appears as a footer link keeps the structured-data method), then ``<a href>``
    links in document order, then profile URLs written out in the visible text (method ``text``).
    For ambiguous platforms the kind is ``person`` when the people extractor put the profile on a
    person (Person sameAs, team card), ``company`` when it is an Organization's sameAs, matches the
    site's domain, or sits in the header/footer/follow block, else the URL's default.
    """
    person_urls = {u for p in extract_people(page) for u in p.profiles.values()}
    seen: dict[str, SocialFact] = {}

    def add(raw: str, method: str, context: str | None, snippet: str) -> None:
        norm = normalize_social_url(raw)
        if not norm:
            return
        platform, kind, nurl = norm
        if nurl in seen:
            return
        if platform in AMBIGUOUS_PLATFORMS:
            if nurl in person_urls or context == "person":
                kind = "person"
            elif context == "org" or _handle_matches_site(nurl, page):
                kind = "company"
        seen[nurl] = SocialFact(platform, kind, nurl, Evidence(method, snippet[:200]))

    structured = page.structured
    for syntax, method in (("json-ld", "jsonld"), ("microdata", "microdata")):
        for url, owner in _sameas_urls(structured.get(syntax) or [], None):
            add(url, method, owner, url)

    for a in page.tree.iter("a"):
        href = a.get("href")
        if not href or len(href) < 8:
            continue
        low = href.lower()
        if not any(d in low for d in PLATFORMS):
            continue  # cheap reject before parsing: most links are the site's own
        norm = normalize_social_url(href)
        if not norm or norm[2] in seen:
            continue
        context = "org" if norm[0] in AMBIGUOUS_PLATFORMS and _in_org_context(a) else None
        add(href, "link", context, href)

    text = page.visible.text
    if _TEXT_URL_HINT_RE.search(text):
        for m in _TEXT_URL_RE.finditer(text):
            url = m.group().rstrip(".!?:;…")
            add(url, "text", None, url)
    return list(seen.values())
