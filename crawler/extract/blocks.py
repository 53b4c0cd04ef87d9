"""Text blocks of a page (leaf blocks outside site chrome) and the sentence around a match in one."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crawler.extract.text import CHROME_TAGS, LEAF_BLOCK_TAGS

if TYPE_CHECKING:
    from crawler.extract.page import Page

__all__ = ["SNIPPET_CHARS", "find_blocks", "in_chrome", "is_chrome", "sentence_around"]

SNIPPET_CHARS = 200
_CHROME_ROLES = ("navigation", "contentinfo", "banner")
# Block-level leaves: a leaf with one of these below it is not a leaf.
_BLOCKISH = (LEAF_BLOCK_TAGS - {"span", "strong", "em", "b"}) | {"section", "article"}


def is_chrome(el: Any) -> bool:
    """The site's navigation, header, footer or sidebar itself (by tag or ARIA role)."""
    if isinstance(el.tag, str) and el.tag in CHROME_TAGS:
        return True
    return (el.get("role") or "").lower() in _CHROME_ROLES


def in_chrome(el: Any) -> bool:
    """Inside the site's navigation, header, footer or sidebar."""
    return any(is_chrome(anc) for anc in el.iterancestors())


def find_blocks(page: Page) -> list[tuple[Any, str]]:
    """Leaf text blocks of the body outside site chrome: (element, its visible text), in document
    order (``Page.blocks``)."""
    body = page.tree.find("body")
    root = body if body is not None else page.tree
    elements = [el for el in root.iter() if isinstance(el.tag, str)]
    # Two passes over the element list instead of a descendant scan and an ancestor walk per
    # element: bottom-up, whether a block-level element lies below; top-down, whether in chrome.
    holds: dict[Any, bool] = {}
    for el in reversed(elements):
        holds[el] = any(isinstance(c.tag, str) and (c.tag in _BLOCKISH or holds[c]) for c in el)
    inside: dict[Any, bool] = {root: in_chrome(root)}
    blocks: list[tuple[Any, str]] = []
    for el in elements:
        tag = el.tag
        if el is not root:
            parent = el.getparent()
            inside[el] = inside[parent] or is_chrome(parent)
        if tag not in LEAF_BLOCK_TAGS or holds[el]:
            continue
        if tag in ("span", "strong", "em", "b") and isinstance(el.getparent().tag, str):
            parent_tag = el.getparent().tag
            if parent_tag in LEAF_BLOCK_TAGS and parent_tag not in ("div",):
                continue  # the enclosing paragraph is the block
        if inside[el]:
            continue
        text = page.element_text(el)
        if text:
            blocks.append((el, text))
    return blocks


def sentence_around(text: str, start: int = 0, end: int | None = None) -> str:
    """The sentence (or line) around a match, at most ``SNIPPET_CHARS`` characters."""
    end = len(text) if end is None else end
    dot = text.rfind(". ", 0, start)
    left = max(dot + 2 if dot >= 0 else 0, text.rfind("\n", 0, start) + 1)
    stops = [i for i in (text.find(". ", end), text.find("\n", end)) if i >= 0]
    right = min(stops) + 1 if stops else len(text)
    sentence = text[left:right].strip()
    if len(sentence) > SNIPPET_CHARS:
        lo = max(0, start - left - 80)
        sentence = sentence[lo : lo + SNIPPET_CHARS].strip()
    return sentence
