"""People on a page: schema.org Persons, team/contact cards and imprint lines, with their contacts."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from crawler.extract.company import matches_domain, registered_domain
from crawler.extract.deobfuscate import (
    AT_BRACKET,
    AT_HINT_RE,
    AT_WORD,
    DOT_BRACKET,
    DOT_WORD,
    NumberLabel,
    cf_decode,
    cf_href_decode,
    has_phone_label,
    label_kind,
    undo_at_dot,
)
from crawler.extract.emails import is_role_email, normalize_email
from crawler.extract.facts import Evidence, PersonFact
from crawler.extract.page import Page
from crawler.extract.phones import normalize_phone
from crawler.extract.social import PLATFORMS, person_profile
from crawler.extract.structured import first_text, schema_types, short_type
from crawler.extract.text import (
    EMBEDDED_TAGS,
    HIDDEN_TAGS,
    LINE_INLINE_TAGS,
    NON_CONTENT_TAGS,
    Walk,
    WalkEvent,
    element_text,
    hidden_by_style,
)

__all__ = ["clean_person_name", "extract_people", "is_job_title", "split_name_title"]


def _words(text: str) -> frozenset[str]:
    """A word set written as one wrapped string (long vocabularies stay readable)."""
    return frozenset(text.split())


# --- vocabulary -------------------------------------------------------------------------------

_WS = re.compile(r"\s+")

# Job-title words. Acronyms are matched case-sensitively (so "ceo" inside prose doesn't count),
# words case-insensitively; German compounds (Vertriebsleiterin, Geschäftsführer) by their stems.
_TITLE_ACRONYM = re.compile(
    r"(?<![\w-])(?:CEO|CTO|CFO|COO|CMO|CIO|CISO|CPO|CRO|CSO|CDO|CCO|CHRO|VP|SVP|EVP|AVP|HR|PDG|DG|DRH|DAF)(?![\w-])"
)
_TITLE_WORD = re.compile(
    r"(?<![\w-])(?:"
    # English
    r"co-?founder|founder|founding partner|co-?owner|owner|president|vice[- ]president|"
    r"chair(?:man|woman|person)?|"
    r"head of|director|managing|manager|team lead|tech(?:nical)? lead|lead|engineer|partner|sales|marketing|"
    r"principal|consultant|specialist|coordinator|assistant|associate|representative|officer|executive|"
    r"developer|designer|architect|architecte|architekt(?:in)?|analyst|accountant|administrator|advis[eo]r|attorney|lawyer|counsel|"
    r"secretary|treasurer|recruiter|scientist|researcher|business development|human resources|supervisor|"
    r"technician|editor|chief|board member|member of the board|trainee|intern|apprentice|controller|"
    r"bookkeeper|receptionist|strategist|producer|product owner|scrum master|"
    # German
    r"geschäftsführer(?:in)?|geschäftsführung|inhaber(?:in)?|\w*leiter(?:in)?|leitung|vertrieb\w*|vorstand\w*|"
    r"prokurist(?:in)?|gesellschafter(?:in)?|\w*berater(?:in)?|referent(?:in)?|assistenz|\w*assistent(?:in)?|"
    r"sachbearbeiter(?:in)?|\w*ingenieur(?:in)?|\w*entwickler(?:in)?|techniker(?:in)?|einkauf|buchhaltung|"
    r"personalwesen|kundenservice|kundenbetreuung|außendienst|innendienst|verkauf\w*|"
    r"gründer(?:in)?|mitgründer(?:in)?|aufsichtsrat\w*|vorsitzender?|\w*manager(?:in)?|\w*beauftragter?|"
    r"disponent(?:in)?|\w+kauf(?:mann|frau)|sekretariat|steuerberater(?:in)?|rechtsanwält(?:in)?|rechtsanwalt|"
    r"justiziar(?:in)?|\w*koordinator(?:in)?|\w*spezialist(?:in)?|expert(?:e|in)|partnerin|"
    # French
    r"directeur|directrice|gérante?|responsable|présidente?|vice-présidente?|fondat(?:eur|rice)|"
    r"co-?fondat(?:eur|rice)|chargée? d[e'’]|chef d[e'’]|ingénieure?|commerciale?|associée?|"
    r"conseill(?:er|ère)|propriétaire|vigneronne?|"
    r"comptable|assistante|secrétaire|développeu(?:r|se)|technicien(?:ne)?|consultante|gestionnaire|"
    r"déléguée?|attachée? d[e'’]|administrat(?:eur|rice)|ébéniste|menuisi(?:er|ère)|artisan|apprentie?|"
    r"stagiaire|conducteur de travaux|chef de chantier|décorat(?:eur|rice)|"
    r"(?:schreiner|tischler|elektro|maler|dachdecker|zimmerer|installateur|kfz|friseur)meister(?:in)?|"
    r"tischler(?:in)?|schreiner(?:in)?|elektriker(?:in)?|monteur(?:in)?|"
    # Spanish, Italian, Dutch
    r"gerente|fundador(?:a)?|directora?|socio|jefe|direttore|titolare|eigenaar|oprichter|bedrijfsleider"
    r")(?![\w-])"
    # French "… d'atelier": the elided article glues the next word on
    r"|(?<![\w-])(?:chargée?|chef|attachée?|responsable|directeur|directrice|architecte)\s+d['’]",
    re.I,
)
# Lines with these words are job ads, prices, calls to action or prose, not someone's title.
_NOT_TITLE = re.compile(
    r"(?:\b(?:m/w/d|w/m/d|m/f/d|f/m/d|d/m/w|h/f|f/h|hiring|we are|we're|wir suchen|gesucht|apply|bewerb\w*|"
    r"vacanc\w*|open positions?|job|jobs|stellen\w*|karriere|career\w*|price|preis\w*|prix|request|anfrage|"
    r"bestell\w*|buy|kaufen|download|read more|mehr erfahren|learn more|click|free|kostenlos|cookie\w*|"
    r"our|unser\w*|your|ihr\w*|votre|nos|notre|you|sie|this|that|here|hier|time|zeit)\b|[€$£?!@]|https?:|www\.)",
    re.I,
)
# Title words that also name departments or appear in product copy ("Lead time", "Sales tools"):
# a line whose only title words are these must not read like prose (lower-case words).
_WEAK_TITLE = _words(
    """
    lead sales marketing partner executive associate officer principal chair managing chief
    representative editor producer intern vertrieb einkauf verkauf leitung commercial commerciale
    """
)
_TITLE_GLUE = frozenset(
    {"of", "and", "&", "de", "du", "des", "la", "le", "für", "und", "the", "et", "d'", "y"}
)
_TITLE_LABEL = re.compile(r"^(?:position|funktion|title|role|rolle|poste|fonction|job title)\s*:\s*", re.I)

# Capitalised words that head, label or decorate a page but are nobody's name.
_STOPWORDS = _words(
    """
    our team the meet contact us get in touch about management leadership board executive staff
    people members home products product solutions solution services service news blog careers
    career jobs job read more learn request demo call email e-mail mail phone telephone tel fax
    mobile address street road avenue lane drive suite floor building straße strasse str weg platz
    allee gasse ring rue boulevard chemin privacy policy terms cookie cookies settings accept
    decline reject all necessary statistics preferences imprint impressum datenschutz kontakt unser
    unsere ihr ihre ansprechpartner ansprechpartnerin über uns startseite notre nos équipe equipe
    contactez nous mentions légales qui sommes accueil welcome hello thank thanks you your we are is
    and or for with of to at by from on new free now today view see show open close menu search
    login sign up download subscribe newsletter follow share like customer customers client clients
    support help faq case study studies success stories story award awards event events webinar
    industry industries technology technologies software hardware platform company group holding
    international global europe germany deutschland america usa france gmbh ag kg ug ohg gbr inc llc
    ltd limited corp corporation co sa sas sarl plc bv nv srl spa automation systems system
    consulting digital office headquarters hq location locations standort opening hours monday
    tuesday wednesday thursday friday saturday sunday montag dienstag mittwoch donnerstag freitag
    samstag sonntag january february march april june july august september october november
    december januar februar märz juni juli oktober dezember north south east west central city new
    san los las series edition model version lite ultra mini pro plus robot robots robotics machine
    machines maschinenbau engineering technik gripper arm cloud data ai api app apps online store
    shop cart checkout account price pricing plan plans enterprise business partners partner
    überblick overview history geschichte mission vision values werte jetzt now mehr weitere alle
    cookie-einstellungen einstellungen akzeptieren ablehnen speichern save okay ok got it senior
    junior deputy interim acting general regional national area country district branch key inside
    technical creative project operations quality business human public relations communications
    research development strategy supply chain data web content social media brand finance financial
    tax legal accounts account compliance procurement purchasing logistics innovation training
    academy stellvertretender stellvertretende kaufmännischer kaufmännische technischer technische
    leitender leitende amtsgericht registergericht handelsregister landgericht finanzamt gericht
    register
    """
)
_PARTICLES = _words(
    """
    von van de da del della der den di du la le zu zum zur vom dos das do ten ter bin ibn al el y
    des st. mac
    """
)
# Salutations and academic titles are dropped from names (so "Dr. Anna Schmidt" and "Anna
# Schmidt" are one person); trailing degrees likewise.
_HONORIFIC = re.compile(
    r"^(?:(?:Herrn?|Frau|Hr\.|Fr\.|Mr\.?|Mrs\.?|Ms\.?|Miss|Mx\.?|Mme\.?|Mlle\.?|M\.|Monsieur|Madame|Sir|Dame|"
    r"Dr\.-Ing\.|Dr\.(?:\s?(?:rer|med|phil|jur|ing|oec|h\.?\s?c)\.(?:\s?(?:nat|pol|soc|techn)\.)?)?|Prof\.|"
    r"Dipl\.-?\s?[A-Za-zäöüÄÖÜ]+\.(?:\s?\(FH\))?|Dipl\.|Ing\.|Mag\.|MBA|B\.\s?Sc\.|M\.\s?Sc\.|B\.\s?A\.|M\.\s?A\.)\s*)+"
)
_DEGREE_SUFFIX = re.compile(
    r"(?:,?\s+(?:MBA|M\.?\s?Sc\.?|B\.?\s?Sc\.?|M\.?\s?A\.?|B\.?\s?A\.?|Ph\.?\s?D\.?|LL\.?\s?M\.?|MD|CPA|CFA|PMP|"
    r"Dipl\.-?\s?[A-Za-zäöü]+\.|\(FH\)))+\.?$"
)
_INITIAL = re.compile(r"^(?:[A-ZÀ-Þ]\.){1,2}$")
_NAME_CHARS = re.compile(r"^[^\W\d_](?:[^\W\d_]|['’\-])*$")

_QUOTE_START = ("“", '"', "„", "«", "‚", "‘", "»", "'")
_TESTIMONIAL_WORDS = re.compile(r"\b(?:said|says|sagt|sagte|meint|déclare|explique|dice)\b|★|⭐", re.I)
_EXTERNAL_TITLE = re.compile(r"\s(?:at|bei|chez|@)\s+(.+)$", re.I)

# "Geschäftsführer: Max Müller", "Vertreten durch: ...", "Managing Directors: A, B".
_IMPRINT_LABEL = (
    r"(?:(?:vertretungsberechtigter?n?\s+|alleinige?r?\s+)?(?:geschäftsführer(?:in(?:nen)?)?|geschäftsführende[rn]?\s+gesellschafter(?:in)?|"
    r"geschäftsführung|gesch\.-?f(?:ührer)?\.?|inhaber(?:in)?|vorstand(?:svorsitzender?)?|vorstände|"
    r"vorsitzender? des (?:vorstands|aufsichtsrate?s)|aufsichtsratsvorsitzender?|prokurist(?:in|en)?|"
    r"(?:persönlich haftende[rn]?\s+)?gesellschafter(?:in)?)"
    r"|vertreten durch(?:\s+(?:den|die|das))?(?:\s+(?:geschäftsführer(?:in)?|vorstand|inhaber(?:in)?))?"
    r"|vertretungsberechtigte?r?(?:\s+person(?:en)?)?"
    r"|verantwortlich(?:e[rn]?)?\s+"
    r"(?:für\s+(?:den\s+)?inhalt|i\.?\s?s\.?\s?d\.?|gem(?:äß|\.)|nach|im sinne)[^:]*"
    r"|v\.?\s?i\.?\s?s\.?\s?d\.?\s?p\.?"
    r"|managing directors?|(?:board of )?directors?|chief executive officer|owners?|represented by|"
    r"authori[sz]ed representatives?|legal representatives?|chairman of the (?:supervisory )?board|"
    r"responsible for (?:the )?content[^:]*"
    r"|directeur de (?:la )?publication|directrice de (?:la )?publication|gérante?|"
    r"représentée? (?:légalement )?par|présidente?)"
)
_IMPRINT_LINE = re.compile(
    rf"^(?P<label>{_IMPRINT_LABEL}(?:\s*(?:/|,|&|und|and|et)\s*{_IMPRINT_LABEL})*)\s*(?P<colon>[:：])?\s*(?P<rest>.*)$",
    re.I,
)
_IMPRINT_NO_TITLE = re.compile(
    r"^(?:vertreten|vertretungsberechtigt|verantwortlich|v\.?\s?i|represented|authori|legal|responsible|"
    r"représenté|directeur de|directrice de)",
    re.I,
)
_CONTACT_LABEL = re.compile(
    r"^(?:(?:ihr|ihre|your|votre|vos|unser|unsere|press|presse|media|medien|sales|vertriebs?|support)\s+)?(?:persönliche[rn]?\s+)?(?:ansprechpartner(?:in)?|"
    r"kontaktperson|contact person|contact|point of contact|interlocut(?:eur|rice)|kontakt)\b"
    r"[^:]{0,40}:?\s*(?P<rest>.*)$",
    re.I,
)
_NAME_SPLIT = re.compile(r"\s*(?:[,;/]|\s(?:und|and|sowie|et|&)\s)\s*")
_PAREN = re.compile(r"\(([^)]*)\)")
_INNER_REPRESENTED = re.compile(
    r"(?:vertreten durch|represented by|représentée? par)\s*(?:den|die|the)?\s*", re.I
)

# Splits a one-line "Name, Title" / "Name – Title" / "Name (Title)" / "Name | Title".
_NAME_TITLE_SEP = re.compile(r"\s*(?:,|\||–|—|·|/|\s-\s|:)\s*|\s*\(")

# Common given names (accents folded). Not a filter -- plenty of real names are missing -- but one
# piece of evidence that a two-word heading is a person rather than a product ("Stock Pilot").
_FIRST_NAMES = _words(
    """
    aaron abdul abdullah adam adrian agnes ahmed ahmet aidan aisha alan albert alberto alejandro
    aleksandra alex alexander alexandra alexandre alexis alfred ali alice alicia alina alison amanda
    amber amelia amir amy ana anastasia andrea andreas andrew andy angela angelika angelo anita anja
    ann anna annabelle anne annette annika anthony antoine anton antonia antonio arjun arnaud arne
    arthur astrid aurelie axel aylin ayse barbara bastian beatrice beatriz ben benedikt benjamin
    bernard bernd bernhard bettina bianca birgit bjorn bob boris brandon brian bruno camille carina
    carl carla carlos carmen carol caroline carsten cassandra catherine cecile cedric celine charles
    charlotte chen chiara chloe chris christa christian christina christine christoph christophe
    christopher claire clara claudia claudio colin conor constance corinna cornelia craig cristina
    daniel daniela danielle daria david dean debbie deborah deepak denis dennis derek diana diane
    dieter dimitri dirk dominik dominique donald doris dorothea dylan edward eleanor elena elias
    elif elisa elisabeth eliza elizabeth ella ellen elodie emil emilia emily emma emmanuel enrico
    eric erik erika ernst esther ethan eva evelyn fabian fabienne fabio fatima felix fernando filip
    finn florian france frances francesca francesco francois frank franz franziska frederic frederik
    gabriel gabriele gabriella gareth gary gauthier georg george georgia gerald gerhard gianluca
    gilles giorgio giovanni giulia giuseppe grace graham gregor gregory guido guillaume gunter hana
    hannah hannes hans harald harry hassan heike heiko heinrich heinz helen helena helene helga
    helmut hendrik henrik henry herbert hugo ian ibrahim ida ines ingo ingrid irene iris isabel
    isabella isabelle ivan jack jacob jacqueline jakob james jan jana jane janet janina janine
    jannik jasmin jason javier jean jeanne jennifer jens jeremy jerome jessica jiawei jing joachim
    joanna jochen joe johan johanna johannes john jonas jonathan jordan jorg jose josef joseph
    joshua julia julian juliane julie julien julius jurgen justin kai karim karin karina karl
    karolina kasper katarina katharina katherine kathrin katja katrin kemal kevin kim klaus konrad
    kristina kurt lana lars laura laurence laurent lea leah lena leo leon leonie li liam lin lina
    linda lisa lorenzo louis louise luca lucas lucia lucie ludwig luis luisa luka lukas maja manfred
    manon manuel manuela marc marcel marco marcus margaret maria marian marie marina mario marion
    mark markus marta martin martina mary mathias mathieu matthew matthias mattia max maxime
    maximilian mehmet mei melanie melissa mia michael michaela michel michele michelle miguel mika
    mike milan mira miriam mohamed mohammad mohammed monika moritz muhammad mustafa nadia nadine
    natalia natalie nathalie nathan neil nicholas nick nicola nicolas nicole niklas nikolai nils
    nina noah noemi norbert olaf olga oliver olivia omar oscar oskar pablo pamela paola pascal
    patricia patrick paul paula pauline pedro peter petra philip philipp philippe pia pierre pieter
    pietro priya rachel rafael rahul rainer raj ralf ralph raphael rebecca regina reinhard rene
    ricardo richard rita robert roberto robin roger roland roman ronald rosa ruben rudolf ruth ryan
    sabine sabrina samantha samuel sandra sara sarah sascha sebastian selin serena sergio simon
    simone siobhan sofia sonja sophia sophie stefan stefanie steffen stella stephan stephane
    stephanie stephen steve steven susan susanne svea sven sylvia sylvie tanja tatiana teresa
    thierry thomas thorsten tim timo tobias tom tomas tony torsten ulrich ulrike ursula uwe valentin
    valentina valerie vanessa vera veronika victor victoria viktor vincent virginie volker walter
    wei werner wilhelm william wolfgang xavier yannick yasmin yusuf yves zoe
    """
)
# Class/id words of blocks that hold people, and of blocks that hold anything but.
_PEOPLE_HINT = re.compile(
    r"(?:^|[\s_-])(?:team\w*|member\w*|mitglied\w*|person\w*|people|staff|employees?|mitarbeiter\w*|"
    r"ansprechpartner\w*|contacts?|kontakt\w*|[ée]quipe|membres?|authors?|leaders?\w*|leadership|management|"
    r"geschaeftsfuehrung|geschäftsführung|vorstand|board|founders?|speakers?|profiles?|bio|vcard|h-card|crew|"
    r"directors?|partners?-?list|our-?people|who-?we-?are)(?:$|[\s_-])",
    re.I,
)
_OTHER_HINT = re.compile(
    r"(?:^|[\s_-])(?:products?|pricing|prices?|plans?|features?|solutions?|services?|jobs?|careers?|karriere|"
    r"vacanc\w*|stellen\w*|posts?|news|blog|events?|webinars?|case-?stud\w*|projects?|portfolio|referenz\w*|"
    r"references?|logos?|clients?|customers?|kunden|awards?|sponsors?|shop|cart|offers?|courses?)(?:$|[\s_-])",
    re.I,
)
_CTA = re.compile(
    r"[€$£]|\b(?:learn more|read more|mehr erfahren|weiterlesen|en savoir plus|buy now|add to cart|"
    r"in den warenkorb|per month|pro monat|par mois|/mo)\b",
    re.I,
)

# --- page walk --------------------------------------------------------------------------------

_SKIP_TAGS = HIDDEN_TAGS | EMBEDDED_TAGS | NON_CONTENT_TAGS
_SKIP_ATTR = re.compile(
    r"(?:^|[\s_-])(?:cookie\w*|consent\w*|gdpr|cmp|onetrust|usercentrics|borlabs|cookiebot|cc-window|"
    r"testimonial\w*|reviews?|quotes?|zitat\w*|kundenstimme\w*|t[ée]moignage\w*|rating\w*|comments?|"
    r"breadcrumbs?|nav|navbar|navigation|mega-?menu|main-?menu|menu|offcanvas|skip-?link|share|sharing|"
    r"post-?meta|entry-?meta|byline|post-?categor\w*|categories|category|"
    r"social-share|newsletter|sr-only|visually-hidden|screen-reader-text)(?:$|[\s_-])",
    re.I,
)
_ROLE_SKIP = frozenset({"navigation", "menu", "menubar", "search", "alertdialog"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_STOP_CLIMB = frozenset(
    {"body", "html", "main", "section", "header", "footer", "aside", "form", "table", "tbody", "ul", "ol"}
)
_CARD_TAGS = frozenset({"article", "li", "tr", "figure", "dl", "address"})
_MAX_CARD_ITEMS = 30  # lines + links; a card is small, a section isn't


@dataclass
class _Line:
    text: str
    owner: Any
    pos: int


@dataclass
class _Walk:
    lines: list[_Line] = field(default_factory=list)
    links: list[tuple[int, str]] = field(default_factory=list)  # (pos, href) incl. decoded cf-emails
    spans: dict[Any, tuple[int, int]] = field(default_factory=dict)
    positions: list[int] = field(default_factory=list)  # lines[i].pos, for bisect
    link_positions: list[int] = field(default_factory=list)


def _skip(node: Any, tag: str) -> bool:
    if tag in _SKIP_TAGS:
        return True
    attrib = node.attrib
    if not attrib:
        return False
    if "hidden" in attrib or (attrib.get("aria-hidden") == "true" and tag not in ("a", "img")):
        return True
    role = attrib.get("role")
    if role and role.lower() in _ROLE_SKIP:
        return True
    style = attrib.get("style")
    if style and hidden_by_style(style):
        return True
    cls, id_ = attrib.get("class"), attrib.get("id")
    return bool(cls or id_) and _skip_classes(cls or "", id_ or "")


@lru_cache(maxsize=4096)
def _skip_classes(cls: str, id_: str) -> bool:
    """Do an element's class and id name a block the walk skips? Cached: a site's markup repeats
    the same class attributes on every page, and the regex is long."""
    text = f"{cls} {id_}"
    return bool(text.strip()) and bool(_SKIP_ATTR.search(text))


def _walk(page: Page) -> _Walk:
    """One pass over the body: visible lines with their owning element, links, element spans.

    Positions count lines and links together, so "is this link inside that card" is a range check.
    """
    out = _Walk()
    lines, links, spans = out.lines, out.links, out.spans
    buf: list[str] = []
    owners: list[Any] = []
    starts: list[int] = []
    pos = 0

    def flush() -> None:  # callers test ``buf`` first: most elements start with nothing pending
        nonlocal pos
        # str.split() and re's \s agree on what whitespace is: this is _WS.sub(" ", ...).strip()
        text = " ".join("".join(buf).split())
        buf.clear()
        if text:
            lines.append(_Line(text, owners[-1] if owners else None, pos))
            pos += 1

    body = page.tree.find("body")
    for event, node in Walk(body if body is not None else page.tree, _skip):
        if event is WalkEvent.START:
            tag = node.tag
            if tag not in LINE_INLINE_TAGS:
                if buf:
                    flush()
                owners.append(node)
            starts.append(pos)
            if tag == "a":
                href = node.get("href")
                if href:
                    low = href[:40].lower()
                    if "email-protection#" in low:
                        decoded = cf_href_decode(href)
                        href = f"mailto:{decoded}" if decoded else None
                    if href:
                        links.append((pos, href))
                        pos += 1
            cf = node.get("data-cfemail")
            if cf:
                decoded = cf_decode(cf)
                if decoded:
                    links.append((pos, f"mailto:{decoded}"))
                    pos += 1
            text = node.text
            if text:
                buf.append(text)
            continue
        if event is WalkEvent.END:
            if node.tag not in LINE_INLINE_TAGS:
                if buf:
                    flush()
                owners.pop()
            spans[node] = (starts.pop(), pos)
        elif isinstance(node.tag, str):  # an element the walk skips: it ends the line before it
            if buf:
                flush()
            spans[node] = (pos, pos)
        tail = node.tail
        if tail:
            buf.append(tail)
    if buf:
        flush()
    out.positions = [ln.pos for ln in out.lines]
    out.link_positions = [p for p, _ in out.links]
    return out


# --- names and titles -------------------------------------------------------------------------


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold().replace("ß", "ss"))
    return "".join(c for c in text if not unicodedata.combining(c))


def _is_cap_word(token: str) -> bool:
    """Jean-Luc, O'Brien, d'Alembert, McDonald, Müller-Lüdenscheidt: each part starts upper case."""
    if not _NAME_CHARS.match(token) or (token.isupper() and len(token) > 1):
        return False
    for piece in token.split("-"):
        if not piece:
            return False
        if len(piece) > 2 and piece[1] in "'’" and piece[0].islower():
            piece = piece[2:]  # d'Alembert: the letter after the apostrophe counts
        if not piece[0].isupper():
            return False
    return True


def clean_person_name(text: str, *, strict: bool = True) -> str | None:
    """A person's name from a short line ("Dr. Anna Schmidt" -> "Anna Schmidt"), or None.

    Two to five words: capitalised (accents, hyphens and apostrophes allowed), with name particles
    (von, van, de, da, le, ...) and initials in between; none of them a page or title word. With
    ``strict`` off (structured data: the markup already says it is a name), lower case is fine.
    """
    text = _WS.sub(" ", text).strip(" \t,;:·|–—-•*")
    if not text or len(text) > 60 or any(c.isdigit() for c in text) or "@" in text:
        return None
    text = _DEGREE_SUFFIX.sub("", _HONORIFIC.sub("", text)).strip(" ,")
    tokens = text.split(" ")
    if not 2 <= len(tokens) <= 5:
        return None
    long_tokens = [t for t in tokens if len(t) > 2]
    if long_tokens and all(t.isupper() for t in long_tokens):
        tokens = [t.lower() if t.lower() in _PARTICLES else t.title() for t in tokens]  # ANNA SCHMIDT
    caps = 0
    for i, tok in enumerate(tokens):
        low = tok.lower().strip(".")
        if low in _STOPWORDS or _TITLE_WORD.fullmatch(tok) or _TITLE_ACRONYM.fullmatch(tok):
            return None
        if tok.lower() in _PARTICLES and 0 < i < len(tokens) - 1:
            continue  # von, van der, de la: only between first and last name
        if _INITIAL.match(tok) and 0 < i < len(tokens) - 1:
            continue
        if _is_cap_word(tok):
            caps += 1
            continue
        if not strict and _NAME_CHARS.match(tok):
            caps += 1
            continue
        return None
    if caps < 2:
        return None
    return " ".join(tokens)


def is_job_title(text: str) -> str | None:
    """The cleaned job title if ``text`` reads as one ("Head of Sales", "Geschäftsführerin"), else None."""
    text = _TITLE_LABEL.sub("", _WS.sub(" ", text).strip(" \t,;·|–—-•*()"))
    if text.endswith(".") and len(text.rsplit(" ", 1)[-1]) > 4:
        text = text[:-1]  # "Sophie Dupont, gérante." ends a sentence, not an abbreviation
    if not text or len(text) > 90 or len(text.split()) > 12 or ":" in text:
        return None
    if not (_TITLE_ACRONYM.search(text) or _TITLE_WORD.search(text)):
        return None
    if _NOT_TITLE.search(text) or re.search(r"\d{2,}", text):
        return None
    only_weak = not _TITLE_ACRONYM.search(text) and all(
        m.group(0).lower() in _WEAK_TITLE for m in _TITLE_WORD.finditer(text)
    )
    if only_weak and any(
        w.islower() and w not in _TITLE_GLUE and not _TITLE_WORD.fullmatch(w) for w in text.split()
    ):
        return None
    if text[-1] in ".!?" and len(text.split()) > 4:
        return None  # a sentence that happens to mention a director
    first = text.split(" ", 1)[0]
    if first.isalpha() and first.islower():
        text = text[0].upper() + text[1:]  # "…, directrice commerciale" is shown as a title elsewhere
    return text


def split_name_title(line: str) -> tuple[str, str] | None:
    """("Max Müller", "CEO") from "Max Müller, CEO" / "Max Müller – CEO" / "Max Müller (CEO)"."""
    if len(line) > 140:
        return None
    for m in _NAME_TITLE_SEP.finditer(line):
        if m.start() == 0:
            continue
        name = clean_person_name(line[: m.start()])
        if not name:
            continue
        title = is_job_title(line[m.end() :].rstrip(")").strip())
        if title:
            return name, title
    # inline spans glued by a space: "Luca Bianchi CTO", "Anna Schmidt Vertriebsleiterin"
    tokens = line.split()
    if not tokens or _fold(tokens[0].split("-")[0]) not in _FIRST_NAMES:
        return None  # without punctuation between them, only a known given name tells where a name starts
    for k in range(2, min(5, len(tokens))):
        name = clean_person_name(" ".join(tokens[:k]))
        if name:
            title = is_job_title(" ".join(tokens[k:]))
            if title and (title[0].isupper() or _TITLE_ACRONYM.match(title)):
                return name, title
    return None


def _name_key(name: str) -> str:
    folded = _fold(name).replace("-", " ").replace("’", "").replace("'", "")
    return " ".join(t for t in folded.split() if len(t.strip(".")) > 1)


def _email_matches_name(email: str, name: str) -> bool:
    local = _fold(email.split("@", 1)[0]).replace("ae", "a").replace("oe", "o").replace("ue", "u")
    tokens = [t.replace("ae", "a").replace("oe", "o").replace("ue", "u") for t in _name_key(name).split()]
    tokens = [re.sub(r"[^a-z]", "", t) for t in tokens if t not in _PARTICLES]
    if len(tokens) < 2:
        return False
    first, last = tokens[0], tokens[-1]
    parts = re.split(r"[._\-]", local)
    return (len(last) >= 3 and last in local) or (len(first) >= 3 and (local == first or parts[0] == first))


# --- structured data --------------------------------------------------------------------------

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


def _structured_persons(items: Any) -> Iterator[tuple[dict[str, Any], str | None]]:
    """(Person node, default title) for every Person reached through company-ish properties."""

    def visit(node: Any, key: str | None, depth: int) -> Iterator[tuple[dict[str, Any], str | None]]:
        if depth > 10:
            return
        if isinstance(node, list):
            for item in node:
                yield from visit(item, key, depth + 1)
            return
        if not isinstance(node, dict):
            return
        types = schema_types(node)
        if any(t in _FOREIGN_TYPES for t in types):
            return
        if "Person" in types:
            yield node, _KEY_TITLES.get(key or "")
            return
        for k, v in node.items():
            if k in _PERSON_KEYS and isinstance(v, (dict, list)):
                yield from visit(v, k, depth + 1)

    yield from visit(items, None, 0)


def _rdfa_persons(page: Page) -> Iterator[dict[str, Any]]:
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
                    value = _WS.sub(" ", prop_el.text_content()).strip()
                node.setdefault(short, [])
                node[short].append(value)
        yield node


def _contact_from_node(node: dict[str, Any], region: str) -> tuple[str | None, str | None, dict[str, str]]:
    email = None
    raw_emails = node.get("email")
    for raw in raw_emails if isinstance(raw_emails, list) else [raw_emails]:
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
        values = node.get(key)
        for raw in values if isinstance(values, list) else [values]:
            if isinstance(raw, dict):
                raw = raw.get("@id") or raw.get("url")
            if isinstance(raw, str):
                prof = person_profile(raw)
                if prof and prof[0] not in profiles:
                    profiles[prof[0]] = prof[1]
    return email, phone, profiles


def _person_from_node(node: dict[str, Any], method: str, region: str) -> PersonFact | None:
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


# --- cards ------------------------------------------------------------------------------------

# An address in a card's text, "@" or spelled out ("c.martin [at] acme [dot] fr").
_EMAIL_TEXT = re.compile(
    rf"[\w.+\-]+\s*(?:@|{AT_BRACKET}|{AT_WORD})\s*[\w\-]+(?:\s*(?:\.|{DOT_BRACKET}|{DOT_WORD})\s*[\w\-]+)+"
)
_PHONE_TEXT = re.compile(
    r"(?<![\w+])(?:(?:\+|00)\d[\d\s()./\-–]{5,22}\d|\(?0\d[\d\s()./\-–]{5,20}\d"
    r"|\(?[2-9]\d{2}\)?[\s.\-]\d{3}[\s.\-]\d{4})(?![\d])"
)
_DATE_LIKE = re.compile(r"^\d{1,4}[./\-]\d{1,2}[./\-]\d{1,4}$")


@dataclass
class _Card:
    name: str
    title: str | None
    name_idx: int
    title_idx: int | None
    labelled: bool = False  # right after an "Ansprechpartner" / "Contact person" label
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
    walk: _Walk, base: Any, own: int, anchor: int, blockers: list[int], label_el: Any = None
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
    m = _CONTACT_LABEL.match(text)
    if not m:
        return None, None, title, None
    found = _imprint_names(m.group("rest"), None) if m.group("rest") else []
    return None, None, title, (found[0] if found else ())


def _candidate_cards(walk: _Walk) -> list[_Card]:
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

    for t in range(n):
        if not titles[t]:
            continue
        above = t - 1 if t > 0 and names[t - 1] else None
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
    for i in range(n):
        if names[i] and i not in cards:
            cards[i] = _Card(names[i] or "", None, i, None)
    return [cards[i] for i in sorted(cards)]


def _place(walk: _Walk, card: _Card, blockers: list[int]) -> None:
    lines = walk.lines
    line = lines[card.name_idx]
    if card.title_idx is None or card.title_idx == card.name_idx:
        base, anchor = line.owner, line.pos
    else:
        other = lines[card.title_idx]
        base, anchor = _lca(line.owner, other.owner), min(line.pos, other.pos)
    card.start, card.end, card.el = _card_range(walk, base, line.pos, anchor, blockers, card.label_el)


def _card_lines(walk: _Walk, start: int, end: int) -> list[_Line]:
    positions = walk.positions
    return walk.lines[bisect_left(positions, start) : bisect_left(positions, end)]


def _has_email(walk: _Walk, start: int, end: int, el: Any) -> bool:
    links = walk.links
    i = bisect_left(walk.link_positions, start)
    while i < len(links) and links[i][0] < end:
        if links[i][1][:7].lower() == "mailto:":
            return True
        i += 1
    return any(AT_HINT_RE.search(t) for t in _range_texts(walk, el, start, end))


def _is_testimonial(card_lines: list[_Line], name_pos: int) -> bool:
    for ln in card_lines:
        text = ln.text
        if len(text) > 25 and text.startswith(_QUOTE_START):
            return True
        if _TESTIMONIAL_WORDS.search(text):
            return True
        if ln.pos == name_pos and text[:1] in "—–-~":
            return True
    return False


def _range_texts(walk: _Walk, el: Any, start: int, end: int) -> list[str]:
    """The card's visible text with inline markup joined as a reader sees it.

    The walk's lines split at spans (to part names from titles), which would also split
    ``c.martin<span>@</span>acme.fr``; contacts are read from page.element_text instead.
    """
    if el is None:
        return [ln.text for ln in _card_lines(walk, start, end)]
    s, e = walk.spans.get(el, (0, 0))
    if start <= s and e <= end:
        return [element_text(el)]
    out: list[str] = []
    for child in el:
        if not isinstance(child.tag, str):
            continue
        cs, ce = walk.spans.get(child, (0, 0))
        if cs < ce and ce > start and cs < end:
            out.extend(_range_texts(walk, child, start, end))
    # text sitting directly in a partly covered block (flat markup: "<h3>..</h3>Tel: 123<br>")
    out.extend(ln.text for ln in _card_lines(walk, start, end) if ln.owner is el)
    return out


def _card_contacts(
    walk: _Walk, start: int, end: int, el: Any, name: str, region: str
) -> tuple[str | None, str | None, dict[str, str]]:
    """Email, phone (E.164) and person profiles inside the card; the person's own address first."""
    emails: list[str] = []
    phones: list[str] = []
    profiles: dict[str, str] = {}
    links = walk.links
    i = bisect_left(walk.link_positions, start)
    while i < len(links) and links[i][0] < end:
        href = links[i][1]
        i += 1
        low = href[:12].lower()
        if low.startswith("mailto:"):
            e = normalize_email(href.split("?", 1)[0])
            if e:
                emails.append(e)
        elif low.startswith(("tel:", "callto:")):
            parsed = normalize_phone(href.split(":", 1)[1], region)
            if parsed:
                phones.append(parsed[0])
        elif any(d in href.lower() for d in PLATFORMS):
            prof = person_profile(href)
            if prof and prof[0] not in profiles:
                profiles[prof[0]] = prof[1]
    for block in _range_texts(walk, el, start, end):
        for text in block.split("\n"):
            if AT_HINT_RE.search(text):
                for m in _EMAIL_TEXT.finditer(text):
                    e = normalize_email(undo_at_dot(m.group(0)))
                    if e:
                        emails.append(e)
            for m in _PHONE_TEXT.finditer(text):
                raw = m.group(0)
                fax = label_kind(text[max(0, m.start() - 14) : m.start()]) is NumberLabel.FAX
                if fax or _DATE_LIKE.match(raw):
                    continue  # "Fax: +49 ..." is not a number to call; "01.04.2019" is a date
                if not raw.startswith(("+", "00")) and not has_phone_label(text) and len(text) > len(raw) + 6:
                    continue  # a bare national number inside prose is more likely an id or a count
                parsed = normalize_phone(m.group(0), region)
                if parsed:
                    phones.append(parsed[0])
    email = next((e for e in emails if _email_matches_name(e, name)), None)
    if email is None:
        email = next((e for e in emails if not is_role_email(e)), emails[0] if emails else None)
    return email, (phones[0] if phones else None), profiles


def _nearest_hint(el: Any) -> str | None:
    """'people' or 'other' from the nearest class/id that says what the block holds, else None."""
    node, depth = el, 0
    while node is not None and depth < 8 and node.tag not in ("body", "html"):
        attrs = f"{node.get('class', '')} {node.get('id', '')}"
        if attrs.strip():
            if _PEOPLE_HINT.search(attrs):
                return "people"
            if _OTHER_HINT.search(attrs):
                return "other"
        node = node.getparent()
        depth += 1
    return None


def _photo_of(el: Any, name: str) -> bool:
    """A portrait in the card whose alt/title names the person."""
    key = _name_key(name)
    last = key.split()[-1] if key else ""
    for img in el.iter("img"):
        alt = _name_key(f"{img.get('alt', '')} {img.get('title', '')}")
        if last and last in alt.split():
            return True
    return False


def _is_person_card(
    walk: _Walk, card: _Card, email: str | None, phone: str | None, profiles: dict[str, str]
) -> bool:
    """Weigh the evidence that a name + title block is a person and not a product or a tagline.

    Strong: their own address, a LinkedIn/XING profile, or a photo captioned with the name --
    enough even in a block classed as products or posts. Otherwise the block must not look like
    product/job/blog content, and one weaker sign must hold: a people-ish class (team, staff,
    contact ...), a known given name, a contact-person label, or any phone/email in the card.
    """
    strong = bool(email and _email_matches_name(email, card.name)) or any(
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
    if any(_CTA.search(ln.text) for ln in _card_lines(walk, card.start, card.end)):
        return False
    first = _fold(card.name.split()[0].split("-")[0])
    return hint == "people" or first in _FIRST_NAMES or card.labelled or bool(email or phone)


def _card_people(walk: _Walk, domain: str, region: str) -> list[tuple[int, PersonFact]]:
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
        if card.title_idx is None and not card.labelled:
            _place(walk, card, everyone)
            if not _has_email(walk, card.start, card.end, card.el):
                continue
            email, _, _ = _card_contacts(walk, card.start, card.end, card.el, card.name, region)
            if not (email and _email_matches_name(email, card.name)):
                continue
        kept.append(card)
    blockers = sorted(lines[c.name_idx].pos for c in kept)
    out: list[tuple[int, PersonFact]] = []
    for card in kept:
        _place(walk, card, blockers)
        name_pos = lines[card.name_idx].pos
        if _is_testimonial(_card_lines(walk, card.start, card.end), name_pos):
            continue
        if card.title:
            ext = _EXTERNAL_TITLE.search(card.title)
            if ext and not matches_domain(ext.group(1), domain):
                continue  # "CEO at Globex": a customer or a guest, not this company's person
        email, phone, profiles = _card_contacts(walk, card.start, card.end, card.el, card.name, region)
        if not _is_person_card(walk, card, email, phone, profiles):
            continue
        person = PersonFact(
            card.name, Evidence("card", lines[card.name_idx].text[:200]), card.title, email, phone, profiles
        )
        out.append((name_pos, person))
    return out


# --- imprint ----------------------------------------------------------------------------------


def _singular_title(label: str) -> str | None:
    low = label.lower().strip()
    if _IMPRINT_NO_TITLE.match(low):
        m = re.search(r"(geschäftsführer(?:in)?|vorstand|inhaber(?:in)?)$", low)
        return m.group(1).capitalize() if m else None
    label = re.sub(r"^(?:vertretungsberechtigter?n?|alleinige?r?)\s+", "", label.strip(), flags=re.I)
    label = re.sub(r"innen$", "in", label)
    label = re.sub(r"(?i)^vorstände$", "Vorstand", label)
    label = re.sub(r"(?i)^prokuristen$", "Prokurist", label)
    label = re.sub(r"(?i)(director|owner|representative)s$", r"\1", label)
    label = re.sub(r"(?i)^gesch\.-?f(?:ührer)?\.?$", "Geschäftsführer", label)
    return label[:1].upper() + label[1:]


def _imprint_names(rest: str, title: str | None) -> list[tuple[str, str | None]]:
    inner = list(_INNER_REPRESENTED.finditer(rest))
    if inner:
        rest = rest[inner[-1].end() :]
    if ":" in rest:  # "Represented by the managing directors: A and B"
        prefix, rest = rest.rsplit(":", 1)
        prefix = re.sub(r"^(?:the|den|die|der|les|la|le|l')\s+", "", prefix.strip(), flags=re.I)
        if title is None and is_job_title(prefix):
            title = _singular_title(prefix)
    out: list[tuple[str, str | None]] = []
    for part in _NAME_SPLIT.split(rest):
        part = part.strip()
        if not part:
            continue
        own_title = title
        m = _PAREN.search(part)
        if m:
            own_title = is_job_title(m.group(1)) or own_title
            part = _PAREN.sub("", part).strip()
        name = clean_person_name(part)
        if name:
            out.append((name, own_title))
            continue
        extra = is_job_title(part)
        if extra and out:
            out[-1] = (out[-1][0], extra)  # "Max Müller, Geschäftsführer"
            continue
        if out:
            break
    return out


def _imprint_people(walk: _Walk) -> list[tuple[int, str, str | None]]:
    lines = walk.lines
    found: list[tuple[int, str, str | None]] = []
    for i, line in enumerate(lines):
        text = line.text
        if len(text) > 300 or len(text) < 6:
            continue
        m = _IMPRINT_LINE.match(text)
        if not m:
            continue
        label, rest = m.group("label"), m.group("rest").strip()
        if not m.group("colon") and not label.lower().startswith(
            ("vertreten durch", "represented by", "représenté")
        ):
            continue
        title = _singular_title(label)
        if rest:
            for name, t in _imprint_names(rest, title):
                found.append((line.pos, name, t))
            continue
        for j in range(i + 1, min(i + 5, len(lines))):
            if ":" in lines[j].text:
                break  # the next label ("Prokurist: ...", "Registergericht: ...")
            people = _imprint_names(lines[j].text, title)
            if not people:
                break
            found.extend((lines[j].pos, name, t) for name, t in people)
    return found


# --- assembly ---------------------------------------------------------------------------------


def _merge(people: list[PersonFact], person: PersonFact, index: dict[str, int], weak: set[str]) -> None:
    """Add a person, or fill the gaps of the one already known by that name.

    ``weak`` holds names whose title was only inferred (a json-ld ``founder`` without jobTitle):
    a title that is actually shown on the page replaces it.
    """
    key = _name_key(person.name)
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
        for node, default_title in _structured_persons(structured.get(syntax) or []):
            person = _person_from_node(node, method, region)
            if person:
                if person.job_title is None and default_title:
                    person = replace(person, job_title=default_title)
                    if _name_key(person.name) not in index:
                        weak.add(_name_key(person.name))
                _merge(people, person, index, weak)
    if page.html and "typeof" in page.html:
        for node in _rdfa_persons(page):
            person = _person_from_node(node, "rdfa", region)
            if person:
                _merge(people, person, index, weak)

    walk = _walk(page)
    visible = _card_people(walk, registered_domain(page.url), region)
    for pos, name, title in _imprint_people(walk):
        visible.append((pos, PersonFact(name, Evidence("imprint", name), title)))
    visible.sort(key=lambda item: item[0])
    for _, person in visible:
        _merge(people, person, index, weak)
    return people
