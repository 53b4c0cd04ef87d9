"""The company a page belongs to: its display name (structured data, meta, title, logo) and domain."""

from __future__ import annotations

import html as htmllib
import ipaddress
import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

import tldextract

from crawler.extract.facts import CompanyFact, Evidence
from crawler.extract.page import Page
from crawler.extract.structured import as_list, first_text, is_org_type, schema_types, top_nodes

__all__ = [
    "domain_of_host",
    "extract_company",
    "matches_domain",
    "registered_domain",
    "split_title",
    "title_company_name",
]


# The public suffix list bundled with tldextract, never fetched: suffix_list_urls=() means no HTTP
# request at all and cache_dir=None means no disk cache to read or write. Private suffixes are on so
# that acme.github.io / acme.myshopify.com stay distinct companies instead of collapsing into
# github.io / myshopify.com.
_TLD = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True)


def _host_of(url_or_host: str) -> str:
    value = url_or_host.strip()
    if "://" not in value and not value.startswith("//"):
        value = "//" + value
    try:
        host = urlsplit(value).hostname or ""
    except ValueError:  # e.g. an unbalanced IPv6 bracket
        host = ""
    return host.lower().rstrip(".")


def registered_domain(url_or_host: str) -> str:
    """The registrable domain (``shop.acme.co.uk`` -> ``acme.co.uk``); IPs and bare hosts as-is."""
    host = _host_of(url_or_host)
    return domain_of_host(host) if host else ""


@lru_cache(maxsize=8192)
def domain_of_host(host: str) -> str:
    """``registered_domain`` of a lower-case host name. Memoized: the suffix-list look-up costs
    ~0.1 ms, and a crawl asks about the same few hosts on every page."""
    try:
        ipaddress.ip_address(host)
        return host
    except ValueError:
        pass
    ext = _TLD(host)
    if not ext.suffix or not ext.domain:
        return host  # single-label host (localhost, intranet) or a bare public suffix
    return f"{ext.domain}.{ext.suffix}"


# --- name cleaning ----------------------------------------------------------------------------

_WS = re.compile(r"\s+")
_SEPARATORS = re.compile(r"\s+(?:\||-|–|—|·|::|•|»|«|~)\s+")
_GENERIC_NAME = re.compile(
    r"^(?:home|homepage|home page|start|startseite|accueil|inicio|index|welcome|willkommen|bienvenue|"
    r"wordpress|website|web site|site|blog|my blog|my site|my wordpress blog|shop|online ?shop|store|"
    r"default|untitled|page|contact|contact us|kontakt|about|about us|über uns|team|our team|impressum|"
    r"imprint|legal notice|privacy policy|datenschutz|mentions légales|news|jobs|careers|karriere|"
    r"products|produkte|services|leistungen|login|search|suche|404|not found|error|coming soon)$",
    re.I,
)
_TITLE_PREFIX = re.compile(
    r"^(?:home|startseite|accueil|welcome to|willkommen bei|bienvenue chez)\s*[:|\-–—]?\s+", re.I
)
_LOGO_WORDS = re.compile(
    r"\b(?:logo|logotype|logotipo|firmenlogo|company logo|brand logo|site logo|header logo|main logo|"
    r"home|homepage|startseite|zur startseite|back to home|go to homepage|link to homepage|image|bild|"
    r"icon|svg|png)\b",
    re.I,
)
_LOGO_GLUE = re.compile(
    r"^(?:[\s\-–—|:,.]+|(?:von|of|de|du)\b\s*)+|(?:\s*\b(?:von|of|de|du)|[\s\-–—|:,.]+)+$", re.I
)
_TRANSLIT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "&": "", "æ": "ae", "ø": "o"})
_NON_ALNUM = re.compile(r"[^a-z0-9]")
_LEGAL_SUFFIX = re.compile(
    r"\b(?:gmbh(?: & co\.? kg)?|ag|kg|ug|ohg|gbr|e\.?v|inc|llc|ltd|limited|corp|corporation|co|company|"
    r"plc|sa|sas|sarl|s\.?a\.?r\.?l|bv|nv|oy|ab|as|srl|spa|pty|llp|lp)\.?$",
    re.I,
)


def _fold(text: str) -> str:
    """Lower-case alphanumerics only, umlauts transliterated: comparable with a domain label."""
    text = text.lower().translate(_TRANSLIT)
    text = unicodedata.normalize("NFKD", text)
    return _NON_ALNUM.sub("", "".join(c for c in text if not unicodedata.combining(c)))


def _clean_name(text: str | None, max_words: int = 8) -> str | None:
    if not text:
        return None
    text = _WS.sub(" ", htmllib.unescape(text)).strip(" \t\n|-–—·:•»«")
    if not text or len(text) > 100 or len(text.split()) > max_words or _GENERIC_NAME.match(text):
        return None
    if not any(c.isalpha() for c in text):
        return None
    return text


def matches_domain(part: str, domain: str) -> bool:
    """Does a title part name the site's domain (``Acme Robotics`` ~ ``acme-robotics.com``)?"""
    raw_label = domain.split(".")[0]
    label = _fold(raw_label)
    if not label:
        return False
    core = _LEGAL_SUFFIX.sub("", part.strip()).strip(" ,")
    folded = _fold(core)
    if len(folded) < 2:
        return False
    # a prefix of the label must cover half of it: "Acme Robotics" ~ acme-robotics, "Home" !~ homedepot
    if (
        folded == label
        or folded.startswith(label)
        or (len(folded) >= 4 and label.startswith(folded) and 2 * len(folded) >= len(label))
    ):
        return True
    words = [w for w in re.split(r"[\s\-&+]+", core) if w]
    if len(words) >= 2:
        initials = _fold("".join(w[0] for w in words))
        # IBM ~ ibm.com, Blue Harbor Consulting ~ bhc-partners.com
        if initials == label or (len(initials) >= 2 and initials in (_fold(p) for p in raw_label.split("-"))):
            return True
    return len(label) >= 4 and label in folded and len(folded) - len(label) <= 12


def split_title(title: str) -> list[str]:
    """Parts of a ``<title>`` split on the usual separators (`` | ``, `` - ``, `` – ``, ...)."""
    title = _WS.sub(" ", title).strip()
    return [p.strip() for p in _SEPARATORS.split(title) if p.strip()]


def title_company_name(title: str, domain: str) -> str | None:
    """The part of a page title that names the company, or None when no part does.

    A part that matches the domain wins ("Acme Robotics – Industrial automation"); then a part
    carrying a legal form ("… | Müller Maschinenbau GmbH"); then, in a title whose other parts are
    all generic page names ("Contact us | Acme Robotics"), the one remaining part. Position alone
    is not trusted: taglines sit on either side of the brand.
    """
    parts = split_title(_TITLE_PREFIX.sub("", title.strip()))
    cleaned = [c for c in (_clean_name(p) for p in parts) if c]
    for part in cleaned:
        if matches_domain(part, domain):
            return part
    for part in cleaned:
        if _LEGAL_SUFFIX.search(part) and len(part.split()) <= 6:
            return part
    if len(parts) >= 2 and len(cleaned) == 1 and len(cleaned[0].split()) <= 5:
        return cleaned[0]
    return None


# --- extraction -------------------------------------------------------------------------------


def _org_candidates(items: list[Any]) -> Iterator[dict[str, Any]]:
    """Organization nodes that speak for the site: top-level ones and WebSite/WebPage publishers."""
    for node in top_nodes(items):
        types = schema_types(node)
        if any(is_org_type(t) for t in types):
            yield node
        elif any(
            t in ("WebSite", "WebPage", "AboutPage", "ContactPage", "Article", "BlogPosting") for t in types
        ):
            for key in ("publisher", "provider", "copyrightHolder"):
                for sub in as_list(node.get(key)):
                    if isinstance(sub, dict) and any(is_org_type(t) for t in schema_types(sub)):
                        yield sub


def _org_name(node: dict[str, Any]) -> str | None:
    return _clean_name(
        first_text(node.get("name"))
        or first_text(node.get("legalName"))
        or first_text(node.get("alternateName"))
    )


def _structured_name(page: Page, domain: str) -> tuple[str, str] | None:
    """(name, method) of the site's Organization: one on the page's domain first, else the first."""
    first: tuple[str, str] | None = None
    for syntax, method in (("json-ld", "jsonld"), ("microdata", "microdata")):
        for node in _org_candidates(page.structured.get(syntax) or []):
            name = _org_name(node)
            if not name:
                continue
            urls = [u for key in ("url", "@id", "logo") for u in as_list(node.get(key)) if isinstance(u, str)]
            if any(
                u.startswith(("http://", "https://", "//")) and registered_domain(u) == domain for u in urls
            ):
                return name, method
            if first is None:
                first = (name, method)
    return first


_META_SITE_NAME = "//meta[@property='og:site_name' or @name='og:site_name']/@content"
_META_APP_NAME = "//meta[@name='application-name' or @name='apple-mobile-web-app-title']/@content"
_LOGO_IMGS = (
    "//header//img[@alt] | //*[contains(@class,'header') or contains(@id,'header') or "
    "contains(@class,'navbar') or contains(@class,'brand')]//img[@alt] | "
    "//*[contains(translate(@class,'LOGO','logo'),'logo') or contains(translate(@id,'LOGO','logo'),'logo')]"
    "/descendant-or-self::img[@alt] | "
    "//img[@alt][contains(translate(@class,'LOGO','logo'),'logo') "
    "or contains(translate(@src,'LOGO','logo'),'logo') "
    "or contains(translate(@id,'LOGO','logo'),'logo')]"
)


def _has_logo(value: str | None) -> bool:
    # XPath's contains(translate(@x,'LOGO','logo'),'logo'): "logo" in any case
    return value is not None and "logo" in value.lower()


def _logo_imgs(tree: Any, limit: int = 20) -> Iterator[Any]:
    """The first ``limit`` images of ``_LOGO_IMGS``, in document order, found in one walk: the
    XPath's ``translate``/``contains`` scans over every element cost ~0.2 ms a page."""
    found = 0
    for img in tree.iter("img"):
        if img.get("alt") is None:
            continue
        hit = _has_logo(img.get("class")) or _has_logo(img.get("src")) or _has_logo(img.get("id"))
        for anc in img.iterancestors():
            if hit:
                break
            cls, ident = anc.get("class") or "", anc.get("id") or ""
            hit = (
                anc.tag == "header"
                or "header" in cls
                or "header" in ident
                or "navbar" in cls
                or "brand" in cls
                or _has_logo(cls)
                or _has_logo(ident)
            )
        if hit:
            yield img
            found += 1
            if found == limit:
                return


def _logo_name(page: Page, domain: str) -> str | None:
    """The header logo's alt text with 'logo' and friends removed."""
    best: str | None = None
    for img in _logo_imgs(page.tree):
        alt = img.get("alt") or ""
        attrs = f"{alt} {img.get('class', '')} {img.get('id', '')} {img.get('src', '')}".lower()
        parent = img.getparent()
        in_home_link = (
            parent is not None
            and parent.tag == "a"
            and (parent.get("href") or "").rstrip("/") in ("", "/", "./", "index.html")
        )
        if (
            "logo" not in attrs
            and not in_home_link
            and not (
                parent is not None and "logo" in f"{parent.get('class', '')} {parent.get('id', '')}".lower()
            )
        ):
            continue
        cleaned = _clean_name(_WS.sub(" ", _LOGO_GLUE.sub("", _LOGO_WORDS.sub(" ", alt))), max_words=6)
        if not cleaned:
            continue
        if matches_domain(cleaned, domain):
            return cleaned
        if best is None:
            best = cleaned
    return best


def extract_company(page: Page) -> CompanyFact:
    """The page's company: name by the first source that has one, domain from the page URL."""
    domain = registered_domain(page.url)
    found = _structured_name(page, domain)
    if found:
        return CompanyFact(found[0], domain, Evidence(found[1], found[0]))
    tree = page.tree
    for value in tree.xpath(_META_SITE_NAME):
        name = _clean_name(value)
        if name:
            return CompanyFact(name, domain, Evidence("opengraph", value[:200]))
    for value in tree.xpath(_META_APP_NAME):
        name = _clean_name(value)
        if name:
            return CompanyFact(name, domain, Evidence("meta", value[:200]))
    titles = tree.xpath("//head/title/text() | //title/text()")
    if titles:
        name = title_company_name(titles[0], domain)
        if name:
            return CompanyFact(name, domain, Evidence("title", titles[0].strip()[:200]))
    logo = _logo_name(page, domain)
    if logo:
        return CompanyFact(logo, domain, Evidence("logo", logo))
    return CompanyFact(None, domain, Evidence("none", ""))
