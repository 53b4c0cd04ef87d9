"""Does a page need a browser? Signs that its contacts exist only after its scripts run."""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from crawler.extract.page import Page

MIN_VISIBLE_TEXT = 250  # characters; a real page's nav + footer alone usually exceed this
SPA_ROOT_IDS = ("root", "app", "__next", "__nuxt", "___gatsby", "svelte", "main-app")
_NOSCRIPT_JS = re.compile(
    r"enable javascript|javascript (?:is )?(?:required|disabled)|requires javascript|"
    r"javascript aktivieren|javascript ist deaktiviert|activer (?:le )?javascript|activez javascript",
    re.IGNORECASE,
)
# Inline scripts that assemble contacts or load them: mailto built in JS, "@" glued from strings,
# char-code or base64 decoding, or a fetch/XHR of a contact-ish endpoint.
_SCRIPT_CONTACT = re.compile(
    r"""mailto:|['"]@['"]|['"]\s*\+\s*['"]@|@['"]\s*\+|fromCharCode|\batob\s*\(|"""
    r"""(?:fetch|axios\.get|XMLHttpRequest)\s*\(?\s*['"][^'"]*(?:contact|team|people|staff|about|kontakt)""",
    re.IGNORECASE,
)
# one compiled query for elements with an id, filtered here: seven ad-hoc XPath queries, one per
# root id, cost ~0.2 ms a page; this ~0.02 ms
_WITH_ID = etree.XPath("//*[@id]")
_SPA_ROOT_ID_SET = frozenset(SPA_ROOT_IDS)
_FRAMEWORK_MARKERS = ("data-reactroot", "ng-version", "data-v-app", "data-server-rendered", "<app-root")


def rendering_reason(page: Page) -> str | None:
    """Why this page should be rendered in a browser, or None when its HTML is enough.

    An app shell (little visible text plus scripts, an empty SPA root element, a noscript note
    asking for JavaScript, a framework marker on an empty page) or an inline script that builds or
    fetches contact details. Pure: looks at the plain HTML only.
    """
    tree = page.tree
    scripts = tree.xpath("//script")
    if not scripts:
        return None
    text_len = len(page.text)
    first: dict[str, Any] = {}  # the first element (document order) with each root id
    for el in _WITH_ID(tree):
        if el.get("id") in _SPA_ROOT_ID_SET:
            first.setdefault(el.get("id"), el)
    for root_id in SPA_ROOT_IDS:
        root = first.get(root_id)
        if root is not None and not root.text_content().strip() and len(root) <= 1:
            return f"empty app root element #{root_id}"
    for noscript in tree.xpath("//noscript"):
        if _NOSCRIPT_JS.search(noscript.text_content() or "") and text_len < MIN_VISIBLE_TEXT * 4:
            return "a noscript note asks for JavaScript"
    external = [s for s in scripts if s.get("src")]
    if text_len < MIN_VISIBLE_TEXT and external:
        return f"app shell: {text_len} characters of visible text and {len(external)} script(s)"
    html_head = page.html[:20000]
    if text_len < MIN_VISIBLE_TEXT and any(marker in html_head for marker in _FRAMEWORK_MARKERS):
        return "app shell: a JavaScript framework renders this page"
    for script in scripts:
        if script.get("src") or (script.get("type") or "").lower() in (
            "application/ld+json",
            "application/json",
        ):
            continue
        body = script.text or ""
        match = _SCRIPT_CONTACT.search(body)
        if match:
            return f"a script builds or loads contact details ({match.group(0).strip()[:40]})"
    return None
