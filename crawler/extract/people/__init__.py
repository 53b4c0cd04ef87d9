"""People on a page: schema.org Persons, cards, role lists, labelled lines and staff sentences."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import replace

from crawler.extract.company import registered_domain
from crawler.extract.facts import Evidence, PersonFact
from crawler.extract.page import Page
from crawler.extract.people.cards import card_people
from crawler.extract.people.contacts import block_contacts
from crawler.extract.people.imprint import imprint_people
from crawler.extract.people.names import (
    clean_person_name,
    email_matches_name,
    is_job_title,
    name_key,
    split_name_title,
)
from crawler.extract.people.schemaorg import person_from_node, rdfa_persons, structured_persons
from crawler.extract.people.sentences import staff_sentences
from crawler.extract.people.walk import PageLines, page_lines

__all__ = ["clean_person_name", "extract_people", "is_job_title", "split_name_title"]


def _merge(people: list[PersonFact], person: PersonFact, index: dict[str, int], weak: set[str]) -> None:
    """Add a person, or fill the gaps of the one already known by that name.

    ``weak`` holds names whose title was only inferred (a json-ld ``founder`` without jobTitle):
    a title that is actually shown on the page replaces it.
    """
    key = name_key(person.name)
    if key not in index:
        index[key] = len(people)
        people.append(person)
        return
    old = people[index[key]]
    if key in weak and person.job_title:
        weak.discard(key)
        old = replace(old, job_title=person.job_title)
    profiles = dict(old.profiles)
    for platform, url in person.profiles.items():
        profiles.setdefault(platform, url)
    people[index[key]] = replace(
        old,
        job_title=old.job_title or person.job_title,
        email=old.email or person.email,
        phone=old.phone or person.phone,
        profiles=profiles,
    )


def extract_people(page: Page) -> list[PersonFact]:
    """People the page names, each with the title and contact points shown with them.

    Order: schema.org Persons (json-ld, microdata, RDFa) first, then cards and imprint lines in
    document order; the same name (ignoring case, accents' absence aside, honorifics and initials)
    is one person whose missing fields are filled from later sources. Computed once per page
    (``Page.memo``), since extract_socials asks for the people too (to tell a person's profile
    from the company's).
    """
    return list(page.memo(_page_people))


def _page_people(page: Page) -> list[PersonFact]:
    region = page.region
    people: list[PersonFact] = []
    index: dict[str, int] = {}
    weak: set[str] = set()

    structured = page.structured
    for syntax, method in (("json-ld", "jsonld"), ("microdata", "microdata")):
        for node, default_title in structured_persons(structured.get(syntax) or []):
            person = person_from_node(node, method, region)
            if person:
                if person.job_title is None and default_title:
                    person = replace(person, job_title=default_title)
                    if name_key(person.name) not in index:
                        weak.add(name_key(person.name))
                _merge(people, person, index, weak)
    if page.html and "typeof" in page.html:
        for node in rdfa_persons(page):
            person = person_from_node(node, "rdfa", region)
            if person:
                _merge(people, person, index, weak)

    walk = page_lines(page)
    visible = card_people(walk, registered_domain(page.url), region)
    visible.extend(_labelled_people(walk, region))
    visible.extend(_sentence_people(walk, region))
    visible.sort(key=lambda item: item[0])
    for _, person in visible:
        _merge(people, person, index, weak)
    return people


def _line_contacts(
    walk: PageLines, idx: int, name: str, alone: bool, region: str
) -> tuple[str | None, str | None, dict[str, str]]:
    """The contact points of one line (its links and text): all of them when the line names one
    person, else only an address that spells this person's name."""
    lines = walk.lines
    start = lines[idx - 1].pos + 1 if idx else 0
    email, phone, profiles = block_contacts(walk, start, lines[idx].pos + 1, None, name, region)
    if not alone:
        return (email if email and email_matches_name(email, name) else None), None, {}
    return email, phone, profiles


def _labelled_people(walk: PageLines, region: str) -> list[tuple[int, PersonFact]]:
    """People of labelled lines ("Workshop manager: <a href=mailto:...>James Harlow</a>"), with the
    line's own contact points; an imprint's company address on the next line stays the company's."""
    found = imprint_people(walk)
    per_pos: dict[int, int] = {}
    for pos, _, _ in found:
        per_pos[pos] = per_pos.get(pos, 0) + 1
    out: list[tuple[int, PersonFact]] = []
    for pos, name, title in found:
        idx = bisect_left(walk.positions, pos)
        email, phone, profiles = _line_contacts(walk, idx, name, per_pos[pos] == 1, region)
        out.append((pos, PersonFact(name, Evidence("imprint", name), title, email, phone, profiles)))
    return out


def _sentence_people(walk: PageLines, region: str) -> list[tuple[int, PersonFact]]:
    """People introduced in prose, with the contact points of their sentence's paragraph: all of
    them when the paragraph introduces one person, else only an address that spells the name."""
    found = staff_sentences(walk)
    per_line: dict[int, int] = {}
    for idx, _, _ in found:
        per_line[idx] = per_line.get(idx, 0) + 1
    out: list[tuple[int, PersonFact]] = []
    for idx, name, title in found:
        line = walk.lines[idx]
        email, phone, profiles = _line_contacts(walk, idx, name, per_line[idx] == 1, region)
        person = PersonFact(name, Evidence("text", line.text[:200]), title, email, phone, profiles)
        out.append((line.pos, person))
    return out
