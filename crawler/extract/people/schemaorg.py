"""schema.org Persons in json-ld, microdata and RDFa, with their titles and contact points."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from crawler.extract.emails import normalize_email
from crawler.extract.facts import Evidence, PersonFact
from crawler.extract.page import Page
from crawler.extract.people.names import clean_person_name
from crawler.extract.people.vocabulary import WHITESPACE_RE
from crawler.extract.phones import normalize_phone
from crawler.extract.profiles import person_profile
from crawler.extract.structured import as_list, dict_nodes, first_text, schema_types, short_type, url_values

__all__ = ["person_from_node", "rdfa_persons", "structured_persons"]

# Persons under these are customers or commenters, not the company's people.
_FOREIGN_TYPES = frozenset(
    {
        "Review",
        "Rating",
        "AggregateRating",
        "Comment",
        "Question",
        "Answer",
        "Quotation",
        "UserComments",
        "Event",
        "Recipe",
        "Book",
        "Movie",
        "Course",
    }
)
_PERSON_KEYS = frozenset(
    {
        "@graph",
        "employee",
        "employees",
        "founder",
        "founders",
        "member",
        "members",
        "author",
        "creator",
        "contactPoint",
        "mainEntity",
        "about",
        "accountablePerson",
        "department",
        "subOrganization",
        "publisher",
        "editor",
        "itemListElement",
        "item",
        "hasPart",
    }
)
_KEY_TITLES = {"founder": "Founder", "founders": "Founder"}


def structured_persons(items: Any) -> Iterator[tuple[dict[str, Any], str | None]]:
    """(Person node, default title) for every Person reached through company-ish properties."""

    def visit(value: Any, key: str | None, depth: int) -> Iterator[tuple[dict[str, Any], str | None]]:
        for node, level in dict_nodes(value, depth, 10):
            types = schema_types(node)
            if any(t in _FOREIGN_TYPES for t in types):
                continue
            if "Person" in types:
                yield node, _KEY_TITLES.get(key or "")
                continue
            for k, v in node.items():
                if k in _PERSON_KEYS and isinstance(v, (dict, list)):
                    yield from visit(v, k, level + 1)

    yield from visit(items, None, 0)


def rdfa_persons(page: Page) -> Iterator[dict[str, Any]]:
    """schema.org Persons in RDFa, read straight off the tree (document order, no second parse).

    page.structured["rdfa"] is not used: extruct's RDFa needs its own DOM parser, so on page.tree
    it comes back empty, and its flattened graph loses the document order anyway.
    """
    for el in page.tree.xpath("//*[@typeof]"):
        types = {short_type(t) for t in (el.get("typeof") or "").split()}
        if "Person" not in types:
            continue
        foreign = False
        for anc in el.iterancestors():
            t = anc.get("typeof")
            if t and any(short_type(x) in _FOREIGN_TYPES for x in t.split()):
                foreign = True
                break
        if foreign:
            continue
        node: dict[str, Any] = {"@type": "Person"}
        for prop_el in el.iter():
            if prop_el is el or not isinstance(prop_el.tag, str):
                continue
            prop = prop_el.get("property")
            if not prop:
                continue
            # properties of a nested item belong to it, not to this person
            inner = next((a for a in prop_el.iterancestors() if a is el or a.get("typeof") is not None), None)
            if inner is not el or prop_el.get("typeof") is not None:
                continue
            for name in prop.split():
                short = short_type(name)
                value = (
                    prop_el.get("content")
                    or prop_el.get("href")
                    or prop_el.get("resource")
                    or prop_el.get("src")
                )
                if value is None:
                    value = WHITESPACE_RE.sub(" ", prop_el.text_content()).strip()
                node.setdefault(short, [])
                node[short].append(value)
        yield node


def _contact_from_node(node: dict[str, Any], region: str) -> tuple[str | None, str | None, dict[str, str]]:
    email = None
    for raw in as_list(node.get("email")):
        if isinstance(raw, str):
            email = normalize_email(raw.replace("mailto:", "").strip())
            if email:
                break
    phone = None
    tel = first_text(node.get("telephone"))
    if tel:
        parsed = normalize_phone(tel.replace("tel:", ""), region)
        phone = parsed[0] if parsed else None
    profiles: dict[str, str] = {}
    for key in ("sameAs", "url"):
        for url in url_values(node.get(key)):
            prof = person_profile(url)
            if prof and prof[0] not in profiles:
                profiles[prof[0]] = prof[1]
    return email, phone, profiles


def person_from_node(node: dict[str, Any], method: str, region: str) -> PersonFact | None:
    raw_name = first_text(node.get("name"))
    if not raw_name:
        parts = [first_text(node.get(k)) for k in ("givenName", "additionalName", "familyName")]
        raw_name = " ".join(p for p in parts if p)
    name = clean_person_name(raw_name or "", strict=False)
    if not name:
        return None
    title = first_text(node.get("jobTitle"))
    if not title:
        occupation = node.get("hasOccupation")
        title = first_text(occupation.get("name")) if isinstance(occupation, dict) else None
    email, phone, profiles = _contact_from_node(node, region)
    return PersonFact(
        name=name,
        evidence=Evidence(method, raw_name[:200]),
        job_title=title,
        email=email,
        phone=phone,
        profiles=profiles,
    )
