"""Team and contact cards: a name, the title beside it, and the contact points in the same block."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from crawler.extract.company import matches_domain
from crawler.extract.facts import Evidence, PersonFact
from crawler.extract.people.contacts import block_contacts, card_lines, has_email
from crawler.extract.people.headings import HEADING_TAGS, role_lists
from crawler.extract.people.imprint import imprint_names
from crawler.extract.people.names import (
    clean_person_name,
    email_matches_name,
    has_given_name,
    is_job_title,
    name_key,
    split_name_title,
)
from crawler.extract.people.vocabulary import (
    CALL_TO_ACTION_RE,
    CONTACT_LABEL_RE,
    EXTERNAL_TITLE_RE,
    OTHER_HINT_RE,
    PEOPLE_HINT_RE,
    QUOTE_STARTS,
    TESTIMONIAL_RE,
)
from crawler.extract.people.walk import Line, PageLines

__all__ = ["card_people"]

_HEADINGS = HEADING_TAGS
_STOP_CLIMB = frozenset(
    {"body", "html", "main", "section", "header", "footer", "aside", "form", "table", "tbody", "ul", "ol"}
)
_CARD_TAGS = frozenset({"article", "li", "tr", "figure", "dl", "address"})
_MAX_CARD_ITEMS = 30  # lines + links; a card is small, a section isn't


@dataclass
class _Card:
    name: str
    title: str | None
    name_idx: int
    title_idx: int | None
    labelled: bool = False  # right after an "Ansprechpartner" / "Contact person" label
    listed: bool = False  # under a role heading ("General Chairs"), which gave the title
    shares_line: bool = False  # one of several names on one line: the line's contacts aren't its own
    label_el: Any = None  # that label's element: it belongs to the card, unlike other headings
    start: int = 0
    end: int = 0
    el: Any = None


def _lca(a: Any, b: Any) -> Any:
    if a is b:
        return a
    ancestors = {id(a)}
    ancestors.update(id(x) for x in a.iterancestors())
    node = b
    while node is not None and id(node) not in ancestors:
        node = node.getparent()
    return node if node is not None else a


def _depth(el: Any) -> int:
    return sum(1 for _ in el.iterancestors())


def _heading_outside(parent: Any, child: Any, allowed: Any = None) -> bool:
    return any(
        c is not child and c is not allowed and isinstance(c.tag, str) and c.tag in _HEADINGS for c in parent
    )


def _repeated(el: Any, parent: Any) -> bool:
    """Is ``el`` one of several same-looking siblings (a grid of cards, rows of a list)?

    Only classed blocks and card-ish tags count: a card's own classless <p>s repeat too.
    """
    if not el.get("class") and el.tag not in ("section", "article", "li"):
        return False
    sig = (el.tag, el.get("class"))
    return sum(1 for c in parent if c.tag == sig[0] and c.get("class") == sig[1]) >= 2


def _card_range(
    walk: PageLines, base: Any, own: int, anchor: int, blockers: list[int], label_el: Any = None
) -> tuple[int, int, Any]:
    """Position range of a person's card: the largest small ancestor that holds no other person.

    ``blockers`` are the sorted name positions of every (possible) person on the page.
    """
    spans = walk.spans

    def others(el: Any) -> bool:
        s, e = spans.get(el, (0, 0))
        i = bisect_left(blockers, s)
        while i < len(blockers) and blockers[i] < e:
            if blockers[i] != own:
                return True
            i += 1
        return False

    if others(base):
        # flat markup (h3, p, p, h3, ...): the card runs from this person up to the next one
        _, e = spans.get(base, (anchor, anchor + 1))
        i = bisect_right(blockers, own)
        nxt = blockers[i] if i < len(blockers) else e
        return anchor, min(e, nxt), base
    el = base
    while el.tag not in _CARD_TAGS:
        parent = el.getparent()
        if parent is None or parent.tag in _STOP_CLIMB or others(parent) or _repeated(el, parent):
            break
        s, e = spans.get(parent, (0, 0))
        if e - s > _MAX_CARD_ITEMS or _heading_outside(parent, el, label_el):
            break
        el = parent
    s, e = spans.get(el, (anchor, anchor + 1))
    return min(s, anchor), e, el


@lru_cache(maxsize=16384)
def _read_line(
    text: str,
) -> tuple[str | None, tuple[str, str] | None, str | None, tuple[str, str | None] | tuple[()] | None]:
    """What one visible line says: (name, (name, title), title, contact label), each when it reads so.

    The later readings are only computed when the earlier ones fail, as _candidate_cards uses them.
    The label is the first (name, title) after an "Ansprechpartner:" label, () for a label with no
    name after it, None for no label. Cached: headers, footers and team blocks repeat on every page
    of a site, so most lines were read before (all of this is a pure function of the text).
    """
    name = clean_person_name(text)
    if name:
        return name, None, None, None
    combo = split_name_title(text)
    if combo:
        return None, combo, None, None
    title = is_job_title(text)
    m = CONTACT_LABEL_RE.match(text)
    if not m:
        return None, None, title, None
    found = imprint_names(m.group("rest"), None) if m.group("rest") else []
    return None, None, title, (found[0] if found else ())


def _candidate_cards(walk: PageLines) -> list[_Card]:
    """Name lines paired with the job-title line next to them (or on the same line), plus bare names.

    A title line between two names goes to the one it shares the deeper block with (ties: the name
    above it, the usual "name, then title" order). A title above its name counts only when the two
    share a block with no other name in it, so a section heading ("Vertrieb") isn't anyone's title.
    """
    lines = walk.lines
    n = len(lines)
    names: list[str | None] = [None] * n
    titles: list[str | None] = [None] * n
    cards: dict[int, _Card] = {}
    label_before = False
    for i, line in enumerate(lines):
        text = line.text
        after_label, label_before = label_before, False
        if len(text) > 160:
            continue
        name, combo, title, label = _read_line(text)
        if name:
            names[i] = name
            if after_label:
                cards[i] = _Card(name, None, i, None, labelled=True, label_el=lines[i - 1].owner)
            continue
        if combo:
            cards[i] = _Card(combo[0], combo[1], i, i)
            continue
        titles[i] = title
        if label:
            cards[i] = _Card(label[0], label[1], i, i if label[1] else None, labelled=True)
        elif label is not None:
            label_before = True

    def section_heading(t: int, name_idx: int) -> bool:
        """Is title line ``t`` outside the card of the name above it: past the end of the name's
        row or list item, or the heading of the next section ("Tobias Klein" in a table row,
        then "<h3>Abteilungsleiter</h3>")?"""
        owner, name_owner = lines[t].owner, lines[name_idx].owner
        if owner is None or name_owner is None:
            return False
        lca = _lca(name_owner, owner)
        node = name_owner
        while node is not None and node is not lca:
            if node.tag in _CARD_TAGS or node.tag in ("table", "ul", "ol"):
                return True  # the name's row or list item ends before the title line
            node = node.getparent()
        if owner.tag not in _HEADINGS:
            return False
        if name_owner.tag in _HEADINGS and name_owner.tag < owner.tag:
            return False  # <h3>name</h3><h4>title</h4>
        s, e = walk.spans.get(lca, (0, 0))
        return any(
            names[k] and k != name_idx and s <= lines[k].pos < e
            for k in range(max(0, t - 40), min(n, t + 40))
        )

    for t in range(n):
        if not titles[t]:
            continue
        above = t - 1 if t > 0 and names[t - 1] and not section_heading(t, t - 1) else None
        below = t + 1 if t + 1 < n and names[t + 1] else None
        if above is None and below is None:
            continue
        choice: int
        if above is not None and below is not None:
            d_above = _depth(_lca(lines[above].owner, lines[t].owner))
            d_below = _depth(_lca(lines[below].owner, lines[t].owner))
            choice = below if d_below > d_above else above
        elif above is not None:
            choice = above
        else:
            choice = below  # type: ignore[assignment]  # both None was ruled out above
        if choice == below:
            lca = _lca(lines[below].owner, lines[t].owner)
            s, e = walk.spans.get(lca, (0, 0))
            if any(
                names[k] and k != below and s <= lines[k].pos < e
                for k in range(max(0, t - 40), min(n, t + 40))
            ):
                continue
            existing = cards.get(choice)
            if existing and existing.title_idx is not None:
                continue
        cards[choice] = _Card(names[choice] or "", titles[t], choice, t)
    more: dict[int, list[_Card]] = {}  # the second and later names of a line listing several
    for listed in role_lists(walk):
        card = cards.get(listed.idx)
        if card is not None and card.listed:
            card.shares_line = True
            more.setdefault(listed.idx, []).append(
                _Card(listed.name, listed.title, listed.idx, None, listed=True, shares_line=True)
            )
            continue
        if card is not None and card.title:
            continue  # a title of its own ("Tobias Klein / Schriftführer") beats the heading's
        cards[listed.idx] = _Card(listed.name, listed.title, listed.idx, None, listed=True)
    for i in range(n):
        if names[i] and i not in cards:
            cards[i] = _Card(names[i] or "", None, i, None)
    return [c for i in sorted(cards) for c in (cards[i], *more.get(i, ()))]


def _place(walk: PageLines, card: _Card, blockers: list[int]) -> None:
    lines = walk.lines
    line = lines[card.name_idx]
    if card.title_idx is None or card.title_idx == card.name_idx:
        base, anchor = line.owner, line.pos
    else:
        other = lines[card.title_idx]
        base, anchor = _lca(line.owner, other.owner), min(line.pos, other.pos)
    card.start, card.end, card.el = _card_range(walk, base, line.pos, anchor, blockers, card.label_el)
    if card.listed and card.el is line.owner:
        # "<h2>Geschäftsführung</h2><h3>Max Müller</h3><p>Tel. ...</p><h3>...": flat markup under a
        # role heading, the lines after the name are its card up to the next name or heading
        i = bisect_right(blockers, line.pos)
        stop = blockers[i] if i < len(blockers) else None
        end = card.end
        for nxt in lines[card.name_idx + 1 : card.name_idx + 8]:
            if (stop is not None and nxt.pos >= stop) or (
                nxt.owner is not None and nxt.owner.tag in _HEADINGS
            ):
                break
            end = nxt.pos + 1
        card.end = end
        card.el = line.owner.getparent() if line.owner.getparent() is not None else line.owner


def _is_testimonial(card_lines: list[Line], name_pos: int) -> bool:
    for ln in card_lines:
        text = ln.text
        if len(text) > 25 and text.startswith(QUOTE_STARTS):
            return True
        if TESTIMONIAL_RE.search(text):
            return True
        if ln.pos == name_pos and text[:1] in "—–-~":
            return True
    return False


def _nearest_hint(el: Any) -> str | None:
    """'people' or 'other' from the nearest class/id that says what the block holds, else None."""
    node, depth = el, 0
    while node is not None and depth < 8 and node.tag not in ("body", "html"):
        attrs = f"{node.get('class', '')} {node.get('id', '')}"
        if attrs.strip():
            if PEOPLE_HINT_RE.search(attrs):
                return "people"
            if OTHER_HINT_RE.search(attrs):
                return "other"
        node = node.getparent()
        depth += 1
    return None


def _photo_of(el: Any, name: str) -> bool:
    """A portrait in the card whose alt/title names the person."""
    key = name_key(name)
    last = key.split()[-1] if key else ""
    for img in el.iter("img"):
        alt = name_key(f"{img.get('alt', '')} {img.get('title', '')}")
        if last and last in alt.split():
            return True
    return False


def _is_person_card(
    walk: PageLines, card: _Card, email: str | None, phone: str | None, profiles: dict[str, str]
) -> bool:
    """Weigh the evidence that a name + title block is a person and not a product or a tagline.

    Strong: their own address, a LinkedIn/XING profile, or a photo captioned with the name --
    enough even in a block classed as products or posts. Otherwise the block must not look like
    product/job/blog content, and one weaker sign must hold: a people-ish class (team, staff,
    contact ...), a known given name, a contact-person label, or any phone/email in the card.
    """
    strong = bool(email and email_matches_name(email, card.name)) or any(
        "/in/" in url or "/profile/" in url or "/pub/" in url for url in profiles.values()
    )
    el = card.el
    whole = (
        el is not None
        and walk.spans.get(el, (-1, -1))[0] <= card.start
        and walk.spans.get(el, (-1, -1))[1] >= card.end
    )
    if not strong and el is not None and whole and el.tag != "body":
        strong = _photo_of(el, card.name)
    if strong:
        return True
    hint = _nearest_hint(el) if el is not None else None
    if hint == "other":
        return False
    if any(CALL_TO_ACTION_RE.search(ln.text) for ln in card_lines(walk, card.start, card.end)):
        return False
    return (
        hint == "people" or has_given_name(card.name) or card.labelled or card.listed or bool(email or phone)
    )


def card_people(walk: PageLines, domain: str, region: str) -> list[tuple[int, PersonFact]]:
    """People from cards: paired names, labelled names, and bare names with their own address."""
    cards = _candidate_cards(walk)
    lines = walk.lines
    everyone = sorted(lines[c.name_idx].pos for c in cards)
    # Bare names are people only with a matching address in their card. Decide that with every
    # name blocking (tightest cards), then let only the real people bound the others' cards.
    kept: list[_Card] = []
    for card in cards:
        if card.title_idx is None and matches_domain(card.name, domain):
            continue  # "Kontakt / Schreinerei Holzmann": the company, not a person
        if card.title_idx is None and not card.labelled and not card.listed:
            _place(walk, card, everyone)
            if not has_email(walk, card.start, card.end, card.el):
                continue
            email, _, _ = block_contacts(walk, card.start, card.end, card.el, card.name, region)
            if not (email and email_matches_name(email, card.name)):
                continue
        kept.append(card)
    blockers = sorted(lines[c.name_idx].pos for c in kept)
    out: list[tuple[int, PersonFact]] = []
    # cards whose only fault is weak evidence, for the grid's verdict below
    doubtful: list[tuple[_Card, str | None, str | None, dict[str, str]]] = []
    accepted: list[_Card] = []
    for card in kept:
        _place(walk, card, blockers)
        name_pos = lines[card.name_idx].pos
        if _is_testimonial(card_lines(walk, card.start, card.end), name_pos):
            continue
        if card.title:
            ext = EXTERNAL_TITLE_RE.search(card.title)
            if ext and not matches_domain(ext.group(1), domain):
                continue  # "CEO at Globex": a customer or a guest, not this company's person
        email, phone, profiles = block_contacts(walk, card.start, card.end, card.el, card.name, region)
        if card.shares_line:
            email = email if email and email_matches_name(email, card.name) else None
            phone, profiles = None, {}
        if not _is_person_card(walk, card, email, phone, profiles):
            if card.title and card.el is not None:
                doubtful.append((card, email, phone, profiles))
            continue
        accepted.append(card)
        out.append((name_pos, _person(walk, card, email, phone, profiles)))
    for card, email, phone, profiles in doubtful:
        if _grid_vouches(card, accepted) and not _other_content(walk, card):
            out.append((lines[card.name_idx].pos, _person(walk, card, email, phone, profiles)))
    return out


def _person(
    walk: PageLines, card: _Card, email: str | None, phone: str | None, profiles: dict[str, str]
) -> PersonFact:
    return PersonFact(
        card.name, Evidence("card", walk.lines[card.name_idx].text[:200]), card.title, email, phone, profiles
    )


def _grid_vouches(card: _Card, accepted: list[_Card]) -> bool:
    """A name + title card among look-alike cards that are people is a person too ("Mere Tipene /
    Operations" between two consultants whose given names are known): the layout is the evidence.

    Look-alike: the same element (flat markup, one block of h3/p pairs), or sibling elements of
    the same tag and class. At least two such cards must be people on their own evidence.
    """
    el = card.el
    parent = el.getparent()
    sig = (el.tag, el.get("class"))
    same = [
        c
        for c in accepted
        if c.el is el
        or (c.el is not None and c.el.getparent() is parent and (c.el.tag, c.el.get("class")) == sig)
    ]
    return len(same) >= 2


def _other_content(walk: PageLines, card: _Card) -> bool:
    hint = _nearest_hint(card.el) if card.el is not None else None
    return hint == "other" or any(
        CALL_TO_ACTION_RE.search(ln.text) for ln in card_lines(walk, card.start, card.end)
    )
