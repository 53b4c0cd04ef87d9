"""The ``hiring`` signal: open roles on the pages where they live, in EN/DE/FR/ES/NL.

What counts, strongest first: a valid schema.org ``JobPosting``; job titles with a gender marker
("(m/w/d)", "(H/F)", "(m/v/x)"); job cards, an opening count, a job-board link or embed
(Greenhouse, Lever, Workable, Personio, Recruitee, ...) or a jobs@ mailbox on a careers page; an
explicit "we're hiring" sentence in the body of any page. A Careers link in the navigation, an
expired posting, "no open positions" and a careers page that only invites speculative
applications are not open roles.
"""

# ruff: noqa: E501  (multilingual vocabulary regexes read better unwrapped than split mid-alternation)

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from crawler.extract.blocks import SNIPPET_CHARS, in_chrome, sentence_around
from crawler.extract.dates import parse_date
from crawler.extract.facts import Evidence, SignalFact
from crawler.extract.page import Page
from crawler.extract.prefilter import Prefiltered
from crawler.extract.structured import first_text, schema_types

__all__ = ["detect_hiring", "is_careers_page"]

STALE_POSTING_DAYS = 180

_CAREERS_PATH = re.compile(
    r"career|karriere|carri[eè]re|\bjobs?\b|stellen|emplois?|empleos?|recrutement|recrutamento|"
    r"join-?us|work-?with-?us|werken-?bij|werkenbij|vacatures?|vacanc|vacantes|trabaja|unete|"
    r"bolsa-de-trabajo|offene-stellen|open-positions|openings",
    re.I,
)
_CAREERS_HEADING = re.compile(
    r"^(?:careers?|jobs|karriere|stellenangebote|offene stellen|carrières?|emplois?|nous rejoindre|"
    r"rejoignez[- ]nous|empleo|trabaja con nosotros|únete a(?: nuestro equipo)?|vacatures|werken bij|"
    r"join (?:us|our team)|work with us|open positions|current openings)\b",
    re.I,
)
# An opening: these say roles are open now, wherever they stand in the page's body.
_HIRING_STRONG = re.compile(
    r"\bwe(?:['’]re| are) (?:now |currently |actively )?hiring\b|\bnow hiring\b|\bopen (?:roles|positions|jobs|vacancies)\b|"
    r"\bcurrent(?:ly)? (?:openings|vacancies|open positions)\b|\bjob openings\b|"
    r"\bwir stellen ein\b|\boffene stellen\b|\baktuelle stellen(?:angebote)?\b|\bstellenangebote\b|"
    r"\bnous recrutons\b|\bon recrute\b|\bpostes? (?:ouverts?|à pourvoir)\b|\boffres d['’]emploi\b|"
    r"\bestamos contratando\b|\bofertas de (?:empleo|trabajo)\b|\bvacantes (?:disponibles|abiertas)\b|\bposiciones abiertas\b|"
    r"\bopenstaande vacatures\b|\bactuele vacatures\b|\bwij zoeken (?:een |nieuwe )?(?:collega|versterking)|\bwe zoeken (?:een |nieuwe )?(?:collega|versterking)",
    re.I,
)
# An invitation: on a careers page, together with a listing, a board or a jobs mailbox.
_HIRING_SOFT = re.compile(
    r"\bjoin (?:our|the) team\b|\bwork with us\b|\bwir suchen\b|\bjobs bei uns\b|\bkarriere bei\b|"
    r"\brejoignez[- ](?:nous|notre équipe)\b|\bnous rejoindre\b|\búnete a (?:nuestro|el) equipo\b|\btrabaja con nosotros\b|"
    r"\bwerken bij\b|\bkom (?:ons team )?versterken\b|\bvacatures\b|\bvacature\b",
    re.I,
)
_NO_OPENINGS = re.compile(
    r"\bno (?:open|current) (?:roles|positions|jobs|vacancies|openings)\b|\bnot (?:currently )?hiring\b|"
    r"\bcurrently no (?:open )?(?:roles|positions|vacancies|openings)\b|\bno vacancies\b|\bkeine offenen stellen\b|"
    r"\bderzeit keine\b|\baktuell keine\b|\baucun poste\b|\bpas de poste\b|\bno hay (?:vacantes|ofertas)\b|"
    r"\bgeen (?:openstaande )?vacatures\b",
    re.I,
)
_ROLE_COUNT = re.compile(
    r"\b(\d{1,4})\s+(?:open\s+)?(?:roles|positions|jobs|vacancies|openings)\b(?!\s+(?:filled|closed))|"
    r"\b(\d{1,4})\s+(?:offene\s+)?stellen(?:angebote)?\b|\b(\d{1,4})\s+postes?\s+(?:ouverts?|à pourvoir)\b|"
    r"\b(\d{1,4})\s+(?:vacantes|ofertas de empleo|posiciones abiertas)\b|\b(\d{1,4})\s+(?:openstaande\s+)?vacatures\b",
    re.I,
)
# a job title's gender marker: German (m/w/d), French (H/F), Dutch (m/v/x), English (m/f/d)
_GENDER_MARKER = re.compile(
    r"\((?:[mwfdhvx]\s*/\s*){1,3}[mwfdhvx]\*?\)|\((?:all genders|alle geschlechter)\)", re.I
)
_JOB_CARD_CLASS = re.compile(
    r"(?:^|[\s_-])(?:job|jobs|position|opening|vacancy|vacature|stelle|stellenanzeige|poste|oferta|posting|job-?listing)(?:$|[\s_-])",
    re.I,
)
_JOB_BOARDS = re.compile(
    r"(?:^|\.)(?:greenhouse\.io|lever\.co|workable\.com|personio\.(?:de|com)|recruitee\.com|ashbyhq\.com|"
    r"smartrecruiters\.com|teamtailor\.com|bamboohr\.com|breezy\.hr|jobvite\.com|myworkdayjobs\.com|"
    r"softgarden\.io|join\.com|homerun\.co|jobs\.ch|welcometothejungle\.com|factorialhr\.com)$",
    re.I,
)
_JOBS_MAILBOX = re.compile(
    r"^(?:jobs?|careers?|employment|recruit(?:ing|ment)?|hiring|talent|karriere|bewerbung(?:en)?|"
    r"emplois?|recrutement|empleo|rrhh|seleccion|vacatures?|sollicitatie|werkenbij)@",
    re.I,
)


# Words every match of the pattern holds, given by hand where the pattern's own literal starts are
# too short to rule anything out ("we", "not "): a page without any of them is not searched.
_NO_OPENINGS_WORDS = Prefiltered(
    _NO_OPENINGS,
    ("no open", "no current", "hiring", "currently no", "no vacancies", "keine", "aucun poste", "pas de poste",
     "no hay", "vacatures"),
)  # fmt: skip
_HIRING_STRONG_WORDS = Prefiltered(
    _HIRING_STRONG,
    ("hiring", "open ", "current", "job openings", "wir stellen ein", "offene stellen", "aktuelle stellen",
     "stellenangebote", "nous recrutons", "on recrute", "poste", "offres d", "estamos contratando", "ofertas de",
     "vacantes", "posiciones abiertas", "vacatures", "zoeken "),
)  # fmt: skip
_HIRING_SOFT_WORDS = Prefiltered(_HIRING_SOFT)


def is_careers_page(page: Page) -> bool:
    """The page is a careers page by its path or its main heading."""
    if _CAREERS_PATH.search(urlsplit(page.url).path):
        return True
    for h in page.tree.iter("h1"):
        if _CAREERS_HEADING.search(page.element_text(h)) and not in_chrome(h):
            return True
    return False


def _postings(page: Page, now: datetime) -> list[dict[str, Any]]:
    valid = []
    for node in page.schema_nodes:
        if "JobPosting" not in schema_types(node):
            continue
        until = parse_date(node.get("validThrough"))
        if until is not None and until < now.date():
            continue  # an expired posting is a job that was, not a job that is
        posted = parse_date(node.get("datePosted"))
        if until is None and posted is not None and (now.date() - posted).days > STALE_POSTING_DAYS:
            continue  # no end date and half a year old: most likely stale
        valid.append(node)
    return valid


def _in_link(el: Any) -> bool:
    return el.tag == "a" or any(a.tag == "a" for a in el.iterancestors())


def _board_links(page: Page) -> tuple[list[str], bool]:
    """Job-board hosts the page links to or embeds, and whether one is in the body (not chrome)."""
    hosts: list[str] = []
    in_body = False
    for el in page.tree.iter("a", "iframe", "script"):
        ref = el.get("href") if el.tag == "a" else el.get("src")
        if not ref or not ref.startswith(("http", "//")):
            continue
        host = (urlsplit(ref if "://" in ref else "https:" + ref).hostname or "").lower()
        if not _JOB_BOARDS.search(host):
            continue
        if host not in hosts:
            hosts.append(host)
        in_body = in_body or el.tag != "a" or not in_chrome(el)
    return hosts, in_body


def _jobs_mailbox(page: Page) -> str | None:
    for a in page.tree.iter("a"):
        href = (a.get("href") or "").strip()
        if href.lower().startswith("mailto:"):
            address = href[7:].split("?", 1)[0].strip()
            if _JOBS_MAILBOX.match(address) and not in_chrome(a):
                return address.lower()
    return None


def detect_hiring(page: Page, now: datetime) -> list[SignalFact]:
    """The page's ``hiring`` signal with its open-role count and what counted, or nothing."""
    valid = _postings(page, now)
    if valid:
        title = first_text(valid[0].get("title")) or "job posting"
        return [
            SignalFact(
                "hiring",
                page.url,
                Evidence("jsonld", f"JobPosting: {title}"[:SNIPPET_CHARS]),
                0.95,
                {"open_roles": len(valid)},
                (f"{len(valid)} valid JobPosting in structured data",),
            )
        ]
    blocks = page.blocks
    # One search of all the blocks' text, joined by NUL, says whether any block matches: none of
    # these patterns matches a NUL, and next to one \b and the lookahead see what they see at a
    # text's end. The blocks are then searched one by one only for a pattern that can match.
    joined = "\0".join(text for _, text in blocks)
    folded = page.blocks_folded  # holds every block's text: what the word pre-filters look at
    if _NO_OPENINGS_WORDS.search(joined, folded):
        return []
    careers = is_careers_page(page)
    reasons: list[str] = []
    if careers:
        reasons.append(f"careers page {urlsplit(page.url).path or '/'}")
    evidence: Evidence | None = None
    count = 0
    # job titles with a gender marker: one per block, outside links that merely point at them
    titled = (
        [(el, text) for el, text in blocks if _GENDER_MARKER.search(text) and len(text) < 160]
        if _GENDER_MARKER.search(joined)
        else []
    )
    if titled:
        count = len(titled)
        reasons.append(f"{count} job titles with a gender marker")
        evidence = Evidence("text", f"open role: {titled[0][1]}"[:SNIPPET_CHARS])
    cards = (
        [
            el
            for el in page.tree.iter("article", "li", "div", "a", "tr")
            if _JOB_CARD_CLASS.search(el.get("class") or "") and not in_chrome(el)
        ]
        if careers
        else []
    )
    # cards nest (a card's link inside the card): count the outermost ones
    outer = [c for c in cards if not any(anc in cards for anc in c.iterancestors())]
    if len(outer) > count:
        count = len(outer)
        reasons.append(f"{count} job cards")
        title = page.element_text(outer[0]).split("\n")[0]
        evidence = evidence or Evidence("card", f"open role: {title}"[:SNIPPET_CHARS])
    strong = soft = None
    strong_any = _HIRING_STRONG_WORDS.search(joined, folded) is not None
    count_any = (careers or strong_any) and _ROLE_COUNT.search(joined) is not None
    soft_any = careers and _HIRING_SOFT_WORDS.search(joined, folded) is not None
    for el, text in blocks if strong_any or count_any or soft_any else ():
        if _in_link(el):
            continue  # a "We're hiring" link is a pointer to evidence, not evidence
        m = _ROLE_COUNT.search(text) if count_any else None
        if m and (careers or _HIRING_STRONG.search(text)):
            stated = int(next(g for g in m.groups() if g))
            if 0 < stated < 5000 and stated >= count:
                count = stated
                reasons.append(f"states {stated} openings")
                evidence = Evidence("text", sentence_around(text, m.start(), m.end()))
        if strong is None and strong_any:
            m = _HIRING_STRONG.search(text)
            if m:
                strong = Evidence("text", sentence_around(text, m.start(), m.end()))
        if soft is None and soft_any:
            m = _HIRING_SOFT.search(text)
            if m:
                soft = Evidence("text", sentence_around(text, m.start(), m.end()))
    boards, board_in_body = _board_links(page)
    mailbox = _jobs_mailbox(page) if careers else None
    if strong:
        reasons.append(f"“{strong.snippet[:60]}”")
    if boards:
        reasons.append("job board " + ", ".join(boards[:3]))
    if mailbox:
        reasons.append(f"applications to {mailbox}")
    if count and (careers or titled):
        confidence = 0.9
    elif careers and strong:
        confidence = 0.85
    elif boards and (board_in_body or careers):
        confidence = 0.8
    elif careers and (mailbox or boards) and soft:
        confidence = 0.7
    elif boards:
        confidence = 0.6  # the site's own link to its job board, in its navigation
    elif strong:
        confidence = 0.6  # "we're hiring" in an ordinary page's body: real, but no job to point at
    elif careers and (soft or mailbox):
        confidence = 0.45  # an invitation to apply, nothing open: evidence, not a signal
    else:
        return []
    if evidence is None:
        evidence = (
            strong
            or (Evidence("link", f"job board: {boards[0]}") if boards else None)
            or (Evidence("mailto", mailbox) if mailbox else None)
            or soft
        )
    assert evidence is not None
    return [SignalFact("hiring", page.url, evidence, confidence, {"open_roles": count}, tuple(reasons))]
